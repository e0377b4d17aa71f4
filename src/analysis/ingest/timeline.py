"""The hand-compiled, sourced timeline (stage 4): grades, visits, judgements, events, findings, council priorities.

Every seed CSV is checked row by row; a bad cell, an unknown code, a date out of order, a duplicate id, a missing
source or a source_id that is not in the registry is an InputError naming the file, row and field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import config, db
from analysis.coding import codebook
from analysis.ingest import councils, csvfile, sources
from analysis.ingest.csvfile import Col

if TYPE_CHECKING:
    from analysis.build import BuildContext

VISIT_TYPES = frozenset(
    {
        "pre_sif_inspection",
        "sif_inspection",
        "monitoring_visit",
        "ilacs_standard",
        "ilacs_short",
        "focused_visit",
        "assurance_visit",
        "jtai",
        "area_send_inspection",
        "area_send_revisit",
    }
)
FRAMEWORKS = frozenset({"pre_sif", "sif", "ilacs", "area_send", "jtai"})
GRADES = frozenset({"outstanding", "good", "adequate", "requires_improvement", "inadequate"})
JUDGEMENT_AREAS = frozenset(
    {
        "overall_effectiveness",
        "help_and_protection",
        "children_in_care",
        "care_leavers",
        "leaders",
        "adoption",
        "lscb",
        "safeguarding",
        "looked_after_children",
    }
)
EVENT_TYPES = frozenset({"council_response", "dfe_intervention", "improvement_board", "other"})
# Findings use the codebook's fixed vocabulary, so they stay comparable with the automatic codings.
POLARITIES = frozenset(codebook.POLARITIES)
CORE_THEMES = frozenset(codebook.CORE_THEMES)
PRECISIONS = sources.PRECISIONS
GSS = r"E\d{8}"
ID = r"[A-Za-z0-9_.-]+"

RowCheck = Callable[[dict], tuple[str, str] | None]

GRADE_COLUMNS = [
    Col("grade", required=True, choices=GRADES, unique=True),
    Col("label", required=True),
    Col("grade_rank", kind="int", required=True),
]
VISIT_COLUMNS = [
    Col("visit_id", required=True, pattern=ID, unique=True),
    Col("la_id_gss", required=True, pattern=GSS),
    Col("visit_type", required=True, choices=VISIT_TYPES),
    Col("framework", required=True, choices=FRAMEWORKS),
    Col("title", required=True),
    Col("focus"),
    Col("fieldwork_start", kind="date"),
    Col("fieldwork_end", kind="date"),
    Col("fieldwork_precision", choices=PRECISIONS),
    Col("published_date", kind="date"),
    Col("published_precision", choices=PRECISIONS),
    Col("inspectors"),
    Col("lead_inspector"),
    Col("is_uncertain", kind="bool"),
    Col("note"),
    Col("source_id", required=True, pattern=sources.SOURCE_ID),
]
JUDGEMENT_COLUMNS = [
    Col("visit_id", required=True),
    Col("judgement_area", required=True, choices=JUDGEMENT_AREAS),
    Col("grade", required=True),
    Col("is_overall", kind="bool"),
    Col("note"),
    Col("source_id", required=True, pattern=sources.SOURCE_ID),
]
EVENT_COLUMNS = [
    Col("event_id", required=True, pattern=ID, unique=True),
    Col("la_id_gss", required=True, pattern=GSS),
    Col("event_type", required=True, choices=EVENT_TYPES),
    Col("event_date", kind="date"),
    Col("event_precision", choices=PRECISIONS),
    Col("title", required=True),
    Col("is_uncertain", kind="bool"),
    Col("note"),
    Col("source_id", required=True, pattern=sources.SOURCE_ID),
]
FINDING_COLUMNS = [
    Col("finding_id", required=True, pattern=ID, unique=True),
    Col("visit_id", required=True),
    Col("theme_id"),
    Col("polarity", required=True, choices=POLARITIES),
    Col("paraphrase", required=True),
    Col("coder", required=True),
    Col("is_inferred", kind="bool"),
    Col("note"),
    Col("source_id", required=True, pattern=sources.SOURCE_ID),
]
PRIORITY_COLUMNS = [
    Col("priority_id", required=True, pattern=ID, unique=True),
    Col("la_id_gss", required=True, pattern=GSS),
    Col("event_id"),
    Col("seq", kind="int", required=True),
    Col("paraphrase", required=True),
    Col("is_uncertain", kind="bool"),
    Col("note"),
    Col("source_id", required=True, pattern=sources.SOURCE_ID),
]
PRIORITY_THEME_COLUMNS = [
    Col("priority_id", required=True),
    Col("theme_id", required=True),
]

# Seed files that may hold only their header (data/seeds/README.md): the rest are required, and one with no rows
# stops the build. A council's timeline always has grades, visits and judgements; it may have no events yet.
MAY_BE_EMPTY = frozenset({"events", "findings", "council_priorities", "council_priority_themes"})

# (table, file stem, columns) in load order: later files refer to earlier ones.
TABLES = [
    ("grades", GRADE_COLUMNS),
    ("visits", VISIT_COLUMNS),
    ("judgements", JUDGEMENT_COLUMNS),
    ("events", EVENT_COLUMNS),
    ("findings", FINDING_COLUMNS),
    ("council_priorities", PRIORITY_COLUMNS),
    ("council_priority_themes", PRIORITY_THEME_COLUMNS),
]


def _known(field: str, allowed: Iterable[str], what: str, optional: bool = False) -> RowCheck:
    allowed = frozenset(allowed)

    def check(row: dict) -> tuple[str, str] | None:
        value = row[field]
        if value is None and optional:
            return None
        if value not in allowed:
            return field, f"{value!r} is not a known {what}"
        return None

    return check


def _unique_together(fields: tuple[str, ...]) -> RowCheck:
    seen: set[tuple] = set()

    def check(row: dict) -> tuple[str, str] | None:
        key = tuple(row[f] for f in fields)
        if key in seen:
            return fields[-1], f"duplicate {' + '.join(fields)} {key}"
        seen.add(key)
        return None

    return check


def _dated(date_field: str, precision_field: str) -> RowCheck:
    return lambda row: sources.check_precision(row, date_field, precision_field)


def _fieldwork(row: dict) -> tuple[str, str] | None:
    start, end, precision = row["fieldwork_start"], row["fieldwork_end"], row["fieldwork_precision"]
    if start is not None and end is not None and end < start:
        return "fieldwork_end", f"end date {end} is before start date {start}"
    dated = [(field, row[field]) for field in ("fieldwork_start", "fieldwork_end") if row[field] is not None]
    if not dated:
        if precision is not None:
            return "fieldwork_precision", f"fieldwork_precision is {precision!r} but there is no fieldwork date"
        return None
    if precision is None:
        return "fieldwork_precision", "a precision (day, month or year) is required for the fieldwork dates"
    for field, _ in dated:
        problem = sources.check_precision(
            {field: row[field], "fieldwork_precision": precision}, field, "fieldwork_precision"
        )
        if problem:
            return problem
    return None


def _visit_id_names_council(row: dict) -> tuple[str, str] | None:
    if not row["visit_id"].startswith(f"{row['la_id_gss']}-"):
        return "visit_id", f"{row['visit_id']!r} should start with its council's code {row['la_id_gss']}-"
    return None


def _in_registry(registry: frozenset[str] | None) -> list[RowCheck]:
    if registry is None:
        return []
    return [_known("source_id", registry, "source_id in data/sources/*.csv")]


def read_seeds(
    seeds_dir: Path,
    registry: Iterable[str] | None = None,
    council_ids: Iterable[str] | None = None,
    themes: Iterable[str] = CORE_THEMES,
) -> dict[str, pd.DataFrame]:
    """Read and check every timeline seed CSV; `registry` and `council_ids` enable the cross-file checks."""
    seeds_dir = Path(seeds_dir)
    reg = frozenset(registry) if registry is not None else None
    sourced = _in_registry(reg)
    council_check = (
        [_known("la_id_gss", council_ids, "council (not in councils.csv)")] if council_ids is not None else []
    )
    themes = frozenset(themes)
    out: dict[str, pd.DataFrame] = {}

    def read(table: str, checks: list[RowCheck]) -> pd.DataFrame:
        columns = dict(TABLES)[table]
        out[table] = csvfile.read(
            seeds_dir / f"{table}.csv", columns, row_checks=checks, allow_empty=table in MAY_BE_EMPTY
        )
        return out[table]

    grades = read("grades", [])
    visits = read(
        "visits",
        [
            *council_check,
            _visit_id_names_council,
            _fieldwork,
            _dated("published_date", "published_precision"),
            *sourced,
        ],
    )
    visit_ids = set(visits["visit_id"])
    read(
        "judgements",
        [
            _known("visit_id", visit_ids, "visit_id (not in visits.csv)"),
            _known("grade", grades["grade"], "grade (not in grades.csv)"),
            _unique_together(("visit_id", "judgement_area")),
            *sourced,
        ],
    )
    events = read("events", [*council_check, _dated("event_date", "event_precision"), *sourced])
    read(
        "findings",
        [
            _known("visit_id", visit_ids, "visit_id (not in visits.csv)"),
            _known("theme_id", themes, "theme_id", optional=True),
            *sourced,
        ],
    )
    priorities = read(
        "council_priorities",
        [
            *council_check,
            _known("event_id", events["event_id"], "event_id (not in events.csv)", optional=True),
            _unique_together(("la_id_gss", "event_id", "seq")),
            *sourced,
        ],
    )
    read(
        "council_priority_themes",
        [
            _known("priority_id", priorities["priority_id"], "priority_id (not in council_priorities.csv)"),
            _known("theme_id", themes, "theme_id"),
            _unique_together(("priority_id", "theme_id")),
        ],
    )
    return out


def _council_ids(seeds_dir: Path) -> set[str] | None:
    """The councils of the committed lookup (stage 3 checks that file in full)."""
    path = seeds_dir / "councils.csv"
    if not path.is_file():
        return None
    return set(csvfile.read(path, councils.COUNCIL_COLUMNS)["la_id_gss"])


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Stage 4: check the timeline seeds against the registry and councils, then fill their tables."""
    seeds_dir = Path(ctx.data) / "seeds"
    registry = set(sources.read_registry(ctx.data, ctx.repo)["source_id"])
    frames = read_seeds(seeds_dir, registry=registry, council_ids=_council_ids(seeds_dir))
    for table, frame in frames.items():
        db.append(con, table, frame)
        if not len(frame):
            ctx.log(f"timeline: {table}.csv: 0 rows (allowed)")
    counts = ", ".join(f"{len(frame)} {table}" for table, frame in frames.items())
    ctx.log(f"timeline: {counts} from {config.relative(seeds_dir)}")
