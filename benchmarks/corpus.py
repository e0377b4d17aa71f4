"""Benchmark: the whole report corpus read, segmented and coded, against pdfplumber and pypdf; then whole builds.

In one run, printing seconds and ratios:

1. Every PDF of ../shared/data/ofsted-reports/MANIFEST.csv (real Ofsted reports; a file that is not a PDF, such as
   the HTML page saved as .pdf, is left out of all three), cold, in --workers processes (default 2, as in CI):
   - ours: `documents.read_many` with an empty cache (extraction, furniture removal, paragraphs and sentences),
     then the coder (rules, then the model, as the build codes) on every sentence the build codes;
   - pdfplumber and pypdf: `page.extract_text()` of every page and nothing else, in as many processes.
   Ours is also run in one process, for the speed-up of the pool. Ratio = the baseline's wall seconds / ours (text
   extraction alone against our whole read-and-code). Wall time only: the workers are children of a fork server,
   so this process cannot count their CPU time; the load average is printed so that a busy machine shows.
2. `analysis build` as a whole process on a temporary copy of the repo (data/ copied, queries/ linked) in which
   every manifest PDF is registered (data/sources/ofsted_reports.csv registers them all today; any it lacks get rows
   made up by this benchmark, for timing only, in data/sources/bench_reports.csv of the copy). Cold (empty build
   cache), warm with nothing changed, and warm after adding one letter: a SYNTHETIC, made-up text registered in the
   copy, never in the repo; each warm build's ratio to the cold one is printed.

Aims (issue 10): every report coded in <= 30 s on 2 cores; a rebuild after adding one letter in a few seconds.

    python benchmarks/corpus.py                  # everything (pdfplumber alone takes minutes)
    python benchmarks/corpus.py --limit 20       # the first 20 PDFs of the manifest, in all three and the builds
    python benchmarks/corpus.py --skip-baselines # ours and the builds only
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.cache import Cache
from analysis.coding import codebook as codebook_module
from analysis.coding import engine
from analysis.coding import model as model_module
from analysis.ingest import documents, fetch, sources

REPORTS = config.SHARED / "data" / "ofsted-reports"
LETTER_ID = "bench_synthetic_letter"
LETTER = """# Monitoring visit to a council's children's services (SYNTHETIC: made up by benchmarks/corpus.py)

## Headline findings

This text is not a real letter. Since the last visit, leaders have reduced caseloads for most social workers.
Supervision is now regular, although its quality varies between teams. Assessments are timely and most identify
risks well. Management oversight of plans is not yet consistent.

## What needs to improve

- The quality of supervision of social workers.
- The consistency of management oversight of child in need plans.
"""


def manifest_pdfs(reports: Path, limit: int | None = None) -> tuple[list[dict], list[str]]:
    """Manifest rows whose file is a PDF (with `path`), and the names of those that are not."""
    with (reports / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    pdfs, other = [], []
    for row in rows:
        path = reports / row["file"]
        with open(path, "rb") as handle:
            is_pdf = b"%PDF-" in handle.read(1024)
        if is_pdf:
            pdfs.append({**row, "path": path})
        else:
            other.append(row["file"])
    return pdfs, other


def _pool(workers: int) -> ProcessPoolExecutor:
    # The start method the build uses (documents._pool_context), so that every side pays the same process start.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _pdfplumber_text(path: str) -> tuple[int, int]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages), sum(len(page.extract_text() or "") for page in pdf.pages)


def _pypdf_text(path: str) -> tuple[int, int]:
    import pypdf

    reader = pypdf.PdfReader(path)
    return len(reader.pages), sum(len(page.extract_text() or "") for page in reader.pages)


def baseline(function: Callable[[str], tuple[int, int]], paths: Sequence[Path], workers: int) -> dict[str, float]:
    """Wall seconds of `function` over every file in `workers` processes (largest files first)."""
    order = sorted(paths, key=lambda p: -p.stat().st_size)
    start = time.perf_counter()
    with _pool(workers) as pool:
        counts = list(pool.map(function, [str(p) for p in order]))
    return {
        "seconds": time.perf_counter() - start,
        "pages": sum(n for n, _ in counts),
        "chars": sum(c for _, c in counts),
    }


def ours(paths: Sequence[Path], workers: int, work: Path) -> dict[str, float]:
    """Our extraction and segmentation (cold cache) then coding (rules and model) of the same files, timed apart and
    together."""
    jobs = [documents.Job(p, f"bench_{i:04d}", fetch.sha256_file(p)) for i, p in enumerate(paths)]
    codebook = codebook_module.load()
    start = time.perf_counter()
    results, n_read = documents.read_many(jobs, Cache(work / "cold-cache"), workers=workers)
    read_s = time.perf_counter() - start
    passages = pd.concat([p for _, p in results], ignore_index=True)
    coded = passages[(passages["passage_kind"] == "sentence") & passages["noise_kind"].isna()]
    texts, headings = coded["text"].tolist(), coded["heading"].tolist()
    begun = time.perf_counter()
    # the coding the build does: the rules, then the model on their matches (codebook and model loaded in the time)
    trained = model_module.load(None, codebook)
    rule = engine.code_sentences(texts, codebook, headings)
    codings = model_module.code(texts, headings, codebook, trained, rule, documents=coded["document_id"].tolist())
    code_s = time.perf_counter() - begun
    assert n_read == len(jobs)
    return {
        "read": read_s,
        "code": code_s,
        "seconds": read_s + code_s,
        "pages": int(sum(d.iloc[0]["n_pages"] for d, _ in results)),
        "sentences": len(coded),
        "codings": len(codings),
    }


def registry_rows(pdfs: Sequence[dict], data: Path) -> list[dict]:
    """Registry rows for the manifest PDFs the copy's registry does not list yet (made up here, for timing only)."""
    registered = set(sources.read_registry(data, data.parent)["cache_path"].dropna())
    with (data / "seeds" / "councils.csv").open(encoding="utf-8", newline="") as handle:
        by_urn = {r["la_urn_ofsted"]: r["la_id_gss"] for r in csv.DictReader(handle)}
    rows = []
    for row in pdfs:
        cache_path = f"ofsted-reports/{row['file']}"
        if cache_path in registered:
            continue
        rows.append(
            {
                "source_id": f"bench_{row['urn']}_{row['publication_date']}",
                "la_id_gss": by_urn.get(row["urn"]),
                "kind": "inspection_report",
                "title": f"Ofsted inspection report, {row['local_authority']}, {row['publication_date']}",
                "publisher": "Ofsted",
                "published_date": row["publication_date"],
                "published_date_precision": "day",
                "url": row["official_link"],
                "licence": "OGL v3.0",
                "sha256": row["sha256"],
                "cache_path": cache_path,
                "note": "registered by benchmarks/corpus.py in a temporary copy, for timing only",
            }
        )
    return rows


def _write_registry(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sources.NAMES, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def prepare_repo(work: Path, pdfs: Sequence[dict]) -> tuple[Path, Path, int]:
    """A temporary repo (data/ copied, queries/ linked) with every manifest PDF registered and fetched."""
    repo, cache = work / "repo", work / "cache"
    shutil.copytree(config.DATA, repo / "data", ignore=shutil.ignore_patterns("cache", "build"))
    (repo / "queries").symlink_to(config.QUERIES, target_is_directory=True)
    rows = registry_rows(pdfs, repo / "data")
    _write_registry(repo / "data" / "sources" / "bench_reports.csv", rows)
    fetch.fetch_all(cache=cache, from_dir=config.SHARED / "data", data_dir=repo / "data", log=lambda msg: None)
    return repo, cache, len(rows)


def add_letter(repo: Path) -> None:
    """Save the SYNTHETIC letter under data/raw of the copy and register it, as an analyst adding one would."""
    path = repo / "data" / "raw" / f"{LETTER_ID}.md"
    path.write_text(LETTER, encoding="utf-8")
    registry = repo / "data" / "sources" / "bench_reports.csv"
    with registry.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows.append(
        {
            "source_id": LETTER_ID,
            "la_id_gss": config.DEFAULT_LA,
            "kind": "monitoring_visit_letter",
            "title": "A made-up monitoring visit letter (SYNTHETIC)",
            "publisher": "benchmarks/corpus.py",
            "published_date": "2026-06-01",
            "published_date_precision": "day",
            "licence": "MIT (synthetic text made up by the benchmark)",
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "local_path": f"data/raw/{LETTER_ID}.md",
            "note": "SYNTHETIC: made up by benchmarks/corpus.py in a temporary copy",
        }
    )
    _write_registry(registry, rows)


def timed_build(repo: Path, cache: Path, db_path: Path, workers: int) -> tuple[float, str, str]:
    """Wall seconds of one `analysis build` process on the copy, its stage times and its documents line."""
    env = {**os.environ, "ANALYSIS_REPO": str(repo), "ANALYSIS_CACHE": str(cache), "ANALYSIS_DB": str(db_path)}
    command = [sys.executable, "-m", "analysis", "build", "--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"analysis build failed:\n{done.stderr[-3000:]}")
    stages = re.search(r"^build: done in .*$", done.stderr, re.M)
    read = re.search(r"^documents: \d+ documents \(.*?\)", done.stderr, re.M)
    return seconds, stages.group(0) if stages else "", read.group(0) if read else ""


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    """Run both parts and print the seconds and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, default=REPORTS, help="folder with MANIFEST.csv (../shared/...)")
    parser.add_argument("--workers", type=int, default=2, help="processes for every side (default 2, as in CI)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N files of the manifest")
    parser.add_argument("--skip-baselines", action="store_true", help="do not run pdfplumber and pypdf")
    parser.add_argument("--skip-builds", action="store_true", help="do not run the three builds")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):  # each figure shows as it is measured, also into a file
        sys.stdout.reconfigure(line_buffering=True)
    if not (args.reports / "MANIFEST.csv").is_file():
        raise SystemExit(f"{args.reports}/MANIFEST.csv not found: the corpus lives in ../shared/data/ofsted-reports")
    missing = [name for name in ("pdfplumber", "pypdf") if importlib.util.find_spec(name) is None]
    if missing and not args.skip_baselines:
        raise SystemExit(
            f"the baselines need {' and '.join(missing)}: `make bench` installs them (the `bench` extra), "
            "or pass --skip-baselines"
        )
    pdfs, other = manifest_pdfs(args.reports, args.limit)
    paths = [row["path"] for row in pdfs]
    councils = len({row["urn"] for row in pdfs})
    print(f"corpus: {len(pdfs)} PDFs of {len(pdfs) + len(other)} in the manifest ({councils} councils); not a PDF, "
          f"left out: {', '.join(other) or 'none'}")  # fmt: skip
    print(f"workers: {args.workers} (the build's default here: {documents.default_workers()}); load average {_load()}")

    work = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    try:
        mine = ours(paths, args.workers, work)
        print(
            f"ours, cold: read + segment {mine['read']:6.1f} s, code {mine['code']:5.1f} s = {mine['seconds']:6.1f} s"
            f"  ({mine['pages']:,} pages, {mine['sentences']:,} sentences coded, "
            f"{mine['codings']:,} codings)  aim <= 30 s"
        )
        if args.workers > 1:
            one = ours(paths, 1, work / "one-process")
            print(
                f"ours in 1 process:          {one['read']:6.1f} s, code {one['code']:5.1f} s = {one['seconds']:6.1f} s"
                f"  read + segment is {one['read'] / mine['read']:.2f}x faster in {args.workers} processes"
            )
        if not args.skip_baselines:
            for name, function in (("pdfplumber", _pdfplumber_text), ("pypdf", _pypdf_text)):
                base = baseline(function, paths, args.workers)
                print(
                    f"{name + ' extract_text only:':<29}{base['seconds']:8.1f} s  ({base['pages']:,} pages, "
                    f"{base['chars']:,} characters)  ratio {name} / ours: {base['seconds'] / mine['seconds']:.1f}x"
                )
        print(f"load average after part 1: {_load()}")
        if args.skip_builds:
            return 0
        repo, cache, n_registered = prepare_repo(work, pdfs)
        db_path = work / "analysis.duckdb"
        print(
            f"builds: `analysis build --workers {args.workers}` on a temporary copy of data/ ({n_registered} manifest "
            "PDFs registered there by this benchmark, for timing only)"
        )
        runs = [("cold cache", None), ("warm, nothing changed", None), ("warm, one SYNTHETIC letter added", add_letter)]
        cold = None
        for label, change in runs:
            if change is not None:
                change(repo)
            seconds, stages, read = timed_build(repo, cache, db_path, args.workers)
            cold = cold or seconds  # the first, cold build is the baseline of the warm ones
            ratio = "" if seconds == cold else f"  (cold / this: {cold / seconds:.1f}x)"
            print(f"  {label + ':':<36}{seconds:6.1f} s{ratio}  {read}")
            print(f"  {'':<36}{stages}")
        print(f"load average at the end: {_load()}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
