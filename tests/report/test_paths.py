"""Reports handed on show no absolute path of the machine that wrote them.

Regression for "Reports embed absolute paths": real corpus files are copied into a temporary
folder and read from there by absolute path; every format written next to them, beside them or
to a stream names them relative to where the report is, and keeps the sha256 to identify them.
"""

from __future__ import annotations

import io
import json
import shutil
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from alignment.pipeline import parse_path
from alignment.report import RENDERERS, portable, portable_path, to_dict
from alignment.schema import Failure, Report

from .fixtures import CORPUS

FILES = ("pdf/constitution-2018.pdf", "municipal/dezhou-elderly-care-services-regulations-2019.txt")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "project" / "docs"
    docs.mkdir(parents=True)
    for rel in FILES:
        shutil.copy(CORPUS / rel, docs)
    return tmp_path / "project"


def report_of(folder: Path) -> Report:
    docs = folder / "docs"
    pdf = parse_path(docs / "constitution-2018.pdf", role="directive")
    txt = parse_path(docs / "dezhou-elderly-care-services-regulations-2019.txt", role="plan")
    broken = docs / "broken.pdf"
    assert Path(pdf.document.path).is_absolute()
    return Report(
        documents=(pdf.document, txt.document), directives=(), plan_units=(), method="fixture", embedder="none",
        failures=(Failure(path=str(broken), message=f"{broken}: not a PDF (re-save it)"),),
    )


def written(report: Report, out: Path) -> str:
    """Everything the report at ``out`` shows, as one text (every cell of every sheet for XLSX)."""
    fmt = out.suffix[1:]
    RENDERERS[fmt](report, out)
    if fmt != "xlsx":
        return out.read_text(encoding="utf-8")
    wb = openpyxl.load_workbook(out)
    return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None)


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "md"])
@pytest.mark.parametrize("where, prefix", [(".", "docs/"), ("reports", "../docs/")])
def test_every_format_names_the_files_relative_to_the_report(folder, fmt, where, prefix):
    out = folder / where / f"report.{fmt}"
    out.parent.mkdir(exist_ok=True)
    text = written(report_of(folder), out)
    assert str(folder.parent) not in text  # not the temporary folder, nor anything above it
    assert f"{prefix}broken.pdf" in text
    if fmt != "md":  # the Markdown summary lists no document paths, only failures
        assert f"{prefix}constitution-2018.pdf" in text
        assert f"{prefix}dezhou-elderly-care-services-regulations-2019.txt" in text


def test_json_paths_resolve_from_the_reports_folder_and_keep_the_sha256(folder):
    out = folder / "reports" / "r.json"
    out.parent.mkdir()
    report = report_of(folder)
    RENDERERS["json"](report, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["path"] for d in data["documents"]] == [
        "../docs/constitution-2018.pdf", "../docs/dezhou-elderly-care-services-regulations-2019.txt"]
    for entry, doc in zip(data["documents"], report.documents):
        assert (out.parent / entry["path"]).resolve() == Path(doc.path).resolve()
        assert entry["sha256"] == doc.sha256
    assert data["failures"] == [{"path": "../docs/broken.pdf", "message": "../docs/broken.pdf: not a PDF (re-save it)"}]


def test_a_report_on_stdout_is_relative_to_the_current_folder(folder, monkeypatch):
    monkeypatch.chdir(folder)
    out = io.StringIO()
    RENDERERS["json"](report_of(folder), out)
    assert [d["path"] for d in json.loads(out.getvalue())["documents"]] == [
        "docs/constitution-2018.pdf", "docs/dezhou-elderly-care-services-regulations-2019.txt"]


def test_the_rule(tmp_path, monkeypatch):
    home = tmp_path / "home"
    (home / "a").mkdir(parents=True)
    (home / "b").mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home / "b")
    plan = home / "a" / "plan.txt"
    # In the report's folder, or a folder they share below the home folder.
    assert portable_path(plan, home / "a" / "out") == "../plan.txt"
    assert portable_path(plan, home / "a") == "plan.txt"
    # They share only the home folder (or less): not under the current folder either, so the name alone.
    assert portable_path(plan, home / "b") == "plan.txt"
    assert portable_path(tmp_path / "elsewhere" / "plan.txt", home / "b") == "plan.txt"
    # Relative to the current folder when the file is in it, even if the report is far away.
    monkeypatch.chdir(home)
    assert portable_path(plan, tmp_path / "out") == "a/plan.txt"
    # A relative path is read against the current folder.
    assert portable_path("a/plan.txt", home / "a" / "out") == "../plan.txt"


def test_portable_leaves_the_report_given_unchanged(folder):
    report = report_of(folder)
    shown = portable(report, folder)
    assert [d.path for d in shown.documents] == ["docs/constitution-2018.pdf",
                                                 "docs/dezhou-elderly-care-services-regulations-2019.txt"]
    assert [d.sha256 for d in shown.documents] == [d.sha256 for d in report.documents]
    assert all(Path(d.path).is_absolute() for d in report.documents)
    assert to_dict(replace(report, failures=()), base=folder)["documents"][0]["path"] == "docs/constitution-2018.pdf"
