"""`analysis sources sync`: the registry of Ofsted's inspection reports, generated from the corpus's published index.

`ofsted-reports/MANIFEST.csv` lists every report PDF of the corpus (council URN, publication date, official link,
sha256, where the copy came from). `sync` turns it into `data/sources/ofsted_reports.csv`: one registry row per
report, `source_id` `ofsted_{urn}_{publication date}`, council by Ofsted URN through `data/seeds/councils.csv`,
`cache_path` `ofsted-reports/<file>`, plus one `reference` row for the manifest itself. What a generated row cannot
know (the hand-kept visit a report belongs to, a remark on a broken copy) is kept in
`data/sources/annotations/ofsted_reports.csv` and merged in. The output is deterministic (rows in source_id order),
so a data test regenerates it and fails when the committed registry is stale.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from analysis import config
from analysis.errors import InputError
from analysis.files import write_atomic
from analysis.ingest.sources import NAMES as COLUMNS

REGISTRY_FILE = Path("sources") / "ofsted_reports.csv"  # under data/
ANNOTATIONS_FILE = Path("sources") / "annotations" / "ofsted_reports.csv"  # under data/
MANIFEST_CACHE_PATH = "ofsted-reports/MANIFEST.csv"
MANIFEST_SOURCE_ID = "ofsted_reports_manifest"
MANIFEST_COLUMNS = ("urn", "publication_date", "file", "official_link", "source_repo", "source_path", "source_commit")
ANNOTATION_COLUMNS = ("source_id", "visit_id", "note")
_CHECKS = {
    "urn": re.compile(r"\d+"),
    "publication_date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "file": re.compile(r"[A-Za-z0-9_.-]+/\d{4}-\d{2}-\d{2}\.pdf"),
    "official_link": re.compile(r"https?://\S+"),
    "sha256": re.compile(r"[0-9a-f]{64}"),
    "source_commit": re.compile(r"[0-9a-f]{40}"),
}


@dataclass(frozen=True)
class Council:
    """What a registry row needs of a council: its GSS code and name."""

    la_id_gss: str
    la_name: str


def default_manifest() -> Path:
    """The corpus index beside the checkout (../shared/data stands in for the internet)."""
    return config.SHARED / "data" / MANIFEST_CACHE_PATH


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    shown = config.relative(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(shown, "does not exist") from None
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(shown, f"missing column(s) {', '.join(missing)}", row=1)
    return [(n, {k: (v or "").strip() for k, v in row.items()}) for n, row in enumerate(reader, start=2)]


def read_manifest(path: Path) -> list[dict[str, str]]:
    """The manifest's rows, each checked: URN, ISO date, file under a council folder, link, sha256, commit."""
    shown = config.relative(path)
    rows: list[dict[str, str]] = []
    seen: dict[str, int] = {}
    for row_no, row in _read_csv(path, (*MANIFEST_COLUMNS, "sha256")):
        for field, shape in _CHECKS.items():
            if not shape.fullmatch(row[field]):
                raise InputError(shown, f"{row[field]!r} does not match {shape.pattern}", row=row_no, field=field)
        if row["file"] != f"{row['file'].split('/')[0]}/{row['publication_date']}.pdf":
            raise InputError(shown, f"{row['file']!r} is not named by its publication date", row=row_no, field="file")
        source_id = f"ofsted_{row['urn']}_{row['publication_date']}"
        if source_id in seen:
            raise InputError(
                shown, f"a second report of URN {row['urn']} published the same day (row {seen[source_id]})", row_no
            )
        seen[source_id] = row_no
        rows.append(row | {"_row": str(row_no)})
    if not rows:
        raise InputError(shown, "lists no reports")
    return rows


def read_councils(path: Path) -> dict[str, Council]:
    """Councils by Ofsted URN, from data/seeds/councils.csv."""
    return {
        row["la_urn_ofsted"]: Council(row["la_id_gss"], row["la_name"])
        for _, row in _read_csv(path, ("la_id_gss", "la_urn_ofsted", "la_name"))
        if row["la_urn_ofsted"]
    }


def read_annotations(path: Path) -> dict[str, dict[str, str]]:
    """Hand-kept additions to generated rows, by source_id (a visit_id, a note); an absent file means none."""
    if not Path(path).is_file():
        return {}
    shown = config.relative(path)
    found: dict[str, dict[str, str]] = {}
    for row_no, row in _read_csv(path, ANNOTATION_COLUMNS):
        if row["source_id"] in found:
            raise InputError(shown, f"duplicate {row['source_id']!r}", row=row_no, field="source_id")
        found[row["source_id"]] = row | {"_row": str(row_no)}
    return found


def _archive_note(row: dict[str, str]) -> str:
    return f"Copy from github.com/{row['source_repo']} {row['source_path']} at {row['source_commit'][:8]}"


def registry_rows(
    manifest: list[dict[str, str]],
    manifest_sha256: str,
    councils: dict[str, Council],
    annotations: dict[str, dict[str, str]],
    shown: str = MANIFEST_CACHE_PATH,
    annotations_shown: str = str(ANNOTATIONS_FILE),
) -> list[dict[str, str]]:
    """The registry rows of every report of the manifest and of the manifest itself, in source_id order."""
    rows = []
    for entry in manifest:
        council = councils.get(entry["urn"])
        if council is None:
            raise InputError(
                shown, f"URN {entry['urn']} is no council's la_urn_ofsted in councils.csv", int(entry["_row"]), "urn"
            )
        source_id = f"ofsted_{entry['urn']}_{entry['publication_date']}"
        extra = annotations.get(source_id, {})
        rows.append(
            {
                "source_id": source_id,
                "la_id_gss": council.la_id_gss,
                "kind": "inspection_report",
                "title": f"{council.la_name}: children's services inspection report published "
                f"{entry['publication_date']}",
                "publisher": "Ofsted",
                "published_date": entry["publication_date"],
                "published_date_precision": "day",
                "url": entry["official_link"],
                "licence": "OGL v3.0",
                "sha256": entry["sha256"],
                "cache_path": f"ofsted-reports/{entry['file']}",
                "visit_id": extra.get("visit_id", ""),
                "note": "; ".join(part for part in (_archive_note(entry), extra.get("note", "")) if part),
            }
        )
    known = {row["source_id"] for row in rows}
    for source_id, extra in annotations.items():
        if source_id not in known:
            raise InputError(
                annotations_shown, f"{source_id!r} is not a report of the manifest", int(extra["_row"]), "source_id"
            )
    commits = sorted({entry["source_commit"][:8] for entry in manifest})
    repos = sorted({entry["source_repo"] for entry in manifest})
    rows.append(
        {
            "source_id": MANIFEST_SOURCE_ID,
            "kind": "reference",
            "title": "Index of the Ofsted inspection report corpus (ofsted-reports/MANIFEST.csv): council URN, "
            "publication date, official link and sha256 of each report PDF",
            "publisher": "Compiled with the corpus from the archive of " + ", ".join(repos),
            "licence": "OGL v3.0 (it lists Ofsted's reports, Crown copyright; see ofsted-reports/PROVENANCE.md)",
            "sha256": manifest_sha256,
            "cache_path": MANIFEST_CACHE_PATH,
            "note": f"{len(manifest)} reports of {len({e['urn'] for e in manifest})} councils, copied from "
            f"github.com/{', '.join(repos)} at {', '.join(commits)}; read by `analysis sources sync`. The index has no "
            "URL or publication date of its own: it travels with the reports (../shared/data on machines without "
            "internet)",
        }
    )
    return sorted(({c: row.get(c, "") for c in COLUMNS} for row in rows), key=lambda row: row["source_id"])


def render(rows: list[dict[str, str]]) -> str:
    """The registry CSV text: header, then one line per row (LF line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def generate(manifest: Path | None = None, data_dir: Path | None = None) -> str:
    """The text of data/sources/ofsted_reports.csv for a manifest (default: ../shared's) and the data folder."""
    from analysis.ingest.fetch import sha256_file

    manifest = Path(manifest or default_manifest())
    data_dir = Path(data_dir or config.DATA)
    rows = registry_rows(
        read_manifest(manifest),
        sha256_file(manifest),
        read_councils(data_dir / "seeds" / "councils.csv"),
        read_annotations(data_dir / ANNOTATIONS_FILE),
        shown=config.relative(manifest),
        annotations_shown=config.relative(data_dir / ANNOTATIONS_FILE),
    )
    return render(rows)


def sync(manifest: Path | None = None, data_dir: Path | None = None) -> tuple[Path, int, bool]:
    """Regenerate data/sources/ofsted_reports.csv; returns (path, number of rows, whether it changed)."""
    data_dir = Path(data_dir or config.DATA)
    text = generate(manifest, data_dir)
    target = data_dir / REGISTRY_FILE
    changed = not target.is_file() or target.read_text(encoding="utf-8") != text
    if changed:
        write_atomic(target, text)
    return target, text.count("\n") - 1, changed


def _command(args: argparse.Namespace) -> int:
    manifest = args.manifest or default_manifest()
    target, n_rows, changed = sync(manifest)
    state = "written" if changed else "unchanged"
    print(f"{config.relative(target)}: {n_rows} rows ({state}) from {config.relative(manifest)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `analysis sources sync` to the command line."""
    p = subparsers.add_parser("sources", help="the source registry: `sources sync` regenerates the report registry")
    sub = p.add_subparsers(dest="sources_command", required=True)
    s = sub.add_parser(
        "sync",
        help="register every report of the corpus manifest in data/sources/ofsted_reports.csv",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument(
        "--manifest",
        type=Path,
        default=None,
        help="the corpus index (default: ../shared/data/ofsted-reports/MANIFEST.csv)",
    )
    s.set_defaults(func=_command)
