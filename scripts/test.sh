#!/usr/bin/env bash
# The whole test suite on a fresh machine: a virtualenv in .venv with exactly the versions
# in requirements-test.lock (checked against their hashes) and the project itself, Debian's
# chromium and syncthing for the browser and sync tests, then ruff and pytest. The tests run
# in a random order (pytest-randomly prints its seed at the top: `--randomly-seed=N` repeats
# that order, `-p no:randomly` runs them in file order).
# Extra arguments go to pytest, e.g. `scripts/test.sh -k today`. Tests run in four processes
# (pytest-xdist) on a 2-core machine: a browser test spends much of its time waiting on the
# browser and the app's server, so two workers left the cores half idle; four keep them busy
# (the suite in under 5 minutes instead of 8). Each worker takes the next test when it is
# free (worksteal), so a long test does not hold the end of the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --require-hashes -r requirements-test.lock
"${pip[@]}" --no-deps -e .

# Debian's chromium for the browser tests, and syncthing for the test of two computers
# sharing one data folder (tests/browser/test_syncthing_browser.py).
missing=()
if [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
if ! command -v syncthing >/dev/null; then missing+=(syncthing); fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -n 4 --dist worksteal --durations=15 "$@"  # `-n 0`: one process
