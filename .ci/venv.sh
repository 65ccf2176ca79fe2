#!/usr/bin/env bash
# Creates (or updates) the Python venv of CI at target/ci-venv from .ci/requirements.txt.
# Prints nothing when the venv already matches the requirements. Installs Java (for PySpark)
# from Debian when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Java for PySpark (the qalam.spark tests), from Debian.
if ! command -v java >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null) \
    || echo "warning: could not install default-jre-headless; the Spark tests will fail" >&2
fi

venv=target/ci-venv
stamp=$venv/.requirements.txt
if [ -x "$venv/bin/python" ] && cmp -s .ci/requirements.txt "$stamp"; then
  exit 0
fi
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null) \
      || echo "warning: could not install python3-venv" >&2
  fi
fi
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r .ci/requirements.txt
cp .ci/requirements.txt "$stamp"
