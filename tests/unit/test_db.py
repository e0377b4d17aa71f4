"""The query loader: named parameters are checked both ways, views are made in dependency order."""

import duckdb
import pytest

from analysis import db
from analysis.errors import QueryParameterError


def test_parameters_ignore_strings_and_comments():
    sql = """
    -- $not_a_param in a comment
    select '$nor_in_a_string' as "$or_an_identifier", x
    from t /* $nor_here */
    where la_id_gss = $la_id_gss and d <= $as_of and y = $1
    """
    assert db.parameters(sql) == {"la_id_gss", "as_of"}


def test_bind_names_missing_and_extra_parameters():
    with pytest.raises(QueryParameterError, match=r"mart_x\.sql: missing \$as_of; unexpected \$theme"):
        db.bind("select $la_id_gss, $as_of", {"la_id_gss": "E1", "theme": "x"}, "mart_x")


def test_query_runs_a_file_with_named_parameters(tmp_path, monkeypatch):
    (tmp_path / "marts").mkdir()
    (tmp_path / "marts" / "mart_double.sql").write_text("select $n * 2 as doubled")
    monkeypatch.setattr(db.config, "QUERIES", tmp_path)
    con = duckdb.connect()
    assert db.query(con, "mart_double", n=21)["doubled"].tolist() == [42]
    with pytest.raises(QueryParameterError):
        db.query(con, "mart_double")
    with pytest.raises(KeyError, match="no query file named mart_nothing.sql"):
        db.query(con, "mart_nothing")


def test_duplicate_query_names_are_refused(tmp_path):
    for layer in ("staging", "marts"):
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "same.sql").write_text("select 1")
    with pytest.raises(ValueError, match="two query files are named same"):
        db.sql_path("same", tmp_path)


def test_views_are_created_in_dependency_order(tmp_path):
    (tmp_path / "staging").mkdir()
    (tmp_path / "intermediate").mkdir()
    # int_a depends on int_b, which sorts after it: the loader must retry.
    (tmp_path / "intermediate" / "int_a.sql").write_text("select n + 1 as n from int_b")
    (tmp_path / "intermediate" / "int_b.sql").write_text("select n * 10 as n from stg_base")
    (tmp_path / "staging" / "stg_base.sql").write_text("select 4 as n")
    con = duckdb.connect()
    created = db.create_views(con, tmp_path)
    assert set(created) == {"stg_base", "int_a", "int_b"}
    assert con.execute("select n from int_a").fetchone() == (41,)


def test_a_view_on_a_missing_relation_names_its_file(tmp_path):
    (tmp_path / "staging").mkdir()
    (tmp_path / "staging" / "stg_broken.sql").write_text("select * from no_such_table")
    with pytest.raises(RuntimeError, match="stg_broken.sql"):
        db.create_views(duckdb.connect(), tmp_path)
