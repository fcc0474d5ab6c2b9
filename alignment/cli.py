"""The ``policy-align`` command line: each command parses options, calls one library function, renders.

Library errors (:class:`alignment.errors.AlignmentError`) become a one-line ``Error: ...`` on stderr
and exit status 1. Data goes to stdout; progress and messages go to stderr.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from alignment import __version__
from alignment.errors import AlignmentError


def _fail(exc: AlignmentError) -> click.ClickException:
    return click.ClickException(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy-align")
def cli() -> None:
    """对标对表: align a plan with the central, provincial and municipal directives above it.

    Offline: every model ships with the package. Run a command with --help for its options.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["tree", "json"]), default="tree", show_default=True,
    help="tree: the heading tree for people; json: sections with offsets, pages and text.",
)
@click.option("--level", type=click.Choice(["central", "provincial", "municipal", "district"]),
              help="Administrative level, overriding what is inferred from issuer or 文号.")
def extract(files: tuple[Path, ...], fmt: str, level: str | None) -> None:
    """Extract FILES (PDF, DOCX, TXT, HTML, OFD) and print their parsed section tree.

    A file that cannot be read is reported on stderr; the others are still processed, and the exit
    status is 1 if any failed.
    """
    from alignment.pipeline import parse_path
    from alignment.structure import to_dict, tree_text

    failed = 0
    outputs = []
    for path in files:
        try:
            parsed = parse_path(path, level=level)
        except AlignmentError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
            continue
        if fmt == "json":
            outputs.append(to_dict(parsed))
        else:
            click.echo(tree_text(parsed))
    if fmt == "json" and outputs:
        payload = outputs[0] if len(files) == 1 else outputs
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    if failed:
        sys.exit(1)


def _engine_options(f):
    """Options shared by the commands that align: method, embedder, scorer weights."""
    f = click.option("--method", type=click.Choice(["hybrid", "bm25", "tfidf", "dense"]), default="hybrid",
                     show_default=True, envvar="POLICY_ALIGN_METHOD",
                     help="hybrid: all signals; the others use one signal only, calibrated the same way.")(f)
    f = click.option("--embedder", default="e5-small", show_default=True, envvar="POLICY_ALIGN_EMBEDDER",
                     help="e5-small (offline, bundled), lexical, or st:<sentence-transformers name or path>.")(f)
    f = click.option("--scorer", "scorer_path", type=click.Path(path_type=Path, dir_okay=False),
                     envvar="POLICY_ALIGN_SCORER", help="Calibrated scorer weights (default: models/scorer.json).")(f)
    return f


def _progress(quiet: bool):
    if quiet:
        return None
    return lambda name: click.echo(f"读取 {name}", err=True)


@cli.command()
@click.option("--directives", "-d", multiple=True, type=click.Path(path_type=Path),
              help="Higher-level document(s): a file, a folder or a manifest (.toml). Repeatable.")
@click.option("--plan", "-p", "plans", multiple=True, type=click.Path(path_type=Path),
              help="The plan(s) under review: a file, a folder or a manifest. Repeatable.")
@click.option("--scope", multiple=True,
              help="Only plan sections whose heading or path contains this text (e.g. 三、2021年重点工作). Repeatable.")
@click.option("--directive-scope", multiple=True,
              help="Only directives under sections whose heading or path contains this text. Repeatable.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report here; the format follows the extension (.json .html .xlsx .md).")
@click.option("--format", "fmt", type=click.Choice(["json", "html", "xlsx", "md"]),
              help="Report format, when -o has no telling extension or output goes to stdout.")
@_engine_options
@click.option("-q", "--quiet", is_flag=True, help="No progress or summary on stderr.")
def report(directives, plans, scope, directive_scope, output, fmt, method, embedder, scorer_path, quiet) -> None:
    """Coverage report: which plan text answers each directive, and which directives nothing answers.

    With no --directives/--plan, runs the bundled demo: 老年人权益保障法 and 山东省老年人权益保障条例
    against 德州市养老服务条例 (corpus/manifest.toml), writing policy-align-report.html.
    """
    from alignment.pipeline import Engine, run_report
    from alignment.report import format_for, render, terminal_summary

    if not directives and not plans and output is None and fmt is None:
        output = Path("policy-align-report.html")
    try:
        name = format_for(output, fmt)
        engine = Engine(embedder=embedder, method=method, scorer_path=scorer_path)
        result = run_report(directives, plans, engine=engine, scope=scope, directive_scope=directive_scope,
                            progress=_progress(quiet))
        render(result, output, name)
    except AlignmentError as exc:
        raise _fail(exc)
    if not quiet:
        from rich.console import Console

        terminal_summary(result, Console(stderr=True))
        for f in result.failures:
            click.echo(f"未能读取: {f.message}", err=True)
        if output is not None:
            click.echo(f"报告已写入 {output}", err=True)


@cli.command()
@click.argument("text", required=False)
@click.option("--plan", "-p", "plans", multiple=True, required=True, type=click.Path(path_type=Path),
              help="The plan(s) to search: a file, a folder or a manifest. Repeatable.")
@click.option("--directive-id", help="Query with the text of this directive from --report.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="A JSON report to look --directive-id up in.")
@click.option("-k", "top", type=int, default=5, show_default=True, help="How many passages to show.")
@click.option("--scope", multiple=True, help="Only plan sections whose heading or path contains this text.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_engine_options
def query(text, plans, directive_id, report_path, top, scope, fmt, method, embedder, scorer_path) -> None:
    """Which plan text answers TEXT (a directive)? Ranked passages with score, section path, page and
    the shared terms highlighted."""
    from alignment.manifest import expand_inputs
    from alignment.pipeline import Engine, parse_entries
    from alignment.pipeline import query as run_query

    try:
        if directive_id:
            if report_path is None:
                raise AlignmentError("--directive-id needs --report REPORT.json (a report made by policy-align report)")
            text = _directive_text(report_path, directive_id)
        if not text:
            raise AlignmentError("give the directive TEXT, or --directive-id with --report")
        parsed, failures = parse_entries(expand_inputs(list(plans), role="plan"))
        for f in failures:
            click.echo(f"Error: {f.message}", err=True)
        if not parsed:
            raise AlignmentError("no plan document could be read")
        engine = Engine(embedder=embedder, method=method, scorer_path=scorer_path)
        result = run_query(text, parsed, engine, top=top, scope=scope)
    except AlignmentError as exc:
        raise _fail(exc)
    if fmt == "json":
        from alignment.report._json import match_dict as to_match_dict

        payload = {"query": text, "status": result.status, "confidence": result.confidence,
                   "matches": [to_match_dict(m) for m in result.matches]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    from alignment.schema import STATUS_NAMES_ZH

    click.echo(f"要求: {text}")
    click.echo(f"判断: {STATUS_NAMES_ZH[result.status]}  (置信度 {result.confidence:.2f})")
    for n, m in enumerate(result.matches, 1):
        u = m.unit
        click.echo(f"\n{n}. 得分 {m.score:.2f}  {u.document} · {' > '.join(u.section_path)} · 第{u.page}页")
        click.echo("   " + _highlight(u.text, m.evidence.unit_spans))
        if m.evidence.shared_terms:
            click.echo("   依据关键词: " + "、".join(m.evidence.shared_terms))


def _highlight(text: str, spans) -> str:
    """``text`` with ``spans`` in bold for a terminal (plain brackets when not a terminal)."""
    tty = sys.stdout.isatty()
    out, pos = [], 0
    for s, e in spans:
        out.append(text[pos:s])
        out.append(click.style(text[s:e], bold=True, fg="red") if tty else f"【{text[s:e]}】")
        pos = e
    out.append(text[pos:])
    return "".join(out)


def _directive_text(report_path: Path, directive_id: str) -> str:
    try:
        data = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AlignmentError(f"{report_path}: not a readable JSON report ({exc})") from None
    for d in data.get("directives", []):
        if d.get("id") == directive_id:
            return d["text"]
    raise AlignmentError(f"{report_path}: no directive with id {directive_id!r}; ids are listed under 'directives'")


def main() -> None:  # pragma: no cover - console entry point
    cli(prog_name="policy-align")
