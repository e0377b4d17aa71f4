"""Each bad timeline seed stops with an InputError naming the file, row and field.

The seed folder here is SYNTHETIC: a minimal, valid set of CSVs written by the test, then broken one cell at a time.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.ingest import timeline

LA = "E99999999"  # a synthetic council code
REGISTRY = {"src_a", "src_b"}

GOOD = {
    "grades": ["grade,label,grade_rank", "good,Good,2", "inadequate,Inadequate,4"],
    "visits": [
        "visit_id,la_id_gss,visit_type,framework,title,focus,fieldwork_start,fieldwork_end,fieldwork_precision,"
        "published_date,published_precision,inspectors,lead_inspector,is_uncertain,note,source_id",
        f"{LA}-2016-01-sif,{LA},sif_inspection,sif,Inspection,,2016-01-11,2016-02-08,day,"
        "2016-04-05,day,A; B,A,false,,src_a",
        f"{LA}-2017-mv1,{LA},monitoring_visit,sif,Monitoring visit 1,,,,,,,,,true,known by numbering only,src_b",
    ],
    "judgements": [
        "visit_id,judgement_area,grade,is_overall,note,source_id",
        f"{LA}-2016-01-sif,overall_effectiveness,inadequate,true,,src_a",
        f"{LA}-2016-01-sif,care_leavers,good,false,,src_a",
    ],
    "events": [
        "event_id,la_id_gss,event_type,event_date,event_precision,title,is_uncertain,note,source_id",
        f"{LA}-2016-04-direction,{LA},dfe_intervention,2016-04-05,day,Direction,false,,src_a",
    ],
    "findings": [
        "finding_id,visit_id,theme_id,polarity,paraphrase,coder,is_inferred,note,source_id",
        f"f1,{LA}-2016-01-sif,caseloads,concern,Caseloads high,tester,false,,src_a",
        f"f2,{LA}-2016-01-sif,,strength,Children safe,tester,false,,src_a",
    ],
    "council_priorities": [
        "priority_id,la_id_gss,event_id,seq,paraphrase,is_uncertain,note,source_id",
        f"p1,{LA},{LA}-2016-04-direction,1,Keep caseloads manageable,false,,src_b",
    ],
    "council_priority_themes": ["priority_id,theme_id", "p1,caseloads"],
}


def write(folder: Path, changes: dict[str, list[str]] | None = None) -> Path:
    """Write the good seeds with some files replaced."""
    files = {**GOOD, **(changes or {})}
    for name, lines in files.items():
        folder.joinpath(f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def replace(name: str, row: int, old: str, new: str) -> dict[str, list[str]]:
    """The good file `name` with `old` replaced by `new` in spreadsheet row `row` (header = 1)."""
    lines = list(GOOD[name])
    assert old in lines[row - 1], (old, lines[row - 1])
    lines[row - 1] = lines[row - 1].replace(old, new, 1)
    return {name: lines}


def error(tmp_path: Path, changes: dict[str, list[str]]) -> InputError:
    with pytest.raises(InputError) as caught:
        timeline.read_seeds(write(tmp_path, changes), registry=REGISTRY, council_ids={LA})
    return caught.value


def test_the_synthetic_seeds_are_valid(tmp_path):
    frames = timeline.read_seeds(write(tmp_path), registry=REGISTRY, council_ids={LA})
    assert len(frames["visits"]) == 2
    assert frames["visits"]["is_uncertain"].tolist() == [False, True]
    assert frames["findings"]["theme_id"].tolist() == ["caseloads", None]


def test_malformed_row(tmp_path):
    lines = list(GOOD["visits"]) + [f"{LA}-2018-01-mv,{LA},monitoring_visit,sif"]
    err = error(tmp_path, {"visits": lines})
    assert err.file.endswith("visits.csv") and err.row == 4
    assert "cells where the header has" in str(err)


@pytest.mark.parametrize(
    ("name", "row", "old", "new", "field"),
    [
        ("visits", 2, "sif_inspection", "sif_inspectoin", "visit_type"),
        ("visits", 3, "monitoring_visit,sif", "monitoring_visit,ofsted", "framework"),
        ("judgements", 3, "care_leavers,good", "care_leavers,satisfactory", "grade"),
        ("judgements", 3, "care_leavers", "care_levers", "judgement_area"),
        ("findings", 2, "caseloads", "case_loads", "theme_id"),
        ("findings", 3, "strength", "positive", "polarity"),
        ("council_priority_themes", 2, "caseloads", "workload", "theme_id"),
    ],
)
def test_unknown_codes(tmp_path, name, row, old, new, field):
    err = error(tmp_path, replace(name, row, old, new))
    assert err.file.endswith(f"{name}.csv")
    assert (err.row, err.field) == (row, field)
    assert repr(new.split(",")[-1]) in str(err)


def test_end_date_before_start_date(tmp_path):
    err = error(tmp_path, replace("visits", 2, "2016-01-11,2016-02-08", "2016-02-08,2016-01-01"))
    assert str(err).endswith(
        "visits.csv, row 2, field fieldwork_end: end date 2016-01-01 is before start date 2016-02-08"
    )


def test_month_precision_date_must_be_first_of_month(tmp_path):
    err = error(tmp_path, replace("events", 2, "2016-04-05,day", "2016-04-05,month"))
    assert (err.row, err.field) == (2, "event_date")


def test_date_without_precision(tmp_path):
    err = error(tmp_path, replace("visits", 2, "2016-04-05,day", "2016-04-05,"))
    assert (err.row, err.field) == (2, "published_precision")


def test_duplicate_visit_id(tmp_path):
    lines = list(GOOD["visits"]) + [GOOD["visits"][1]]
    err = error(tmp_path, {"visits": lines})
    assert (err.row, err.field) == (4, "visit_id")
    assert "duplicate" in str(err) and "first at row 2" in str(err)


def test_duplicate_judgement_area_for_a_visit(tmp_path):
    lines = list(GOOD["judgements"]) + [GOOD["judgements"][2]]
    err = error(tmp_path, {"judgements": lines})
    assert (err.row, err.field) == (4, "judgement_area")


def test_fact_without_a_source(tmp_path):
    err = error(tmp_path, replace("findings", 3, "tester,false,,src_a", "tester,false,,"))
    assert err.file.endswith("findings.csv")
    assert (err.row, err.field) == (3, "source_id")
    assert "required" in str(err)


def test_source_not_in_registry(tmp_path):
    err = error(tmp_path, replace("events", 2, "src_a", "src_missing"))
    assert err.file.endswith("events.csv")
    assert (err.row, err.field) == (2, "source_id")
    assert "'src_missing'" in str(err)


def test_judgement_for_an_unknown_visit(tmp_path):
    err = error(tmp_path, replace("judgements", 2, f"{LA}-2016-01-sif", f"{LA}-2016-02-sif"))
    assert err.file.endswith("judgements.csv")
    assert (err.row, err.field) == (2, "visit_id")
    assert "not in visits.csv" in str(err)


def test_finding_for_an_unknown_visit(tmp_path):
    err = error(tmp_path, replace("findings", 2, f"{LA}-2016-01-sif", f"{LA}-2099-01-sif"))
    assert (err.row, err.field) == (2, "visit_id")


def test_visit_of_an_unknown_council(tmp_path):
    err = error(tmp_path, replace("visits", 3, f"mv1,{LA}", "mv1,E88888888"))
    assert (err.row, err.field) == (3, "la_id_gss")


def test_visit_id_must_carry_its_council(tmp_path):
    err = error(tmp_path, replace("visits", 3, f"{LA}-2017-mv1", "E11111111-2017-mv1"))
    assert (err.row, err.field) == (3, "visit_id")


def test_priority_of_an_unknown_event(tmp_path):
    err = error(tmp_path, replace("council_priorities", 2, f"{LA}-2016-04-direction", "no-such-event"))
    assert (err.row, err.field) == (2, "event_id")


def test_bad_boolean(tmp_path):
    err = error(tmp_path, replace("visits", 3, ",true,", ",perhaps,"))
    assert (err.row, err.field) == (3, "is_uncertain")


@pytest.mark.parametrize("spelling", ["yes", "no", "1", "0", "y", "n", "t"])
def test_booleans_are_true_or_false_only(tmp_path, spelling):
    err = error(tmp_path, replace("visits", 3, ",true,", f",{spelling},"))
    assert (err.row, err.field) == (3, "is_uncertain")
    assert str(err).startswith(str(tmp_path / "visits.csv") + ", row 3, field is_uncertain: ")
    assert f"{spelling!r} is not true or false" in str(err)


def test_booleans_as_excel_writes_them(tmp_path):
    changes = {**replace("visits", 3, ",true,", ",TRUE,"), **replace("judgements", 3, ",false,", ",FALSE,")}
    frames = timeline.read_seeds(write(tmp_path, changes), registry=REGISTRY, council_ids={LA})
    assert frames["visits"]["is_uncertain"].tolist() == [False, True]
    assert frames["judgements"]["is_overall"].tolist() == [True, False]


@pytest.mark.parametrize("name", ["grades", "visits", "judgements"])
def test_a_required_seed_with_only_its_header_is_refused(tmp_path, name):
    err = error(tmp_path, {name: GOOD[name][:1]})
    assert err.file.endswith(f"{name}.csv") and "header but no rows" in str(err) and "required" in str(err)


@pytest.mark.parametrize("name", sorted(timeline.MAY_BE_EMPTY))
def test_a_seed_that_may_be_empty_reads_as_no_rows(tmp_path, name):
    changes = {name: GOOD[name][:1]}
    if name == "council_priorities":  # its themes refer to its rows
        changes["council_priority_themes"] = GOOD["council_priority_themes"][:1]
    if name == "events":  # a priority refers to one
        changes.update(replace("council_priorities", 2, f"{LA}-2016-04-direction", ""))
    frames = timeline.read_seeds(write(tmp_path, changes), registry=REGISTRY, council_ids={LA})
    assert len(frames[name]) == 0 and list(frames[name].columns) == [c.name for c in dict(timeline.TABLES)[name]]


def test_a_missing_seed_file_is_named(tmp_path):
    write(tmp_path)
    (tmp_path / "judgements.csv").unlink()
    with pytest.raises(InputError, match=r"judgements\.csv: the file is missing"):
        timeline.read_seeds(tmp_path, registry=REGISTRY, council_ids={LA})
