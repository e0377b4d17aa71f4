"""The report's parameters: read from the notebook's `parameters` cell and checked before any kernel starts.

papermill only warns about an unknown parameter name and injects it anyway; a report for a council or a quarter
the database knows nothing about would render an empty page. Both are refused here with a ParameterError that
names the parameter, so a batch can list the bad ones without starting a kernel.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from analysis import config, db
from analysis.errors import ParameterError

NOTEBOOK = config.NOTEBOOKS / "quarterly_report.py"
CHART_MODES = ("interactive", "static")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_GSS = re.compile(r"^E\d{8}$")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter such as 2026Q1: the report shows what was published up to its end."""

    year: int
    number: int

    @property
    def label(self) -> str:
        """The quarter as written in parameters and file names, e.g. 2026Q1."""
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> dt.date:
        """The first day of the quarter."""
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the quarter (the report's as-of date)."""
        first_of_next = dt.date(self.year + self.number // 4, 3 * self.number % 12 + 1, 1)
        return first_of_next - dt.timedelta(days=1)

    @property
    def title(self) -> str:
        """The quarter in words, e.g. 'January to March 2026'."""
        return f"{self.start:%B} to {self.end:%B %Y}"


def parse_quarter(value: object) -> Quarter:
    """Parse '2026Q1' (case-insensitive); anything else is a ParameterError naming `quarter`."""
    match = _QUARTER.match(str(value).strip().upper()) if isinstance(value, str) else None
    if not match:
        raise ParameterError(f"quarter: {value!r} is not a quarter like 2026Q1 (year, Q, 1-4)")
    return Quarter(int(match.group(1)), int(match.group(2)))


def notebook_defaults(path: Path = NOTEBOOK) -> dict[str, object]:
    """The names and literal defaults of the notebook's `parameters` cell (a jupytext percent .py file)."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r'^# %%[^\n]*tags=\[[^\]]*"parameters"[^\]]*\][^\n]*\n(.*?)(?=^# %%|\Z)', text, re.M | re.S)
    if not match:
        raise ParameterError(f"{config.relative(path)}: no cell tagged parameters")
    defaults: dict[str, object] = {}
    for node in ast.parse(match.group(1)).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            defaults[node.target.id] = ast.literal_eval(node.value)
    return defaults


def split_list(value: object) -> list[str]:
    """A list parameter given as a list or as a comma-separated string ('a, b' -> ['a', 'b'])."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [str(part).strip() for part in value]
    raise ParameterError(f"expected a list or a comma-separated string, got {value!r}")


def check_names(params: dict[str, object], defaults: dict[str, object]) -> None:
    """Refuse a parameter the notebook does not declare (papermill would only warn)."""
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise ParameterError(
            f"{unknown[0]}: not a parameter of the quarterly report (known: {', '.join(sorted(defaults))})"
        )


def validate(
    params: dict[str, object],
    con: duckdb.DuckDBPyConnection,
    defaults: dict[str, object] | None = None,
) -> dict[str, object]:
    """Check every parameter against the notebook and the database; return them complete and normalised."""
    defaults = notebook_defaults() if defaults is None else defaults
    check_names(params, defaults)
    out = {**defaults, **params}

    la = out.get("la_id_gss")
    if not isinstance(la, str) or not _GSS.match(la.strip()):
        raise ParameterError(f"la_id_gss: {la!r} is not a GSS code like E08000027")
    la = la.strip()
    council = db.records(con, "mart_report_council", la_id_gss=la)
    if not council:
        raise ParameterError(f"la_id_gss: {la} is not a council in the database (table councils)")

    quarter = parse_quarter(out.get("quarter"))
    first_date = council[0]["first_published_date"]
    if first_date is None:
        raise ParameterError(f"la_id_gss: no visit or inspection of {la} is in the database, so no report")
    if quarter.end < first_date:
        raise ParameterError(
            f"quarter: {quarter.label} ends on {quarter.end} before the first published data about {la} ({first_date})"
        )

    try:
        themes = split_list(out.get("focus_themes"))
    except ParameterError as exc:
        raise ParameterError(f"focus_themes: {exc}") from None
    known = {r["theme_id"] for r in db.records(con, "mart_report_themes")}
    unknown = [t for t in themes if t not in known]
    if unknown:
        raise ParameterError(f"focus_themes: {unknown[0]!r} is not a theme of the codebook (table themes)")

    mode = out.get("chart_mode")
    if mode not in CHART_MODES:
        raise ParameterError(f"chart_mode: {mode!r} is not one of {', '.join(CHART_MODES)}")

    db_path = out.get("db_path")
    if db_path is not None and not isinstance(db_path, str):
        raise ParameterError(f"db_path: {db_path!r} is not a path")

    out.update(la_id_gss=la, quarter=quarter.label, focus_themes=themes, chart_mode=mode)
    return out
