"""Build data/build/analysis.duckdb from data/ atomically: temporary file, stages, checks, then replace."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config, db
from analysis.cache import Cache
from analysis.errors import InputError


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
    ("coding", "analysis.coding.engine:load"),
    ("official", "analysis.ingest.official:load"),
]


def _stage(target: str) -> Callable[[duckdb.DuckDBPyConnection, BuildContext], None]:
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


def populate(con: duckdb.DuckDBPyConnection, ctx: BuildContext, stages: list[tuple[str, str]] | None = None) -> None:
    """Create the schema and run the stages, views and checks on an open, empty database."""
    db.create_schema(con)
    for name, target in stages if stages is not None else STAGES:
        ctx.log(f"build: {name}")
        _stage(target)(con, ctx)
    db.create_views(con)
    check(con)


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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".duckdb.tmp", dir=target.parent)
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


def summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per table with its row count, for `analysis info`."""
    return db.query(con, "db_summary")
