"""English councils with children's services responsibilities and their statistical neighbours (stage 3).

`derive` builds both tables from the official lookups (laid out as under data/cache/official or
../shared/data/official); the result is committed as data/seeds/councils.csv and stat_neighbours.csv so that a
machine with nothing fetched still builds. `python -m analysis.ingest.councils --from DIR` rewrites the committed files.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import config, db
from analysis.errors import InputError
from analysis.ingest import csvfile
from analysis.ingest.csvfile import Col

if TYPE_CHECKING:
    from analysis.build import BuildContext

SN_2025 = Path("la-lookup-stat-neighbours/sn_model_2025_wide.csv")
SN_2021 = Path("la-lookup-stat-neighbours/New_Statistical_Neighbour_Groupings_April_2021.csv")
POPULATION = Path("la-lookup-stat-neighbours/ons_mid-year_population_estimates_2012_to_2024.csv")
PROVIDER = Path("ofsted-ilacs-judgements/Provider_data_lookup.csv")

SOURCE_SN_2025 = "lookup_dfe_sn_model_2025"
SOURCE_SN_2021 = "lookup_dfe_sn_groupings_2021"

# The first three characters of an English GSS code say what kind of authority it is (ONS code entities).
LA_TYPES = {
    "E06": "unitary_authority",
    "E08": "metropolitan_district",
    "E09": "london_borough",
    "E10": "county",
}
N_COUNCILS = 153
# ONS recoded Barnsley and Sheffield after their April 2024 boundary change; the DfE files still mostly use the old
# codes. The councils table carries the current code (as the Ofsted lookup does); other disagreements are errors.
RECODED_2024 = {"E08000016": "E08000038", "E08000019": "E08000039"}

COUNCIL_COLUMNS = [
    Col("la_id_gss", required=True, pattern=r"E\d{8}", unique=True),
    Col("la_id_dfe", kind="int", required=True, unique=True),
    Col("la_urn_ofsted", kind="int", unique=True),
    Col("la_name", required=True),
    Col("region_id_gss", pattern=r"E12\d{6}"),
    Col("region_name"),
    Col("la_type", choices=frozenset(LA_TYPES.values())),
    Col("source_id", required=True),
]
NEIGHBOUR_COLUMNS = [
    Col("la_id_gss", required=True, pattern=r"E\d{8}"),
    Col("model", required=True, choices=frozenset({"2025", "2021"})),
    Col("neighbour_rank", kind="int", required=True),
    Col("neighbour_la_id_gss", required=True, pattern=r"E\d{8}"),
    Col("closeness"),
    Col("source_id", required=True),
]


def _rows(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise InputError(config.relative(path), "lookup file not found (run `analysis fetch` or pass --from)")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def _dicts(path: Path) -> list[dict[str, str]]:
    rows = _rows(path)
    header = [h.strip() for h in rows[0]]
    return [dict(zip(header, (c.strip() for c in r), strict=False)) for r in rows[1:] if any(c.strip() for c in r)]


def _closeness(value: str) -> str | None:
    """'Very Close', 'Close ' and 'very close' are the same band: lower-case, trimmed."""
    value = value.strip().lower()
    return value or None


def derive(official_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Councils and statistical neighbours (2025 and 2021 models) from the official lookups under `official_dir`."""
    official_dir = Path(official_dir)
    sn25 = _dicts(official_dir / SN_2025)
    population = [r for r in _dicts(official_dir / POPULATION) if r["time_period"] == "2024"]
    gss_of = {r["old_la_code"]: r["new_la_code"] for r in population if r["geographic_level"] == "Local authority"}
    region_code = {
        r["region_name"].lower(): r["region_code"]
        for r in population
        if r["geographic_level"] == "Regional" and r["region_code"].startswith("E12")
    }
    provider = {r["la_code"]: r for r in _dicts(official_dir / PROVIDER)}

    councils = []
    for line, row in enumerate(sn25, start=2):
        code = row["old_la_code"]
        where = (config.relative(official_dir / SN_2025), line)
        gss = gss_of.get(code)
        if gss is None:
            raise InputError(
                *where[:1], f"LA {code} has no GSS code in {POPULATION.name}", row=line, field="old_la_code"
            )
        ofsted = provider.get(code)
        if ofsted is None:
            raise InputError(*where[:1], f"LA {code} is not in {PROVIDER.name}", row=line, field="old_la_code")
        if ofsted["la_code_new"] == RECODED_2024.get(gss):
            gss = ofsted["la_code_new"]
        if ofsted["la_code_new"] != gss:
            raise InputError(
                *where[:1],
                f"LA {code}: {PROVIDER.name} gives {ofsted['la_code_new']}, the ONS file {gss}",
                row=line,
                field="old_la_code",
            )
        region = region_code.get(row["region_name"].lower())
        if region is None:
            raise InputError(
                *where[:1], f"region {row['region_name']!r} has no E12 code", row=line, field="region_name"
            )
        councils.append(
            {
                "la_id_gss": gss,
                "la_id_dfe": int(code),
                "la_urn_ofsted": int(ofsted["urn"]) if ofsted["urn"] else None,
                "la_name": row["la_name"],
                "region_id_gss": region,
                "region_name": row["region_name"],
                "la_type": LA_TYPES.get(gss[:3]),
                "source_id": SOURCE_SN_2025,
            }
        )
    council_frame = pd.DataFrame(councils, columns=[c.name for c in COUNCIL_COLUMNS])
    gss_by_dfe = dict(zip(council_frame["la_id_dfe"].astype(str), council_frame["la_id_gss"], strict=True))
    # Retired authorities (e.g. Cumbria) still appear as 2021 neighbours: their codes come from the Ofsted lookup.
    retired = {code: r["la_code_new"] for code, r in provider.items() if code not in gss_by_dfe and r["la_code_new"]}

    neighbours = []
    for row in sn25:
        for rank in range(1, 11):
            neighbours.append(
                {
                    "la_id_gss": gss_by_dfe[row["old_la_code"]],
                    "model": "2025",
                    "neighbour_rank": rank,
                    "neighbour_la_id_gss": gss_by_dfe[row[f"SN_{rank}"]],
                    "closeness": _closeness(row[f"SN_{rank}P"]),
                    "source_id": SOURCE_SN_2025,
                }
            )
    neighbours.extend(_neighbours_2021(official_dir / SN_2021, gss_by_dfe, retired))
    neighbour_frame = pd.DataFrame(neighbours, columns=[c.name for c in NEIGHBOUR_COLUMNS])
    return council_frame, neighbour_frame


def _neighbours_2021(path: Path, gss_by_dfe: dict[str, str], retired: dict[str, str]) -> list[dict]:
    """The April 2021 groupings for today's councils; the file repeats its closeness header (SNP) once per rank."""
    rows = _rows(path)
    found = []
    for row in rows[1:]:
        code = row[0].strip()
        # Below the current table the file lists pre-reorganisation councils under "Old SNs:"; stop there.
        if not code:
            if len(row) > 1 and row[1].strip().lower().startswith("old sn"):
                break
            continue
        if code not in gss_by_dfe:
            continue  # an authority that no longer exists (e.g. Cumbria)
        for rank in range(1, 11):
            neighbour = row[3 + 2 * rank].strip()
            target = gss_by_dfe.get(neighbour) or retired.get(neighbour)
            if target is None:
                raise InputError(
                    config.relative(path), f"neighbour {neighbour} of LA {code} has no GSS code", field=f"SN{rank}"
                )
            found.append(
                {
                    "la_id_gss": gss_by_dfe[code],
                    "model": "2021",
                    "neighbour_rank": rank,
                    "neighbour_la_id_gss": target,
                    "closeness": _closeness(row[4 + 2 * rank]),
                    "source_id": SOURCE_SN_2021,
                }
            )
    return found


def write(official_dir: Path, seeds_dir: Path | None = None) -> tuple[Path, Path]:
    """Derive from `official_dir` and rewrite data/seeds/councils.csv and stat_neighbours.csv."""
    seeds_dir = Path(seeds_dir or config.DATA / "seeds")
    councils, neighbours = derive(official_dir)
    paths = (seeds_dir / "councils.csv", seeds_dir / "stat_neighbours.csv")
    for frame, path in zip((councils, neighbours), paths, strict=True):
        frame.to_csv(path, index=False, lineterminator="\n")
    return paths


def read_seeds(seeds_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The committed councils and stat_neighbours CSVs, checked."""
    councils = csvfile.read(seeds_dir / "councils.csv", COUNCIL_COLUMNS, allow_empty=False)
    neighbours = csvfile.read(seeds_dir / "stat_neighbours.csv", NEIGHBOUR_COLUMNS, allow_empty=False)
    known = set(councils["la_id_gss"])
    shown = config.relative(seeds_dir / "stat_neighbours.csv")
    seen: set[tuple] = set()
    for offset, row in enumerate(neighbours.itertuples(index=False)):
        key = (row.la_id_gss, row.model, row.neighbour_rank)
        if row.la_id_gss not in known:
            raise InputError(shown, f"{row.la_id_gss} is not in councils.csv", row=offset + 2, field="la_id_gss")
        if key in seen:
            raise InputError(shown, f"duplicate neighbour rank {key}", row=offset + 2, field="neighbour_rank")
        seen.add(key)
    return councils, neighbours


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Stage 3: councils and stat_neighbours from the committed seeds."""
    councils, neighbours = read_seeds(Path(ctx.data) / "seeds")
    db.append(con, "councils", councils)
    db.append(con, "stat_neighbours", neighbours)
    ctx.log(f"councils: {len(councils)} councils, {len(neighbours)} neighbour links")


def main(argv: list[str] | None = None) -> int:
    """`python -m analysis.ingest.councils --from DIR`: rewrite the committed lookups from the official files."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument(
        "--from",
        dest="from_dir",
        type=Path,
        default=config.CACHE / "official",
        help="folder laid out like data/cache/official (e.g. ../shared/data/official)",
    )
    parser.add_argument("--seeds", type=Path, default=None, help="where to write (default data/seeds)")
    args = parser.parse_args(argv)
    try:
        for path in write(args.from_dir, args.seeds):
            print(config.relative(path))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
