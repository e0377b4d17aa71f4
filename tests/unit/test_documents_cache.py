"""documents.read_many: worker processes and the cache give what reading each file here gives, and never stale text.

The documents are SYNTHETIC: short made-up letters and a two-page PDF written by the tests.
"""

from __future__ import annotations

import ast
import ctypes
import hashlib
import importlib.util
import pickle
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from analysis.cache import Cache
from analysis.errors import InputError
from analysis.ingest import documents
from analysis.ingest.documents import Job, read_many, read_one

LETTERS = {
    "a.md": "# Focused visit\n\n## Headline findings\n\nChildren are seen quickly. Plans are clear.\n\n- Supervision\n",
    "b.txt": "Caseloads remain high.\n\nManagers check plans every month. Morale is improving.\n",
    "c.html": "<html><head><title>News</title></head><body><h1>Update</h1><p>Staff praised. More to do.</p></body>",
    "d.md": "## What needs to improve\n\n- The timeliness of child protection enquiries.\n- Recording.\n",
}


PDF_PAGES = [
    ["Focused visit to a council", "Children are seen quickly and their plans are clear.", "Supervision is regular."],
    ["Caseloads remain high for some workers.", "Managers check plans every month."],
]


def write_pdf(path: Path, pages: list[list[str]] = PDF_PAGES) -> Path:
    """A synthetic PDF with a text layer: one line of Helvetica per string."""
    pdf = pdfium.PdfDocument.new()
    font = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    for lines in pages:
        page = pdf.new_page(595, 842)
        for number, text in enumerate(lines):
            obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, 11.0)
            wide = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
            pdfium_c.FPDFText_SetText(obj, ctypes.cast(wide, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 760 - 14 * number)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    pdf.save(str(path))
    return path


def _job(path: Path) -> Job:
    return Job(path, f"doc_{path.stem}", hashlib.sha256(path.read_bytes()).hexdigest())


def _jobs(folder: Path, letters: dict[str, str] = LETTERS) -> list[Job]:
    for name, text in letters.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [_job(folder / name) for name in letters]


def _same(got, expected) -> None:
    assert len(got) == len(expected)
    for (doc_a, passages_a), (doc_b, passages_b) in zip(got, expected, strict=True):
        pd.testing.assert_frame_equal(doc_a, doc_b)
        pd.testing.assert_frame_equal(passages_a, passages_b)


def test_workers_give_what_one_process_gives(tmp_path):
    jobs = [*_jobs(tmp_path), _job(write_pdf(tmp_path / "e.pdf"))]
    serial, n_serial = read_many(jobs, Cache(None), workers=1)
    pooled, n_pooled = read_many(jobs, Cache(None), workers=2)
    assert n_serial == n_pooled == len(jobs)
    _same(pooled, serial)
    _same(serial, [read_one(job.path, job.document_id) for job in jobs])
    assert list(serial[0][1]["passage_id"])[:2] == ["doc_a#p0001", "doc_a#p0002"]
    pdf_document, pdf_passages = pooled[-1]
    assert pdf_document.iloc[0]["media_type"] == "application/pdf" and pdf_document.iloc[0]["n_pages"] == 2
    assert pdf_passages[pdf_passages["text"] == "Managers check plans every month."]["page"].tolist() == [2]


def test_a_warm_cache_reads_nothing_and_gives_the_same(tmp_path):
    jobs = _jobs(tmp_path)
    cache = Cache(tmp_path / "cache")
    cold, n_cold = read_many(jobs, cache, workers=2)
    warm_cache = Cache(tmp_path / "cache")
    warm, n_warm = read_many(jobs, warm_cache, workers=2)
    assert (n_cold, n_warm) == (len(jobs), 0) and warm_cache.hits == 2 * len(jobs)
    _same(warm, cold)


def test_a_changed_file_alone_is_read_again(tmp_path):
    cache = Cache(tmp_path / "cache")
    read_many(_jobs(tmp_path), cache, workers=1)
    changed = dict(LETTERS, **{"b.txt": "Caseloads are now manageable.\n"})
    jobs = _jobs(tmp_path, changed)
    results, n_read = read_many(jobs, Cache(tmp_path / "cache"), workers=1)
    assert n_read == 1
    assert list(results[1][1]["text"]) == ["Caseloads are now manageable."] * 2  # its paragraph and its sentence


def test_a_corrupt_entry_is_read_again(tmp_path):
    jobs = _jobs(tmp_path)
    cache = Cache(tmp_path / "cache")
    expected, _ = read_many(jobs, cache, workers=1)
    for entry in (tmp_path / "cache" / "passages").iterdir():
        entry.write_bytes(entry.read_bytes()[:-10])
    again = Cache(tmp_path / "cache")
    results, n_read = read_many(jobs, again, workers=2)
    assert n_read == len(jobs) and len(again.rejected) == len(jobs)
    _same(results, expected)


def test_the_first_bad_document_is_named_and_the_good_ones_are_kept(tmp_path):
    letters = dict(LETTERS, **{"b.txt": "", "d.md": ""})  # two empty files: b comes first
    jobs = _jobs(tmp_path, letters)
    with pytest.raises(InputError, match=r"b\.txt: the file is empty"):
        read_many(jobs, Cache(tmp_path / "cache"), workers=2)
    cache = Cache(tmp_path / "cache")
    read_many([jobs[0], jobs[2]], cache, workers=2)
    assert cache.hits == 4  # a and c were read and cached before the error was raised


def test_an_input_error_crosses_processes_whole():
    error = InputError("data/seeds/visits.csv", "end before start", row=7, field="fieldwork_end")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.file, copy.message, copy.row, copy.field) == (
        "data/seeds/visits.csv",
        "end before start",
        7,
        "fieldwork_end",
    )
    assert str(copy) == str(error)


def test_the_key_follows_file_id_name_version_and_code(tmp_path, monkeypatch):
    job = _jobs(tmp_path)[0]
    key = documents.cache_key(job)
    assert documents.cache_key(Job(job.path, job.document_id, "0" * 64)) != key
    assert documents.cache_key(Job(job.path, "doc_other", job.sha256)) != key
    assert documents.cache_key(Job(job.path.with_suffix(".txt"), job.document_id, job.sha256)) != key
    monkeypatch.setattr(documents, "PARSER_VERSION", documents.PARSER_VERSION + ".next")
    assert documents.cache_key(job) != key
    monkeypatch.undo()
    monkeypatch.setattr(documents, "_extraction_code", lambda: ("edited source", "pypdfium2 9"))
    assert documents.cache_key(job) != key
    monkeypatch.undo()
    documents._extraction_code.cache_clear()
    digest_of_the_modules = documents.source_digest(*documents.EXTRACTION_MODULES)
    assert documents._extraction_code()[0] == digest_of_the_modules and documents.cache_key(job) == key


# Modules that extraction imports but whose code cannot change a document's text or passages.
NOT_SHAPING_OUTPUT = {"analysis.config", "analysis.errors", "analysis.db", "analysis.cache", "analysis.ingest.fetch"}


def _is_module(name: str) -> bool:
    try:
        spec = importlib.util.find_spec(name)
    except (ModuleNotFoundError, AttributeError, ValueError):  # a name inside a module, not a module
        return False
    return spec is not None and spec.origin is not None and not spec.origin.endswith("__init__.py")


def _analysis_imports(module: str) -> set[str]:
    """The analysis.* modules that `module` imports anywhere in its source (at the top or inside functions)."""
    tree = ast.parse(Path(importlib.util.find_spec(module).origin).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(name for name in names if name.startswith("analysis.") and _is_module(name))
    return found


def test_every_module_that_shapes_extraction_is_in_the_cache_key():
    """Hard to forget: a module extraction starts to import must join EXTRACTION_MODULES (or NOT_SHAPING_OUTPUT)."""
    seen, todo = set(), list(documents.EXTRACTION_MODULES)
    while todo:
        module = todo.pop()
        if module in seen or module in NOT_SHAPING_OUTPUT:
            continue
        seen.add(module)
        todo.extend(_analysis_imports(module))
    assert seen == set(documents.EXTRACTION_MODULES), "add the module to EXTRACTION_MODULES in ingest/documents.py"


def test_text_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:  # sparse: 21 MB on paper, nothing written
        handle.truncate(21 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the whole file was read"))
    with pytest.raises(InputError) as err:
        documents.extract(path)
    assert str(err.value).startswith(f"{path}: the file is 21.0 MB, over the 20.0 MB limit")


def test_pdf_text_over_the_limit_is_refused(tmp_path, monkeypatch):
    path = write_pdf(tmp_path / "report.pdf")
    monkeypatch.setattr(documents, "MAX_TEXT_BYTES", 100)  # the limit is checked on the text, not the file size
    monkeypatch.setattr(documents, "_megabytes", lambda n: f"{n} bytes")
    with pytest.raises(InputError, match=r"report\.pdf: its text is 1\d\d bytes, over the 100 bytes limit"):
        documents.extract(path)


def test_workers_from_the_environment(monkeypatch):
    monkeypatch.setenv("ANALYSIS_WORKERS", "3")
    assert documents.default_workers() == 3
    monkeypatch.setenv("ANALYSIS_WORKERS", "two")
    with pytest.raises(InputError, match=r"ANALYSIS_WORKERS: 'two' is not a number of processes"):
        documents.default_workers()
    monkeypatch.delenv("ANALYSIS_WORKERS")
    assert documents.default_workers() >= 1
