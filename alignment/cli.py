"""The ``policy-align`` command line: each command parses options, calls one library function, renders.

Library errors (:class:`alignment.errors.AlignmentError`) become a one-line ``Error: ...`` on stderr
and exit status 1; click's own usage errors (a bad option value, a missing argument) become one
Chinese line too, with exit status 2. Data goes to stdout; progress and messages go to stderr.
Messages and help texts lead in Chinese, English after them where a term helps.
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import replace
import sys
from pathlib import Path

import click
from click.exceptions import NoArgsIsHelpError

from alignment import __version__
from alignment.errors import AlignmentError


def _fail(exc: AlignmentError) -> click.ClickException:
    return click.ClickException(str(exc))


class _Choice(click.Choice):
    """A choice whose error lists the valid values in Chinese."""

    def get_invalid_choice_message(self, value, ctx) -> str:
        return f"{value!r} 不是可选值，可选 {'、'.join(map(str, self.choices))}"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _param_label(exc: click.BadParameter) -> str:
    """选项 --method, 参数 FILES... (what a usage error is about)."""
    param = exc.param
    if isinstance(param, click.Argument):
        return f"参数 {param.human_readable_name}"
    if param is not None:
        return f"选项 {' / '.join(param.opts)}"
    hint = exc.param_hint
    return f"选项 {hint if isinstance(hint, str) else ' / '.join(hint or ())}"


def _usage_line(exc: click.UsageError, command_path: str) -> click.ClickException:
    """Click's own usage error as one Chinese line that points to -h, keeping its exit status (2).

    Click would print a usage line, a hint and an English sentence; officials get one line.
    """
    see = f"运行 {command_path} -h 查看用法。"
    said = exc.message.rstrip(".")
    if isinstance(exc, click.MissingParameter):
        message = f"缺少{_param_label(exc)}：{see}"
    elif isinstance(exc, click.BadParameter):
        message = f"{_param_label(exc)} 的值无效" + (f"：{said}。" if _has_cjk(said) else f"（{said}）。") + see
    elif isinstance(exc, click.NoSuchOption):
        close = f"，是否想用 {'、'.join(exc.possibilities)}" if exc.possibilities else ""
        message = f"没有选项 {exc.option_name}{close}。{see}"
    elif isinstance(exc, click.BadOptionUsage):
        message = f"选项 {exc.option_name} 用法有误（{said}）。{see}"
    else:  # an unknown command, an extra argument
        message = f"用法有误（{said}）。{see}"
    return _exit_2(message)


def _exit_2(message: str) -> click.ClickException:
    """A one-line error with the exit status of a usage error."""
    error = click.ClickException(message)
    error.exit_code = 2
    return error


#: The help of the --directives and --plan of indicators and diff.
_DIRECTIVES = ("上位文件：文件、文件夹或清单（.toml），可重复 (higher-level documents: a file, a folder or a "
               "manifest; repeatable).")
_PLANS = "本规划：文件、文件夹或清单，可重复 (the plan under review: a file, a folder or a manifest; repeatable)."

#: The help of every --comment.
_WHY = "理由，随复核意见保存 (why; kept with the decision)."

#: The help of every --format text|json.
_TEXT_OR_JSON = "输出格式：text 供人阅读，json 供程序读取 (text for people, json for programs)."

#: What -h/--help says of itself (click's own words are English).
_HELP_HELP = "显示本帮助并退出 (show this message and exit)."


class _Chinese:
    """Chinese -h text, and click's usage errors in parsing the command line as one Chinese line."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _HELP_HELP
        return option

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)  # type: ignore[misc]
        except NoArgsIsHelpError:  # a bare `policy-align`: click shows the help
            raise
        except click.UsageError as exc:
            path = f"{parent.command_path} {info_name}" if parent is not None else info_name or "policy-align"
            raise _usage_line(exc, path) from None


class _Command(_Chinese, click.Command):
    pass


class _Group(_Chinese, click.Group):
    command_class = _Command
    group_class = type  # subgroups (review) are _Group too

    def resolve_command(self, ctx: click.Context, args: list[str]):
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            raise _exit_2(f"没有命令 {args[0] if args else ''}：可用的命令有 {'、'.join(self.list_commands(ctx))}。"
                          f"运行 {ctx.command_path} -h 查看用法。") from None


@click.group("policy-align", cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy-align", help="显示版本并退出 (show the version and exit).")
def cli() -> None:
    """对标对表：找出规划中落实中央、省、市各级上位文件要求的条款，列出无人回应的要求。

    policy-align aligns a plan with the central, provincial and municipal directives above it.

    Offline: every model ships with the package. Run a command with --help for its options.
    """


def _ocr_option(f):
    return click.option(
        "--ocr", type=_Choice(["auto", "never", "always"]), default=None, envvar="POLICY_ALIGN_OCR",
        help="扫描页识别：auto 只识别没有可用文字层的页（需要 ocr 扩展），never 把这些页报为错误，always 识别每一页；"
             "默认 auto 或清单中的设置 (OCR of scanned PDF pages: auto, never or always).",
    )(f)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=_Choice(["tree", "json"]), default="tree", show_default=True,
    help="输出格式：tree 为章节树，供人阅读；json 为含偏移量、页码和正文的章节数据 (tree: the heading tree "
         "for people; json: sections with offsets, pages and text).",
)
@click.option("--level", type=_Choice(["central", "provincial", "municipal", "district"]),
              help="行政层级，覆盖根据发文机关或文号推断的结果 (administrative level, overriding what is inferred "
                   "from issuer or 文号).")
@_ocr_option
def extract(files: tuple[Path, ...], fmt: str, level: str | None, ocr: str | None) -> None:
    """解析文件并显示章节结构 (extract FILES: PDF, DOCX, TXT, HTML, OFD; print the parsed section tree).

    A file that cannot be read is reported on stderr; the others are still processed, and the exit
    status is 1 if any failed.
    """
    from alignment.pipeline import parse_path
    from alignment.structure import to_dict, tree_text

    failed = 0
    outputs = []
    for path in files:
        try:
            parsed = parse_path(path, level=level, ocr=ocr or "auto")
        except AlignmentError as exc:
            click.echo(f"Error: {exc}", err=True)
            failed += 1
            continue
        for warning in parsed.document.warnings:  # for people, so on stderr (the JSON has them too)
            click.echo(f"提示：{path}：{warning}", err=True)
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
    f = click.option("--method", type=_Choice(["hybrid", "bm25", "tfidf", "dense"]), default="hybrid",
                     show_default=True, envvar="POLICY_ALIGN_METHOD",
                     help="评分信号：hybrid 全部信号，其余为单一信号基线 (hybrid: all signals; the others use one signal only, "
                          "calibrated the same way).")(f)
    f = click.option("--embedder", default="e5-small", show_default=True, envvar="POLICY_ALIGN_EMBEDDER",
                     help="向量模型：e5-small（离线，随软件包提供）、lexical，或 st:<sentence-transformers 模型名或路径> "
                          "(embedder).")(f)
    f = click.option("--scorer", "scorer_path", type=click.Path(path_type=Path, dir_okay=False),
                     envvar="POLICY_ALIGN_SCORER",
                     help="校准后的评分权重文件，默认 models/scorer.json (calibrated scorer weights).")(f)
    return f


#: What ``--store`` with no value stands for: the default place beside the inputs.
AUTO_STORE = ":beside-the-manifest:"


def _open_store(store_path: str | Path | None, inputs=(), *, create: bool = True):
    """The store named by ``--store`` (:func:`alignment.store.default_store_path` for a bare ``--store``)."""
    from alignment.store import Store, default_store_path

    path = default_store_path(list(inputs)) if store_path in (None, AUTO_STORE) else Path(store_path)
    return Store.open(path, create=create)


def _writable(output: Path | None) -> None:
    """Make the folder of ``-o`` (as ``--store`` does), or say in one line why it cannot be written."""
    if output is None:
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AlignmentError(f"无法为 {output} 创建文件夹（{exc.strerror}）：请用 -o 指定其他路径。") from None
    if output.is_dir() or not os.access(output if output.exists() else output.parent, os.W_OK):
        raise AlignmentError(f"无法把报告写入 {output}：请用 -o 指定其他路径。")


@contextmanager
def _embedding_bar(engine, quiet: bool):
    """A progress bar on stderr while texts are embedded (terminals only: logs stay clean)."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("向量化"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("embed", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        engine.on_embed = update
        try:
            yield
        finally:
            engine.on_embed = None


def _progress(quiet: bool):
    if quiet:
        return None
    return lambda name: click.echo(f"读取 {name}", err=True)


@cli.command()
@click.option("--directives", "-d", multiple=True, type=click.Path(path_type=Path),
              help="上位文件：文件、文件夹或清单，可重复 (higher-level documents: a file, a folder or a manifest "
                   ".toml; repeatable).")
@click.option("--plan", "-p", "plans", multiple=True, type=click.Path(path_type=Path),
              help="本规划：文件、文件夹或清单，可重复 (the plan under review; repeatable).")
@click.option("--scope", multiple=True,
              help="只比对标题或路径含此文字的规划章节 (only plan sections whose heading or path contains this "
                   "text, e.g. 三、2021年重点工作; repeatable).")
@click.option("--directive-scope", multiple=True,
              help="只比对标题或路径含此文字的上位文件章节中的要求，可重复 (only directives under sections whose "
                   "heading or path contains this text; repeatable).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="报告文件，格式由扩展名决定 (write the report here; the format follows the extension: "
                   ".json .html .xlsx .md).")
@click.option("--format", "fmt", type=_Choice(["json", "html", "xlsx", "md"]),
              help="报告格式，用于 -o 没有可识别的扩展名或输出到标准输出时 (report format, when -o has no telling "
                   "extension or output goes to stdout).")
@_engine_options
@click.option("--store", "store_path", is_flag=False, flag_value=AUTO_STORE, envvar="POLICY_ALIGN_STORE",
              help="复核库：把文件、向量、运行记录和复核意见存入此 SQLite 文件，再次运行只读取改动过的文件，"
                   "并应用复核意见；只写 --store 时为清单旁的 .policy-align/store.db (keep documents, embeddings, "
                   "runs and review decisions in this SQLite file).")
@_ocr_option
@click.option("-q", "--quiet", is_flag=True, help="不显示进度和摘要 (no progress or summary on stderr).")
@click.option("--scheduler", envvar="POLICY_ALIGN_SCHEDULER",
              help="在 Dask 上并行解析、向量化和评分：local、local:N（本机 N 个工作进程）或调度器地址"
                   "（tcp://host:8786），报告与不用时相同；需要 dist 扩展 (run on Dask; needs the dist extra).")
def report(directives, plans, scope, directive_scope, output, fmt, method, embedder, scorer_path, store_path,
           ocr, quiet, scheduler) -> None:
    """覆盖情况报告：每条上级要求由规划哪些条款落实，哪些要求无人回应 (coverage report).

    With no --directives/--plan, runs the bundled demo: 老年人权益保障法 and 山东省老年人权益保障条例
    against 德州市养老服务条例 (corpus/manifest.toml), writing policy-align-report.html.
    """
    from alignment.pipeline import Engine, run_report
    from alignment.report import format_for, render, terminal_summary

    if not directives and not plans and output is None and fmt is None:
        output = Path("policy-align-report.html")
    store = None
    try:
        name = format_for(output, fmt)
        _writable(output)  # before the run: a minute of embedding must not end in a path error
        engine = Engine(embedder=embedder, method=method, scorer_path=scorer_path)
        store = _open_store(store_path, [*directives, *plans]) if store_path else None
        if scheduler:
            from alignment.distributed import distributed_report

            result = distributed_report(directives, plans, scheduler=scheduler, engine=engine, scope=scope,
                                        directive_scope=directive_scope, progress=_progress(quiet), store=store,
                                        ocr=ocr)
        else:
            with _embedding_bar(engine, quiet):
                result = run_report(directives, plans, engine=engine, scope=scope, directive_scope=directive_scope,
                                    progress=_progress(quiet), store=store, ocr=ocr)
        render(result, output, name)
    except AlignmentError as exc:
        raise _fail(exc)
    finally:
        if store is not None:
            store.close()
    if store is not None and not quiet:
        click.echo(f"复核库 {store.path}：第 {store.last_run_id} 次运行已记录", err=True)
    if not quiet:
        from rich.console import Console

        terminal_summary(result, Console(stderr=True))
        for f in result.failures:
            click.echo(f"已跳过：{f.message}", err=True)
        if output is not None:
            click.echo(f"报告已写入 {output}", err=True)


@cli.command()
@click.argument("text", required=False)
@click.option("--plan", "-p", "plans", multiple=True, required=True, type=click.Path(path_type=Path),
              help="要检索的规划：文件、文件夹或清单，可重复 (the plan to search: a file, a folder or a manifest; "
                   "repeatable).")
@click.option("--directive-id", help="用 --report 中这条要求的原文查询 (query with the text of this directive).")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="查找 --directive-id 所用的 JSON 报告 (a JSON report to look --directive-id up in).")
@click.option("-k", "top", type=int, default=5, show_default=True,
              help="显示多少条结果 (how many passages to show).")
@click.option("--scope", multiple=True,
              help="只检索标题或路径含此文字的规划章节，可重复 (only plan sections whose heading or path contains "
                   "this text).")
@click.option("--format", "fmt", type=_Choice(["text", "json"]), default="text", show_default=True,
              help=_TEXT_OR_JSON)
@_engine_options
@_ocr_option
def query(text, plans, directive_id, report_path, top, scope, fmt, method, embedder, scorer_path, ocr) -> None:
    """查询：规划中哪些条款回应这条要求 (which plan text answers TEXT, a directive?).

    Ranked passages with score, section path, page and the shared terms highlighted."""
    from alignment.manifest import expand_inputs
    from alignment.pipeline import Engine, parse_entries, report_directives
    from alignment.pipeline import query as run_query

    try:
        data, context, position = None, None, None  # no context: placed among the bundled corpus's directives
        if report_path is not None:  # among the report's directives, as the report scored them
            data = _read_report(report_path)
            context = report_directives(data)
        if directive_id:
            if report_path is None:
                raise AlignmentError("使用 --directive-id 时需要同时给出 --report REPORT.json"
                                     "（policy-align report 生成的 JSON 报告）。")
            position = next((n for n, d in enumerate(context) if d.id == directive_id), None)
            if position is None:
                raise AlignmentError(f"报告 {report_path} 中没有 ID 为 {directive_id!r} 的要求：要求 ID 列在报告的 "
                                     "'directives' 下。")
            text = context[position].unit.text
        if not text:
            raise AlignmentError("请给出要求原文 TEXT，或用 --directive-id 配合 --report。")
        parsed, failures = parse_entries(expand_inputs(list(plans), role="plan", ocr=ocr))
        for f in failures:
            click.echo(f"已跳过：{f.message}", err=True)
        if not parsed:
            raise AlignmentError("没有读到任何规划文件：请检查 --plan 给出的文件（原因见上）。")
        engine = Engine(embedder=embedder, method=method, scorer_path=scorer_path)
        result = run_query(text, parsed, engine, top=top, scope=scope, reference=context, position=position)
        note = ""
        if directive_id:
            # On the plan the report was made on, its verdict stands: it also counts answers through lower-level
            # directives (the chains) and reviewers' decisions, which a single query does not see.
            same_plan = ({d.get("sha256") for d in data.get("documents", []) if d.get("role") == "plan"}
                         == {p.document.sha256 for p in parsed})
            entry = next(d for d in data["directives"] if d["id"] == directive_id)
            if same_plan and entry["status"] != result.status:
                via = next((m["via"] for m in entry["matches"] if m.get("via")), [])
                note = "报告结论（" + ("经由下级文件 " + "、".join(via) + " 落实" if via else
                                   "已复核" if entry.get("reviewed") else "见报告") + "）"
                result = replace(result, status=entry["status"], confidence=entry["confidence"])
    except AlignmentError as exc:
        raise _fail(exc)
    docs = {p.document.id: p.document for p in parsed}  # where each passage is: page or line
    if fmt == "json":
        from alignment.report._json import match_dict as to_match_dict

        payload = {"query": text, "status": result.status, "confidence": result.confidence, "note": note,
                   "matches": [to_match_dict(m, docs) for m in result.matches]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    from alignment.report._common import place_label
    from alignment.schema import STATUS_NAMES_ZH

    titles = {p.document.id: p.document.meta.title or p.document.id for p in parsed}
    click.echo(f"要求: {text}")
    click.echo(f"判断: {STATUS_NAMES_ZH[result.status]}  (置信度 {result.confidence:.2f}){'  ' + note if note else ''}")
    for n, m in enumerate(result.matches, 1):
        u = m.unit
        click.echo(f"\n{n}. 得分 {m.score:.2f}  {titles.get(u.document, u.document)} · {' > '.join(u.section_path)} · {place_label(u, docs)}")
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


def _read_report(report_path: Path) -> dict:
    try:
        data = json.loads(report_path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("directives"), list):
            raise ValueError("缺少 'directives' 列表")
    except (OSError, ValueError) as exc:
        raise AlignmentError(f"无法读取 JSON 报告 {report_path}（{exc}）：请给出 policy-align report -o X.json "
                             "生成的报告。") from None
    return data


def _store_option(f):
    """``--store PATH`` for the commands that read a review store (it must exist)."""
    return click.option("--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
                        default=Path(".policy-align/store.db"), show_default=True, envvar="POLICY_ALIGN_STORE",
                        help="复核库，由 `policy-align report --store` 生成 (the review store written by "
                             "`policy-align report --store`).")(f)


def _reviewer_option(f):
    return click.option("--reviewer", envvar="POLICY_ALIGN_REVIEWER", default=lambda: _login_name(),
                        show_default="POLICY_ALIGN_REVIEWER，未设置时为登录名",
                        help="复核人姓名 (who decides).")(f)


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@cli.group()
def review() -> None:
    """人工复核：采纳、驳回、补充对应关系，标注不适用，批注 (review decisions kept in a store).

    List directives, accept or reject links, add missed ones.

    Decisions override the machine's statuses in every report made with --store and survive
    re-runs; a decision whose texts changed since is flagged suspect. The web UI (policy-align
    serve) records the same decisions.
    """


@review.command("runs")
@_store_option
def review_runs(store_path) -> None:
    """复核库中记录的各次运行，最新的在前 (the runs recorded in the store, newest first)."""
    try:
        with _open_store(store_path, create=False) as store:
            runs = store.runs()
    except AlignmentError as exc:
        raise _fail(exc)
    for r in runs:
        reused = len(r.options.get("reused", []))
        parsed = len(r.options.get("parsed", []))
        total = sum(r.timings.values())
        click.echo(f"{r.run_id}\t{r.state}\t{r.started}\t{r.method}/{r.embedder}\t"
                   f"复用 {reused} 份，重新读取 {parsed} 份\t{total:.1f}s")


@review.command("list")
@_store_option
@click.option("--status", type=_Choice(["covered", "partial", "missing", "out_of_scope"]),
              help="只列出复核后为此状态的要求 (only directives with this status after review).")
@click.option("--decision", type=_Choice([k for k in ("unreviewed", "reviewed", "accept", "reject", "add",
                                                      "out_of_scope", "comment", "suspect")]),
              help="只列出有此类复核意见的要求 (only directives with this kind of reviewer decision).")
@click.option("--format", "fmt", type=_Choice(["text", "json"]), default="text", show_default=True,
              help=_TEXT_OR_JSON)
def review_list(store_path, status, decision, fmt) -> None:
    """最近一次运行的要求：复核后的状态和候选对应条款 (directives of the latest run, their status after review
    and their candidate links)."""
    from alignment.report import to_dict
    from alignment.store.review import filter_directives

    try:
        with _open_store(store_path, create=False) as store:
            result = filter_directives(store.load_report(), status=status or "", decision=decision or "")
    except AlignmentError as exc:
        raise _fail(exc)
    if fmt == "json":
        click.echo(json.dumps(to_dict(result)["directives"], ensure_ascii=False, indent=1))
        return
    from alignment.schema import STATUS_NAMES_ZH

    for r in result.directives:
        mark = "  [已复核]" if r.reviewed else ""
        click.echo(f"{r.directive.id}\t{STATUS_NAMES_ZH[r.status]}{mark}\t{' '.join(r.directive.unit.text.split())[:60]}")
        for m in r.matches:
            review = f"\t{m.review.decision}{' 存疑' if m.review.suspect else ''}" if m.review else ""
            click.echo(f"    {m.unit.id}\t{m.score:.2f}{review}")


def _decide(store_path, directive_id: str, action: str, reviewer: str, unit_id: str = "", comment: str = "") -> None:
    try:
        with _open_store(store_path, create=False) as store:
            d = store.record_decision(directive_id, action, reviewer=reviewer, unit_id=unit_id, comment=comment)
    except AlignmentError as exc:
        raise _fail(exc)
    click.echo(f"已记录 #{d.id}：{d.reviewer} {action} {directive_id}{' ' + unit_id if unit_id else ''}", err=True)


def _link_command(action: str, summary: str):
    @review.command(action)
    @click.argument("directive_id")
    @click.argument("unit_id")
    @_store_option
    @_reviewer_option
    @click.option("--comment", "-m", default="", help=_WHY)
    def command(directive_id, unit_id, store_path, reviewer, comment) -> None:
        _decide(store_path, directive_id, action, reviewer, unit_id, comment)

    command.__doc__ = summary
    command.help = summary
    return command


_link_command("accept", "采纳对应关系 DIRECTIVE_ID -> UNIT_ID：该规划条款落实了这条要求 (accept the link: the plan "
                        "unit implements the directive).")
_link_command("reject", "驳回对应关系 DIRECTIVE_ID -> UNIT_ID：该规划条款没有落实这条要求 (reject the link: the plan "
                        "unit does not implement the directive).")
_link_command("add", "补充机器漏掉的对应关系：规划条款 UNIT_ID 落实了要求 DIRECTIVE_ID (add a link the machine "
                     "missed).")


@review.command("out-of-scope")
@click.argument("directive_id")
@_store_option
@_reviewer_option
@click.option("--comment", "-m", default="", help=_WHY)
def review_out_of_scope(directive_id, store_path, reviewer, comment) -> None:
    """标注要求 DIRECTIVE_ID 不适用：本规划无须落实它 (mark DIRECTIVE_ID out of scope)."""
    _decide(store_path, directive_id, "out_of_scope", reviewer, comment=comment)


@review.command("comment")
@click.argument("directive_id")
@click.argument("text")
@_store_option
@_reviewer_option
def review_comment(directive_id, text, store_path, reviewer) -> None:
    """为要求 DIRECTIVE_ID 添加批注 TEXT，显示在各报告的备注中 (add a comment TEXT to DIRECTIVE_ID)."""
    _decide(store_path, directive_id, "comment", reviewer, comment=text)


@review.command("clear")
@click.argument("directive_id")
@click.argument("unit_id", required=False, default="")
@_store_option
@_reviewer_option
def review_clear(directive_id, unit_id, store_path, reviewer) -> None:
    """撤销对 DIRECTIVE_ID -> UNIT_ID 的复核意见，不给 UNIT_ID 时撤销不适用标注 (withdraw a decision)."""
    _decide(store_path, directive_id, "clear", reviewer, unit_id)


@review.command("log")
@_store_option
@click.option("--directive-id", help="只列出关于这条要求的复核意见 (only decisions about this directive).")
def review_log(store_path, directive_id) -> None:
    """全部复核意见，最早的在前，日志从不改写 (every decision ever recorded, oldest first)."""
    try:
        with _open_store(store_path, create=False) as store:
            decisions = store.decisions(directive_id=directive_id)
    except AlignmentError as exc:
        raise _fail(exc)
    for d in decisions:
        click.echo(f"#{d.id}\t{d.time}\t{d.reviewer}\t{d.action}\t{d.directive_id}\t{d.unit_id}\t{d.comment}")


@cli.command()
@_store_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；非本机地址必须设置 --token (address to listen on; anything but loopback needs --token).")
@click.option("--port", type=int, default=8765, show_default=True, help="监听端口 (port to listen on).")
@click.option("--token", envvar="POLICY_ALIGN_TOKEN",
              help="访问令牌：每位访问者需提供一次（?token=...），非本机地址必须设置 (access token; required off "
                   "loopback).")
@_reviewer_option
@click.option("--threads", type=int, default=4, show_default=True,
              help="网页服务器的工作线程数 (worker threads of the web server).")
def serve(store_path, host, port, token, reviewer, threads) -> None:
    """复核工作台：本机网页，覆盖概览、缺口、逐条采纳或驳回 (the reviewers' local web workbench).

    Binds 127.0.0.1 by default; open the address it prints. Needs the web extra
    (pip install 'policy-align[web]').
    """
    from alignment.web import serve as run_server

    try:
        run_server(store_path, host=host, port=port, token=token, reviewer=reviewer, threads=threads,
                   announce=lambda url: click.echo(f"复核工作台：{url}  (Ctrl+C 退出)", err=True))
    except AlignmentError as exc:
        raise _fail(exc)


@cli.command()
@click.option("--directives", "-d", multiple=True, required=True, type=click.Path(path_type=Path),
              help=_DIRECTIVES)
@click.option("--plan", "-p", "plans", multiple=True, required=True, type=click.Path(path_type=Path),
              help=_PLANS)
@click.option("--format", "fmt", type=_Choice(["text", "json"]), default="text", show_default=True,
              help=_TEXT_OR_JSON)
def indicators(directives, plans, fmt) -> None:
    """指标对标：规划指标与上级指标逐项比较 (each plan target against the higher-level target it answers).

    Flags targets weaker than required, with another target year, higher-level targets with no plan
    counterpart and plan targets with no basis above.
    """
    from alignment.analysis import compare_indicators
    from alignment.analysis.quantities import format_amount
    from alignment.analysis.records import TARGET_FLAGS_ZH

    try:
        rows = compare_indicators(directives, plans)
    except AlignmentError as exc:
        raise _fail(exc)
    if fmt == "json":
        from alignment.analysis.export import analysis_dict
        from alignment.analysis.records import Analysis

        click.echo(json.dumps(analysis_dict(Analysis(targets=tuple(rows)))["targets"], ensure_ascii=False, indent=1))
        return

    def show(t) -> str:
        if t is None:
            return "—"
        v = format_amount(t.value) if t.value_high is None else f"{format_amount(t.value)}–{format_amount(t.value_high)}"
        year = f" ({t.target_year}年)" if t.target_year else ""
        return f"{t.indicator} {'力争' if t.aspirational else ''}{t.comparison}{v}{t.unit}{year}"

    for c in rows:
        flags = "、".join(TARGET_FLAGS_ZH[f] for f in c.flags) or "一致"
        click.echo(f"[{flags}] 上级: {show(c.directive)}  |  本规划: {show(c.plan)}")
        if c.note and c.directive and c.plan:
            click.echo(f"    {c.note}")


@cli.command()
@click.option("--directives", "-d", multiple=True, required=True, type=click.Path(path_type=Path),
              help=_DIRECTIVES)
@click.option("--old", "old", multiple=True, required=True, type=click.Path(path_type=Path),
              help="规划的前一稿，可重复 (the earlier draft of the plan; repeatable).")
@click.option("--new", "new", multiple=True, required=True, type=click.Path(path_type=Path),
              help="规划的后一稿，可重复 (the later draft of the plan; repeatable).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="对比结果文件，格式由扩展名决定 (write the comparison here; the format follows the extension: "
                   ".json .html .xlsx .md).")
@click.option("--format", "fmt", type=_Choice(["json", "html", "xlsx", "md"]),
              help="输出格式，用于 -o 没有可识别的扩展名或输出到标准输出时 (output format, when -o has no telling "
                   "extension or output goes to stdout).")
@_engine_options
@click.option("-q", "--quiet", is_flag=True, help="不在标准错误输出摘要 (no summary on stderr).")
def diff(directives, old, new, output, fmt, method, embedder, scorer_path, quiet) -> None:
    """两稿对比：新覆盖、新缺口和对应条款变化的要求 (compare two drafts of a plan)."""
    from alignment.analysis.diff import compare_drafts, render_diff
    from alignment.pipeline import Engine
    from alignment.report import format_for

    try:
        name = format_for(output, fmt if fmt else (None if output else "md"))
        _writable(output)
        engine = Engine(embedder=embedder, method=method, scorer_path=scorer_path)
        result = compare_drafts(directives, old, new, engine=engine)
        render_diff(result, output if output is not None else sys.stdout, name)
    except AlignmentError as exc:
        raise _fail(exc)
    if not quiet:
        counts = {k: sum(1 for c in result.changes if c.kind == k) for k in ("newly_covered", "newly_uncovered", "changed")}
        click.echo(f"新增覆盖 {counts['newly_covered']} 条，不再覆盖 {counts['newly_uncovered']} 条，"
                   f"对应条款变化 {counts['changed']} 条", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--scheduler", envvar="POLICY_ALIGN_SCHEDULER",
              help="在 Dask 上建索引：local、local:N（本机 N 个工作进程）或调度器地址（tcp://host:8786）；"
                   "不给时全部在本进程中运行；需要 dist 扩展 (index on Dask; needs the dist extra).")
@click.option("--store", "store_path", type=click.Path(path_type=Path, dir_okay=False), envvar="POLICY_ALIGN_STORE",
              help="要写入的 SQLite 复核库，默认为清单旁的 .policy-align/store.db (the SQLite store to fill).")
@click.option("--embedder", default="e5-small", show_default=True, envvar="POLICY_ALIGN_EMBEDDER",
              help="报告将使用的向量模型：e5-small、lexical 或 st:<模型> (the embedder the reports will use).")
@_ocr_option
@click.option("-q", "--quiet", is_flag=True,
              help="不显示进度和摘要，未能读取的文件仍会列出 (no progress or summary on stderr; failures are "
                   "still listed).")
def index(inputs, scheduler, store_path, embedder, ocr, quiet) -> None:
    """批量建索引，可分发到 Dask 集群 (index a corpus into the store).

    INPUTS: folders, files or manifests. Extract, parse, tokenize and
    embed every document, so that `policy-align report --store` on it reads and embeds nothing again.

    With --scheduler the documents are spread over Dask workers (the files must be at the same path on
    every worker). A document that cannot be read is listed on stderr and the run completes.
    """
    from alignment.distributed import index_corpus

    try:
        with _open_store(store_path, inputs) as store:
            summary = index_corpus(inputs, store=store, scheduler=scheduler, embedder=embedder, ocr=ocr,
                                   progress=_progress(quiet))
            path = store.path
    except AlignmentError as exc:
        raise _fail(exc)
    for f in summary.failures:
        click.echo(f"已跳过：{f.message}", err=True)
    if not quiet:
        click.echo(f"已索引 {summary.indexed} 份文档（未变 {summary.unchanged} 份，未能读取 {len(summary.failures)} 份），"
                   f"{summary.texts} 段文本，{summary.chars} 字，{summary.seconds:.1f} 秒 "
                   f"（{summary.docs_per_second:.1f} 份/秒，{summary.chars_per_second:.0f} 字/秒，"
                   f"{summary.workers} 个工作线程）→ {path}", err=True)


def main() -> None:  # pragma: no cover - console entry point
    cli(prog_name="policy-align")
