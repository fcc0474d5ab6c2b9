"""The reviewers' workbench: a local web app over a review store (``policy-align serve``).

Server-rendered pages (Flask + Jinja, autoescaped; one small static script, no inline JS): the
coverage dashboard, the directive list filtered by status and by reviewer decision (the gap list is
status 未覆盖), each directive beside its candidate plan passages with the shared terms
highlighted, the query box, accept / reject / relink / add / out of scope / comment, the decision
log, and the current view exported as XLSX or JSON. See :mod:`alignment.web.security` for what
keeps it safe, and docs/review-workbench.md for a walk-through.

Needs the web extra (``pip install 'policy-align[web]'``: flask, waitress). Importing this package
imports neither.
"""
from __future__ import annotations

import socket

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alignment.errors import MissingDependencyError
from alignment.web.security import check_bind, is_loopback

__all__ = ["check_bind", "create_app", "is_loopback", "serve"]


def create_app(store: Any, *, token: str | None = None, reviewer: str = "", secret_key: bytes | None = None) -> Any:
    """The Flask app over ``store`` (a :class:`alignment.store.Store` or the path of one)."""
    try:
        import flask  # noqa: F401
    except ImportError:
        raise MissingDependencyError("flask", "web", "复核工作台（web UI）") from None
    from alignment.web.app import create_app as build

    return build(store, token=token, reviewer=reviewer, secret_key=secret_key)


def serve(store_path: str | Path, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          reviewer: str = "", threads: int = 4, announce: Callable[[str], None] | None = None) -> None:
    """Serve the workbench with waitress until interrupted.

    Refuses (:class:`alignment.errors.ConfigError`) a non-loopback ``host`` without ``token``;
    raises :class:`alignment.errors.StoreError` when ``store_path`` holds no store.
    """
    check_bind(host, token)
    app = create_app(store_path, token=token, reviewer=reviewer)
    try:
        from waitress import create_server
    except ImportError:
        raise MissingDependencyError("waitress", "web", "启动复核工作台（web UI）") from None
    server = create_server(app, host=host, port=port, threads=threads, ident="policy-align")
    if announce:
        # 0.0.0.0 / :: listen everywhere but are no address to open: show the machine's name.
        shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
        shown = f"[{shown}]" if ":" in shown else shown
        bound = getattr(server, "effective_port", port)
        announce(f"http://{shown}:{bound}/" + (f"?token={token}" if token else ""))
    try:
        server.run()
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        pass
    finally:
        server.close()
