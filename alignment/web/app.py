"""The Flask application of the reviewers' workbench (built by :func:`create_app`)."""
from __future__ import annotations

import io
import secrets
import threading
from pathlib import Path
from typing import Any

from alignment.errors import AlignmentError
from alignment.schema import STATUSES, Report
from alignment.store import Store, apply_decisions
from alignment.store.review import DECISION_FILTERS, filter_directives
from alignment.web import views
from alignment.web.security import install

#: Filters a list page and its exports understand (query-string names).
FILTERS = ("status", "decision", "document", "q")


class Workbench:
    """The store behind the app, the last run's report (cached per run) and the query engine."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._reports: dict[int, Report] = {}
        self._index: tuple[int, Any] | None = None
        self._query_lock = threading.Lock()

    def report(self) -> tuple[int, Report]:
        """(run id, report of the latest complete run with every decision applied)."""
        run = self.store.latest_run()
        if run is None:
            raise AlignmentError(f"复核库 {self.store.path} 中还没有完成的运行：请先运行 "
                                 f"`policy-align report --store {self.store.path} ...`。")
        if run.run_id not in self._reports:
            self._reports = {run.run_id: self.store.load_report(run.run_id, reviewed=False)}
        return run.run_id, apply_decisions(self._reports[run.run_id], self.store.decisions())

    def query(self, text: str, top: int = 8):
        """The plan passages of the latest run that answer ``text`` (:class:`alignment.pipeline.QueryIndex`,
        built once per run)."""
        from alignment.pipeline import Engine, QueryIndex

        run = self.store.latest_run()
        if run is None:
            raise AlignmentError(f"复核库 {self.store.path} 中还没有完成的运行，无法查询：请先运行 "
                                 f"`policy-align report --store {self.store.path} ...`。")
        with self._query_lock:
            if self._index is None or self._index[0] != run.run_id:
                plans = []
                for v in self.store.run_documents(run.run_id):
                    if v.role == "plan":
                        parsed = self.store.load_parsed(v.version)
                        if parsed is None:
                            raise AlignmentError(f"复核库中没有 {v.path} 的章节结构：请重新运行 "
                                                 "`policy-align report --store` 后再查询。")
                        plans.append(parsed)
                embedder = run.embedder if run.embedder not in ("", "none") else "lexical"
                engine = Engine(embedder=embedder, method=run.method, cache=self.store.embeddings)
                # The run's own directives are the run a query is placed among (see QueryIndex).
                reference = [r.directive for r in self.store.load_report(run.run_id, reviewed=False).directives]
                self._index = (run.run_id, QueryIndex(plans, engine, scope=run.options.get("scope", ()),
                                                      reference=reference))
            return self._index[1].query(text, top=top)


def create_app(store: Store | str | Path, *, token: str | None = None, reviewer: str = "",
               secret_key: bytes | None = None) -> Any:
    """The workbench app over ``store`` (a :class:`Store` or its path, which must exist).

    ``token``: the access token visitors must give (required off loopback, see
    :mod:`alignment.web.security`); ``reviewer``: the name decisions are recorded under until a
    visitor sets their own.
    """
    from flask import Flask, abort, flash, redirect, render_template, request, send_file, session, url_for

    if not isinstance(store, Store):
        store = Store.open(store, create=False)
    bench = Workbench(store)
    app = Flask("alignment.web", template_folder="templates", static_folder="static")
    app.config.update(
        SECRET_KEY=secret_key or secrets.token_bytes(32),
        SESSION_COOKIE_NAME="policy_align_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=1 << 20,
        JSON_AS_ASCII=False,
    )
    app.extensions["policy_align"] = bench
    install(app, token=token)

    def current_reviewer() -> str:
        return str(session.get("reviewer") or reviewer or "")

    def filters() -> dict[str, str]:
        return {k: request.args.get(k, "").strip() for k in FILTERS}

    def filtered(report: Report, f: dict[str, str]) -> Report:
        return filter_directives(report, status=f["status"] if f["status"] in STATUSES else "",
                                 decision=f["decision"] if f["decision"] in DECISION_FILTERS else "",
                                 document=f["document"], text=f["q"])

    @app.context_processor
    def common() -> dict[str, Any]:
        return {"reviewer": current_reviewer(), "store_path": str(store.path),
                "statuses": [(s, views.status_zh(s)) for s in STATUSES], "decision_filters": DECISION_FILTERS}

    @app.errorhandler(AlignmentError)
    def library_error(exc: AlignmentError) -> Any:
        return render_template("error.html", title="出错了", message=str(exc)), 500

    for code in (400, 401, 403, 404):
        app.register_error_handler(code, lambda e: (render_template(
            "error.html", title=f"{e.code} {e.name}", message=e.description), e.code))

    @app.get("/")
    def dashboard() -> Any:
        run_id, report = bench.report()
        runs = store.runs()[:5]
        return render_template("dashboard.html", run_id=run_id, runs=runs, **views.dashboard(report))

    @app.get("/directives")
    def directives() -> Any:
        _, report = bench.report()
        f = filters()
        rows = views.directive_list(filtered(report, f))
        docs = [(d.id, views.document_title(d.id, views.documents_by_id(report))) for d in report.documents
                if d.meta.role != "plan"]
        return render_template("directives.html", rows=rows, f=f, documents=docs, total=len(report.directives),
                               export_args={k: v for k, v in f.items() if v})

    @app.get("/directive")
    def directive() -> Any:
        _, report = bench.report()
        directive_id = request.args.get("id", "")
        page = views.directive_page(report, directive_id, store.decisions(directive_id=directive_id))
        if page is None:
            abort(404, description=f"没有这条要求：{directive_id}")
        q = request.args.get("q", "").strip()
        found = views.query_results(bench.query(q), report) if q else []
        linked = {m["unit_id"] for m in page["matches"]}
        return render_template("directive.html", d=page, q=q, found=found, linked=linked,
                               back=request.args.get("back", ""))

    @app.get("/query")
    def query_page() -> Any:
        _, report = bench.report()
        q = request.args.get("q", "").strip()
        found = views.query_results(bench.query(q), report) if q else []
        return render_template("query.html", q=q, found=found)

    @app.get("/decisions")
    def decisions() -> Any:
        _, report = bench.report()
        units = {p.unit.id: p.unit for p in report.plan_units}
        docs = views.documents_by_id(report)
        who = request.args.get("reviewer", "").strip() or None
        log = [
            {"id": d.id, "time": d.time, "reviewer": d.reviewer, "action": views.ACTION_NAMES_ZH.get(d.action, d.action),
             "directive_id": d.directive_id, "directive": d.directive_text,
             "unit": views.location_label(units[d.unit_id], docs) if d.unit_id in units else d.unit_id,
             "comment": d.comment}
            for d in reversed(store.decisions(reviewer=who))
        ]
        return render_template("decisions.html", log=log, who=who or "")

    @app.post("/decide")
    def decide() -> Any:
        form = request.form
        target = form.get("next", "")
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("directive", id=form.get("directive_id", ""))
        name = " ".join(form.get("reviewer", current_reviewer()).split())
        if not name:
            flash("请先在页面右上角填写复核人姓名。", "error")
            return redirect(target)
        session["reviewer"] = name
        base = {"directive_id": form.get("directive_id", ""), "reviewer": name, "comment": form.get("comment", "")}
        action = form.get("action", "")
        if action == "relink":
            items = [{**base, "action": "reject", "unit_id": form.get("old_unit_id", ""), "comment": ""},
                     {**base, "action": "add", "unit_id": form.get("unit_id", "")}]
        else:
            items = [{**base, "action": action, "unit_id": form.get("unit_id", "")}]
        try:
            store.record_decisions(items)
        except AlignmentError as exc:
            flash(str(exc), "error")
        else:
            flash("已保存：" + "、".join(views.ACTION_NAMES_ZH.get(i["action"], i["action"]) for i in items), "ok")
        return redirect(target)

    @app.post("/reviewer")
    def set_reviewer() -> Any:
        session["reviewer"] = " ".join(request.form.get("reviewer", "").split())[:60]
        target = request.form.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("dashboard"))

    @app.get("/export.<fmt>")
    def export(fmt: str) -> Any:
        from alignment.report import RENDERERS

        if fmt not in ("xlsx", "json"):
            abort(404, description="只能导出 xlsx 或 json。")
        _, report = bench.report()
        view = filtered(report, filters())
        if fmt == "xlsx":
            buffer = io.BytesIO()
            RENDERERS["xlsx"](view, buffer)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            text = io.StringIO()
            RENDERERS["json"](view, text)
            buffer = io.BytesIO(text.getvalue().encode("utf-8"))
            mimetype = "application/json"
        buffer.seek(0)
        return send_file(buffer, mimetype=mimetype, as_attachment=True, download_name=f"policy-align-review.{fmt}")

    return app
