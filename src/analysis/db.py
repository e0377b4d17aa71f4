"""The one door to DuckDB: connections, the SQL-file loader with named parameters, schema and views."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from analysis import config
from analysis.errors import QueryParameterError

if TYPE_CHECKING:  # pandas is imported by DuckDB's .df() only when a frame is asked for
    import pandas as pd

_LAYERS = ("staging", "intermediate", "marts")
# Strings, quoted identifiers and comments are removed before looking for $parameters.
_NOT_CODE = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/", re.S)
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def connect(path: Path | str | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the built database (read-only by default, so several readers can share it)."""
    path = Path(path or config.BUILD_DB)
    if read_only and not path.exists():
        raise FileNotFoundError(f"{config.relative(path)} does not exist: run `analysis build` first")
    return duckdb.connect(str(path), read_only=read_only)


def _index(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.sql")):
        if path.stem in found:
            raise ValueError(f"two query files are named {path.stem}: {found[path.stem]} and {path}")
        found[path.stem] = path
    return found


def sql_path(name: str, root: Path | None = None) -> Path:
    """The file that holds relation or query `name` (file stem = relation name)."""
    index = _index(Path(root or config.QUERIES))
    if name not in index:
        raise KeyError(f"no query file named {name}.sql under {config.relative(Path(root or config.QUERIES))}")
    return index[name]


def sql_text(name: str, root: Path | None = None) -> str:
    """The SQL text of a query file."""
    return sql_path(name, root).read_text(encoding="utf-8")


def parameters(sql: str) -> set[str]:
    """The named parameters ($name) a statement uses, ignoring strings and comments."""
    return set(_PARAM.findall(_NOT_CODE.sub(" ", sql)))


def bind(sql: str, params: dict[str, object], name: str = "query") -> dict[str, object]:
    """Check that `params` are exactly the statement's parameters; return them for DuckDB."""
    wanted = parameters(sql)
    missing = sorted(wanted - params.keys())
    extra = sorted(params.keys() - wanted)
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(f"${p}" for p in missing))
        if extra:
            parts.append("unexpected " + ", ".join(f"${p}" for p in extra))
        raise QueryParameterError(f"{name}.sql: {'; '.join(parts)}")
    return {k: params[k] for k in wanted}


def _run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, object]) -> duckdb.DuckDBPyConnection:
    sql = sql_text(name)
    bound = bind(sql, params, name)
    return con.execute(sql, bound) if bound else con.execute(sql)


def query(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> pd.DataFrame:
    """Run queries/**/{name}.sql with named parameters and return a DataFrame."""
    return _run(con, name, params).df()


def records(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> list[dict[str, object]]:
    """Run queries/**/{name}.sql and return rows as dicts (no pandas: for light processes)."""
    cursor = _run(con, name, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def execute_file(con: duckdb.DuckDBPyConnection, path: Path, **params: object) -> None:
    """Run every statement of a SQL file (DDL, or a load step) with named parameters."""
    sql = path.read_text(encoding="utf-8")
    bound = bind(sql, params, path.stem)
    con.execute(sql, bound) if bound else con.execute(sql)


def create_schema(con: duckdb.DuckDBPyConnection, root: Path | None = None) -> None:
    """Create the tables: queries/schema/*.sql in name order."""
    for path in sorted(Path(root or config.QUERIES).joinpath("schema").glob("*.sql")):
        con.execute(path.read_text(encoding="utf-8"))


def create_views(con: duckdb.DuckDBPyConnection, root: Path | None = None) -> list[str]:
    """Create the parameter-free relations (staging views, intermediate tables) and the macros, in dependency order."""
    root = Path(root or config.QUERIES)
    # Macros share the loop because dependencies run both ways: staging views call the scalar macros, and the
    # table macros (as-of blocks shared by marts) read intermediate tables, which DuckDB checks at creation.
    pending = [p for layer in ("macros", *_LAYERS[:2]) for p in sorted(root.joinpath(layer).glob("*.sql"))]
    created: list[str] = []
    while pending:
        failed: list[tuple[Path, Exception]] = []
        for path in pending:
            try:
                sql = path.read_text(encoding="utf-8")
                if path.parent.name == "macros":  # a `create or replace macro` statement
                    con.execute(sql)
                elif path.parent.name == "intermediate":  # joined once at build, read by every mart: 3-10x faster
                    con.sql(sql).create(path.stem)
                else:
                    con.sql(sql).create_view(path.stem, replace=True)
                created.append(path.stem)
            except duckdb.CatalogException as exc:  # refers to a relation or macro not made yet
                failed.append((path, exc))
        if len(failed) == len(pending):
            path, exc = failed[0]
            raise RuntimeError(f"{config.relative(path)}: {exc}") from exc
        pending = [p for p, _ in failed]
    return created


def append(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append a DataFrame to a table created by the schema, matching columns by name."""
    if len(frame):
        con.append(table, frame, by_name=True)
