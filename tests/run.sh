#!/usr/bin/env bash
# The README's test command: set up a fresh machine and run the whole suite (tests/ and the
# notebooks under nbmake). Safe to rerun: it reuses .venv and skips what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# The browser tests drive Debian's Chromium through Playwright (Playwright cannot download a
# browser of its own here). Install it when missing and we may; otherwise those tests skip.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser tests..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing and cannot be installed here: the browser tests will skip" >&2
  fi
fi

# nbmake runs the notebooks in a real kernel named python3.
.venv/bin/python -m ipykernel install --user --name python3 >/dev/null

exec .venv/bin/python -m pytest "$@"
