"""The official stage's cache key follows every input of an import (SYNTHETIC files in a temporary folder)."""

from __future__ import annotations

from analysis import build
from analysis.cache import Cache, digest
from analysis.ingest import official


def _ctx(tmp_path):
    (tmp_path / "cache" / "official" / "dfe").mkdir(parents=True)
    (tmp_path / "data" / "seeds").mkdir(parents=True)
    (tmp_path / "cache" / "official" / "dfe" / "a.csv").write_text("time_period\n2025\n", encoding="utf-8")
    (tmp_path / "data" / "seeds" / "councils.csv").write_text("la_id_gss\nE08000027\n", encoding="utf-8")
    return build.BuildContext(repo=tmp_path, data=tmp_path / "data", cache=tmp_path / "cache", log=lambda m: None)


REGISTRY = {"src_a": "official/dfe/a.csv"}


def test_the_key_changes_with_each_input(tmp_path, monkeypatch):
    ctx = _ctx(tmp_path)
    key = official._import_key(ctx, REGISTRY, {"src_a"}, ["spec 1"])
    assert official._import_key(ctx, REGISTRY, {"src_a"}, ["spec 1"]) == key
    assert official._import_key(ctx, REGISTRY, {"src_a"}, ["spec 2"]) != key
    (tmp_path / "cache" / "official" / "dfe" / "a.csv").write_text("time_period\n2026\n", encoding="utf-8")
    edited_file = official._import_key(ctx, REGISTRY, {"src_a"}, ["spec 1"])
    assert edited_file != key
    (tmp_path / "data" / "seeds" / "councils.csv").write_text("la_id_gss\nE08000038\n", encoding="utf-8")
    assert official._import_key(ctx, REGISTRY, {"src_a"}, ["spec 1"]) != edited_file
    monkeypatch.setattr(official, "IMPORTER_VERSION", official.IMPORTER_VERSION + ".next")
    assert official._import_key(ctx, REGISTRY, {"src_a"}, ["spec 1"]) not in (key, edited_file)


def test_an_import_runs_once_while_its_inputs_stay_the_same(tmp_path):
    import pandas as pd

    calls = []

    def compute():
        calls.append(1)
        return pd.DataFrame({"measure": ["m"], "value": [1.5]})

    key = digest("synthetic")
    first = official._cached(Cache(tmp_path), "official_measures", key, compute)
    again = official._cached(Cache(tmp_path), "official_measures", key, compute)
    pd.testing.assert_frame_equal(first, again)
    assert len(calls) == 1
    official._cached(Cache(tmp_path), "official_measures", digest("changed"), compute)
    assert len(calls) == 2 and len(list((tmp_path / "official_measures").iterdir())) == 1  # the old entry is pruned
