"""Where things live. Paths can be moved with environment variables, never by editing code."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(os.environ.get("ANALYSIS_REPO", Path(__file__).resolve().parents[2]))
DATA = REPO / "data"
QUERIES = REPO / "queries"
NOTEBOOKS = REPO / "notebooks"
REPORTS = Path(os.environ.get("ANALYSIS_REPORTS", REPO / "reports"))
CACHE = Path(os.environ.get("ANALYSIS_CACHE", DATA / "cache"))
BUILD_DB = Path(os.environ.get("ANALYSIS_DB", DATA / "build" / "analysis.duckdb"))
# The folder beside the checkout that stands in for the internet on machines without it.
SHARED = Path(os.environ.get("ANALYSIS_SHARED", REPO.parent / "shared"))

DEFAULT_LA = "E08000027"  # Dudley: the first council the suite was built for
ENGLAND = "E92000001"


def relative(path: Path) -> str:
    """A path as shown to users: relative to the repo when inside it."""
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)
