#!/usr/bin/env bash
# The whole test suite on a fresh machine: a virtualenv in .venv with exactly the versions
# in requirements-test.lock (checked against their hashes) and the project itself, Debian's
# chromium for the browser tests, then ruff and pytest. The tests run in a random order
# (pytest-randomly prints its seed at the top: `--randomly-seed=N` repeats that order,
# `-p no:randomly` runs them in file order).
# Extra arguments go to pytest, e.g. `scripts/test.sh -k today`. Tests run in two processes
# (pytest-xdist), one per core of a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --require-hashes -r requirements-test.lock
"${pip[@]}" --no-deps -e .

if [ ! -x /usr/bin/chromium ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  $sudo apt-get install -y chromium
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -n 2 "$@"  # two workers (pytest-xdist); `-n 0` runs in one process
