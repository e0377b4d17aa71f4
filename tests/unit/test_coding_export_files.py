"""Exports: CSV/XLSX of coded segments (formula-safe) and REFI-QDA codebook/project files that validate.

Every council, document, sentence and coding here is synthetic, made up for the tests; the hostile strings
(formulas, markup, control characters) are there on purpose.
"""

from __future__ import annotations

import argparse
import csv
import io
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from lxml import etree

from analysis import db
from analysis.coding import export
from analysis.errors import ParameterError

# A faithful subset of the published REFI-QDA 1.0 schemas (Codebook.xsd, and Project.xsd of 18 March 2019),
# written for the elements and attributes these exports use: same names, nesting, order, required attributes and
# simple types (GUID and RGB patterns). Anything else the full schema allows is left out, so it is rejected here.
_GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_TYPES = f"""
  <xs:simpleType name="GUIDType"><xs:restriction base="xs:token">
    <xs:pattern value="({_GUID})|(\\{{{_GUID}\\}})"/>
  </xs:restriction></xs:simpleType>
  <xs:simpleType name="RGBType"><xs:restriction base="xs:token">
    <xs:pattern value="#([A-Fa-f0-9]{{6}}|[A-Fa-f0-9]{{3}})"/>
  </xs:restriction></xs:simpleType>
  <xs:complexType name="CodesType"><xs:sequence>
    <xs:element name="Code" type="CodeType" maxOccurs="unbounded"/>
  </xs:sequence></xs:complexType>
  <xs:complexType name="CodeType">
    <xs:sequence>
      <xs:element name="Description" type="xs:string" minOccurs="0"/>
      <xs:element name="Code" type="CodeType" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="guid" type="GUIDType" use="required"/>
    <xs:attribute name="name" type="xs:string" use="required"/>
    <xs:attribute name="isCodable" type="xs:boolean" use="required"/>
    <xs:attribute name="color" type="RGBType"/>
  </xs:complexType>
"""

CODEBOOK_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns="urn:QDA-XML:codebook:1.0" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:QDA-XML:codebook:1.0" elementFormDefault="qualified">
  <xs:element name="CodeBook">
    <xs:complexType>
      <xs:sequence><xs:element name="Codes" type="CodesType"/></xs:sequence>
      <xs:attribute name="origin" type="xs:string"/>
    </xs:complexType>
  </xs:element>
  {_TYPES}
</xs:schema>"""

PROJECT_XSD = f"""<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns="urn:QDA-XML:project:1.0" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    targetNamespace="urn:QDA-XML:project:1.0" elementFormDefault="qualified">
  <xs:element name="Project">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Users" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="User" maxOccurs="unbounded"><xs:complexType>
            <xs:attribute name="guid" type="GUIDType" use="required"/>
            <xs:attribute name="name" type="xs:string"/>
          </xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="CodeBook" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="Codes" type="CodesType"/>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="Variables" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="Variable" maxOccurs="unbounded"><xs:complexType>
            <xs:sequence><xs:element name="Description" type="xs:string" minOccurs="0"/></xs:sequence>
            <xs:attribute name="guid" type="GUIDType" use="required"/>
            <xs:attribute name="name" type="xs:string" use="required"/>
            <xs:attribute name="typeOfVariable" use="required"><xs:simpleType><xs:restriction base="xs:token">
              <xs:enumeration value="Text"/><xs:enumeration value="Boolean"/><xs:enumeration value="Integer"/>
              <xs:enumeration value="Float"/><xs:enumeration value="Date"/><xs:enumeration value="DateTime"/>
            </xs:restriction></xs:simpleType></xs:attribute>
          </xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="Cases" minOccurs="0"><xs:complexType><xs:sequence>
          <xs:element name="Case" maxOccurs="unbounded"><xs:complexType>
            <xs:sequence>
              <xs:element name="Description" type="xs:string" minOccurs="0"/>
              <xs:element name="VariableValue" type="VariableValueType" minOccurs="0" maxOccurs="unbounded"/>
              <xs:element name="SourceRef" type="RefType" minOccurs="0" maxOccurs="unbounded"/>
            </xs:sequence>
            <xs:attribute name="guid" type="GUIDType" use="required"/>
            <xs:attribute name="name" type="xs:string"/>
          </xs:complexType></xs:element>
        </xs:sequence></xs:complexType></xs:element>
        <xs:element name="Sources" minOccurs="0"><xs:complexType>
          <xs:choice maxOccurs="unbounded"><xs:element name="TextSource" type="TextSourceType"/></xs:choice>
        </xs:complexType></xs:element>
      </xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="origin" type="xs:string"/>
      <xs:attribute name="creatingUserGUID" type="GUIDType"/>
    </xs:complexType>
  </xs:element>
  <xs:complexType name="TextSourceType">
    <xs:sequence>
      <xs:element name="Description" type="xs:string" minOccurs="0"/>
      <xs:element name="PlainTextSelection" type="PlainTextSelectionType" minOccurs="0" maxOccurs="unbounded"/>
      <xs:element name="VariableValue" type="VariableValueType" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="guid" type="GUIDType" use="required"/>
    <xs:attribute name="name" type="xs:string"/>
    <xs:attribute name="plainTextPath" type="xs:string"/>
    <xs:attribute name="creatingUser" type="GUIDType"/>
  </xs:complexType>
  <xs:complexType name="RefType"><xs:attribute name="targetGUID" type="GUIDType" use="required"/></xs:complexType>
  <xs:complexType name="VariableValueType">
    <xs:sequence>
      <xs:element name="VariableRef" type="RefType"/>
      <xs:choice>
        <xs:element name="TextValue" type="xs:string" minOccurs="0"/>
        <xs:element name="DateValue" type="xs:date" minOccurs="0"/>
      </xs:choice>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="PlainTextSelectionType">
    <xs:sequence>
      <xs:element name="Description" type="xs:string" minOccurs="0"/>
      <xs:element name="Coding" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType>
          <xs:sequence><xs:element name="CodeRef"><xs:complexType>
            <xs:attribute name="targetGUID" type="GUIDType" use="required"/>
          </xs:complexType></xs:element></xs:sequence>
          <xs:attribute name="guid" type="GUIDType" use="required"/>
          <xs:attribute name="creatingUser" type="GUIDType"/>
        </xs:complexType>
      </xs:element>
    </xs:sequence>
    <xs:attribute name="guid" type="GUIDType" use="required"/>
    <xs:attribute name="name" type="xs:string"/>
    <xs:attribute name="startPosition" type="xs:integer" use="required"/>
    <xs:attribute name="endPosition" type="xs:integer" use="required"/>
    <xs:attribute name="creatingUser" type="GUIDType"/>
  </xs:complexType>
  {_TYPES}
</xs:schema>"""

P = "{urn:QDA-XML:project:1.0}"

DOCS = {
    "doc_a": (
        "E08000099",
        'Synthetic letter <one> & "two"\n\n'
        '=HYPERLINK("http://x") is a formula-looking sentence.\x0c Caseloads remain high.\n'
        "Supervision is regular and reflective.",
    ),
    "doc_b": ("E08000098", "Another council. Timely visits to children."),
}


def _sentences(text: str, document_id: str) -> list[dict]:
    """Synthetic sentence passages: split on '. ' and newlines, offsets exact."""
    rows, start, seq = [], 0, 0
    for piece in text.replace("\n", ". ").split(". "):
        begin = text.index(piece, start)
        if piece.strip():
            seq += 1
            rows.append(
                {
                    "passage_id": f"{document_id}#s{seq:04d}",
                    "document_id": document_id,
                    "passage_kind": "sentence",
                    "paragraph_id": None,
                    "seq": seq,
                    "page": 1 if document_id == "doc_a" else None,
                    "char_start": begin,
                    "char_end": begin + len(piece),
                    "heading": None,
                    "block_kind": "text",
                    "text": piece,
                }
            )
        start = begin + len(piece)
    return rows


@pytest.fixture()
def database(tmp_path) -> Path:
    path = tmp_path / "synthetic.duckdb"
    con = duckdb.connect(str(path))
    db.create_schema(con)
    db.append(
        con,
        "councils",
        pd.DataFrame(
            [
                {"la_id_gss": "E08000099", "la_id_dfe": 999, "la_name": "Testshire", "source_id": "lookup_test"},
                {"la_id_gss": "E08000098", "la_id_dfe": 998, "la_name": "@Otherton", "source_id": "lookup_test"},
            ]
        ),
    )
    sources, documents, passages, codings = [], [], [], []
    for document_id, (la, text) in DOCS.items():
        sources.append(
            {
                "source_id": document_id,
                "la_id_gss": la,
                "kind": "focused_visit_letter",
                "title": f"Letter {document_id}",
                "publisher": "Ofsted",
                "published_date": "2025-11-20",
                "url": f"https://example.org/{document_id}.pdf",
                "licence": "OGL v3.0",
            }
        )
        documents.append(
            {
                "document_id": document_id,
                "source_id": document_id,
                "la_id_gss": la,
                "visit_id": f"{la}-2025-10-focused",
                "kind": "focused_visit_letter",
                "title": f"-Letter {document_id}",
                "published_date": "2025-11-20",
                "path": f"data/raw/{document_id}.txt",
                "media_type": "text/plain",
                "n_chars": len(text),
                "sha256": "0" * 64,
                "text": text,
            }
        )
        passages.extend(_sentences(text, document_id))
    for passage in passages:
        lowered = passage["text"].lower()
        for theme, word, polarity, method in (
            ("caseloads", "caseloads", "concern", "rule"),
            ("supervision", "supervision", "strength", "override"),
            ("timeliness", "timely", "strength", "rule"),
            ("ict_recording", "hyperlink", "neutral", "rule"),
        ):
            if word in lowered:
                codings.append(
                    {
                        "passage_id": passage["passage_id"],
                        "document_id": passage["document_id"],
                        "theme_id": theme,
                        "polarity": polarity,
                        "method": method,
                        "codebook_version": "1.2.3",
                        "matched": None if method == "override" else word,
                    }
                )
    themes = pd.DataFrame(
        [
            ("caseloads", "Caseloads", "=cases per worker", "enabler 2", None, True),
            ("supervision", "Supervision", "Supervision <of> social workers & more", "enabler 2", None, True),
            ("timeliness", "Timeliness", "Timely response", "outcome 1", None, True),
            ("ict_recording", "ICT and case recording", "Systems", "enabler 2", None, True),
            ("ict_child", "ICT child theme", "A sub-theme", None, "ict_recording", False),
        ],
        columns=["theme_id", "label", "definition", "framework_area", "parent_theme_id", "is_core"],
    )
    for table, rows in (("sources", sources), ("documents", documents), ("passages", passages)):
        db.append(con, table, pd.DataFrame(rows))
    db.append(con, "codings", pd.DataFrame(codings))
    db.append(con, "themes", themes)
    recommendation = {"recommendation_id": "doc_a#r0001", "visit_id": "E08000099-2025-10-focused"}
    recommendation.update(document_id="doc_a", passage_id=None, seq=1, text="+Improve supervision.", source_id="doc_a")
    db.append(con, "recommendations", pd.DataFrame([recommendation]))
    db.append(
        con, "recommendation_themes", pd.DataFrame([{"recommendation_id": "doc_a#r0001", "theme_id": "supervision"}])
    )
    db.create_views(con)  # the views, tables and macros a build makes after loading
    con.close()
    return path


@pytest.fixture()
def con(database):
    connection = db.connect(database)
    yield connection
    connection.close()


def test_escape_cell_defuses_formulas_only_in_text():
    assert export.escape_cell("=SUM(A1)") == "'=SUM(A1)"
    assert export.escape_cell("+1") == "'+1"
    assert export.escape_cell("-x") == "'-x"
    assert export.escape_cell("@cmd") == "'@cmd"
    assert export.escape_cell("Plain text") == "Plain text"
    assert export.escape_cell(-3) == -3


def test_xml_safe_keeps_length():
    text = "a\x0cb\x00c\n"
    assert export.xml_safe(text) == "a b c\n" and len(export.xml_safe(text)) == len(text)


def test_csv_has_every_segment_and_no_formula(con, tmp_path):
    out = tmp_path / "segments.csv"
    n = export.write_csv(con, out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert n == len(rows) == 4
    assert list(rows[0]) == [name for name, _ in export.SEGMENT_COLUMNS]
    assert not [v for r in rows for v in r.values() if v.startswith(("=", "+", "-", "@"))]
    hyperlink = [r for r in rows if r["theme_id"] == "ict_recording"][0]
    assert hyperlink["sentence"].startswith("'=HYPERLINK")
    assert {r["council"] for r in rows} == {"Testshire", "'@Otherton"}
    assert {r["codebook_version"] for r in rows} == {"1.2.3"}


def test_csv_for_one_council(con, tmp_path):
    out = tmp_path / "one.csv"
    assert export.write_csv(con, out, "E08000098") == 1


def test_xlsx_sheets_have_no_formulas(con, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "segments.xlsx"
    assert export.write_xlsx(con, out) == 4
    book = load_workbook(out)
    assert book.sheetnames == ["segments", "codebook", "recommendations", "sources"]
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert book["codebook"].max_row == 6 and book["sources"].max_row == 3
    recommendations = list(book["recommendations"].iter_rows(values_only=True))
    header = recommendations[0]
    row = dict(zip(header, recommendations[1], strict=True))
    assert len(recommendations) == 2
    assert (row["text"], row["theme_ids"]) == ("'+Improve supervision.", "supervision")
    assert "'=cases per worker" in [c.value for c in book["codebook"]["C"]]


def _codes(root: etree._Element, ns: str) -> dict[str, etree._Element]:
    return {code.get("guid"): code for code in root.iter(f"{{{ns}}}Code")}


def test_qdc_validates_and_has_a_subcode_per_polarity(con, tmp_path):
    out = tmp_path / "codebook.qdc"
    assert export.write_qdc(con, out) == 5
    schema = etree.XMLSchema(etree.fromstring(CODEBOOK_XSD.encode()))
    document = etree.parse(str(out))
    schema.assertValid(document)
    codes = _codes(document.getroot(), "urn:QDA-XML:codebook:1.0")
    assert len(codes) == 5 * (1 + len(export.POLARITIES))
    top = document.getroot().find("{urn:QDA-XML:codebook:1.0}Codes")
    assert [c.get("name") for c in top] == ["Caseloads", "Supervision", "Timeliness", "ICT and case recording"]
    ict = top[3]
    assert "ICT child theme" in [c.get("name") for c in ict.findall("{urn:QDA-XML:codebook:1.0}Code")]
    assert document.getroot().get("origin") == "analysis codebook 1.2.3"
    assert "Supervision <of> social workers & more" in out.read_text(encoding="utf-8").replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&amp;", "&")


def test_qdpx_is_a_valid_project_whose_selections_are_the_sentences(con, tmp_path):
    out = tmp_path / "project.qdpx"
    assert export.write_qdpx(con, out) == 2
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
        texts = {n: archive.read(n).decode("utf-8") for n in names if n.startswith("sources/")}
    assert names[0] == "project.qde" and len(texts) == 2
    schema = etree.XMLSchema(etree.fromstring(PROJECT_XSD.encode()))
    root = etree.fromstring(qde)
    schema.assertValid(root)
    codes = _codes(root, "urn:QDA-XML:project:1.0")
    users = {u.get("guid") for u in root.iter(f"{P}User")}
    segments = export.segments(con)
    sentence_of = dict(zip(segments["passage_id"], segments["sentence"], strict=False))
    referenced = set()
    n_codings = 0
    for source in root.iter(f"{P}TextSource"):
        path = source.get("plainTextPath").replace("internal://", "sources/")
        text = texts[path]
        referenced.add(source.find(f"{P}Description").text.split(";")[0].split()[-1])
        for selection in source.iter(f"{P}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert export.xml_safe(sentence_of[selection.get("name")]) == text[start:end]
            for coding in selection.iter(f"{P}Coding"):
                n_codings += 1
                assert coding.find(f"{P}CodeRef").get("targetGUID") in codes
                assert coding.get("creatingUser") in users
    assert referenced == set(segments["document_id"])
    # One case per visit, pointing at its documents; each source carries its council, visit and date.
    source_guids = {s.get("guid") for s in root.iter(f"{P}TextSource")}
    cases = list(root.iter(f"{P}Case"))
    assert sorted(c.get("name") for c in cases) == ["E08000098-2025-10-focused", "E08000099-2025-10-focused"]
    assert {r.get("targetGUID") for c in cases for r in c.iter(f"{P}SourceRef")} == source_guids
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{P}Variable")}
    first = next(root.iter(f"{P}TextSource"))
    values = {
        variables[v.find(f"{P}VariableRef").get("targetGUID")]: v[1].text for v in first.iter(f"{P}VariableValue")
    }
    assert values == {
        "council": "@Otherton",
        "la_id_gss": "E08000098",
        "visit_id": "E08000098-2025-10-focused",
        "published_date": "2025-11-20",
    }
    assert n_codings == len(segments)
    # The control character of the PDF-like text became a space in the source, offsets unchanged.
    assert "\x0c" not in "".join(texts.values())


def test_qdpx_is_byte_identical_for_the_same_data(con, tmp_path):
    export.write_qdpx(con, tmp_path / "a.qdpx")
    export.write_qdpx(con, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_qdpx_for_one_council_holds_only_its_documents(con, tmp_path):
    assert export.write_qdpx(con, tmp_path / "one.qdpx", "E08000099") == 1


def test_guid_is_deterministic_and_distinct():
    assert export.guid("theme", "caseloads") == export.guid("theme", "caseloads")
    assert export.guid("theme", "caseloads") != export.guid("theme", "caseloads", "concern")


@pytest.mark.parametrize(
    ("la", "fmt", "out", "message"),
    [
        ("Dudley", "csv", None, "GSS code"),
        ("E08000001", "csv", None, "not a council in the database"),
        (None, "xlsx", "-", "only for --format csv"),
        (None, "pdf", None, "--format"),
    ],
)
def test_bad_parameters_are_named(con, la, fmt, out, message):
    with pytest.raises(ParameterError, match=message):
        export.export(con, fmt, out, la)


def test_command_line_writes_each_format(database, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    export.register(parser.add_subparsers())
    for fmt in export.FORMATS:
        out = tmp_path / f"out.{fmt}"
        args = parser.parse_args(["export", "--format", fmt, "--out", str(out), "--db", str(database)])
        assert args.func(args) == 0
        assert out.stat().st_size > 0
    args = parser.parse_args(["export", "--la", "E08000098", "--out", "-", "--db", str(database)])
    args.func(args)
    printed = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert printed[0][0] == "council" and len(printed) == 2
