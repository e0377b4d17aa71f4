"""The build is atomic: a failed build leaves the previous database in place, readers are never blocked."""

import sys
import types

import duckdb
import pandas as pd
import pytest

from analysis import build, db
from analysis.errors import InputError

# A tiny fake stage module (synthetic rows, for these tests only).
stages = types.ModuleType("fake_stages")


def _source(title):
    return pd.DataFrame(
        [{"source_id": "src_test", "kind": "reference", "title": title, "publisher": "test", "licence": "test"}]
    )


def _first(con, ctx):
    db.append(con, "sources", _source("first build"))


def _second(con, ctx):
    db.append(con, "sources", _source("second build"))


def _broken(con, ctx):
    db.append(con, "sources", _source("half-built"))
    raise InputError("data/seeds/visits.csv", "end date before start date", row=3, field="fieldwork_end")


stages.first, stages.second, stages.broken = _first, _second, _broken
sys.modules["fake_stages"] = stages


def _title(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select title from sources").fetchone()[0]


@pytest.fixture()
def quiet():
    return build.BuildContext(log=lambda msg: None)


def test_failed_build_keeps_previous_database(tmp_path, monkeypatch, quiet):
    target = tmp_path / "analysis.duckdb"
    monkeypatch.setattr(build, "STAGES", [("first", "fake_stages:first")])
    build.build(target, quiet)
    monkeypatch.setattr(build, "STAGES", [("broken", "fake_stages:broken")])
    with pytest.raises(InputError, match="visits.csv, row 3, field fieldwork_end"):
        build.build(target, quiet)
    assert _title(target) == "first build"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.duckdb"]


def test_rebuild_replaces_while_a_reader_is_open(tmp_path, monkeypatch, quiet):
    target = tmp_path / "analysis.duckdb"
    monkeypatch.setattr(build, "STAGES", [("first", "fake_stages:first")])
    build.build(target, quiet)
    reader = duckdb.connect(str(target), read_only=True)
    monkeypatch.setattr(build, "STAGES", [("second", "fake_stages:second")])
    build.build(target, quiet)
    assert reader.execute("select title from sources").fetchone()[0] == "first build"
    reader.close()
    assert _title(target) == "second build"


def test_unresolved_source_ids_are_refused(tmp_path, monkeypatch, quiet):
    def orphan(con, ctx):
        con_frame = pd.DataFrame(
            [
                {
                    "visit_id": "v1",
                    "judgement_area": "overall_effectiveness",
                    "grade": "good",
                    "is_overall": True,
                    "source_id": "nowhere",
                }
            ]
        )
        db.append(con, "judgements", con_frame)

    stages.orphan = orphan
    monkeypatch.setattr(build, "STAGES", [("orphan", "fake_stages:orphan")])
    with pytest.raises(InputError, match="table judgements.*'nowhere'"):
        build.build(tmp_path / "analysis.duckdb", quiet)
    assert not (tmp_path / "analysis.duckdb").exists()
