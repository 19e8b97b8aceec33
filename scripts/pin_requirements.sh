#!/usr/bin/env bash
# Resolves requirements*.in in a throw-away virtual environment and writes exact pins,
# transitive dependencies included, to requirements.txt and requirements-dev.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
pip="$tmp/venv/bin/python -m pip --disable-pip-version-check --quiet"
$pip install -r requirements.in
{ echo "# Generated from requirements.in: make pin"; "$tmp/venv/bin/python" -m pip freeze; } > requirements.txt
$pip install -r requirements-dev.in
{ echo "# Generated from requirements-dev.in: make pin"; echo "-r requirements.txt";
  "$tmp/venv/bin/python" -m pip freeze | grep -vxFf <(tail -n +2 requirements.txt); } > requirements-dev.txt
echo "Pinned: requirements.txt, requirements-dev.txt"
