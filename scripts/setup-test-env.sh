#!/usr/bin/env bash
# Everything the test suite needs, installed by the project's own files:
# a CJK font (generated PDF fixtures), Debian's chromium and chromium-driver (browser tests of the
# review UI), the CPU build of torch (sentence-transformers path), and the package with all extras.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
fc-list 2>/dev/null | grep -qi 'wqy' || missing+=(fonts-wqy-zenhei)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: ${missing[*]} not installed and cannot be installed here; the tests needing them will skip" >&2
  fi
fi
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
# The CPU build: a bare 'torch' would pull a multi-GB CUDA build.
python -m pip install -q torch==2.13.0
python -m pip install -q -e '.[test,st,ocr,web,dist]'
