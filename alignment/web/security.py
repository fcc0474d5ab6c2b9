"""Safe by default: loopback only without a token, a CSRF token on every state change, strict headers.

* :func:`check_bind` refuses to listen on a non-loopback address unless an access token is set.
* Without a token, requests must name a loopback host (``Host:`` header), which defeats DNS
  rebinding: a web page elsewhere cannot reach the workbench through a name it controls.
* With a token, every request needs it once (``?token=…``, then a session cookie, or an
  ``Authorization: Bearer`` header).
* Every POST carries the session's CSRF token (form field ``csrf_token`` or ``X-CSRF-Token``), and
  a cross-site ``Origin`` is refused.
* Responses forbid inline script, framing and MIME sniffing (:data:`HEADERS`); all document text
  goes through Jinja's autoescape.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets
from typing import Any
from urllib.parse import urlencode, urlsplit

from alignment.errors import ConfigError

#: Headers set on every response. No inline script or style can run, even if escaping failed.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    host = host.strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Raise :class:`ConfigError` when ``host`` is not loopback and no access ``token`` is set."""
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"拒绝在 {host} 上监听：能访问该地址的任何人都能读取文件并修改复核意见。"
            "请设置访问令牌（--token 或 POLICY_ALIGN_TOKEN），或保持 --host 127.0.0.1。"
        )


def _host_name(host_header: str) -> str:
    """The host part of a ``Host:`` header (``[::1]:8765`` -> ``::1``)."""
    return urlsplit("//" + host_header).hostname or ""


def install(app: Any, *, token: str | None) -> None:
    """Add the checks and headers above to a Flask ``app``."""
    from flask import abort, redirect, request, session

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return str(session["csrf"])

    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["CSRF_FIELD"] = CSRF_FIELD

    @app.before_request
    def guard() -> Any:
        if not token and not is_loopback(_host_name(request.host)):
            abort(400, description="请求的主机名不是本机地址（为防止 DNS 重绑定攻击而拒绝）。")
        if token and request.endpoint != "static":
            given = request.args.get("token")
            if given is not None and hmac.compare_digest(given, token):
                session["auth"] = True
                if request.method in _SAFE_METHODS:
                    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
                    return redirect(request.path + ("?" + urlencode(rest) if rest else ""))
            bearer = request.headers.get("Authorization", "")
            authorised = session.get("auth") is True or (
                bearer.startswith("Bearer ") and hmac.compare_digest(bearer[7:], token))
            if not authorised:
                abort(401, description="需要访问令牌：请使用启动时给出的带 token 的地址打开。")
        if request.method not in _SAFE_METHODS:
            origin = request.headers.get("Origin")
            if origin and origin != "null" and urlsplit(origin).netloc != request.host:
                abort(403, description="拒绝跨站请求。")
            sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
            expected = session.get("csrf")
            if not expected or not hmac.compare_digest(str(sent), str(expected)):
                abort(400, description="CSRF 校验失败：请刷新页面后重试。")
        return None

    @app.after_request
    def headers(response: Any) -> Any:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
