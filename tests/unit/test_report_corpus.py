"""The corpus memo: a council-independent mart is queried once per database state, and again when the file changes.

The database is a schema made in the test with made-up themes (nothing in it is real data).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis import db
from analysis.reporting import corpus


def _add_theme(path, theme_id: str) -> None:
    with duckdb.connect(str(path)) as con:
        themes = pd.DataFrame([{"theme_id": theme_id, "label": theme_id.upper(), "definition": "d", "is_core": True}])
        db.append(con, "themes", themes)


def test_a_mart_is_queried_once_per_database_state(tmp_path, monkeypatch):
    path = tmp_path / "memo.duckdb"
    with duckdb.connect(str(path)) as con:
        db.create_schema(con)
    _add_theme(path, "a")
    calls = []
    real = db.query

    def counting(con, name, **params):
        calls.append(name)
        return real(con, name, **params)

    monkeypatch.setattr(corpus.db, "query", counting)
    with db.connect(path) as con:
        first = corpus.query(con, path, "mart_report_themes")
        first["label"] = "changed by a caller"  # a caller's change must not reach the next report
        again = corpus.query(con, path, "mart_report_themes")
    assert calls == ["mart_report_themes"] and list(again["label"]) == ["A"]
    _add_theme(path, "b")  # the file changes: the memo no longer answers for it
    with db.connect(path) as con:
        fresh = corpus.query(con, path, "mart_report_themes")
    assert calls == ["mart_report_themes"] * 2 and list(fresh["label"]) == ["A", "B"]
