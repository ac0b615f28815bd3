#!/usr/bin/env bash
# The whole test suite on a fresh machine: a virtualenv in .venv with the project and
# its test extras, Debian's chromium for the browser tests, then ruff and pytest.
# Extra arguments go to pytest, e.g. `scripts/test.sh -k today`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"

if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  $sudo apt-get install -y chromium
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest "$@"
