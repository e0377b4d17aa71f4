"""The council's own figures (data/local/): checked on load with clear errors. Rows are synthetic test data."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config
from analysis.errors import InputError
from analysis.ingest import local

HEADER = "la_id_gss,measure,team,period_start,period_end,value,target,source_note"


def _csv(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "figures.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_good_rows_load(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "E08000027,supervision_in_timescale_pct,,2026-01-01,2026-03-31,81.5,90,synthetic test row",
        "E08000027,caseload_per_worker,Assessment team 1,2026-01-01,2026-03-31,21,18,synthetic test row",
    )
    frame = local.read_local(path)
    assert frame["value"].tolist() == [81.5, 21.0]
    assert frame["team"].iloc[0] is None and frame["target"].iloc[1] == 18.0


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("E08000027,m,,2026-01-01,31/03/2026,1,,note", "period_end"),
        ("E08000027,m,,2026-04-01,2026-03-31,1,,note", "period_end"),
        ("Dudley,m,,2026-01-01,2026-03-31,1,,note", "la_id_gss"),
        ("E08000027,Supervision %,,2026-01-01,2026-03-31,1,,note", "measure"),
        ("E08000027,m,,2026-01-01,2026-03-31,high,,note", "value"),
        ("E08000027,m,,2026-01-01,2026-03-31,1,,", "source_note"),
    ],
)
def test_bad_rows_name_row_and_field(tmp_path: Path, row: str, field: str) -> None:
    path = _csv(tmp_path, "E08000027,m,,2025-10-01,2025-12-31,1,,note", row)
    with pytest.raises(InputError) as err:
        local.read_local(path)
    assert (err.value.row, err.value.field) == (3, field)


def test_duplicate_period_is_refused(tmp_path: Path) -> None:
    row = "E08000027,m,Team A,2026-01-01,2026-03-31,1,,note"
    with pytest.raises(InputError, match="twice") as err:
        local.read_local(_csv(tmp_path, row, row))
    assert err.value.row == 3


def test_committed_template_is_empty_and_valid() -> None:
    frame = local.read_all(config.DATA / "local")
    assert frame.empty  # no invented values are committed
    assert list(frame.columns) == local.TABLE_COLUMNS
