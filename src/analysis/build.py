"""Build data/build/analysis.duckdb from data/ atomically: temporary file, stages, checks, then replace.

One build at a time writes a given database: it holds an exclusive lock (flock) on `.<name>.lock` beside it. The
kernel drops the lock when the process ends, however it ends, so a build that holds it knows that the temporary
files of its own pattern (`.<stem>-*.duckdb.tmp` and their `.wal`) are left over from a build that was killed,
and removes them.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config, db
from analysis.cache import Cache
from analysis.errors import BuildBusyError, InputError

try:
    import fcntl
except ImportError:  # Windows: no flock, so no lock and no clearing of other builds' files
    fcntl = None

TMP_SUFFIX = ".duckdb.tmp"  # a build's temporary database is .<stem>-<random>.duckdb.tmp beside the target


@dataclass
class BuildContext:
    """What every stage may read: where the repo, its data and the fetch cache are, and how to log."""

    repo: Path = field(default_factory=lambda: config.REPO)
    data: Path = field(default_factory=lambda: config.DATA)
    cache: Path = field(default_factory=lambda: config.CACHE)
    log: Callable[[str], None] = field(default=lambda msg: print(msg, file=sys.stderr))
    workers: int | None = None  # processes that read documents; None: ANALYSIS_WORKERS, else every usable core
    use_cache: bool = True  # False: derived tables are neither read from nor written to the cache

    def derived_cache(self) -> Cache:
        """The cache of derived tables, `<cache>/derived` (one that never hits when use_cache is False)."""
        return Cache(Path(self.cache) / "derived" if self.use_cache else None)


# (name, "module:function"); docs/design.md describes each stage.
STAGES: list[tuple[str, str]] = [
    ("sources", "analysis.ingest.sources:load"),
    ("councils", "analysis.ingest.councils:load"),
    ("timeline", "analysis.ingest.timeline:load"),
    ("documents", "analysis.ingest.documents:load"),
    ("report_facts", "analysis.ingest.facts:load"),
    ("coding", "analysis.coding.engine:load"),
    ("official", "analysis.ingest.official:load"),
]


def _stage(target: str) -> Callable[[duckdb.DuckDBPyConnection, BuildContext], None]:
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


def populate(con: duckdb.DuckDBPyConnection, ctx: BuildContext, stages: list[tuple[str, str]] | None = None) -> None:
    """Create the schema and run the stages, views and checks on an open, empty database."""
    started = time.perf_counter()
    timings: list[str] = []

    def step(name: str, run: Callable[[], object]) -> None:
        ctx.log(f"build: {name}")
        begun = time.perf_counter()
        run()
        timings.append(f"{name} {time.perf_counter() - begun:.1f}")

    db.create_schema(con)
    for name, target in stages if stages is not None else STAGES:
        step(name, lambda target=target: _stage(target)(con, ctx))
    step("views", lambda: db.create_views(con))
    step("checks", lambda: check(con))
    ctx.log(f"build: done in {time.perf_counter() - started:.1f} s ({', '.join(timings)} s)")


def check(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a database in which a fact's source_id does not resolve to a registered source."""
    bad = db.query(con, "chk_unresolved_sources")
    if len(bad):
        first = bad.iloc[0]
        raise InputError(
            f"table {first['table_name']}",
            f"{len(bad)} source_id value(s) not in data/sources/*.csv, e.g. {first['source_id']!r}",
            field="source_id",
        )


def build(target: Path | None = None, ctx: BuildContext | None = None) -> Path:
    """Build the database into a temporary file beside `target`, then replace `target` with it."""
    target = Path(target or config.BUILD_DB)
    ctx = ctx or BuildContext()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive(target):
        stale = clear_stale_temporaries(target) if fcntl is not None else []
        if stale:
            ctx.log(f"build: removed {len(stale)} temporary file(s) of a build that did not finish: {', '.join(stale)}")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=TMP_SUFFIX, dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # DuckDB wants to create the file itself
        try:
            con = duckdb.connect(str(tmp))
            try:
                populate(con, ctx)
                con.execute("checkpoint")
            finally:
                con.close()
            os.replace(tmp, target)
        finally:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
    return target


def clear_stale_temporaries(target: Path) -> list[str]:
    """Delete the temporary database files of earlier builds of `target`; call only while holding its lock."""
    removed = []
    # mkstemp's random part is 8 characters: '*' would also match another target's temporaries
    # ('.analysis-x-ab12cd34.duckdb.tmp' of analysis-x.duckdb, built under its own lock)
    stem = f".{target.stem}-{'?' * 8}{TMP_SUFFIX}"
    for pattern in (stem, f"{stem}.wal"):
        for path in sorted(target.parent.glob(pattern)):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


@contextlib.contextmanager
def _exclusive(target: Path) -> Iterator[None]:
    """Hold the build lock of `target`, or raise BuildBusyError naming the process that holds it."""
    if fcntl is None:
        yield
        return
    lock = target.parent / f".{target.name}.lock"
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BuildBusyError(
                f"another build is writing {config.relative(target)} (pid {holder}); run again when it has finished"
            ) from None
        # The holder before us may have deleted the file as we opened it: then our lock is on a name nobody sees.
        try:
            if os.stat(lock).st_ino == os.fstat(fd).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        lock.unlink(missing_ok=True)  # while still locked, so no one else can be holding this file
        os.close(fd)


def summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per table with its row count, for `analysis info`."""
    return db.query(con, "db_summary")
