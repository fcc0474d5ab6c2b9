"""Draft comparison: which directives two drafts of a plan answer differently.

Both drafts are aligned with the same directives (by the caller, through the pipeline); this
module only compares the two reports, directive by directive (directive ids are stable because
the directive documents are the same).
"""
from __future__ import annotations

from alignment.analysis.records import DraftChange, DraftDiff
from alignment.report._common import MATCHES_SHOWN
from alignment.schema import STATUS_NAMES_ZH, Report

_ANSWERED = ("covered", "partial")
#: Change kinds in the order reports list them, with their Chinese names.
CHANGE_KINDS_ZH = {"newly_covered": "新增覆盖", "newly_uncovered": "不再覆盖", "changed": "对应条款变化"}


def _coverage(report: Report) -> float | None:
    from alignment.report import summarize

    return summarize(report)["overall"]["coverage"]


def diff_reports(old: Report, new: Report, *, old_name: str = "", new_name: str = "") -> DraftDiff:
    """The directives whose verdict or answering passages differ between the ``old`` and ``new`` drafts.

    Passages are compared by their text (offsets move between drafts), the three best of each
    (what every report shows). A directive answered in both drafts by the same passages with the
    same status is not listed.
    """
    before = {r.directive.id: r for r in old.directives}
    changes = []
    for r in new.directives:
        o = before.get(r.directive.id)
        old_status = o.status if o else "missing"
        # The passages a reader sees (the three best): a change further down the list is noise.
        old_texts = tuple(m.unit.text for m in o.matches[:MATCHES_SHOWN]) if o and o.status in _ANSWERED else ()
        new_texts = tuple(m.unit.text for m in r.matches[:MATCHES_SHOWN]) if r.status in _ANSWERED else ()
        was, now = old_status in _ANSWERED, r.status in _ANSWERED
        if now and not was:
            kind = "newly_covered"
        elif was and not now:
            kind = "newly_uncovered"
        elif was and now and (old_status != r.status or set(old_texts) != set(new_texts)):
            kind = "changed"
        else:
            continue
        changes.append(DraftChange(directive=r.directive.id, text=r.directive.unit.text, kind=kind,
                                   old_status=old_status, new_status=r.status, old_units=old_texts,
                                   new_units=new_texts))
    order = list(CHANGE_KINDS_ZH)
    changes.sort(key=lambda c: order.index(c.kind))
    return DraftDiff(old=old_name, new=new_name, changes=tuple(changes), old_coverage=_coverage(old),
                     new_coverage=_coverage(new))


def diff_dict(diff: DraftDiff) -> dict[str, object]:
    """The diff as JSON-ready data."""
    return {
        "old": diff.old,
        "new": diff.new,
        "old_coverage": diff.old_coverage,
        "new_coverage": diff.new_coverage,
        "counts": {k: sum(1 for c in diff.changes if c.kind == k) for k in CHANGE_KINDS_ZH},
        "changes": [
            {"directive": c.directive, "text": c.text, "kind": c.kind, "kind_name": CHANGE_KINDS_ZH[c.kind],
             "old_status": c.old_status, "new_status": c.new_status,
             "old_units": list(c.old_units), "new_units": list(c.new_units)}
            for c in diff.changes
        ],
    }


def diff_markdown(diff: DraftDiff) -> str:
    """The diff as a short Markdown summary for people."""
    def pct(x: float | None) -> str:
        return "—" if x is None else f"{x:.1%}"

    lines = [f"# 规划稿对比：{diff.old} → {diff.new}", "",
             f"覆盖率：{pct(diff.old_coverage)} → {pct(diff.new_coverage)}", ""]
    for kind, name in CHANGE_KINDS_ZH.items():
        items = [c for c in diff.changes if c.kind == kind]
        lines.append(f"## {name}（{len(items)}）")
        lines.append("")
        for c in items:
            flat = " ".join(c.text.split())
            lines.append(f"- {flat[:80]}（{STATUS_NAMES_ZH[c.old_status]} → {STATUS_NAMES_ZH[c.new_status]}）")
            for t in c.new_units[:1] or c.old_units[:1]:
                lines.append(f"  - {'新稿' if c.new_units else '旧稿'}：{' '.join(t.split())[:80]}")
        lines.append("")
    return "\n".join(lines)


def compare_drafts(directives, old, new, *, engine=None, scope=(), directive_scope=()) -> DraftDiff:
    """Align both drafts (paths: files, folders or manifests) with the same directives and diff them."""
    from alignment.pipeline import run_report

    kwargs = {"engine": engine, "scope": scope, "directive_scope": directive_scope}
    before = run_report(directives, old, **kwargs)
    after = run_report(directives, new, **kwargs)
    from alignment.report import portable_path

    # The drafts as the comparison names them: never an absolute path of this machine (it is handed on).
    name = lambda paths: "、".join(portable_path(p) for p in paths)  # noqa: E731
    return diff_reports(before, after, old_name=name(old), new_name=name(new))


_HTML = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>规划稿对比</title>
<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}td,th{border:1px solid #ccc;padding:.3em;vertical-align:top}
table{border-collapse:collapse}</style>
<h1>规划稿对比：{{ d.old }} → {{ d.new }}</h1><p>覆盖率：{{ pct(d.old_coverage) }} → {{ pct(d.new_coverage) }}</p>
{% for kind, name in kinds.items() %}{% set items = d.changes|selectattr("kind", "equalto", kind)|list %}
<h2>{{ name }}（{{ items|length }}）</h2>{% if items %}<table><tr><th>上级要求</th><th>旧稿</th><th>新稿</th></tr>
{% for c in items %}<tr><td>{{ c.text }}</td><td>{{ status[c.old_status] }}<br>{{ c.old_units|join("<br>"|safe) }}</td>
<td>{{ status[c.new_status] }}<br>{{ c.new_units|join("<br>"|safe) }}</td></tr>{% endfor %}</table>{% endif %}{% endfor %}
</html>
"""


def render_diff(diff: DraftDiff, out, fmt: str) -> None:
    """Write ``diff`` as ``json``, ``md``, ``html`` or ``xlsx`` to a path or stream (the report formats)."""
    import json

    from alignment.report._common import binary_output, text_output

    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "规划稿对比"
        ws.append(["变化", "上级要求", "旧稿状态", "新稿状态", "旧稿对应条款", "新稿对应条款"])
        for c in diff.changes:
            ws.append([CHANGE_KINDS_ZH[c.kind], c.text, STATUS_NAMES_ZH[c.old_status], STATUS_NAMES_ZH[c.new_status],
                       "\n".join(c.old_units), "\n".join(c.new_units)])
        wb.save(binary_output(out, "xlsx"))
        return
    with text_output(out) as fh:
        if fmt == "json":
            json.dump(diff_dict(diff), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        elif fmt == "md":
            fh.write(diff_markdown(diff) + "\n")
        else:
            import jinja2

            env = jinja2.Environment(autoescape=True)
            fh.write(env.from_string(_HTML).render(d=diff, kinds=CHANGE_KINDS_ZH, status=STATUS_NAMES_ZH,
                                                   pct=lambda x: "—" if x is None else f"{x:.1%}"))
