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


def main() -> None:  # pragma: no cover - console entry point
    cli(prog_name="policy-align")
