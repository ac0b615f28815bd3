#!/usr/bin/env bash
# Make the lock files from pyproject.toml: the exact version and hashes of every package,
# for Python 3.11 on Linux x86_64 (what CI and the README's set-up install).
#   requirements-test.lock  the app and its test extra (scripts/test.sh, CI)
#   requirements.lock       the app alone, at the same versions (the README's run command)
# Versions already in the lock files are kept; a package added to pyproject.toml gets the
# newest version that fits. `scripts/lock.sh --upgrade` moves everything to the newest
# versions (then run scripts/test.sh before committing), `--upgrade-package NAME` one.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if [ "$(.venv/bin/uv --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

compile=(
  .venv/bin/uv pip compile pyproject.toml
  --generate-hashes
  --python-version 3.11
  --python-platform x86_64-unknown-linux-gnu
  --custom-compile-command scripts/lock.sh
  --quiet
)
"${compile[@]}" --extra test --output-file requirements-test.lock "$@"
# The app's lock takes its versions from the test lock: the app runs what was tested.
"${compile[@]}" --constraints requirements-test.lock --output-file requirements.lock
echo "wrote requirements-test.lock and requirements.lock"
