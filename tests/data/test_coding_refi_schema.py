"""The REFI-QDA exports validate against the published QDA-XML 1.0 schemas (tests/fixtures/refi-qda)."""

import zipfile

import pytest
from lxml import etree

from analysis import config
from analysis.coding import export

pytestmark = pytest.mark.slow
SCHEMAS = config.REPO / "tests" / "fixtures" / "refi-qda"


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def test_codebook_validates_against_codebook_xsd(con, tmp_path):
    out = tmp_path / "codebook.qdc"
    export.write_qdc(con, out)
    schema = _schema("Codebook.xsd")
    assert schema.validate(etree.parse(str(out))), schema.error_log


def test_project_validates_against_project_xsd(con, tmp_path):
    out = tmp_path / "dudley.qdpx"
    export.write_qdpx(con, out, la_id_gss="E08000027")
    with zipfile.ZipFile(out) as archive:
        project = etree.fromstring(archive.read("project.qde"))
        names = set(archive.namelist())
    schema = _schema("Project.xsd")
    assert schema.validate(project), schema.error_log
    ns = {"q": "urn:QDA-XML:project:1.0"}
    paths = [p.removeprefix("internal://") for p in project.xpath("//q:TextSource/@plainTextPath", namespaces=ns)]
    assert paths and all(f"sources/{p}" in names for p in paths)


def test_schema_rejects_a_broken_project(con, tmp_path):
    """The check can fail: a selection without its required endPosition is refused."""
    out = tmp_path / "dudley.qdpx"
    export.write_qdpx(con, out, la_id_gss="E08000027")
    with zipfile.ZipFile(out) as archive:
        project = etree.fromstring(archive.read("project.qde"))
    selection = project.find(".//{urn:QDA-XML:project:1.0}PlainTextSelection")
    del selection.attrib["endPosition"]
    assert not _schema("Project.xsd").validate(project)
