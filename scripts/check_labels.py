#!/usr/bin/env python3
"""Check corpus/labels/dev_gold_5.json with the shared dev-set checker, unchanged.

``../shared/devset/check_dev.py`` knows only the shared cases by name; this adds the charity case
(its files and the article numbers in scope, as the case's ``scope`` text says) to its table and
runs it. Usage: ``python scripts/check_labels.py [corpus/labels/dev_gold_5.json]``.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT.parent / "shared" / "devset"))
import check_dev  # noqa: E402

LAW = "shared/corpus/central/law-charity-2023.txt"
ZJ = "shared/corpus/provincial/zhejiang-charity-law-implementing-measures-2018.txt"
#: 立法目的, 适用范围, definitions, 慈善日, delegation to 国务院, applicable law (see the case's scope)
SKIP = {1, 2, 3, 7, 8, 20, 21, 34, 44, 51, 52}
check_dev.CASES["dev-charity-law-to-zhejiang-measures"] = {
    "directive_files": [LAW],
    "plan_files": [ZJ],
    # no chapter span: the law's 目录 repeats every chapter heading
    "scope": {LAW: ((set(range(4, 109)) - SKIP) | {122, 123, 124}, None)},
}

if __name__ == "__main__":
    sys.exit(check_dev.main(sys.argv[1:] or [str(ROOT / "corpus" / "labels" / "dev_gold_5.json")]))
