#!/usr/bin/env bash
# Contract test of the HTTP API: Schemathesis runs every check, generated from
# GET /api/openapi.json, against `qalam demo` with writes enabled, and fails on any failure.
#
#   bash .ci/schemathesis.sh            # uses target/debug/qalam (built by `cargo test`)
#   QALAM_BIN=path/to/qalam ST_MAX_EXAMPLES=200 ST_SEED=7 bash .ci/schemathesis.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/venv.sh
bin=${QALAM_BIN:-target/debug/qalam}
if [ ! -x "$bin" ]; then
  cargo build -p qalam
fi

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A fresh 32-character token, passed in the environment so it does not show in `ps`.
token=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
QALAM_WRITE_TOKEN=$token "$bin" demo --data-dir "$work/data" --addr 127.0.0.1:0 \
  >"$work/url" 2>"$work/server.log" &
server=$!
for _ in $(seq 600); do
  if [ -s "$work/url" ] || ! kill -0 "$server" 2>/dev/null; then break; fi
  sleep 0.2
done
url=$(head -n 1 "$work/url")
if [ -z "$url" ]; then
  echo "schemathesis: qalam demo printed no URL" >&2
  cat "$work/server.log" >&2
  exit 1
fi
url=${url%/}

# Load the PADT models (read on first use) so the first `morph=true` case is not timed with it.
target/ci-venv/bin/python - "$url/api/analyze?morph=true" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], data="الموصل".encode(), headers={"Content-Type": "text/plain"})
urllib.request.urlopen(request, timeout=120).read()
PY

# Run from the temp dir: Schemathesis keeps a cache of failures in ./.schemathesis.
root=$(pwd)
status=0
(cd "$work" && SCHEMATHESIS_HOOKS="$root/.ci/schemathesis_hooks.py" \
  "$root/target/ci-venv/bin/st" --config-file "$root/.ci/schemathesis.toml" \
  run "$url/api/openapi.json" \
  --checks all \
  --header "Authorization: Bearer $token" \
  --max-examples "${ST_MAX_EXAMPLES:-100}" \
  --seed "${ST_SEED:-20260101}" \
  --workers 1 \
  --request-timeout 30 \
  --output-sanitize true \
  --generation-database none \
  --no-color) 2>&1 | tee "$work/st.log" || status=$?
if ! kill -0 "$server" 2>/dev/null; then
  echo "schemathesis: the server died during the run" >&2
  cat "$work/server.log" >&2
  status=1
fi
cases=$(grep -oE '[0-9]+ generated' "$work/st.log" | tail -n 1 | cut -d' ' -f1)
if [ "$status" -eq 0 ]; then
  echo "schemathesis: ${cases:-0} passed, 0 failed"
else
  echo "schemathesis: FAILED (${cases:-?} cases generated; see above)" >&2
fi
exit "$status"
