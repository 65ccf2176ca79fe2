"""Shared fixtures: the repository's sample articles and the `qalam` command line."""

import json
import os
import shutil
from pathlib import Path
from typing import Dict, List

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "crates" / "cli" / "sample" / "articles.jsonl"
FIXTURES = ROOT / "fixtures" / "snn"


def read_jsonl(path: Path) -> List[Dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def body(record: Dict) -> str:
    for field in ("content", "body", "text"):
        if isinstance(record.get(field), str):
            return record[field]
    raise ValueError(f"record {record.get('id')} has no text")


@pytest.fixture(scope="session")
def sample_articles() -> List[Dict]:
    return read_jsonl(SAMPLE)


@pytest.fixture(scope="session")
def fixture_articles() -> List[Dict]:
    """The SaudiNewsNet fixture articles (fixtures/snn/*.jsonl), if the repository has them."""
    files = sorted(FIXTURES.glob("*.jsonl")) if FIXTURES.is_dir() else []
    return [r for f in files for r in read_jsonl(f)]


@pytest.fixture(scope="session")
def qalam_bin() -> str:
    """The `qalam` binary: $QALAM_BIN, else target/{debug,release}/qalam, else on PATH."""
    given = os.environ.get("QALAM_BIN")
    candidates = [given] if given else [
        str(ROOT / "target" / "debug" / "qalam"),
        str(ROOT / "target" / "release" / "qalam"),
        shutil.which("qalam") or "",
    ]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    pytest.fail("no qalam binary: run `cargo build -p qalam` or set QALAM_BIN")
