"""db.create_views makes queries/macros together with the views, whichever depends on which."""

from __future__ import annotations

import duckdb
import pytest

from analysis import db


def test_macros_and_views_are_created_in_dependency_order(tmp_path):
    for layer in ("staging", "intermediate", "macros"):
        (tmp_path / layer).mkdir()
    # a staging view calls a scalar macro, and a table macro reads an intermediate table built on that view
    (tmp_path / "macros" / "plus_one.sql").write_text("create or replace macro plus_one(x) as x + 1")
    (tmp_path / "macros" / "at_least.sql").write_text(
        "create or replace macro at_least(floor_n) as table select n from int_base where n >= floor_n"
    )
    (tmp_path / "staging" / "stg_base.sql").write_text("select plus_one(range) as n from range(5)")
    (tmp_path / "intermediate" / "int_base.sql").write_text("select n * 10 as n from stg_base")
    con = duckdb.connect()
    created = db.create_views(con, tmp_path)
    assert set(created) == {"plus_one", "at_least", "stg_base", "int_base"}
    assert con.execute("select list(n order by n) from at_least(30)").fetchall() == [([30, 40, 50],)]


def test_a_macro_on_a_missing_table_names_its_file(tmp_path):
    (tmp_path / "macros").mkdir()
    (tmp_path / "macros" / "broken.sql").write_text("create or replace macro broken() as table select * from nothing")
    with pytest.raises(RuntimeError, match="broken.sql"):
        db.create_views(duckdb.connect(), tmp_path)
