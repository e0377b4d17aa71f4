"""`analysis fetch`: put every registered official file into the cache, verified by sha256.

Files come from their official URLs, or with `--from DIR` from a local copy laid out like the cache (machines
without internet use ../shared/data). What cannot be had is listed clearly; the build goes on with what is present.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from analysis import config

USER_AGENT = "analysis-fetch/0.1 (+children's services inspection analytics)"
# What a file of each extension must start with: an error page saved as .pdf is not a report.
MAGIC = {".pdf": b"%PDF-"}


@dataclass
class FetchReport:
    """What happened to each registered file."""

    ok: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (source_id, why)
    bad: list[tuple[str, str]] = field(default_factory=list)  # checksum or content problems

    @property
    def is_complete(self) -> bool:
        return not self.missing and not self.bad


def sha256_file(path: Path) -> str:
    """The hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _candidates(from_dir: Path, cache_path: str) -> list[Path]:
    parts = Path(cache_path).parts
    found = [from_dir / cache_path]
    if len(parts) > 1:
        found.append(from_dir.joinpath(*parts[1:]))
    return found


def _problem(path: Path, cache_path: str, expected: str | None) -> str | None:
    """Why a candidate file is not the registered one, or None when it is."""
    actual = sha256_file(path) if expected else None
    if expected and actual != expected:
        return f"sha256 {actual[:12]}… does not match the registry's {expected[:12]}…"
    magic = MAGIC.get(Path(cache_path).suffix.lower())
    if magic:
        with open(path, "rb") as handle:
            head = handle.read(1024).lstrip()
        if not head.startswith(magic):
            kind = "an HTML page" if head[:15].lower().startswith((b"<!doctype", b"<html")) else "not a PDF"
            return f"the file is {kind}, not the registered {Path(cache_path).suffix} document"
    return None


def _download(url: str, dest: Path, timeout: float) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response, open(dest, "wb") as out:
        shutil.copyfileobj(response, out)


def download(url: str, dest: Path, timeout: float = 30.0) -> None:
    """Download one URL to `dest` as `fetch` does (its User-Agent); the caller verifies and moves the file."""
    _download(url, dest, timeout)


def fetch_all(
    cache: Path | None = None,
    from_dir: Path | None = None,
    data_dir: Path | None = None,
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr),
    timeout: float = 30.0,
) -> FetchReport:
    """Fetch every registry row that has a cache_path; never leaves a partial or unverified file in the cache."""
    from analysis.ingest import sources  # pandas: imported only when fetching, not by every `analysis` command

    cache = Path(cache or config.CACHE)
    registry = sources.read_registry(Path(data_dir or config.DATA))
    report = FetchReport()
    for row in registry[registry["cache_path"].notna()].itertuples(index=False):
        target = cache / row.cache_path
        expected = row.sha256 or None
        if target.exists() and _problem(target, row.cache_path, expected) is None:
            report.ok.append(row.source_id)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".fetch-", suffix=".part")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            why = None
            if from_dir is not None:
                local = next((p for p in _candidates(Path(from_dir), row.cache_path) if p.is_file()), None)
                if local is None:
                    why = f"not in {from_dir}"
                else:
                    shutil.copyfile(local, tmp)
            elif not (row.download_url or row.url):
                why = "the registry gives no URL"
            else:
                url = row.download_url or row.url  # the exact file where the citation URL is a landing page
                try:
                    _download(url, tmp, timeout)
                except (urllib.error.URLError, OSError, TimeoutError) as exc:
                    why = f"download failed from {url}: {getattr(exc, 'reason', exc)}"
            if why is not None:
                report.missing.append((row.source_id, why))
                continue
            problem = _problem(tmp, row.cache_path, expected)
            if problem is not None:
                report.bad.append((row.source_id, problem))
                continue
            os.replace(tmp, target)
            report.fetched.append(row.source_id)
        finally:
            tmp.unlink(missing_ok=True)
    log(
        f"fetch: {len(report.ok)} already in {config.relative(cache)}, {len(report.fetched)} fetched, "
        f"{len(report.missing)} not available, {len(report.bad)} refused"
    )
    for source_id, why in report.missing:
        log(f"  not available: {source_id}: {why}")
    for source_id, why in report.bad:
        log(f"  refused: {source_id}: {why}")
    return report


def _command(args: argparse.Namespace) -> int:
    report = fetch_all(cache=args.cache, from_dir=args.from_dir)
    # What could not be had is listed above and the build goes on without it; --strict makes it an error.
    return 1 if args.strict and not report.is_complete else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `analysis fetch` to the command line."""
    p = subparsers.add_parser(
        "fetch",
        help="download the registered official files into data/cache, verified by sha256",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--from",
        dest="from_dir",
        type=Path,
        default=None,
        help="take the files from this folder (laid out like ../shared/data) instead of the internet",
    )
    p.add_argument("--cache", type=Path, default=None, help="the cache folder (default data/cache)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file could not be had or was refused")
    p.set_defaults(func=_command)
