"""Marts about the whole corpus, the same for every council, queried once per process and database state.

A batch renders report after report in reused kernels (analysis.reporting.render), which keep imported modules
between reports. The improvement journeys (mart_improvement_journeys) do not depend on the council, so a kernel
runs their query once per database file state, mart text and parameters, and every later report reuses the frame.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analysis import config, db

_MEMO: dict[tuple[Any, ...], pd.DataFrame] = {}


def _file_state(path: Path) -> tuple[Any, ...] | None:
    """What identifies one state of a database file; None when it cannot be trusted (a write-ahead log is open)."""
    if not path.is_file() or path.with_name(path.name + ".wal").exists():
        return None
    stat = path.stat()
    return str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns


def query(con: duckdb.DuckDBPyConnection, db_path: Path | str | None, name: str, **params: object) -> pd.DataFrame:
    """db.query(con, name, **params), from the memo when this database state answered it before (a copy)."""
    state = _file_state(Path(db_path or config.BUILD_DB))
    if state is None:
        return db.query(con, name, **params)
    sql = hashlib.sha256(db.sql_text(name).encode()).hexdigest()
    key = (state, name, sql, tuple(sorted((k, str(v)) for k, v in params.items())))
    if key not in _MEMO:
        _MEMO[key] = db.query(con, name, **params)
    return _MEMO[key].copy()
