"""`analysis add FILE_OR_URL --la GSS [--dry-run]`: register an Ofsted report or visit letter in one command.

The document (PDF, Markdown, HTML or text; a URL is downloaded into the fetch cache through analysis.ingest.fetch)
is read with analysis.ingest.documents and analysis.ingest.reportfacts: its type (inspection report, monitoring or
focused visit letter), visit dates, publication date, inspectors, framework and grades. `add` shows what it
found and appends three kinds of row, each citing the new source_id:

- the registry row (data/sources/documents.csv): a local file is copied into data/raw/ under the README's naming
  (`YYYY-MM-DD_ofsted_<council>_<kind>.<ext>`, `undated_...` when no date is printed) and registered with
  `local_path`; a URL is registered with `cache_path` and `download_url`;
- the visit (data/seeds/visits.csv, visit_id per docs/design.md), unless a visit of that id is already kept there;
- one judgement per grade read (data/seeds/judgements.csv).

What the document does not say stays empty, and the row's note says what the analyst must fill in. A file already
registered (same sha256) is refused, naming the row that holds it. Every row is checked by the build's own readers
before anything is written; files are replaced atomically and keep every existing row byte for byte. `--dry-run`
prints the rows and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config
from analysis.errors import InputError
from analysis.files import write_atomic
from analysis.ingest import reportfacts
from analysis.ingest.fetch import sha256_file

REGISTRY = Path("sources") / "documents.csv"  # under data/
VISITS = Path("seeds") / "visits.csv"
JUDGEMENTS = Path("seeds") / "judgements.csv"
CACHE_FOLDER = "added"  # under the fetch cache: where a document added by URL is kept
TYPE_CODES = {
    "pre_sif_inspection": "presif",
    "sif_inspection": "sif",
    "monitoring_visit": "mv",
    "ilacs_standard": "ilacs",
    "ilacs_short": "ilacs",
    "focused_visit": "fv",
    "assurance_visit": "av",
}
KIND_SLUGS = {
    "inspection_report": "inspection-report",
    "monitoring_visit_letter": "monitoring-visit-letter",
    "focused_visit_letter": "focused-visit-letter",
}
EXTENSIONS = {"application/pdf": ".pdf", "text/html": ".html", "text/markdown": ".md", "text/plain": ".txt"}
FOCUS = {
    "ilacs_standard": "ILACS standard inspection",
    "ilacs_short": "ILACS short inspection",
    "sif_inspection": "Single inspection framework (SIF) inspection",
    "pre_sif_inspection": "Inspection of safeguarding and looked after children services",
}


@dataclass
class Addition:
    """Everything `add` would write: the rows of each file, where the document goes, and what it found."""

    facts: reportfacts.ReportFacts
    sha256: str
    media_type: str
    source: dict[str, str]
    visit: dict[str, str] | None  # None when the visit is already in visits.csv
    judgements: list[dict[str, str]]
    document: Path  # the file read (a URL's download sits in a temporary folder until written)
    target: Path  # where the document is kept: data/raw/<name> or <cache>/added/<name>
    existing_visit: str | None = None  # "data/seeds/visits.csv, row N" when the visit is already kept
    messages: list[str] = field(default_factory=list)


def _is_url(text: str) -> bool:
    return bool(re.match(r"https?://", text, re.I))


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ")).strip("-")


def _council(data_dir: Path, la_id_gss: str) -> dict[str, str]:
    _, councils = _rows(data_dir / "seeds" / "councils.csv")
    found = next((row for row in councils if row["la_id_gss"] == la_id_gss), None)
    if found is None:
        raise InputError("--la", f"{la_id_gss!r} is not a council of data/seeds/councils.csv")
    if not found["la_urn_ofsted"]:
        raise InputError("data/seeds/councils.csv", f"{la_id_gss} has no la_urn_ofsted", field="la_urn_ofsted")
    return found


def _registered(data_dir: Path) -> list[tuple[str, int, dict[str, str]]]:
    """(file shown, spreadsheet row, row) of every registry row."""
    out = []
    for path in sorted((data_dir / "sources").glob("*.csv")):
        _, rows = _rows(path)
        out.extend((config.relative(path), n, row) for n, row in enumerate(rows, start=2))
    return out


def _refuse_if_registered(shown: str, sha256: str, source_id: str, registry: list) -> None:
    for file, row_no, row in registry:
        if row.get("sha256") == sha256:
            raise InputError(
                shown, f"already registered as {row['source_id']!r} ({file}, row {row_no}): same sha256 {sha256}"
            )
    for file, row_no, row in registry:
        if row["source_id"] == source_id:
            raise InputError(
                shown,
                f"source_id {source_id!r} is already registered ({file}, row {row_no}) for another file; "
                "register this one by hand under another id",
            )


def _sentence_case(text: str | None) -> str:
    return text[:1].upper() + text[1:] if text else ""


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def _visit_id(
    facts: reportfacts.ReportFacts, la_id_gss: str, visits: list[dict[str, str]], shown: str
) -> tuple[str, str | None]:
    """The visit_id (docs/design.md) and, when it is not dated to the month, the note that says so."""
    code = TYPE_CODES.get(facts.visit_type or "")
    if code is None:
        raise InputError(shown, "the type of visit could not be read: add the visit to data/seeds/visits.csv by hand")
    if facts.inspection_start is not None:
        return f"{la_id_gss}-{facts.inspection_start:%Y-%m}-{code}", None
    if facts.published_date is None:
        raise InputError(shown, "neither the inspection dates nor a publication date could be read: add it by hand")
    prefix = f"{la_id_gss}-{facts.published_date:%Y}-{code}"
    taken = {v["visit_id"] for v in visits}
    n = next(i for i in range(1, 100) if f"{prefix}{i}" not in taken)
    return f"{prefix}{n}", "fieldwork month not printed: visit_id numbered within the publication year"


def plan(
    document: str,
    la_id_gss: str,
    data_dir: Path | None = None,
    cache: Path | None = None,
    staging: Path | None = None,
) -> Addition:
    """Read the document and work out every row `add` would write. Nothing is written: a URL is downloaded into
    `staging` (a temporary folder the caller removes; `add` does)."""
    from analysis.ingest import documents, fetch

    data_dir = Path(data_dir or config.DATA)
    cache = Path(cache or config.CACHE)
    council = _council(data_dir, la_id_gss)
    url = document if _is_url(document) else None
    if url:
        staging = Path(staging or tempfile.mkdtemp(prefix="analysis-add-"))
        suffix = Path(url.split("?")[0]).suffix.lower()
        local = staging / f"download{suffix if suffix in EXTENSIONS.values() else '.txt'}"
        try:
            fetch.download(url, local)
        except OSError as exc:
            raise InputError(url, f"download failed: {getattr(exc, 'reason', exc)}") from None
        if local.read_bytes()[:1024].lstrip().startswith(b"%PDF-") and local.suffix != ".pdf":
            local = local.rename(local.with_suffix(".pdf"))
        shown = url
    else:
        local = Path(document)
        shown = local.name
        if not local.is_file():
            raise InputError(shown, "does not exist")
    extracted = documents.extract(local)
    sha256 = sha256_file(local)

    paragraphs = [(start, end) for start, end, _ in extracted.paragraphs]
    headings = [i for i, (_, _, kind) in enumerate(extracted.paragraphs) if kind == "heading"]
    facts = reportfacts.read(extracted.text, paragraphs, headings)
    if facts.kind is None:
        raise InputError(
            shown,
            "not recognised as an Ofsted inspection report, monitoring visit letter or focused visit letter "
            "(an Ofsted letter says 'monitoring visit' or 'focused visit' in its first paragraphs)",
        )
    day = facts.published_date or facts.inspection_end or facts.inspection_start
    if day is None:
        raise InputError(shown, "no date could be read (inspection or publication): register it by hand")
    source_id = f"ofsted_{council['la_urn_ofsted']}_{day.isoformat()}"
    _refuse_if_registered(shown, sha256, source_id, _registered(data_dir))

    name = (
        f"{_date(facts.published_date) or 'undated'}_ofsted_{_slug(council['la_name'])}_{KIND_SLUGS[facts.kind]}"
        f"{EXTENSIONS[extracted.media_type]}"
    )
    target = (cache / CACHE_FOLDER / name) if url else (data_dir / "raw" / name)
    if target.exists() and sha256_file(target) != sha256:
        raise InputError(config.relative(target), "a different file already has this name: register it by hand")
    _, visits = _rows(data_dir / VISITS)
    visit_id, visit_note = _visit_id(facts, la_id_gss, visits, shown)
    to_fill: list[str] = []
    if facts.published_date is None:
        to_fill.append("published_date (not printed in the document; Ofsted's page gives it)")
    if not url:
        to_fill.append("url (the document's official link)")

    if facts.kind == "inspection_report":
        when = f" published {facts.published_date}" if facts.published_date else f" (fieldwork ending {day})"
        title = f"{council['la_name']}: children's services inspection report{when}"
    else:
        kind_words = "letter" if facts.published_date is None else f"letter of {_long_date(facts.published_date)}"
        title = f"{facts.title or facts.kind.replace('_', ' ').capitalize()} ({kind_words})"
    source_note = [f"Added by `analysis add` from {url or shown} (sha256 computed on adding)"]
    if day != facts.published_date:
        source_note.append(f"the id uses the last day of fieldwork ({day}): no publication date is printed")
    if to_fill:
        source_note.append(f"to fill in: {'; '.join(to_fill)}")
    source = {
        "source_id": source_id,
        "la_id_gss": la_id_gss,
        "kind": facts.kind,
        "title": title,
        "publisher": "Ofsted",
        "published_date": _date(facts.published_date),
        "published_date_precision": "day" if facts.published_date else "",
        "url": url or "",
        "download_url": url or "",
        "licence": "OGL v3.0",
        "sha256": sha256,
        "local_path": "" if url else f"data/raw/{name}",
        "cache_path": f"{CACHE_FOLDER}/{name}" if url else "",
        "visit_id": visit_id,
        "note": "; ".join(source_note),
    }

    existing = next((n for n, v in enumerate(visits, start=2) if v["visit_id"] == visit_id), None)
    visit = None
    if existing is None:
        missing = [
            what
            for what, value in (
                ("the fieldwork dates", facts.inspection_start),
                ("the publication date", facts.published_date),
                ("the lead inspector", facts.lead_inspector),
                ("the focus", facts.focus or FOCUS.get(facts.visit_type or "")),
            )
            if value is None
        ]
        ungraded = [f"{j.judgement_area} ({j.grade_text!r} is not a grade)" for j in facts.judgements if not j.grade]
        note_parts = [f"Read from {source_id} by `analysis add` (reportfacts {reportfacts.PARSER_VERSION})"]
        note_parts += facts.notes
        note_parts += [visit_note] if visit_note else []
        note_parts += [f"not printed, to fill in: {', '.join(missing)}"] if missing else []
        note_parts += [f"add by hand: {', '.join(ungraded)}"] if ungraded else []
        visit = {
            "visit_id": visit_id,
            "la_id_gss": la_id_gss,
            "visit_type": facts.visit_type or "",
            "framework": facts.framework or "",
            "title": facts.title or title,
            "focus": _sentence_case(facts.focus) or FOCUS.get(facts.visit_type or "", ""),
            "fieldwork_start": _date(facts.inspection_start),
            "fieldwork_end": _date(facts.inspection_end),
            "fieldwork_precision": "day" if facts.inspection_start or facts.inspection_end else "",
            "published_date": _date(facts.published_date),
            "published_precision": "day" if facts.published_date else "",
            "inspectors": "; ".join(facts.inspectors),
            "lead_inspector": facts.lead_inspector or "",
            "is_uncertain": "false",
            "note": "; ".join(note_parts),
            "source_id": source_id,
        }
    _, kept = _rows(data_dir / JUDGEMENTS)
    kept_areas = {j["judgement_area"] for j in kept if j["visit_id"] == visit_id}
    judgements = [
        {
            "visit_id": visit_id,
            "judgement_area": j.judgement_area,
            "grade": j.grade,
            "is_overall": "true" if j.judgement_area == "overall_effectiveness" else "false",
            "note": f"Printed '{j.grade_text}'; read by `analysis add` from {passage}",
            "source_id": source_id,
        }
        for j, passage in ((j, _passage_of(extracted, j.start, source_id)) for j in facts.judgements)
        if j.grade and j.judgement_area not in kept_areas
    ]
    addition = Addition(facts, sha256, extracted.media_type, source, visit, judgements, local, target)
    addition.messages.append(f"read {shown}: {extracted.media_type}, {len(extracted.text):,} characters")
    if existing is not None:
        addition.existing_visit = f"{config.relative(data_dir / VISITS)}, row {existing}"
    return addition


def _passage_of(extracted, offset: int, document_id: str) -> str:
    index = reportfacts.paragraph_at([(s, e) for s, e, _ in extracted.paragraphs], offset)
    return f"{document_id}#p{index + 1:04d}" if index is not None else "its text"


def _csv_lines(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writerows(rows)
    return out.getvalue()


def _appended(path: Path, rows: list[dict[str, str]]) -> str:
    """The file's text, byte for byte, with the rows added at the end (in the file's own column order)."""
    with open(path, encoding="utf-8", newline="") as handle:  # newline="": CRLF files stay CRLF
        text = handle.read()
    header = next(csv.reader([text.splitlines()[0].lstrip("\ufeff")]))
    ending = "\r\n" if text.endswith("\r\n") else "\n"
    if text and not text.endswith("\n"):
        text += ending
    return text + _csv_lines(header, rows).replace("\n", ending)


def describe(addition: Addition) -> list[str]:
    """What `add` found and the rows it writes (or would write), for the terminal."""
    facts = addition.facts
    lines = list(addition.messages)
    lines.append(f"  type        {facts.kind} ({facts.visit_type}, framework {facts.framework or 'not read'})")
    span = f"{_date(facts.inspection_start) or '?'} to {_date(facts.inspection_end) or '?'}"
    lines.append(f"  fieldwork   {span if facts.inspection_start else 'not read'}")
    lines.append(f"  published   {_date(facts.published_date) or 'not printed'}")
    lines.append(f"  inspectors  {'; '.join(facts.inspectors) or 'not read'} (lead: {facts.lead_inspector or '?'})")
    graded = ", ".join(f"{j.judgement_area} {j.grade or repr(j.grade_text)}" for j in facts.judgements)
    lines.append(f"  judgements  {graded or 'none'}")
    lines.append(f"  sha256      {addition.sha256}")
    if facts.notes:
        lines.append(f"  notes       {'; '.join(facts.notes)}")
    for shown, header, rows in _outputs(addition):
        lines.append(f"data/{shown}:")
        lines.extend("  " + line for line in (",".join(header) + "\n" + _csv_lines(header, rows)).splitlines())
    if addition.existing_visit:
        lines.append(f"visit {addition.source['visit_id']} is already kept ({addition.existing_visit}): not rewritten")
    return lines


def _outputs(addition: Addition) -> list[tuple[str, list[str], list[dict[str, str]]]]:
    out = [(str(REGISTRY), list(addition.source), [addition.source])]
    if addition.visit:
        out.append((str(VISITS), list(addition.visit), [addition.visit]))
    if addition.judgements:
        out.append((str(JUDGEMENTS), list(addition.judgements[0]), addition.judgements))
    return out


def _check(addition: Addition, data_dir: Path, texts: dict[Path, str]) -> None:
    """Run the build's readers on a copy of data/sources and data/seeds with the new rows: refuse what they refuse."""
    from analysis.ingest import councils, csvfile, sources, timeline

    with tempfile.TemporaryDirectory(prefix="analysis-add-check-") as tmp:
        root = Path(tmp)
        for folder in ("sources", "seeds", "raw"):
            if (data_dir / folder).is_dir():
                shutil.copytree(data_dir / folder, root / "data" / folder)
        for path, text in texts.items():
            (root / "data" / path.relative_to(data_dir)).write_text(text, encoding="utf-8")
        if addition.source["local_path"]:
            (root / "data" / "raw").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(addition.document, root / addition.source["local_path"])
        try:
            registry = sources.read_registry(root / "data", root)
            seeds = root / "data" / "seeds"
            council_ids = set(csvfile.read(seeds / "councils.csv", councils.COUNCIL_COLUMNS)["la_id_gss"])
            timeline.read_seeds(seeds, registry=set(registry["source_id"]), council_ids=council_ids)
        except InputError as exc:  # name the file the row would go to, not the deleted copy that was checked
            shown = str(exc.file).replace(str(root / "data"), config.relative(data_dir))
            raise InputError(shown, exc.message, row=exc.row, field=exc.field) from None


def write(addition: Addition, data_dir: Path | None = None) -> list[Path]:
    """Check the rows with the build's readers, then copy the document into place and append the rows."""
    data_dir = Path(data_dir or config.DATA)
    texts = {data_dir / REGISTRY: _appended(data_dir / REGISTRY, [addition.source])}
    if addition.visit:
        texts[data_dir / VISITS] = _appended(data_dir / VISITS, [addition.visit])
    if addition.judgements:
        texts[data_dir / JUDGEMENTS] = _appended(data_dir / JUDGEMENTS, addition.judgements)
    _check(addition, data_dir, texts)
    write_atomic(addition.target, addition.document.read_bytes())  # under the 20 MB limit: it was read whole
    for path, text in texts.items():
        write_atomic(path, text)
    return [addition.target, *texts]


def add(
    document: str, la_id_gss: str, dry_run: bool = False, data_dir: Path | None = None, cache: Path | None = None
) -> tuple[Addition, list[Path]]:
    """Read, plan and (unless `dry_run`) write one document's rows; returns the plan and the files written."""
    with tempfile.TemporaryDirectory(prefix="analysis-add-") as staging:
        addition = plan(document, la_id_gss, data_dir, cache, Path(staging))
        written = [] if dry_run else write(addition, data_dir)
    return addition, written


def _command(args: argparse.Namespace) -> int:
    addition, written = add(args.document, args.la, dry_run=args.dry_run)
    print("\n".join(describe(addition)))
    if args.dry_run:
        print("dry run: nothing written")
    else:
        print("written: " + ", ".join(config.relative(p) for p in written))
        print("next: `analysis build`; fill in what the notes list")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `analysis add` to the command line."""
    p = subparsers.add_parser(
        "add",
        help="register an Ofsted report or visit letter: registry row, visit and judgements, read from the document",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("document", metavar="FILE_OR_URL", help="a PDF, Markdown, HTML or text file, or its URL")
    p.add_argument("--la", required=True, metavar="GSS", help="the council's GSS code, e.g. E08000027")
    p.add_argument("--dry-run", action="store_true", help="print the rows and write nothing")
    p.set_defaults(func=_command)
