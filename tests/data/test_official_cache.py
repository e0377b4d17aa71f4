"""Stage 7 from the build cache gives the tables that parsing the official files gave (the session's real build)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis import build, db

pytestmark = pytest.mark.slow
TABLES = ("measure_catalogue", "measures", "ofsted_outcomes")


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {t: con.table(t).df().sort_values(list(con.table(t).columns)).reset_index(drop=True) for t in TABLES}


def test_a_warm_official_stage_equals_the_built_tables(built_db: Path, fetched_cache: Path) -> None:
    logs: list[str] = []
    con = duckdb.connect()
    ctx = build.BuildContext(cache=fetched_cache, log=logs.append)
    build.populate(con, ctx, stages=[(n, t) for n, t in build.STAGES if n in ("sources", "councils", "official")])
    assert "official: 2 import(s) from the cache of unchanged files" in logs  # built_db filled it
    warm = _tables(con)
    con.close()
    with db.connect(built_db) as built:
        cold = _tables(built)
    for table in TABLES:
        assert len(warm[table]) > 10, table
        pd.testing.assert_frame_equal(warm[table], cold[table], check_dtype=True)
