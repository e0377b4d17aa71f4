"""Exports for the tools analysts already use: coded segments as CSV/XLSX, codebook and documents as REFI-QDA.

REFI-QDA 1.0 (www.qdasoftware.org): a `.qdc` is a codebook (namespace urn:QDA-XML:codebook:1.0); a `.qdpx` is a
zip holding `project.qde` (urn:QDA-XML:project:1.0) and `sources/<guid>.txt`, one plain text per document.
Each theme is a code with one sub-code per polarity, so QDA tools can filter by polarity; every coded sentence is
a PlainTextSelection whose positions are character offsets (start inclusive, end exclusive) into its source text.
Each source carries its council, GSS code, visit and publication date as variables, and each visit is a case
holding its documents, so QDA tools can compare visits over time.
GUIDs are uuid5 of our ids, so the same data gives byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import re
import sys
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config, db
from analysis.errors import ParameterError

FORMATS = ("csv", "xlsx", "qdc", "qdpx")
POLARITIES = ("strength", "concern", "improving", "neutral")
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
# Fixed, so GUIDs never change between runs or machines.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:analysis:ofsted-childrens-services:refi-qda")

# The columns of the CSV/XLSX segments, in order: (output name, column of exp_segments).
SEGMENT_COLUMNS = [
    ("council", "council"),
    ("la_id_gss", "la_id_gss"),
    ("visit_id", "visit_id"),
    ("document_id", "document_id"),
    ("document_title", "document_title"),
    ("published_date", "published_date"),
    ("page", "page"),
    ("passage_id", "passage_id"),
    ("sentence", "sentence"),
    ("theme_id", "theme_id"),
    ("theme_label", "theme_label"),
    ("polarity", "polarity"),
    ("method", "method"),
    ("matched", "matched"),
    ("codebook_version", "codebook_version"),
    ("source_id", "source_id"),
    ("source_url", "source_url"),
]
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
THEME_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
POLARITY_COLOURS = {"strength": "#009E73", "concern": "#D55E00", "improving": "#0072B2", "neutral": "#999999"}
USERS = {"rule": "analysis rule engine", "override": "analyst override"}
# Project variables given on every source: name -> REFI-QDA typeOfVariable (its value element is <type>Value).
VARIABLES = {"council": "Text", "la_id_gss": "Text", "visit_id": "Text", "published_date": "Date"}

# A spreadsheet treats a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 and XLSX cannot hold; replaced one-for-one by a space so character offsets stay valid.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_GSS = re.compile(r"E\d{8}")


def escape_cell(value: object) -> object:
    """A cell value safe to open in a spreadsheet: text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xml_safe(text: str) -> str:
    """Text with characters XML 1.0 forbids (control characters from PDFs) replaced by spaces, same length."""
    return _NOT_XML_CHAR.sub(" ", text)


def guid(*parts: str) -> str:
    """A deterministic GUID for one of our ids (e.g. guid('theme', 'caseloads'))."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(parts)))


def _cell(value: object) -> object:
    """A DataFrame value as a plain Python value; missing values become None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def segments(con: duckdb.DuckDBPyConnection, la_id_gss: str | None = None) -> pd.DataFrame:
    """Every coded segment (one row per sentence and theme) of one council, or of all when la_id_gss is None."""
    frame = db.query(con, "exp_segments", la_id_gss=la_id_gss)
    frame["page"] = frame["page"].astype("Int64")
    return frame


def _segment_rows(frame: pd.DataFrame) -> list[list[object]]:
    sources = [source for _, source in SEGMENT_COLUMNS]
    return [[escape_cell(_cell(v)) for v in row] for row in frame[sources].itertuples(index=False, name=None)]


def write_csv(con: duckdb.DuckDBPyConnection, out: Path | str, la_id_gss: str | None = None) -> int:
    """Write coded segments as UTF-8 CSV (with a BOM so Excel reads it; '-' writes to stdout without); rows written."""
    frame = segments(con, la_id_gss)
    rows = _segment_rows(frame)
    header = [name for name, _ in SEGMENT_COLUMNS]
    if str(out) == "-":
        _write_csv_rows(sys.stdout, header, rows)
        return len(rows)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        _write_csv_rows(handle, header, rows)
    return len(rows)


def _write_csv_rows(handle, header: list[str], rows: list[list[object]]) -> None:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


def _xlsx_value(value: object) -> object:
    value = _cell(value)
    if isinstance(value, str):
        return escape_cell(xml_safe(value))
    return value


def write_xlsx(con: duckdb.DuckDBPyConnection, out: Path | str, la_id_gss: str | None = None) -> int:
    """Write segments, codebook, recommendations and sources as sheets of an XLSX workbook; segment rows written."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    frame = segments(con, la_id_gss)
    sheets: list[tuple[str, list[str], list[list[object]]]] = []
    rows = _segment_rows(frame)
    date_at = [name for name, _ in SEGMENT_COLUMNS].index("published_date")
    for row in rows:
        if row[date_at]:
            row[date_at] = dt.date.fromisoformat(row[date_at])
    sheets.append(("segments", [name for name, _ in SEGMENT_COLUMNS], rows))
    themes = db.query(con, "exp_themes")
    sheets.append(("codebook", list(themes.columns), list(themes.itertuples(index=False, name=None))))
    recommendations = db.query(con, "exp_recommendations", la_id_gss=la_id_gss)
    sheets.append(
        ("recommendations", list(recommendations.columns), list(recommendations.itertuples(index=False, name=None)))
    )
    sources = db.query(con, "exp_sources", la_id_gss=la_id_gss)
    sheets.append(("sources", list(sources.columns), list(sources.itertuples(index=False, name=None))))

    # Write-only mode streams rows: about 4x faster than the default on 20,000 segments.
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, body in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(body) + 1}"
        heading = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            heading.append(cell)
        sheet.append(heading)
        for row in body:
            values = [_xlsx_value(v) for v in row]
            if title == "segments" and values[date_at] is not None:
                cell = WriteOnlyCell(sheet, value=values[date_at])
                cell.number_format = "yyyy-mm-dd"
                values[date_at] = cell
            sheet.append(values)
    workbook.properties.creator = "analysis"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return len(rows)


def _codebook_version(con: duckdb.DuckDBPyConnection) -> str:
    versions = db.query(con, "exp_codebook_versions")["codebook_version"].tolist()
    return ", ".join(versions) if versions else "unknown"


def _add_codes(parent: ET.Element, ns: str, themes: pd.DataFrame) -> None:
    """Theme codes nested under their parent themes, each with one codable sub-code per polarity."""
    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    records = themes.to_dict("records")
    colour = {r["theme_id"]: THEME_COLOURS[i % len(THEME_COLOURS)] for i, r in enumerate(records)}
    known = {r["theme_id"] for r in records}
    children: dict[str | None, list[dict]] = {}
    for r in records:
        parent_id = _cell(r["parent_theme_id"])
        children.setdefault(parent_id if parent_id in known else None, []).append(r)

    def add(container: ET.Element, record: dict) -> None:
        theme_id = record["theme_id"]
        code = ET.SubElement(
            container,
            f"{{{ns}}}Code",
            guid=guid("theme", theme_id),
            name=xml_safe(str(record["label"])),
            isCodable="true",
            color=colour[theme_id],
        )
        framework = _cell(record["framework_area"])
        described = f"{record['definition']} [theme_id: {theme_id}" + (
            f"; framework: {framework}]" if framework else "]"
        )
        ET.SubElement(code, f"{{{ns}}}Description").text = xml_safe(described)
        for polarity in POLARITIES:
            sub = ET.SubElement(
                code,
                f"{{{ns}}}Code",
                guid=guid("theme", theme_id, polarity),
                name=f"{xml_safe(str(record['label']))}: {polarity}",
                isCodable="true",
                color=POLARITY_COLOURS[polarity],
            )
            ET.SubElement(sub, f"{{{ns}}}Description").text = f"{theme_id} with polarity {polarity}"
        for child in children.get(theme_id, []):
            add(code, child)

    for record in children.get(None, []):
        add(codes, record)


def _serialise(root: ET.Element, ns: str) -> bytes:
    ET.register_namespace("", ns)
    ET.indent(root, space="  ")
    # The declaration written by hand: double quotes and "UTF-8", as the REFI-QDA examples have it.
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def codebook_xml(themes: pd.DataFrame, version: str) -> bytes:
    """The codebook as a REFI-QDA .qdc document (UTF-8 bytes)."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin=f"analysis codebook {version}")
    _add_codes(root, CODEBOOK_NS, themes)
    return _serialise(root, CODEBOOK_NS)


def write_qdc(con: duckdb.DuckDBPyConnection, out: Path | str) -> int:
    """Write the codebook of the built database as a REFI-QDA .qdc file; themes written."""
    themes = db.query(con, "exp_themes")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(codebook_xml(themes, _codebook_version(con)))
    return len(themes)


def project_files(
    themes: pd.DataFrame, documents: pd.DataFrame, coded: pd.DataFrame, name: str, version: str
) -> dict[str, bytes]:
    """The members of a .qdpx zip: project.qde and sources/<guid>.txt, from themes, documents and segments."""
    root = ET.Element(
        f"{{{PROJECT_NS}}}Project",
        name=xml_safe(name),
        origin=f"analysis codebook {version}",
        creatingUserGUID=guid("user", "rule"),
    )
    users = ET.SubElement(root, f"{{{PROJECT_NS}}}Users")
    for method, label in USERS.items():
        ET.SubElement(users, f"{{{PROJECT_NS}}}User", guid=guid("user", method), name=label)
    _add_codes(ET.SubElement(root, f"{{{PROJECT_NS}}}CodeBook"), PROJECT_NS, themes)
    # Plain dicts grouped once: pandas group-bys per sentence cost ~1000x more on 20,000 codings.
    by_document: dict[str, dict[str, list[dict]]] = {}
    for r in coded.to_dict("records"):
        by_document.setdefault(r["document_id"], {}).setdefault(r["passage_id"], []).append(r)
    records = [d for d in documents.to_dict("records") if d["document_id"] in by_document]
    # Council, visit and date as variables, and one case per visit, so QDA tools can compare visits over time.
    variables = ET.SubElement(root, f"{{{PROJECT_NS}}}Variables")
    for variable, kind in VARIABLES.items():
        ET.SubElement(
            variables, f"{{{PROJECT_NS}}}Variable", guid=guid("variable", variable), name=variable, typeOfVariable=kind
        )
    visits: dict[str, list[dict]] = {}
    for doc in records:
        if _cell(doc["visit_id"]):
            visits.setdefault(doc["visit_id"], []).append(doc)
    if visits:
        cases = ET.SubElement(root, f"{{{PROJECT_NS}}}Cases")
        for visit_id in sorted(visits):
            case = ET.SubElement(cases, f"{{{PROJECT_NS}}}Case", guid=guid("visit", visit_id), name=visit_id)
            ET.SubElement(case, f"{{{PROJECT_NS}}}Description").text = xml_safe(
                f"Ofsted visit {visit_id} ({visits[visit_id][0]['council']})"
            )
            for doc in visits[visit_id]:
                ET.SubElement(case, f"{{{PROJECT_NS}}}SourceRef", targetGUID=guid("document", doc["document_id"]))
    sources = ET.SubElement(root, f"{{{PROJECT_NS}}}Sources")
    files: dict[str, bytes] = {}
    for doc in records:
        group = by_document[doc["document_id"]]
        source_guid = guid("document", doc["document_id"])
        files[f"sources/{source_guid}.txt"] = xml_safe(doc["text"]).encode("utf-8")
        title, published = str(doc["title"]), _cell(doc["published_date"])
        if published and published not in title:
            title = f"{title} ({published})"
        source = ET.SubElement(
            sources,
            f"{{{PROJECT_NS}}}TextSource",
            guid=source_guid,
            name=xml_safe(title),
            plainTextPath=f"internal://{source_guid}.txt",
            creatingUser=guid("user", "rule"),
        )
        about = f"document_id {doc['document_id']}; source_id {doc['source_id']}"
        if _cell(doc["source_url"]):
            about += f"; {doc['source_url']}"
        ET.SubElement(source, f"{{{PROJECT_NS}}}Description").text = xml_safe(about)
        for passage_id, sentence in group.items():
            first = sentence[0]
            methods = {r["method"] for r in sentence}
            selection = ET.SubElement(
                source,
                f"{{{PROJECT_NS}}}PlainTextSelection",
                guid=guid("selection", passage_id),
                name=passage_id,
                startPosition=str(int(first["char_start"])),
                endPosition=str(int(first["char_end"])),
                creatingUser=guid("user", "override" if methods == {"override"} else "rule"),
            )
            notes = [
                f"{r['theme_id']}: {r['polarity']} ({r['method']}"
                + (f", matched: {r['matched']})" if _cell(r["matched"]) else ")")
                for r in sentence
            ]
            ET.SubElement(selection, f"{{{PROJECT_NS}}}Description").text = xml_safe("; ".join(notes))
            for r in sentence:
                coding = ET.SubElement(
                    selection,
                    f"{{{PROJECT_NS}}}Coding",
                    guid=guid("coding", passage_id, r["theme_id"]),
                    creatingUser=guid("user", r["method"] if r["method"] in USERS else "rule"),
                )
                target = guid("theme", r["theme_id"], r["polarity"])
                ET.SubElement(coding, f"{{{PROJECT_NS}}}CodeRef", targetGUID=target)
        for variable, kind in VARIABLES.items():
            value = _cell(doc[variable])
            if value:
                holder = ET.SubElement(source, f"{{{PROJECT_NS}}}VariableValue")
                ET.SubElement(holder, f"{{{PROJECT_NS}}}VariableRef", targetGUID=guid("variable", variable))
                ET.SubElement(holder, f"{{{PROJECT_NS}}}{kind}Value").text = xml_safe(str(value))
    files["project.qde"] = _serialise(root, PROJECT_NS)
    return files


def write_qdpx(con: duckdb.DuckDBPyConnection, out: Path | str, la_id_gss: str | None = None) -> int:
    """Write the codebook and the coded documents as a REFI-QDA .qdpx project; coded documents written."""
    coded = segments(con, la_id_gss)
    documents = db.query(con, "exp_documents", la_id_gss=la_id_gss)
    name = "Ofsted children's services findings: " + (
        str(coded["council"].iloc[0]) if la_id_gss and len(coded) else la_id_gss or "all councils"
    )
    files = project_files(db.query(con, "exp_themes"), documents, coded, name, _codebook_version(con))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member in ["project.qde"] + sorted(k for k in files if k != "project.qde"):
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))  # fixed: same data, same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[member])
    out.write_bytes(buffer.getvalue())
    return len(files) - 1


def default_out(fmt: str, la_id_gss: str | None) -> Path:
    """Where an export goes when --out is not given: reports/exports/ (rendered output, not committed)."""
    scope = la_id_gss or "all"
    name = {
        "csv": f"coded_segments_{scope}.csv",
        "xlsx": f"coded_segments_{scope}.xlsx",
        "qdc": "codebook.qdc",
        "qdpx": f"coded_documents_{scope}.qdpx",
    }[fmt]
    return config.REPORTS / "exports" / name


def export(
    con: duckdb.DuckDBPyConnection, fmt: str, out: Path | str | None = None, la_id_gss: str | None = None
) -> tuple[Path | str, int]:
    """Write one export; return where it went and how many rows, themes or documents it holds."""
    if fmt not in FORMATS:
        raise ParameterError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if la_id_gss is not None:
        if not _GSS.fullmatch(la_id_gss):
            raise ParameterError(f"--la must be a council's GSS code such as E08000027, not {la_id_gss!r}")
        if not len(db.query(con, "exp_council", la_id_gss=la_id_gss)):
            raise ParameterError(f"--la {la_id_gss} is not a council in the database")
    if str(out) == "-" and fmt != "csv":
        raise ParameterError("--out - (standard output) is only for --format csv")
    target = out if out is not None else default_out(fmt, la_id_gss)
    if fmt == "csv":
        return target, write_csv(con, target, la_id_gss)
    if fmt == "xlsx":
        return target, write_xlsx(con, target, la_id_gss)
    if fmt == "qdc":
        return target, write_qdc(con, target)
    return target, write_qdpx(con, target, la_id_gss)


def _command(args: argparse.Namespace) -> int:
    with db.connect(args.db) as con:
        try:
            target, n = export(con, args.format, args.out, args.la)
        except BrokenPipeError:  # `analysis export --out - | head`: the reader stopped early, not an error
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    what = {"csv": "coded segments", "xlsx": "coded segments", "qdc": "themes", "qdpx": "coded documents"}
    if str(target) != "-":
        print(f"{config.relative(Path(target))}: {n} {what[args.format]}", file=sys.stderr)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `analysis export` to the command line."""
    p = subparsers.add_parser(
        "export",
        help="export coded segments (csv, xlsx) or the codebook and coded documents (REFI-QDA qdc, qdpx)",
    )
    p.add_argument("--la", default=None, help="a council's GSS code, e.g. E08000027 (default: every council)")
    p.add_argument("--format", choices=FORMATS, default="csv", help="csv, xlsx, qdc (codebook) or qdpx (project)")
    p.add_argument("--out", default=None, help="file to write ('-' = stdout, csv only; default reports/exports/)")
    p.add_argument("--db", type=Path, default=None, help="the database to read (default data/build/analysis.duckdb)")
    p.set_defaults(func=_command)
