"""Each kind of bad input stops the build with the file, row and field, and the previous database survives.

The builds here use a copy of data/ and an empty fetch cache (only the committed documents), so they are quick.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from analysis import build, config
from analysis.errors import InputError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A copy of the repo's data and a database built from it: the 'previous good database'."""
    root = tmp_path_factory.mktemp("repo")
    shutil.copytree(config.DATA, root / "data", ignore=shutil.ignore_patterns("cache", "build"))
    target = root / "analysis.duckdb"
    build.build(target, _ctx(root))
    return root, target, _fingerprint(target)


def _ctx(root: Path) -> build.BuildContext:
    return build.BuildContext(repo=root, data=root / "data", cache=root / "cache", log=lambda msg: None)


def _fingerprint(path: Path) -> tuple:
    with duckdb.connect(str(path), read_only=True) as con:
        return tuple(
            con.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608 - table names are literals here
            for t in ("sources", "visits", "judgements", "documents", "passages", "codings")
        )


def _edit_csv(path: Path, find: str, replace: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert find in text, f"{find!r} not in {path}"
    path.write_text(text.replace(find, replace, 1), encoding="utf-8")


def _visits_row(root: Path, needle: str) -> str:
    return next(line for line in (root / "data/seeds/visits.csv").read_text().splitlines() if needle in line)


def _break_malformed_row(root):
    path = root / "data/seeds/visits.csv"
    path.write_text(path.read_text() + "E08000027-2030-01-sif,only,three\n")
    return r"visits\.csv, row \d+: \d+ cells where the header has \d+"


def _break_unknown_visit_type(root):
    _edit_csv(root / "data/seeds/visits.csv", ",sif_inspection,", ",sif_inspektion,")
    return r"visits\.csv, row \d+, field visit_type: 'sif_inspektion' is not one of"


def _break_unknown_grade(root):
    _edit_csv(root / "data/seeds/judgements.csv", ",inadequate,", ",terrible,")
    return r"judgements\.csv, row \d+, field grade: 'terrible'"


def _break_end_before_start(root):
    _edit_csv(root / "data/seeds/visits.csv", "2016-02-08", "2015-12-31")
    return r"visits\.csv, row \d+, field fieldwork_end: .*before"


def _break_duplicate_id(root):
    path = root / "data/seeds/visits.csv"
    path.write_text(path.read_text() + _visits_row(root, "E08000027-2016-01-sif") + "\n")
    return r"visits\.csv, row \d+, field visit_id: duplicate 'E08000027-2016-01-sif'"


def _break_fact_without_source(root):
    path = root / "data/seeds/judgements.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["source_id"] = ""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return r"judgements\.csv, row 2, field source_id: a value is required"


def _break_sha256(root):
    raw = sorted((root / "data/raw").glob("*.md"))[0]
    raw.write_text(raw.read_text() + "\nTampered.\n")
    return r"sha256"


def _reregister(root: Path, raw: Path, old_bytes: bytes) -> None:
    """Update the registry's sha256 so the build gets past the checksum to the content itself."""
    old, new = hashlib.sha256(old_bytes).hexdigest(), hashlib.sha256(raw.read_bytes()).hexdigest()
    for registry in (root / "data/sources").glob("*.csv"):
        if old in registry.read_text():
            _edit_csv(registry, old, new)


def _break_undecodable_text(root):
    raw = sorted((root / "data/raw").glob("*.txt"))[0]
    before = raw.read_bytes()
    raw.write_bytes(before + "caf\u00e9".encode("cp1252"))
    _reregister(root, raw, before)
    return rf"{raw.name}.*UTF-8"


def _add_local_document(root: Path, name: str, content: bytes) -> Path:
    """Commit a new document under data/raw and register it, as an analyst adding a letter would."""
    path = root / "data/raw" / name
    path.write_bytes(content)
    registry = root / "data/sources/documents.csv"
    with open(registry, newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    row = {
        "source_id": "test_new_letter",
        "la_id_gss": "E08000027",
        "kind": "focused_visit_letter",
        "title": "A new letter",
        "publisher": "Ofsted",
        "published_date": "2026-05-01",
        "published_date_precision": "day",
        "licence": "OGL v3.0",
        "sha256": hashlib.sha256(content).hexdigest(),
        "local_path": f"data/raw/{name}",
        "note": "synthetic test file",
    }
    with open(registry, "a", newline="", encoding="utf-8") as handle:
        csv.DictWriter(handle, fieldnames=header, restval="").writerow(row)
    return path


def _break_html_saved_as_pdf(root):
    _add_local_document(
        root,
        "2026-05-01_letter.pdf",
        b"<!DOCTYPE html><html><head><title>Not found</title></head>"
        b"<body><p>The page you asked for is not here.</p></body></html>",
    )
    return r"2026-05-01_letter\.pdf.*HTML"


def _break_pdf_without_text(root):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()  # synthetic: one blank page, as a scan without OCR would give
    pdf.new_page(595, 842)
    out = root / "blank.pdf"
    pdf.save(str(out))
    _add_local_document(root, "2026-05-01_scan.pdf", out.read_bytes())
    return r"2026-05-01_scan\.pdf.*text"


def _break_header_only_judgements(root):
    path = root / "data/seeds/judgements.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return r"judgements\.csv: the file has a header but no rows, and it is required"


def _break_boolean_yes(root):
    path = root / "data/seeds/visits.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    column = lines[0].split(",").index("is_uncertain")
    cells = next(csv.reader([lines[1]]))
    cells[column] = "yes"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    path.write_text("\n".join([lines[0], out.getvalue().rstrip("\n"), *lines[2:]]) + "\n", encoding="utf-8")
    return r"visits\.csv, row 2, field is_uncertain: 'yes' is not true or false"


def _break_text_over_the_limit(root):
    path = _add_local_document(root, "2026-05-01_dump.txt", b"")
    with open(path, "wb") as handle:  # sparse: 21 MB on paper
        handle.truncate(21 * 1024 * 1024)
    _reregister(root, path, b"")
    return r"2026-05-01_dump\.txt: the file is 21\.0 MB, over the 20\.0 MB limit"


BREAKS = {
    "a required seed with only its header": _break_header_only_judgements,
    "a boolean written yes": _break_boolean_yes,
    "a text over 20 MB": _break_text_over_the_limit,
    "a .pdf that is an HTML page": _break_html_saved_as_pdf,
    "a PDF with no text layer": _break_pdf_without_text,
    "malformed row": _break_malformed_row,
    "unknown visit type": _break_unknown_visit_type,
    "unknown grade": _break_unknown_grade,
    "end date before start date": _break_end_before_start,
    "duplicate id": _break_duplicate_id,
    "fact without a source": _break_fact_without_source,
    "sha256 mismatch": _break_sha256,
    "undecodable text": _break_undecodable_text,
}


@pytest.mark.parametrize("name", list(BREAKS))
def test_bad_input_is_named_and_previous_database_survives(good_build, tmp_path, name):
    root, good_db, fingerprint = good_build
    broken = tmp_path / "repo"
    shutil.copytree(root / "data", broken / "data")
    target = tmp_path / "analysis.duckdb"
    shutil.copyfile(good_db, target)
    pattern = BREAKS[name](broken)
    with pytest.raises(InputError, match=pattern):
        build.build(target, _ctx(broken))
    assert _fingerprint(target) == fingerprint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["analysis.duckdb", "repo"]


def test_a_seed_that_may_be_empty_builds_and_the_log_says_so(good_build, tmp_path):
    root, _, _ = good_build
    shutil.copytree(root / "data", tmp_path / "data")
    for name in ("council_priority_themes", "council_priorities", "events"):  # in the order they refer to each other
        path = tmp_path / "data/seeds" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    logs: list[str] = []
    target = tmp_path / "analysis.duckdb"
    build.build(
        target, build.BuildContext(repo=tmp_path, data=tmp_path / "data", cache=tmp_path / "cache", log=logs.append)
    )
    for name in ("events", "council_priorities", "council_priority_themes"):
        assert f"timeline: {name}.csv: 0 rows (allowed)" in logs
    with duckdb.connect(str(target), read_only=True) as con:
        assert len(con.table("events").df()) == 0 and len(con.table("visits").df()) > 0
