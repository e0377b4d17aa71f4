"""The council's own quarterly figures (data/local/*.csv): measures only the council holds, checked on load."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import config, db
from analysis.errors import InputError
from analysis.ingest import csvfile
from analysis.ingest.csvfile import Col

if TYPE_CHECKING:  # build imports the stages; a runtime import would be circular
    from analysis.build import BuildContext

LOCAL = Path("local")  # under data/
COLUMNS: list[Col] = [
    Col("la_id_gss", required=True, pattern=r"E\d{8}"),
    Col("measure", required=True, pattern=r"[a-z0-9_]+"),
    Col("team"),
    Col("period_start", "date", required=True),
    Col("period_end", "date", required=True),
    Col("value", "float", required=True),
    Col("target", "float"),
    Col("source_note", required=True),
]
TABLE_COLUMNS = [c.name for c in COLUMNS] + ["source_file"]


def _period_order(row: dict) -> tuple[str, str] | None:
    if row["period_end"] < row["period_start"]:
        return "period_end", f"period end {row['period_end']} is before period start {row['period_start']}"
    return None


def read_local(path: Path) -> pd.DataFrame:
    """One local figures CSV, checked: GSS code, measure id, ISO dates in order, numeric value and target."""
    frame = csvfile.read(Path(path), COLUMNS, row_checks=[_period_order])
    key = ["la_id_gss", "measure", "team", "period_start", "period_end"]
    dupes = frame.astype(str).duplicated(key, keep="first")
    if dupes.any():
        row = int(dupes.to_numpy().nonzero()[0][0]) + 2
        raise InputError(config.relative(path), "the same council, measure, team and period twice", row=row)
    return frame.assign(source_file=config.relative(path))


def read_all(local_dir: Path) -> pd.DataFrame:
    """Every data/local/*.csv (the header-only template adds nothing)."""
    frames = [read_local(p) for p in sorted(Path(local_dir).glob("*.csv"))]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[TABLE_COLUMNS]


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Fill `local_measures` from data/local/*.csv (called by stage 7)."""
    frame = read_all(Path(ctx.data) / LOCAL)
    ctx.log(f"official: {len(frame)} local figure(s) from {config.relative(Path(ctx.data) / LOCAL)}")
    db.append(con, "local_measures", frame)
