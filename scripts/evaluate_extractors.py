"""Precision and recall of target (指标) and owner (责任单位) extraction on the hand-labelled sample.

Reads corpus/labels/extractor_sample.json (how it was judged is written in the file) and prints the
figures reported in docs/analysis.md, with every false positive and false negative listed so a
reader can check the judgments. Usage: ``python scripts/evaluate_extractors.py [--json]``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
from pathlib import Path

from alignment.analysis.targets import extract_targets
from alignment.analysis.tasks import extract_tasks
from alignment.pipeline import parse_path
from alignment.structure import split_sentences

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "corpus" / "labels" / "extractor_sample.json"
_BRACKETS = str.maketrans("（）", "()")


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int | None]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else None
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def _parsed(rel: str):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return parse_path(rel)
    finally:
        os.chdir(cwd)


#: The sentences the sample's annotator read: those with an arabic number or 百分之/千分之.
_IN_SCOPE = re.compile(r"[0-9０-９]|百分之|千分之")


def evaluate_targets(spec: dict) -> tuple[dict, list[str]]:
    """Extracted targets against gold: same document and sentence, value equal (in the gold unit's scale)."""
    gold = spec["gold"]
    tp = fp = unjudged = 0
    notes = []
    matched: set[int] = set()
    for rel in spec["documents"]:
        doc = _parsed(rel)
        text = doc.document.text
        sentences = {s.char_start: s.char_end for s in split_sentences(text)}
        mine = [(i, g) for i, g in enumerate(gold) if g["document"] == rel]
        for t in extract_targets(doc):
            sentence = next((text[s:e] for s, e in sentences.items() if s <= t.source.char_start < e), "")
            if not _IN_SCOPE.search(sentence):
                unjudged += 1  # the sample judged only sentences with arabic numbers or 百分之/千分之
                continue
            hit = None
            for i, g in mine:
                if i in matched:
                    continue
                start, end = g["sentence_at"], sentences.get(g["sentence_at"], g["sentence_at"])
                # Gold values are in the unit as written; extracted ones are normalized (万 and ‰ applied).
                if start <= t.source.char_start < end and abs(t.value - g["value"]) <= 1e-6 * max(1.0, abs(g["value"])):
                    hit = i
                    break
            if hit is None:
                fp += 1
                notes.append(f"FP {rel} @{t.source.char_start}: {t.indicator} {t.comparison}{t.value:g}{t.unit}"
                             f" | {' '.join(t.source.text.split())[:60]}")
            else:
                matched.add(hit)
                tp += 1
    for i, g in enumerate(gold):
        if i not in matched:
            notes.append(f"FN {g['document']} @{g['sentence_at']}: {g['what']}")
    if unjudged:
        notes.append(f"(not scored: {unjudged} targets in sentences outside the sample's scope, e.g. 不少于二十平方米)")
    return _prf(tp, fp, len(gold) - len(matched)), notes


def _same(pred: str, gold: str) -> bool:
    a, b = pred.translate(_BRACKETS), gold.translate(_BRACKETS)
    return a == b or (len(a) >= 2 and a in b) or (len(b) >= 2 and b in a)


def evaluate_owners(spec: dict) -> tuple[dict, list[str]]:
    """Owner units per task, micro-averaged over (task, unit) pairs."""
    tp = fp = fn = 0
    notes = []
    for rel, tasks in spec["gold"].items():
        extracted = {str(t.source.char_start): t for t in extract_tasks(_parsed(rel))}
        missing = set(tasks) - set(extracted)
        if missing:
            raise SystemExit(f"{rel}: tasks {sorted(missing)} are labelled but no longer extracted; relabel")
        for key, task in extracted.items():
            gold = tasks.get(key)
            if gold is None:
                raise SystemExit(f"{rel}: task at {key} is extracted but not labelled; label it")
            used: set[int] = set()
            for unit in task.owners:
                j = next((j for j, g in enumerate(gold) if j not in used and _same(unit, g)), None)
                if j is None:
                    fp += 1
                    notes.append(f"FP {rel} @{key}: {unit}")
                else:
                    used.add(j)
                    tp += 1
            for j, g in enumerate(gold):
                if j not in used:
                    fn += 1
                    notes.append(f"FN {rel} @{key}: {g}")
    return _prf(tp, fp, fn), notes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = ap.parse_args()
    spec = json.loads(LABELS.read_text(encoding="utf-8"))
    targets, t_notes = evaluate_targets(spec["targets"])
    owners, o_notes = evaluate_owners(spec["owners"])
    if args.json:
        print(json.dumps({"targets": targets, "owners": owners}, ensure_ascii=False, indent=1))
        return

    def fmt(x):
        return "—" if x is None else f"{x:.3f}"

    for name, m, notes in (("targets", targets, t_notes), ("owners", owners, o_notes)):
        print(f"{name}: precision {fmt(m['precision'])}  recall {fmt(m['recall'])}  F1 {fmt(m['f1'])}"
              f"  (tp {m['tp']}, fp {m['fp']}, fn {m['fn']})")
        for n in notes:
            print("   ", n)


if __name__ == "__main__":
    main()
