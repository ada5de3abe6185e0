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

# Some tests drive software from Debian that pip cannot bring: Chromium for the browser tests
# (Playwright cannot download a browser of its own here), a Java runtime for the HermiT OWL 2
# reasoner that owlready2 ships, and Virtuoso as the second SPARQL engine of the remote parity
# tests. Install what is missing when we may; on a shared machine another install may hold
# dpkg's lock: wait for it (up to 5 minutes), else go on and let those tests skip, saying why.
apt_updated=
needs() {  # needs COMMAND DEBIAN-PACKAGE WHAT-FOR
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    say "$1 is missing and cannot be installed here: $3 will skip"
    return 0
  fi
  say "installing $2 for $3"
  if [ -z "$apt_updated" ]; then
    apt-get -o DPkg::Lock::Timeout=300 update -qq && apt_updated=1 \
      || { say "apt-get update failed: $3 will skip"; return 0; }
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$2" >/dev/null \
    || say "$2 could not be installed (is another install holding dpkg's lock?): $3 will skip"
}
needs chromium chromium "the browser tests"
needs java default-jre-headless "the OWL 2 reasoner tests"
needs virtuoso-t virtuoso-opensource "the Virtuoso parity tests"

# nbmake runs the notebooks in a kernel named python3: register this environment's, inside the
# environment, so the user's own python3 kernel is left alone.
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null

say "running the tests"
exec .venv/bin/python -m pytest "$@"
