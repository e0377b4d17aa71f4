"""The codebook YAML: the committed one loads, and every kind of bad codebook names the file and YAML path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis.coding import codebook
from analysis.errors import InputError


@pytest.fixture()
def raw() -> dict:
    """A fresh copy of the committed codebook for each test to break."""
    return yaml.safe_load(codebook.DEFAULT_PATH.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_committed_codebook_has_every_core_theme():
    book = codebook.load()
    assert set(codebook.CORE_THEMES) <= set(book.theme_ids)
    assert len(codebook.CORE_THEMES) == 28
    themes = book.themes
    assert list(themes.columns) == ["theme_id", "label", "definition", "framework_area", "parent_theme_id", "is_core"]
    assert themes.set_index("theme_id").loc[list(codebook.CORE_THEMES), "is_core"].all()
    assert themes["label"].notna().all() and themes["definition"].str.len().gt(10).all()
    assert book.version.count(".") == 2


def test_unknown_theme_key_names_the_yaml_path(tmp_path, raw):
    raw["themes"][3]["colour"] = "red"
    with pytest.raises(InputError) as err:
        codebook.load(_write(tmp_path, raw))
    assert err.value.field == "themes[3].colour"
    assert "codebook.yaml" in err.value.file


def test_unknown_top_level_and_cue_keys(tmp_path, raw):
    raw["polarity"]["sarcasm"] = ["oh great"]
    with pytest.raises(InputError, match="polarity.sarcasm"):
        codebook.load(_write(tmp_path, raw))
    del raw["polarity"]["sarcasm"]
    raw["authors"] = ["x"]
    with pytest.raises(InputError, match="authors"):
        codebook.load(_write(tmp_path, raw))


def test_pattern_that_does_not_compile(tmp_path, raw):
    raw["themes"][0]["patterns"].append(r"\bcase(loads\b")
    with pytest.raises(InputError) as err:
        codebook.load(_write(tmp_path, raw))
    assert err.value.field.startswith("themes[0].patterns[")
    assert "does not compile" in err.value.message


def test_lookaround_is_refused_because_duckdb_cannot_run_it(tmp_path, raw):
    raw["themes"][1]["patterns"] = [r"\bsupervision(?! order)"]
    with pytest.raises(InputError, match="look-around"):
        codebook.load(_write(tmp_path, raw))


def test_pattern_matching_everything_is_refused(tmp_path, raw):
    raw["themes"][2]["patterns"] = [r"\w*"]
    with pytest.raises(InputError, match="empty string"):
        codebook.load(_write(tmp_path, raw))


def test_missing_core_theme_and_duplicates(tmp_path, raw):
    dropped = [t for t in raw["themes"] if t["id"] != "caseloads"]
    with pytest.raises(InputError, match="core theme.*caseloads"):
        codebook.load(_write(tmp_path, {**raw, "themes": dropped}))
    doubled = raw["themes"] + [raw["themes"][0]]
    with pytest.raises(InputError, match="duplicate"):
        codebook.load(_write(tmp_path, {**raw, "themes": doubled}))


def test_sub_theme_needs_a_known_parent(tmp_path, raw):
    child = {
        "id": "supervision_reflective",
        "label": "Reflective supervision",
        "definition": "Reflection in it.",
        "patterns": [r"\breflective supervision\b"],
        "parent": "supervision",
    }
    book = codebook.load(_write(tmp_path, {**raw, "themes": raw["themes"] + [child]}))
    row = book.themes.set_index("theme_id").loc["supervision_reflective"]
    assert row["parent_theme_id"] == "supervision" and not row["is_core"]
    child["parent"] = "no_such_theme"
    with pytest.raises(InputError, match="parent"):
        codebook.load(_write(tmp_path, {**raw, "themes": raw["themes"] + [child]}))


def test_bad_version_and_missing_file(tmp_path, raw):
    with pytest.raises(InputError, match="version"):
        codebook.load(_write(tmp_path, {**raw, "version": "one"}))
    with pytest.raises(InputError, match="does not exist"):
        codebook.load(tmp_path / "nope.yaml")
