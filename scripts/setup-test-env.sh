#!/usr/bin/env bash
# Everything the test suite needs, installed by the project's own files:
# a CJK font (generated PDF fixtures), the CPU build of torch (sentence-transformers path),
# and the package with its test, st and ocr extras.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! fc-list 2>/dev/null | grep -qi 'wqy'; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null
  else
    echo "warning: fonts-wqy-zenhei is not installed and cannot be installed here; PDF-generating tests will skip" >&2
  fi
fi
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
# The CPU build: a bare 'torch' would pull a multi-GB CUDA build.
python -m pip install -q torch==2.13.0
python -m pip install -q -e '.[test,st,ocr]'
