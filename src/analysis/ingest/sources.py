"""The registry of sources: every data/sources/*.csv, checked, and loaded into the `sources` table (stage 2)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import config, db
from analysis.errors import InputError
from analysis.ingest import csvfile
from analysis.ingest.csvfile import Col
from analysis.ingest.fetch import sha256_file

if TYPE_CHECKING:
    from analysis.build import BuildContext

KINDS = frozenset(
    {
        "inspection_report",
        "monitoring_visit_letter",
        "focused_visit_letter",
        "council_report",
        "news",
        "official_statistics",
        "lookup",
        "reference",
    }
)
PRECISIONS = frozenset({"day", "month", "year"})
SOURCE_ID = r"[a-z0-9_.-]+"
# A licence must say what it is: an open licence, or whose copyright it is.
_LICENCE = re.compile(r"^(OGL v3\.0|MIT|CC[ -]BY|©)")

COLUMNS = [
    Col("source_id", required=True, pattern=SOURCE_ID, unique=True),
    Col("la_id_gss", pattern=r"E\d{8}"),
    Col("kind", required=True, choices=KINDS),
    Col("title", required=True),
    Col("publisher", required=True),
    Col("published_date", kind="date"),
    Col("published_date_precision", choices=PRECISIONS),
    Col("url", pattern=r"https?://\S+"),
    Col("download_url", pattern=r"https?://\S+"),
    Col("licence", required=True),
    Col("sha256", pattern=r"[0-9a-f]{64}"),
    Col("local_path"),
    Col("cache_path"),
    Col("visit_id"),
    Col("note"),
]
NAMES = [c.name for c in COLUMNS]


def check_precision(row: dict, date_field: str, precision_field: str) -> tuple[str, str] | None:
    """A date and its precision go together; a month- or year-precise date is the first day of its period."""
    date, precision = row.get(date_field), row.get(precision_field)
    if date is None and precision is None:
        return None
    if date is None:
        return date_field, f"{precision_field} is {precision!r} but there is no date"
    if precision is None:
        return precision_field, f"a precision (day, month or year) is required for {date_field} {date}"
    if precision == "month" and date.day != 1:
        return date_field, f"a month-precise date is written as the first of the month, not {date}"
    if precision == "year" and (date.month, date.day) != (1, 1):
        return date_field, f"a year-precise date is written as 1 January, not {date}"
    return None


def _row_checks(row: dict) -> tuple[str, str] | None:
    problem = check_precision(row, "published_date", "published_date_precision")
    if problem:
        return problem
    if not _LICENCE.match(row["licence"]):
        return "licence", f"{row['licence']!r} should start with 'OGL v3.0', 'MIT', 'CC BY' or '©' (whose copyright)"
    for field in ("local_path", "cache_path"):
        path = row[field]
        if path and (Path(path).is_absolute() or ".." in Path(path).parts):
            return field, f"{path!r} must be a relative path inside the repo or the cache"
    if row["local_path"] and not row["sha256"]:
        return "sha256", "a committed file (local_path) needs its sha256"
    return None


def read_file(path: Path, repo: Path | None = None) -> pd.DataFrame:
    """One registry CSV, checked row by row; committed files must exist and match their sha256."""
    repo = Path(repo or config.REPO)
    frame = csvfile.read(path, COLUMNS, row_checks=[_row_checks])
    shown = config.relative(path)
    for offset, row in enumerate(frame.itertuples(index=False)):
        if not row.local_path:
            continue
        target = repo / row.local_path
        if not target.is_file():
            raise InputError(shown, f"{row.local_path} does not exist", row=offset + 2, field="local_path")
        actual = sha256_file(target)
        if actual != row.sha256:
            raise InputError(
                shown,
                f"{row.local_path} has sha256 {actual}, not the registered {row.sha256}",
                row=offset + 2,
                field="sha256",
            )
    return frame


def read_registry(data_dir: Path | None = None, repo: Path | None = None) -> pd.DataFrame:
    """Every data/sources/*.csv concatenated, each checked; source_id must be unique across the files."""
    data_dir = Path(data_dir or config.DATA)
    repo = Path(repo) if repo is not None else data_dir.parent
    files = sorted(data_dir.joinpath("sources").glob("*.csv"))
    if not files:
        raise InputError(config.relative(data_dir / "sources"), "no registry files (*.csv) found")
    frames: list[pd.DataFrame] = []
    first_seen: dict[str, tuple[str, int]] = {}
    for path in files:
        frame = read_file(path, repo)
        shown = config.relative(path)
        for offset, source_id in enumerate(frame["source_id"]):
            if source_id in first_seen:
                other, other_row = first_seen[source_id]
                raise InputError(
                    shown,
                    f"duplicate source_id {source_id!r} (already in {other}, row {other_row})",
                    row=offset + 2,
                    field="source_id",
                )
            first_seen[source_id] = (shown, offset + 2)
        frames.append(frame)
    registry = pd.concat(frames, ignore_index=True)[NAMES]
    return registry.astype(object).where(registry.notna(), None)


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Stage 2: fill `sources` from the registry."""
    registry = read_registry(ctx.data, ctx.repo)
    db.append(con, "sources", registry)
    ctx.log(f"sources: {len(registry)} registered")
