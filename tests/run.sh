#!/usr/bin/env bash
# The README's test command: set up a fresh machine and run the whole suite (tests/ and the
# notebooks under nbmake). Safe to rerun: it reuses .venv and skips what is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "tests/run.sh: $*" >&2; }

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$python" -m venv .venv
fi
say "installing dealgraph and its test tools into .venv (a few minutes on a fresh machine)"
.venv/bin/python -m pip install --disable-pip-version-check --progress-bar off -e '.[test]' \
  | grep -E '^(Collecting|Successfully installed)' >&2 || true
.venv/bin/python -c "import dealgraph, pytest, nbmake, syrupy" \
  || { say "the install failed: see pip's messages above"; exit 1; }

# The browser tests drive Debian's Chromium through Playwright (Playwright cannot download a
# browser of its own here). Install it when missing and we may; on a shared machine another
# install may hold dpkg's lock: wait for it (up to 5 minutes), else go on without the browser.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing chromium for the browser tests"
    if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq \
           && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >/dev/null; }; then
      say "chromium could not be installed (is another install holding dpkg's lock?): the browser tests will skip"
    fi
  else
    say "chromium is missing and cannot be installed here: the browser tests will skip"
  fi
fi

# nbmake runs the notebooks in a kernel named python3: register this environment's, inside the
# environment, so the user's own python3 kernel is left alone.
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null

say "running the tests"
exec .venv/bin/python -m pytest "$@"
