"""Build stage 5: plain text, Markdown, HTML and PDF documents into `documents` and `passages`.

`extract` reads one file (chosen by its content, not only its name) into clean text with PDF page spans;
`split` cuts that text into paragraph and sentence passages with exact character offsets and headings.
`read_many` does both for many files: each document's result is kept in the build cache (data/cache/derived),
keyed by the file's sha256, PARSER_VERSION and the source of the extraction modules, and only the documents not
found there are read, in a pool of worker processes (the output is the same as reading them one by one here).
"""

from __future__ import annotations

import bisect
import functools
import importlib.metadata
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config, db
from analysis.cache import Cache, digest, source_digest
from analysis.errors import InputError
from analysis.ingest import pdf
from analysis.ingest.fetch import sha256_file
from analysis.ingest.text import (
    HEADING,
    Block,
    drop_boilerplate,
    html_blocks,
    label_spans,
    looks_like_html,
    looks_like_markdown,
    merge_broken,
    noise_kind,
    sentence_spans,
    text_blocks,
)

DOCUMENT_KINDS = frozenset(
    {"inspection_report", "monitoring_visit_letter", "focused_visit_letter", "council_report", "news"}
)
PASSAGE_COLUMNS = [
    "passage_id",
    "document_id",
    "passage_kind",
    "paragraph_id",
    "seq",
    "page",
    "char_start",
    "char_end",
    "heading",
    "block_kind",
    "noise_kind",
    "text",
]
DOCUMENT_COLUMNS = [
    "document_id",
    "source_id",
    "la_id_gss",
    "visit_id",
    "kind",
    "title",
    "published_date",
    "path",
    "media_type",
    "n_pages",
    "n_chars",
    "sha256",
    "text",
]
_SEPARATOR = "\n\n"  # between paragraphs; a paragraph never contains a newline
# Text beyond this is refused before it is read: a real report or letter holds well under 1 MB of text, and coding
# 50 MB of distinct sentences takes minutes and gigabytes (issue 11).
MAX_TEXT_BYTES = 20 * 1024 * 1024

# Bump PARSER_VERSION when extraction output changes for a reason the source digest cannot see (a data file the
# modules read, a changed dependency). Edits to EXTRACTION_MODULES need no bump: their source is part of every key,
# and tests/unit/test_documents_cache.py fails when extraction starts to use a module missing from this list.
PARSER_VERSION = "1"
EXTRACTION_MODULES = ("analysis.ingest.documents", "analysis.ingest.pdf", "analysis.ingest.text")
# The fields of `documents` that come from the file's content (the rest come from the registry).
EXTRACTED_COLUMNS = ["media_type", "n_pages", "n_chars", "text"]


@dataclass
class Extracted:
    """A document's clean text; `pages` are the character spans of each PDF page in `text` (None otherwise)."""

    text: str
    pages: list[tuple[int, int]] | None
    media_type: str
    # (char_start, char_end, block_kind) of every paragraph; block_kind is heading, text, item or table
    paragraphs: list[tuple[int, int, str]] = field(default_factory=list)
    title: str | None = None

    def page_of(self, offset: int) -> int | None:
        """The 1-based PDF page holding character `offset` (None for documents without pages)."""
        if not self.pages:
            return None
        filled = [(start, number) for number, (start, end) in enumerate(self.pages, 1) if end > start]
        if not filled:
            return None
        index = bisect.bisect_right([start for start, _ in filled], offset) - 1
        return filled[max(index, 0)][1]


def _assemble(blocks: list[Block], media_type: str, n_pages: int | None, title: str | None = None) -> Extracted:
    blocks = drop_boilerplate(merge_broken(blocks))
    parts: list[str] = []
    spans: list[tuple[int, int, str]] = []
    page_events: list[tuple[int, int]] = []
    pos = 0
    for block in blocks:
        if parts:
            parts.append(_SEPARATOR)
            pos += len(_SEPARATOR)
        parts.append(block.text)
        spans.append((pos, pos + len(block.text), block.kind))
        if block.page is not None:
            page_events.append((pos, block.page))
            page_events.extend((pos + offset, page) for offset, page in block.page_starts)
        pos += len(block.text)
    text = "".join(parts)
    pages = None
    if n_pages is not None:
        starts: dict[int, int] = {}
        for offset, page in page_events:
            starts.setdefault(page, offset)
        bounds = [0] * (n_pages + 2)
        bounds[n_pages + 1] = len(text)
        for number in range(n_pages, 0, -1):
            bounds[number] = min(starts.get(number, bounds[number + 1]), bounds[number + 1])
        first = min(starts) if starts else 1
        bounds[first] = 0  # the first page with content starts the text
        for number in range(1, first):
            bounds[number] = 0
        pages = [(bounds[n], bounds[n + 1] if n < n_pages else len(text)) for n in range(1, n_pages + 1)]
    return Extracted(text=text, pages=pages, media_type=media_type, paragraphs=spans, title=title)


def _decode(data: bytes, shown: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.1f} MB"


def extract(path: Path) -> Extracted:
    """Read a text, Markdown, HTML or PDF file into clean text; the format is judged by content, then name."""
    path = Path(path)
    shown = config.relative(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(1024)
            if size > MAX_TEXT_BYTES and b"%PDF-" not in head:
                raise InputError(
                    shown,
                    f"the file is {_megabytes(size)}, over the {_megabytes(MAX_TEXT_BYTES)} limit for a text document "
                    "(a report or letter is far smaller: split the file, or check that it is the right one)",
                )
            data = head + handle.read()
    except OSError as exc:
        raise InputError(shown, f"cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise InputError(shown, "the file is empty")
    suffix = path.suffix.lower()
    if b"%PDF-" in data[:1024]:
        blocks, n_pages = pdf.blocks(path, shown)
        extracted = _assemble(blocks, "application/pdf", n_pages)
    else:
        if suffix == ".pdf":
            sample = data[:65536].decode("utf-8", "replace")
            if looks_like_html(sample):
                _, title = html_blocks(sample)
                raise InputError(
                    shown,
                    "not a PDF: it is an HTML page saved with a .pdf name"
                    + (f" (its title: {title!r})" if title else "")
                    + "; fetch the real PDF from the source URL",
                )
            raise InputError(shown, "not a PDF: the file has no %PDF- header")
        text = _decode(data, shown)
        if suffix in (".html", ".htm", ".xhtml") or looks_like_html(text):
            blocks, title = html_blocks(text)
            extracted = _assemble(blocks, "text/html", None, title)
        elif suffix in (".md", ".markdown") or looks_like_markdown(text):
            extracted = _assemble(text_blocks(text, markdown=True), "text/markdown", None)
        else:
            extracted = _assemble(text_blocks(text, markdown=False), "text/plain", None)
    if not extracted.text.strip():
        raise InputError(shown, "no text is left once page furniture and boilerplate are removed")
    n_text = len(extracted.text.encode("utf-8"))
    if n_text > MAX_TEXT_BYTES:  # a PDF is read first: its size on disk says little about its text
        raise InputError(shown, f"its text is {_megabytes(n_text)}, over the {_megabytes(MAX_TEXT_BYTES)} limit")
    return extracted


def split(extracted: Extracted, document_id: str) -> tuple[list[dict], list[dict]]:
    """Paragraph and sentence rows for `passages` (text == extracted.text[char_start:char_end])."""
    text = extracted.text
    spans = extracted.paragraphs or _line_spans(text)
    paragraphs: list[dict] = []
    sentences: list[dict] = []
    heading: str | None = None
    for number, (start, end, kind) in enumerate(spans, 1):
        paragraph_id = f"{document_id}#p{number:04d}"
        paragraphs.append(
            {
                "passage_id": paragraph_id,
                "document_id": document_id,
                "passage_kind": "paragraph",
                "paragraph_id": None,
                "seq": number,
                "page": extracted.page_of(start),
                "char_start": start,
                "char_end": end,
                "heading": heading,
                "block_kind": kind,
                "noise_kind": None if kind == HEADING else noise_kind(text[start:end], kind),
                "text": text[start:end],
            }
        )
        if kind == HEADING:
            heading = text[start:end]
            continue
        for s_start, s_end in label_spans(text, sentence_spans(text, start, end)):
            seq = len(sentences) + 1
            sentences.append(
                {
                    "passage_id": f"{document_id}#s{seq:04d}",
                    "document_id": document_id,
                    "passage_kind": "sentence",
                    "paragraph_id": paragraph_id,
                    "seq": seq,
                    "page": extracted.page_of(s_start),
                    "char_start": s_start,
                    "char_end": s_end,
                    "heading": heading,
                    "block_kind": kind,
                    "noise_kind": noise_kind(text[s_start:s_end], kind),
                    "text": text[s_start:s_end],
                }
            )
    return paragraphs, sentences


def _line_spans(text: str) -> list[tuple[int, int, str]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + len(line.rstrip()), "text"))
        pos += len(line) + 1
    return spans


def read_document(path: Path, document_id: str) -> tuple[Extracted, list[dict], list[dict]]:
    """Extract and split one file without a database (for `analysis code-text` and the gold set)."""
    extracted = extract(Path(path))
    paragraphs, sentences = split(extracted, document_id)
    return extracted, paragraphs, sentences


def _resolve(row: dict, ctx) -> Path | None:
    if row.get("local_path"):
        candidate = Path(ctx.repo) / row["local_path"]
        if candidate.is_file():
            return candidate
    if row.get("cache_path"):
        candidate = Path(ctx.cache) / row["cache_path"]
        if candidate.is_file():
            return candidate
    return None


@dataclass(frozen=True)
class Job:
    """One document to read: its file, the id its passages are named by, and the file's sha256."""

    path: Path
    document_id: str
    sha256: str


def _passage_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    frame["page"] = frame["page"].astype("Int64")
    return frame


def read_one(path: Path, document_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One file as (its EXTRACTED_COLUMNS as a one-row frame, its passages): what the cache keeps per document."""
    extracted = extract(Path(path))
    paragraphs, sentences = split(extracted, document_id)
    fields = {
        "media_type": extracted.media_type,
        "n_pages": len(extracted.pages) if extracted.pages is not None else None,
        "n_chars": len(extracted.text),
        "text": extracted.text,
    }
    document = pd.DataFrame([fields], columns=EXTRACTED_COLUMNS).astype({"n_pages": "Int64"})
    return document, _passage_frame(paragraphs + sentences)


@functools.cache
def _extraction_code() -> tuple[str, str]:
    # Once per process: the code that runs is the code imported, even if its files change meanwhile.
    return source_digest(*EXTRACTION_MODULES), importlib.metadata.version("pypdfium2")


def cache_key(job: Job) -> str:
    """The cache key of a document's extraction: the file, its id and name, and the code and library that read it."""
    return digest(
        "documents",
        PARSER_VERSION,
        *_extraction_code(),
        job.sha256,
        job.path.suffix.lower(),  # the format is judged by content, then by the name
        job.document_id,  # passage ids carry it
    )


def default_workers() -> int:
    """Extraction processes: ANALYSIS_WORKERS, else the cores this process may run on."""
    value = os.environ.get("ANALYSIS_WORKERS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise InputError("ANALYSIS_WORKERS", f"{value!r} is not a number of processes (1 or more)")
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _pool_context() -> multiprocessing.context.BaseContext:
    # Not fork: the build process runs DuckDB's threads, and fork copies only the calling thread, so a lock that
    # one of them holds at that moment stays locked in the child. A fork server is a fresh process that imports
    # the extraction modules once; its workers start from that copy.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["analysis.ingest.documents"])
        return context
    return multiprocessing.get_context("spawn")


def _read_in_pool(jobs: Sequence[Job], workers: int, done: Callable[[int, object], None]) -> None:
    # Largest files first, so that one long report does not start last and leave the other workers idle.
    order = sorted(range(len(jobs)), key=lambda i: -jobs[i].path.stat().st_size)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context())
    futures = {pool.submit(read_one, jobs[i].path, jobs[i].document_id): i for i in order}
    try:
        for future in as_completed(futures):
            try:
                done(futures[future], future.result())
            except InputError as exc:
                done(futures[future], exc)
    except BrokenProcessPool:
        unfinished = sorted(config.relative(jobs[i].path) for f, i in futures.items() if not f.done())
        raise RuntimeError(
            f"an extraction worker died (killed or crashed) while reading one of: {', '.join(unfinished[:5])}"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)  # on an error, the queued documents are not read in vain


def read_many(
    jobs: Sequence[Job], cache: Cache, workers: int | None = None
) -> tuple[list[tuple[pd.DataFrame, pd.DataFrame]], int]:
    """(document fields, passages) of every job in order, from the cache or read in `workers` processes.

    Returns the results and how many documents were read. Every document read is cached at once, so a build that
    stops at a bad document keeps the others; the error raised is the first bad document's in job order, as it
    would be one by one.
    """
    results: list[object] = [None] * len(jobs)
    keys = [cache_key(job) for job in jobs]
    todo: list[int] = []
    for i, key in enumerate(keys):
        document, passages = cache.get("document_text", key), cache.get("passages", key)
        if document is None or passages is None or list(document.columns) != EXTRACTED_COLUMNS:
            todo.append(i)
        else:
            results[i] = (document, passages)

    def done(index: int, result: object) -> None:
        results[todo[index]] = result
        if not isinstance(result, Exception):
            cache.put("document_text", keys[todo[index]], result[0])
            cache.put("passages", keys[todo[index]], result[1])

    workers = min(workers or default_workers(), len(todo))
    if workers > 1:
        _read_in_pool([jobs[i] for i in todo], workers, done)
    else:
        for index, i in enumerate(todo):
            try:
                done(index, read_one(jobs[i].path, jobs[i].document_id))
            except InputError as exc:
                done(index, exc)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results, len(todo)  # type: ignore[return-value]


def load(con: duckdb.DuckDBPyConnection, ctx) -> None:
    """Build stage 5: every registered document present on disk into `documents` and `passages`."""
    registry = con.table("sources").df()
    registry = registry[registry["kind"].isin(DOCUMENT_KINDS)].sort_values("source_id")
    rows: list[dict] = []
    jobs: list[Job] = []
    missing: list[str] = []
    no_file = 0  # registered for citation only (no local_path or cache_path): nothing to read
    for row in registry.astype(object).where(registry.notna(), None).to_dict("records"):
        if not row.get("local_path") and not row.get("cache_path"):
            no_file += 1
            continue
        path = _resolve(row, ctx)
        if path is None:
            where = " or ".join(
                p for p in (row.get("local_path"), row.get("cache_path") and f"<cache>/{row['cache_path']}") if p
            )
            missing.append(f"{row['source_id']} ({where})")
            continue
        actual = sha256_file(path)
        expected = (row.get("sha256") or "").strip().lower()
        if expected and expected != actual:
            raise InputError(
                config.relative(path),
                f"sha256 is {actual} but the registry entry {row['source_id']} says {expected}",
                field="sha256",
            )
        used = row["local_path"] if path == Path(ctx.repo) / (row.get("local_path") or "") else row["cache_path"]
        rows.append(
            {
                "document_id": row["source_id"],
                "source_id": row["source_id"],
                "la_id_gss": row.get("la_id_gss"),
                "visit_id": row.get("visit_id"),
                "kind": row["kind"],
                "title": row["title"],
                "published_date": row.get("published_date"),
                "path": used,
                "sha256": actual,
            }
        )
        jobs.append(Job(path, row["source_id"], actual))
    cache = ctx.derived_cache()
    workers = ctx.workers or default_workers()
    results, n_read = read_many(jobs, cache, workers)
    for kind in ("document_text", "passages"):
        cache.prune(kind, [cache_key(job) for job in jobs])
    for item in missing:
        ctx.log(f"documents: not fetched: {item}; skipped")
    for item in cache.rejected:
        ctx.log(f"documents: cache entry {item}; read again")
    frame = pd.DataFrame(rows, columns=[c for c in DOCUMENT_COLUMNS if c not in EXTRACTED_COLUMNS])
    if results:
        frame = pd.concat([frame, pd.concat([document for document, _ in results], ignore_index=True)], axis=1)
    frame = frame.reindex(columns=DOCUMENT_COLUMNS)
    frame["n_pages"] = frame["n_pages"].astype("Int64")
    db.append(con, "documents", frame)
    passages = [p for _, p in results if len(p)]
    n_passages = sum(len(p) for p in passages)
    if passages:
        db.append(con, "passages", pd.concat(passages, ignore_index=True))
    how = f"{len(jobs) - n_read} from the cache, {n_read} read" + (
        f" by {min(workers, n_read)} processes" if n_read > 1 and workers > 1 else ""
    )
    ctx.log(
        f"documents: {len(jobs)} documents ({how}), {n_passages} passages; {len(missing)} registered file(s) "
        f"not present, {no_file} source(s) without a file"
    )
