#!/usr/bin/env bash
# The Python package: builds the wheel of bindings/python into the CI venv, runs its pytest suite
# (which compares it with the `qalam` binary that `cargo test` built; tests/test_spark.py runs
# qalam.spark in PySpark local[2], Java from .ci/venv.sh) and checks the .pyi stubs against the
# module with mypy's stubtest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash .ci/venv.sh
venv=target/ci-venv
export PATH="$PWD/$venv/bin:$PATH"
# The dev profile reuses the dependencies `cargo test` compiled (at opt-level 2, see Cargo.toml);
# users get the release build of `pip install ./bindings/python`.
MATURIN_PEP517_ARGS="--profile dev" \
  pip install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps \
  ./bindings/python
QALAM_BIN="$PWD/target/debug/qalam" python -m pytest -q -p no:cacheprovider bindings/python/tests
python -m mypy.stubtest qalam --allowlist bindings/python/stubtest-allowlist.txt
