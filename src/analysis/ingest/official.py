"""Stage 7: official statistics (DfE workforce, children in need, children looked after; Ofsted outcomes).

The importers read the files in their published formats (EES CSVs; Ofsted ODS with the header on the 3rd row)
and return rows for the long `measures` table and for `ofsted_outcomes`. The measure catalogue
(data/measures/catalogue.yaml) says which published column becomes which measure. `load` imports the full files
from the fetch cache when present, and otherwise the committed extract (data/official_extract/), saying which.
Ofsted's outcome files stop at 31 March 2025; later ILACS inspections come from Data to Insight's ILACS history
(`import_d2i`), and wherever both list an inspection the official row wins (`prefer_official`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import yaml

from analysis import config, db
from analysis.cache import Cache, digest, source_digest
from analysis.errors import InputError
from analysis.ingest.fetch import sha256_file

if TYPE_CHECKING:  # build imports the stages; a runtime import would be circular
    from analysis.build import BuildContext

# The full files take about 20 s to parse (the Ofsted ODS most of it), so stage 7 keeps what it imports from them in
# the build cache, keyed by the files' sha256, the councils seed, the import specs and this module's source. Bump
# IMPORTER_VERSION when the output changes for a reason the source digest cannot see (a new odfpy or pandas).
IMPORTER_VERSION = "1"
CATALOGUE = Path("measures") / "catalogue.yaml"  # under data/
EXTRACT = Path("official_extract")  # under data/
REGISTRY = Path("sources") / "official.csv"  # under data/

MEASURE_COLUMNS = [
    "measure",
    "la_id_gss",
    "geographic_level",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "status",
    "status_code",
    "source_id",
]
CATALOGUE_COLUMNS = ["measure", "label", "unit", "is_higher_better", "publication", "source_id", "theme_ids"]
OUTCOME_COLUMNS = [
    "la_id_gss",
    "la_urn_ofsted",
    "inspection_type",
    "visit_theme",
    "inspection_start",
    "inspection_end",
    "published_date",
    "judgement_area",
    "grade",
    "source_id",
]

# Explore Education Statistics symbols for a value that is not published (EES footnote conventions).
SYMBOLS: dict[str, str] = {
    "c": "suppressed",  # confidential: suppressed to protect individuals
    "x": "not_available",
    "..": "not_available",
    ":": "not_available",
    "": "not_available",
    "z": "not_applicable",
    "low": "low",  # rounds to zero but is not zero
    "u": "low_reliability",
}
LEVELS: dict[str, tuple[str, str]] = {
    "National": ("national", "country_code"),
    "Regional": ("region", "region_code"),
    "Local authority": ("la", "new_la_code"),
}
POPULATION_SOURCE = "ons_population_0_17_2012_2024"
NEIGHBOURS_FILE = Path("la-lookup-stat-neighbours") / "sn_model_2025_wide.csv"
_IMPORT_KEYS = {"period", "where", "value", "numerator", "denominator", "total_where", "per_10k_of"}
_MEASURE_KEYS = set(CATALOGUE_COLUMNS) | {"import"}
_ID = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class MeasureSpec:
    """How one measure is read from its published file (see the header of data/measures/catalogue.yaml)."""

    measure: str
    source_id: str
    period: str
    value: str
    where: tuple[tuple[str, str], ...] = ()
    numerator: str | None = None
    denominator: str | None = None
    total_where: tuple[tuple[str, str], ...] = ()
    per_10k_of: str | None = None


# ---------------------------------------------------------------------------------------------- catalogue


def read_catalogue(path: Path | None = None) -> tuple[pd.DataFrame, list[MeasureSpec]]:
    """The measure catalogue as a `measure_catalogue` frame and the import spec of every measure."""
    path = Path(path or config.DATA / CATALOGUE)
    shown = config.relative(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(shown, f"not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("measures"), list):
        raise InputError(shown, "expected a mapping with a `measures` list", field="measures")
    rows, specs, seen = [], [], set()
    for i, item in enumerate(doc["measures"]):
        where = f"measures[{i}]"
        if not isinstance(item, dict):
            raise InputError(shown, "each measure must be a mapping", field=where)
        unknown = set(item) - _MEASURE_KEYS
        missing = _MEASURE_KEYS - set(item)
        if unknown or missing:
            raise InputError(shown, f"unknown keys {sorted(unknown)} / missing keys {sorted(missing)}", field=where)
        measure = str(item["measure"])
        if not _ID.fullmatch(measure) or measure in seen:
            raise InputError(shown, f"measure id {measure!r} is not a unique [a-z0-9_] id", field=f"{where}.measure")
        seen.add(measure)
        if item["is_higher_better"] not in (True, False, None):
            raise InputError(shown, "is_higher_better must be true, false or null", field=f"{where}.is_higher_better")
        themes = item["theme_ids"] or []
        if not isinstance(themes, list) or not all(_ID.fullmatch(str(t)) for t in themes):
            raise InputError(shown, "theme_ids must be a list of theme ids", field=f"{where}.theme_ids")
        imp = item["import"]
        if not isinstance(imp, dict) or set(imp) - _IMPORT_KEYS or not {"period", "value"} <= set(imp):
            raise InputError(
                shown, f"import needs period and value; allowed keys {sorted(_IMPORT_KEYS)}", field=f"{where}.import"
            )
        if imp["period"] not in ("sep30", "year", "mar31"):
            raise InputError(
                shown, f"period {imp['period']!r} is not sep30, year or mar31", field=f"{where}.import.period"
            )
        specs.append(
            MeasureSpec(
                measure=measure,
                source_id=str(item["source_id"]),
                period=imp["period"],
                value=imp["value"],
                where=tuple(sorted((imp.get("where") or {}).items())),
                numerator=imp.get("numerator"),
                denominator=imp.get("denominator"),
                total_where=tuple(sorted((imp.get("total_where") or {}).items())),
                per_10k_of=imp.get("per_10k_of"),
            )
        )
        rows.append({**{k: item[k] for k in CATALOGUE_COLUMNS}, "theme_ids": ",".join(map(str, themes))})
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS), specs


def registry_paths(data_dir: Path | None = None) -> dict[str, str]:
    """source_id -> cache_path of every official file registered in data/sources/official.csv."""
    path = Path(data_dir or config.DATA) / REGISTRY
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["source_id"]: row["cache_path"] for row in csv.DictReader(handle) if row["cache_path"]}


@dataclass(frozen=True)
class Councils:
    """Current GSS codes of the councils in data/seeds/councils.csv, by DfE number and by name."""

    by_dfe: dict[str, str]
    by_name: dict[str, str]
    codes: frozenset[str]


def read_councils(data_dir: Path | None = None) -> Councils:
    """The councils seed, used to give a council one GSS code across years (e.g. Barnsley E08000016 -> E08000038)."""
    path = Path(data_dir or config.DATA) / "seeds" / "councils.csv"
    if not path.exists():
        return Councils({}, {}, frozenset())
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Councils(
        by_dfe={r["la_id_dfe"].strip(): r["la_id_gss"] for r in rows if r["la_id_dfe"].strip()},
        by_name={_norm_name(r["la_name"]): r["la_id_gss"] for r in rows},
        codes=frozenset(r["la_id_gss"] for r in rows),
    )


def _in_official_dir(official_dir: Path, cache_path: str) -> Path:
    """Where a registered file lies in a folder laid out like ../shared/data/official (cache_path minus 'official/')."""
    return Path(official_dir) / Path(cache_path).relative_to("official")


# ---------------------------------------------------------------------------------------------- EES files


@lru_cache(maxsize=32)
def _read_csv_cached(path: str, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def read_ees(path: Path) -> pd.DataFrame:
    """An EES CSV as text cells (nothing guessed), with the standard geography columns checked."""
    path = Path(path)
    frame = _read_csv_cached(str(path), path.stat().st_mtime).copy()
    needed = ["time_period", "geographic_level", "country_code", "region_code", "new_la_code"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(config.relative(path), f"missing column(s) {', '.join(missing)}", row=1)
    return frame


def parse_cells(frame: pd.DataFrame, column: str, file: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(value, status, status_code) of a published column: symbols stay missing with their reason, never zero."""
    if column not in frame.columns:
        raise InputError(file, f"missing column {column}", row=1, field=column)
    text = frame[column].astype(str).str.strip()
    value = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    symbol = text.str.lower()
    bad = value.isna() & ~symbol.isin(SYMBOLS.keys())
    if bad.any():
        first = bad.idxmax()
        raise InputError(
            file, f"{text[first]!r} is neither a number nor a published symbol", row=int(first) + 2, field=column
        )
    status = symbol.map(SYMBOLS).where(value.isna(), "ok")
    code = text.astype(object).where(value.isna() & (text != ""), None)
    return value, status, code


def _geography(frame: pd.DataFrame, file: str) -> tuple[pd.Series, pd.Series]:
    level = frame["geographic_level"].map(lambda v: LEVELS.get(v, (None, None))[0])
    if level.isna().any():
        first = level.isna().idxmax()
        raise InputError(
            file, f"unknown geographic_level {frame.at[first, 'geographic_level']!r}", row=int(first) + 2,
            field="geographic_level",
        )  # fmt: skip
    code = pd.Series(None, index=frame.index, dtype=object)
    for name, (_level, column) in LEVELS.items():
        mask = frame["geographic_level"] == name
        code[mask] = frame.loc[mask, column].str.strip()
    empty = code.isna() | (code == "")
    if empty.any():
        first = empty.idxmax()
        column = LEVELS[frame.at[first, "geographic_level"]][1]
        raise InputError(file, "no area code", row=int(first) + 2, field=column)
    return code, level


def _year_end(frame: pd.DataFrame, file: str) -> pd.Series:
    text = frame["time_period"].astype(str).str.strip()
    four = text.str.fullmatch(r"\d{4}")
    six = text.str.fullmatch(r"\d{6}")  # EES financial/academic years, e.g. 202425 ends in 2025
    bad = ~(four | six)
    if bad.any():
        first = bad.idxmax()
        raise InputError(
            file, f"time_period {text[first]!r} is not YYYY or YYYYYY", row=int(first) + 2, field="time_period"
        )
    year = text.str[:4].astype(int)
    return year.where(four, year + 1)


def period_bounds(year: int, period: str) -> tuple[dt.date, dt.date]:
    """(period_start, period_end) of a published year: sep30 snapshot, year to 31 March, or count at 31 March."""
    if period == "sep30":
        return dt.date(year, 9, 30), dt.date(year, 9, 30)
    if period == "mar31":
        return dt.date(year, 3, 31), dt.date(year, 3, 31)
    if period == "year":
        return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    raise ValueError(period)


def _population(official_dir: Path, registry: dict[str, str], councils: Councils) -> pd.DataFrame:
    path = _in_official_dir(official_dir, registry[POPULATION_SOURCE])
    file = config.relative(path)
    frame = read_ees(path)
    code, level = _geography(frame, file)
    code = _current_code(frame, code, level, councils)
    value, status, _ = parse_cells(frame, "population_estimate", file)
    return pd.DataFrame({"la_id_gss": code, "pop_year": _year_end(frame, file), "population": value})


def _current_code(frame: pd.DataFrame, code: pd.Series, level: pd.Series, councils: Councils) -> pd.Series:
    # A council whose GSS code changed (a boundary change) keeps its DfE number: use its current code in every year.
    if not councils.codes or "old_la_code" not in frame.columns:
        return code
    current = frame["old_la_code"].str.strip().map(councils.by_dfe)
    recode = (level == "la") & current.notna() & ~code.isin(councils.codes)
    return code.where(~recode, current)


def import_measure(
    official_dir: Path, spec: MeasureSpec, registry: dict[str, str], councils: Councils | None = None
) -> pd.DataFrame:
    """Rows of the `measures` table for one catalogue measure, every area and every published year."""
    councils = councils or Councils({}, {}, frozenset())
    path = _in_official_dir(official_dir, registry[spec.source_id])
    file = config.relative(path)
    frame = read_ees(path)
    for column, _wanted in spec.where + spec.total_where:
        if column not in frame.columns:
            raise InputError(file, f"missing column {column}", row=1, field=column)
    rows = frame
    for column, wanted in spec.where:
        rows = rows[rows[column] == wanted]
    if rows.empty:
        raise InputError(file, f"no rows for measure {spec.measure} where {dict(spec.where)}")
    code, level = _geography(rows, file)
    code = _current_code(rows, code, level, councils)
    year = _year_end(rows, file)
    value, status, status_code = parse_cells(rows, spec.value, file)
    out = pd.DataFrame(
        {
            "measure": spec.measure,
            "la_id_gss": code,
            "geographic_level": level,
            "year": year,
            "value": value,
            "status": status,
            "status_code": status_code,
            "source_id": spec.source_id,
        }
    )
    out["numerator"] = parse_cells(rows, spec.numerator, file)[0] if spec.numerator else float("nan")
    out["denominator"] = float("nan")
    if spec.total_where:
        totals = frame
        for column, wanted in dict(spec.where, **dict(spec.total_where)).items():
            totals = totals[totals[column] == wanted]
        t_code, t_level = _geography(totals, file)
        t_code = _current_code(totals, t_code, t_level, councils)
        keyed = pd.DataFrame(
            {
                "la_id_gss": t_code,
                "year": _year_end(totals, file),
                "denominator": parse_cells(totals, spec.denominator, file)[0],
            }
        )
        out = out.drop(columns="denominator").merge(keyed, on=["la_id_gss", "year"], how="left")
    elif spec.denominator:
        out["denominator"] = parse_cells(rows, spec.denominator, file)[0].to_numpy()
    if spec.per_10k_of:
        if spec.per_10k_of != "population_0_17":
            raise InputError(config.relative(config.DATA / CATALOGUE), f"unknown per_10k_of {spec.per_10k_of!r}")
        # DfE rates for a year to 31 March Y use the ONS mid-year estimate of Y-1.
        pop = _population(official_dir, registry, councils).assign(year=lambda f: f["pop_year"] + 1)
        out = out.merge(pop[["la_id_gss", "year", "population"]], on=["la_id_gss", "year"], how="left")
        out["numerator"] = out["value"]
        out["denominator"] = out["population"]
        out["value"] = (out["value"] / out["population"] * 10000).round(1)
        no_pop = out["population"].isna() & (out["status"] == "ok")
        out.loc[no_pop, "status"] = "not_available"
        out = out.drop(columns="population")
    bounds = out["year"].map(lambda y: period_bounds(int(y), spec.period))
    out["period_start"] = bounds.map(lambda b: b[0])
    out["period_end"] = bounds.map(lambda b: b[1])
    dupes = out.duplicated(["la_id_gss", "period_end"], keep=False)
    if dupes.any():
        first = out[dupes].iloc[0]
        raise InputError(file, f"two rows for {spec.measure} {first['la_id_gss']} {first['year']}")
    return _tidy_measures(out)


def _tidy_measures(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[MEASURE_COLUMNS].copy()
    for column in ("value", "numerator", "denominator"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["period_start"] = pd.to_datetime(out["period_start"]).dt.date
    out["period_end"] = pd.to_datetime(out["period_end"]).dt.date
    out["status_code"] = out["status_code"].astype(object).where(out["status_code"].notna(), None)
    return out.sort_values(["measure", "la_id_gss", "period_end"]).reset_index(drop=True)


def import_measures(
    official_dir: Path, specs: list[MeasureSpec] | None = None, data_dir: Path | None = None
) -> pd.DataFrame:
    """Every catalogue measure (or `specs`), every area and year, from a folder laid out like shared/data/official."""
    if specs is None:
        specs = read_catalogue(Path(data_dir or config.DATA) / CATALOGUE)[1]
    registry = registry_paths(data_dir)
    councils = read_councils(data_dir)
    frames = [import_measure(Path(official_dir), spec, registry, councils) for spec in specs]
    return _tidy_measures(pd.concat(frames, ignore_index=True)) if frames else pd.DataFrame(columns=MEASURE_COLUMNS)


# ---------------------------------------------------------------------------------------------- Ofsted ODS

OUTCOME_FILES: dict[str, tuple[str, ...]] = {
    # source_id: sheets holding focused and monitoring visits (inspections come from the 2025 history sheet)
    "ofsted_la_outcomes_2025": ("In-year_inspections",),
    "ofsted_la_outcomes_2024": ("Inspections_in_year_2023-24",),
    "ofsted_csc_data_2023": ("LA_level_in_year_2022-23",),
}
HISTORY = ("ofsted_la_outcomes_2025", "ILACS_inspection_history")
VISIT_TYPES = {
    "ILACS Standard Inspection": "ilacs_standard",
    "ILACS Short Inspection": "ilacs_short",
    "ILACS Focused Visit": "focused_visit",
    "LA Monitoring visit": "monitoring_visit",
}
GRADES = {
    "Outstanding": "outstanding",
    "Good": "good",
    "Requires improvement to be good": "requires_improvement",
    "Inadequate": "inadequate",
}
# Column headings differ between editions; each judgement area is found by the start of its heading.
AREAS = {
    "overall_effectiveness": ("Overall effectiveness",),
    "leaders": ("The impact of leaders", "Impact of leaders"),
    "help_and_protection": (
        "The experiences and progress of children who need help",
        "Experiences and progress of children who need help",
    ),
    "children_in_care": (
        "The experiences and progress of children in care",
        "Experiences and progress of children in care",
    ),
    "care_leavers": ("The experiences and progress of care leavers", "Experiences and progress of care leavers"),
}

# Data to Insight's ILACS history (one row per report PDF, parsed by a scraper): used only for inspections the Ofsted
# outcome files above do not list, e.g. those published after 31 March 2025.
D2I_SOURCE = "d2i_ofsted_ilacs_history"
D2I_TYPES = {
    "standard": "ilacs_standard",
    "short": "ilacs_short",
    "inspection duration longer than standard framework": "ilacs_standard",  # a standard inspection that ran long
}
D2I_AREAS = {
    "overall_effectiveness_grade": "overall_effectiveness",
    "impact_of_leaders_grade": "leaders",
    "help_and_protection_grade": "help_and_protection",
    "in_care_grade": "children_in_care",
    "care_leavers_grade": "care_leavers",
}
D2I_GRADES = {
    "outstanding": "outstanding",
    "good": "good",
    "requires improvement": "requires_improvement",
    "inadequate": "inadequate",
}
# The scraper's markers for a judgement it did not read; they are not grades, so no row is written for them.
D2I_SPECIAL = frozenset({"data_unreadable", "inspection_pre_dates_judgement", "not_reported_post_reform"})
D2I_COLUMNS = ["urn", "publication_date", "inspection_framework", "inspection_start_date", "inspection_end_date"]
OUTCOME_SOURCES = (*OUTCOME_FILES, D2I_SOURCE)


@lru_cache(maxsize=8)
def _read_ods_cached(path: str, mtime: float, sheets: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    # Ofsted's sheets carry a title and a note above the table: the header is the 3rd row.
    return pd.read_excel(path, engine="odf", sheet_name=list(sheets), header=2, dtype=object)


def read_ods(path: Path, sheets: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """Sheets of an Ofsted ODS file with the header on the 3rd row (row 3 in a spreadsheet)."""
    path = Path(path)
    try:
        found = _read_ods_cached(str(path), path.stat().st_mtime, tuple(sheets))
    except ValueError as exc:  # a sheet is missing
        raise InputError(config.relative(path), str(exc)) from None
    return {name: frame.copy() for name, frame in found.items()}


def _norm_name(name: str) -> str:
    text = str(name).lower().replace("&", " and ").replace("-", " ").replace(",", " ")
    text = re.sub(r"\bcity of\b|\bcouncil\b", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _column(frame: pd.DataFrame, starts: tuple[str, ...]) -> str | None:
    for column in frame.columns:
        if any(str(column).strip().startswith(s) for s in starts):
            return column
    return None


def _date(value: object, file: str, row: int, field: str) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT or str(value).strip() == "":
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise InputError(file, f"{value!r} is not a date", row=row, field=field) from None


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def import_outcomes(official_dir: Path, data_dir: Path | None = None, sources: set[str] | None = None) -> pd.DataFrame:
    """`ofsted_outcomes`: every ILACS judgement since 2018 and the in-year focused and monitoring visits, by council."""
    registry = registry_paths(data_dir)
    councils = read_councils(data_dir)
    wanted = set(OUTCOME_SOURCES) if sources is None else set(sources)
    hist_path = _in_official_dir(official_dir, registry[HISTORY[0]])
    rows: list[dict] = []
    # Older sheets name councils without codes: look them up by name in the 2025 edition, else in the councils seed.
    names: dict[str, str] = dict(councils.by_name)
    if hist_path.exists():
        sheets = read_ods(hist_path, ("Inspections_as_at_31_March", HISTORY[1], *OUTCOME_FILES[HISTORY[0]]))
        for frame in sheets.values():
            if "Local authority area code" in frame.columns:
                for name, code in zip(frame["Local authority name"], frame["Local authority area code"], strict=True):
                    if _text(name) and _text(code):
                        names[_norm_name(name)] = str(code).strip()
    for source_id in sorted(wanted & set(OUTCOME_FILES), key=lambda s: (s != HISTORY[0], s)):
        path = _in_official_dir(official_dir, registry[source_id])
        file = config.relative(path)
        sheet_names = OUTCOME_FILES[source_id] + ((HISTORY[1],) if source_id == HISTORY[0] else ())
        for sheet, frame in read_ods(path, sheet_names).items():
            rows.extend(_outcome_rows(frame, sheet, file, source_id, names, inspections=(sheet == HISTORY[1])))
    for row in rows:
        # Ofsted still lists some councils under a retired GSS code: use the council's current one (by name).
        if councils.codes and row["la_id_gss"] not in councils.codes:
            row["la_id_gss"] = councils.by_name.get(_norm_name(row.pop("_name")), row["la_id_gss"])
        row.pop("_name", None)
    out = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
    if D2I_SOURCE in wanted:
        d2i_path = _in_official_dir(official_dir, registry[D2I_SOURCE])
        out = pd.concat([out, import_d2i(d2i_path, data_dir)], ignore_index=True)
    return _tidy_outcomes(out)


def _outcome_rows(
    frame: pd.DataFrame, sheet: str, file: str, source_id: str, names: dict[str, str], inspections: bool
) -> list[dict]:
    where = f"{file} [{sheet}]"
    type_col = "Inspection type" if inspections else "Inspection/Visit type"
    date_col = "Inspection date" if inspections else "Inspection/Visit date"
    for needed in ("Local authority name", type_col, date_col):
        if needed not in frame.columns:
            raise InputError(where, f"missing column {needed!r}", row=3, field=needed)
    areas = {area: _column(frame, starts) for area, starts in AREAS.items()}
    rows: list[dict] = []
    for i, rec in enumerate(frame.to_dict("records")):
        row_no = i + 4  # header on spreadsheet row 3
        name = _text(rec.get("Local authority name"))
        if name is None:
            continue  # trailing blank rows
        vtype_text = _text(rec.get(type_col))
        vtype = VISIT_TYPES.get(vtype_text or "")
        if vtype is None:
            raise InputError(where, f"unknown inspection type {vtype_text!r}", row=row_no, field=type_col)
        if not inspections and vtype.startswith("ilacs_"):
            continue  # inspections come from the ILACS history sheet, which lists every one since 2018
        code = _text(rec.get("Local authority area code")) or names.get(_norm_name(name))
        if code is None:
            raise InputError(
                where, f"no area code for local authority {name!r}", row=row_no, field="Local authority name"
            )
        base = {
            "_name": name,
            "la_id_gss": code,
            "la_urn_ofsted": None,
            "inspection_type": vtype,
            "visit_theme": _text(rec.get("Visit Theme")),
            "inspection_start": _date(rec.get(date_col), where, row_no, date_col),
            "inspection_end": None,
            "published_date": _date(rec.get("Publication date"), where, row_no, "Publication date"),
            "judgement_area": None,
            "grade": None,
            "source_id": source_id,
        }
        graded = False
        for area, column in areas.items():
            text = _text(rec.get(column)) if column is not None else None
            if text is None:
                continue
            if text not in GRADES:
                raise InputError(where, f"unknown grade {text!r}", row=row_no, field=str(column))
            rows.append({**base, "judgement_area": area, "grade": GRADES[text]})
            graded = True
        if not graded:
            rows.append(base)
    return rows


def _d2i_date(text: str, fmt: str, file: str, row: int, field: str) -> dt.date | None:
    if text == "":
        return None
    try:
        return dt.datetime.strptime(text, fmt).date()
    except ValueError:
        raise InputError(file, f"{text!r} is not a date ({fmt})", row=row, field=field) from None


def d2i_rows(frame: pd.DataFrame, file: str, urn_to_gss: dict[str, str], source_id: str = D2I_SOURCE) -> list[dict]:
    """`ofsted_outcomes` rows of D2I's ILACS history (text cells, one row per report), one per graded judgement."""
    missing = [c for c in (*D2I_COLUMNS, *D2I_AREAS) if c not in frame.columns]
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)}", row=1)
    rows: list[dict] = []
    for i, rec in enumerate(frame.to_dict("records")):
        row_no = i + 2  # header on row 1
        cell = {k: str(v).strip() for k, v in rec.items()}
        framework = cell["inspection_framework"]
        if framework == "":
            continue  # pre-2018 SIF reports (every judgement data_unreadable) and reports the parser could not type
        if cell["overall_effectiveness_grade"] == "":
            # the parser shifted this report's judgements by a column (e.g. 'to requires improvement'): none is safe
            continue
        vtype = D2I_TYPES.get(framework)
        if vtype is None:
            raise InputError(
                file, f"unknown inspection framework {framework!r}", row=row_no, field="inspection_framework"
            )
        code = urn_to_gss.get(cell["urn"])
        if code is None:
            raise InputError(
                file, f"URN {cell['urn']!r} is not a council's in the councils seed", row=row_no, field="urn"
            )
        published = _d2i_date(cell["publication_date"], "%d/%m/%y", file, row_no, "publication_date")
        if published is None:
            raise InputError(file, "no publication date", row=row_no, field="publication_date")
        base = {
            "la_id_gss": code,
            "la_urn_ofsted": int(cell["urn"]),
            "inspection_type": vtype,
            "visit_theme": None,
            "inspection_start": _d2i_date(
                cell["inspection_start_date"], "%d/%m/%Y", file, row_no, "inspection_start_date"
            ),
            "inspection_end": _d2i_date(cell["inspection_end_date"], "%d/%m/%Y", file, row_no, "inspection_end_date"),
            "published_date": published,
            "source_id": source_id,
        }
        graded = [
            {**base, "judgement_area": area, "grade": _d2i_grade(cell[column], file, row_no, column)}
            for column, area in D2I_AREAS.items()
            if cell[column] not in D2I_SPECIAL
        ]
        # an inspection with no judgement read still happened: one row without a judgement, as for Ofsted's sheets
        rows.extend(graded or [{**base, "judgement_area": None, "grade": None}])
    return rows


def _d2i_grade(text: str, file: str, row: int, field: str) -> str:
    if text not in D2I_GRADES:
        raise InputError(file, f"unknown grade {text!r}", row=row, field=field)
    return D2I_GRADES[text]


def import_d2i(path: Path, data_dir: Path | None = None) -> pd.DataFrame:
    """D2I's ILACS history file as `ofsted_outcomes` rows (every inspection it lists; see `prefer_official`)."""
    path = Path(path)
    seed = Path(data_dir or config.DATA) / "seeds" / "councils.csv"
    with seed.open(encoding="utf-8", newline="") as handle:
        urn_to_gss = {r["la_urn_ofsted"].strip(): r["la_id_gss"] for r in csv.DictReader(handle)}
    frame = _read_csv_cached(str(path), path.stat().st_mtime).copy()
    rows = d2i_rows(frame, config.relative(path), urn_to_gss)
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def prefer_official(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop D2I rows of an inspection Ofsted's files already list (same council and publication or start date)."""
    d2i = frame["source_id"] == D2I_SOURCE
    official = frame[~d2i & frame["inspection_type"].isin(["ilacs_standard", "ilacs_short"])]
    published = set(zip(official["la_id_gss"], official["published_date"], strict=True))
    started = set(zip(official["la_id_gss"], official["inspection_start"], strict=True))
    covered = [
        (la, pub) in published or (la, start) in started
        for la, pub, start in zip(frame["la_id_gss"], frame["published_date"], frame["inspection_start"], strict=True)
    ]
    return frame[~(d2i & pd.Series(covered, index=frame.index, dtype=bool))]


def _tidy_outcomes(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[OUTCOME_COLUMNS].copy()
    for column in ("inspection_start", "inspection_end", "published_date"):
        out[column] = pd.to_datetime(out[column]).dt.date
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    out = prefer_official(out)
    out["la_urn_ofsted"] = pd.to_numeric(out["la_urn_ofsted"], errors="coerce").astype("Int64")
    for column in ("visit_theme", "judgement_area", "grade"):
        out[column] = out[column].astype(object).where(out[column].notna(), None)
    # A visit near a year boundary is listed in two editions: keep the newest edition's row.
    edition = out["source_id"].map(
        {s: i for i, s in enumerate(["ofsted_la_outcomes_2025", "ofsted_la_outcomes_2024", "ofsted_csc_data_2023"])}
    )
    out = out.assign(_edition=edition).sort_values("_edition", kind="stable")
    key = ["la_id_gss", "inspection_type", "inspection_start", "judgement_area"]
    out = out.drop_duplicates(key, keep="first").drop(columns="_edition")
    return out.sort_values(
        ["la_id_gss", "inspection_start", "inspection_type", "judgement_area"], na_position="first"
    ).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- extract


def extract_areas(official_dir: Path, la_id_gss: str = config.DEFAULT_LA) -> list[str]:
    """The council, its ten 2025 statistical neighbours, its region and England (GSS codes), from the official files."""
    registry = registry_paths()
    csww = read_ees(_in_official_dir(official_dir, registry["dfe_csww_indicators_2017_2025"]))
    la = csww[csww["geographic_level"] == "Local authority"].sort_values("time_period", kind="stable")
    # the latest year's code wins, then the councils seed's current code (see _current_code)
    old_to_new = dict(zip(la["old_la_code"].str.strip(), la["new_la_code"].str.strip(), strict=True))
    old_to_new.update(read_councils().by_dfe)
    new_to_old = {v: k for k, v in old_to_new.items()}
    mine = la[la["new_la_code"] == la_id_gss]
    if mine.empty:
        raise InputError(config.relative(official_dir), f"{la_id_gss} is not in the workforce file")
    region = mine["region_code"].iloc[0]
    neighbours_path = Path(official_dir) / NEIGHBOURS_FILE
    sn = pd.read_csv(neighbours_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    row = sn[sn["old_la_code"].str.strip() == new_to_old.get(la_id_gss, "")]
    if row.empty:
        raise InputError(config.relative(neighbours_path), f"no 2025 neighbours for {la_id_gss}")
    neighbours = [old_to_new[row.iloc[0][f"SN_{k}"].strip()] for k in range(1, 11)]
    return [la_id_gss, *neighbours, region, config.ENGLAND]


def write_extract(official_dir: Path, out_dir: Path, la_id_gss: str = config.DEFAULT_LA) -> dict[str, int]:
    """Write measures.csv, catalogue.csv and ofsted_outcomes.csv for a council, its neighbours, region and England."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    areas = extract_areas(official_dir, la_id_gss)
    measures = import_measures(official_dir)
    measures = measures[measures["la_id_gss"].isin(areas)]
    outcomes = import_outcomes(official_dir)
    outcomes = outcomes[outcomes["la_id_gss"].isin(areas)]
    catalogue = read_catalogue()[0]
    measures.to_csv(out_dir / "measures.csv", index=False, lineterminator="\n")
    outcomes.to_csv(out_dir / "ofsted_outcomes.csv", index=False, lineterminator="\n")
    catalogue.to_csv(out_dir / "catalogue.csv", index=False, lineterminator="\n")
    return {"measures": len(measures), "ofsted_outcomes": len(outcomes), "catalogue": len(catalogue)}


def read_extract(extract_dir: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed extract: (measures, ofsted_outcomes) frames with the table's types."""
    extract_dir = Path(extract_dir or config.DATA / EXTRACT)
    measures = pd.read_csv(
        extract_dir / "measures.csv", dtype={"status_code": object}, keep_default_na=False, na_values=[""]
    )
    measures["status_code"] = measures["status_code"].astype(object).where(measures["status_code"].notna(), None)
    outcomes = pd.read_csv(extract_dir / "ofsted_outcomes.csv", dtype=object, keep_default_na=False, na_values=[""])
    return _tidy_measures(measures), _tidy_outcomes(outcomes)


# ---------------------------------------------------------------------------------------------- stage 7


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Stage 7: measure_catalogue, measures and ofsted_outcomes (full files from the cache, else the extract)."""
    from analysis.ingest import local

    catalogue, specs = read_catalogue(ctx.data / CATALOGUE)
    registry = registry_paths(ctx.data)
    official_dir = Path(ctx.cache) / "official"
    present = {sid for sid, cache_path in registry.items() if (Path(ctx.cache) / cache_path).exists()}
    extract_measures, extract_outcomes = (None, None)
    if (ctx.data / EXTRACT / "measures.csv").exists():
        extract_measures, extract_outcomes = read_extract(ctx.data / EXTRACT)

    full_specs = [s for s in specs if s.source_id in present and (s.per_10k_of is None or POPULATION_SOURCE in present)]
    cache = ctx.derived_cache()
    frames = []
    if full_specs:
        used = {s.source_id for s in full_specs} | (
            {POPULATION_SOURCE} if any(s.per_10k_of for s in full_specs) else set()
        )
        key = _import_key(ctx, registry, used, [repr(s) for s in full_specs])
        frames.append(
            _cached(cache, "official_measures", key, lambda: import_measures(official_dir, full_specs, ctx.data))
        )
    from_extract = sorted({s.measure for s in specs} - {s.measure for s in full_specs})
    if from_extract:
        if extract_measures is None:
            raise InputError(
                config.relative(ctx.data / EXTRACT), "the official files are not fetched and there is no extract"
            )
        frames.append(extract_measures[extract_measures["measure"].isin(from_extract)])
    ctx.log(f"official: {len(full_specs)} measure(s) from the full files, {len(from_extract)} from the extract")
    measures = _tidy_measures(pd.concat(frames, ignore_index=True))

    full_outcomes = set(OUTCOME_SOURCES) & present
    parts = []
    if full_outcomes:
        key = _import_key(ctx, registry, full_outcomes, [])
        parts.append(
            _cached(cache, "official_outcomes", key, lambda: import_outcomes(official_dir, ctx.data, full_outcomes))
        )
    missing = set(OUTCOME_SOURCES) - full_outcomes
    if missing and extract_outcomes is not None:
        parts.append(extract_outcomes[extract_outcomes["source_id"].isin(missing)])
    ctx.log(f"official: Ofsted outcomes from {len(full_outcomes)} full file(s), {len(missing)} from the extract")
    outcomes = _tidy_outcomes(pd.concat(parts, ignore_index=True)) if parts else pd.DataFrame(columns=OUTCOME_COLUMNS)
    if cache.hits:
        ctx.log(f"official: {cache.hits} import(s) from the cache of unchanged files")
    for item in cache.rejected:
        ctx.log(f"official: cache entry {item}; imported again")

    db.append(con, "measure_catalogue", catalogue)
    db.append(con, "measures", measures)
    db.append(con, "ofsted_outcomes", outcomes)
    db.execute_file(con, db.sql_path("fill_outcome_urns"))
    local.load(con, ctx)


def _import_key(ctx: BuildContext, registry: dict[str, str], source_ids: set[str], specs: list[str]) -> str:
    """The cache key of an import: the files it reads (path and sha256), the councils seed, specs and importer."""
    files = [(sid, registry[sid], sha256_file(Path(ctx.cache) / registry[sid])) for sid in sorted(source_ids)]
    councils = Path(ctx.data) / "seeds" / "councils.csv"
    return digest(
        "official",
        IMPORTER_VERSION,
        source_digest("analysis.ingest.official"),
        files,
        sha256_file(councils) if councils.exists() else None,
        specs,
    )


def _cached(cache: Cache, kind: str, key: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    frame = cache.get(kind, key)
    if frame is None:
        frame = compute()
        cache.put(kind, key, frame)
    cache.prune(kind, [key])
    return frame


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.ingest.official --extract --from DIR [--out DIR] [--la GSS]`."""
    parser = argparse.ArgumentParser(prog="python -m analysis.ingest.official", description=main.__doc__)
    parser.add_argument("--extract", action="store_true", help="write the committed extract")
    parser.add_argument("--from", dest="from_dir", type=Path, required=True, help="a folder laid out like shared/data")
    parser.add_argument("--out", type=Path, default=config.DATA / EXTRACT)
    parser.add_argument("--la", default=config.DEFAULT_LA)
    args = parser.parse_args(argv)
    official_dir = args.from_dir / "official" if (args.from_dir / "official").is_dir() else args.from_dir
    try:
        if args.extract:
            counts = write_extract(official_dir, args.out, args.la)
            print(", ".join(f"{k}: {v} rows" for k, v in counts.items()), "->", config.relative(args.out))
        else:
            print(f"measures: {len(import_measures(official_dir))} rows")
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
