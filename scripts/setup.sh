#!/usr/bin/env bash
# Create .venv and install policy-align into it (core dependencies only; works offline from a
# local wheel cache with PIP_FIND_LINKS / PIP_NO_INDEX if the machine has no package index).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install -q --upgrade pip
python -m pip install -q -e .
