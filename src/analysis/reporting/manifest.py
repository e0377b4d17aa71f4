"""The manifest stamped in every report's footer: what went in, so a reader can tell where each number came from.

Parameters, the project's git commit (and whether the working tree had uncommitted changes), the codebook and
coding model versions of the codings, a hash of the database's contents (over table rows, not file bytes, so a
rebuild of the same data gives the same hash), the documents the report could draw on with their dates and
links, and the render time. Everything but the render time is fixed by the inputs, so two renders of the same
inputs differ only there.

Hashing every table takes most of a second, so the hash of a database file is kept in the cache
(data/cache/db-contents/), keyed by the file's identity (path, inode, size, modification time) and the hashing
SQL: a rebuild replaces the file and so changes the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analysis import config, db
from analysis.reporting.blocks import esc, link

_HASHES: dict[str, str] = {}  # in-process, for a batch: key (as JSON) -> hash


@dataclass
class Manifest:
    """What a report was made from."""

    parameters: dict[str, Any]
    git_commit: str | None
    git_dirty: bool | None
    codebook_versions: list[str]
    database_hash: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    rendered_at: str = ""
    model_versions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The manifest as plain JSON-able data (stored in the executed notebook's metadata too)."""
        return asdict(self)


def git_state(repo: Path | None = None) -> tuple[str | None, bool | None]:
    """The commit checked out in the project and whether tracked files differ from it; (None, None) without git."""
    repo = Path(repo or config.REPO)
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True, timeout=20
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit or None, bool(status.strip())


def _hash_key(path: Path) -> dict[str, Any] | None:
    """What identifies one state of a database file and of the hashing SQL; None when it cannot be trusted."""
    path = Path(path)
    if not path.is_file() or path.with_name(path.name + ".wal").exists():
        return None  # an unmerged write-ahead log holds changes that the file's size and time do not show
    stat = path.stat()
    sql = "\n".join(db.sql_text(name) for name in ("mart_report_tables", "mart_report_table_hash"))
    return {
        "path": str(path.resolve()),
        "inode": stat.st_ino,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sql_sha256": hashlib.sha256(sql.encode()).hexdigest(),
    }


def _hash_cache_file(key: dict[str, Any]) -> Path:
    return config.CACHE / "db-contents" / f"{hashlib.sha256(key['path'].encode()).hexdigest()[:16]}.json"


def _cached_hash(key: dict[str, Any] | None) -> str | None:
    if key is None:
        return None
    try:
        entry = json.loads(_hash_cache_file(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("database_hash"), str):
        return None
    return entry["database_hash"]


def _store_hash(key: dict[str, Any] | None, value: str) -> None:
    if key is None:
        return
    target = _hash_cache_file(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "database_hash": value}, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only cache only costs the hashing again next time


def database_hash(con: duckdb.DuckDBPyConnection, path: Path | None = None) -> str:
    """sha256 over every base table's name, row count and order-free content hash (cached per database file)."""
    key = _hash_key(path) if path is not None else None
    memo = json.dumps(key, sort_keys=True)
    cached = (_HASHES.get(memo) or _cached_hash(key)) if key is not None else None
    if cached is not None:
        _HASHES[memo] = cached
        return cached
    digest = hashlib.sha256()
    for table in db.records(con, "mart_report_tables"):
        table_name = table["table_name"]
        row = db.records(con, "mart_report_table_hash", table_name=table_name)[0]
        n_rows, content_md5 = row["n_rows"], row["content_md5"]
        digest.update(f"{table_name}\t{n_rows}\t{content_md5}\n".encode())
    result = digest.hexdigest()
    if key is not None:
        _HASHES[memo] = result
        _store_hash(key, result)
    return result


def documents(con: duckdb.DuckDBPyConnection, la_id_gss: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The council's documents published up to `end`, with date, link and whether they are new since `start`."""
    out = db.records(con, "mart_report_documents", la_id_gss=la_id_gss, as_of=end, quarter_start=start)
    for record in out:
        record["published_date"] = record["published_date"].isoformat() if record["published_date"] else None
    return out


def build(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, Any],
    start: dt.date,
    end: dt.date,
    db_path: Path | None = None,
    git: tuple[str | None, bool | None] | None = None,
) -> Manifest:
    """Collect the manifest of one report (the render time is stamped later); `git`: git_state() if known."""
    commit, dirty = git if git is not None else git_state()
    versions = [str(r["codebook_version"]) for r in db.records(con, "mart_report_codebook")]
    models = [str(r["model_version"]) for r in db.records(con, "mart_report_model")]
    return Manifest(
        parameters={k: params[k] for k in sorted(params) if k != "db_path"},
        git_commit=commit,
        git_dirty=dirty,
        codebook_versions=versions,
        model_versions=models,
        database_hash=database_hash(con, db_path),
        documents=documents(con, str(params["la_id_gss"]), start, end),
    )


def now() -> str:
    """The render time, UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def to_html(manifest: Manifest) -> str:
    """The manifest as the page's footer (every value escaped; document titles link to their source)."""
    params = "".join(
        f"<li><code>{esc(k)}</code> = <code>{esc(json.dumps(v, ensure_ascii=False))}</code></li>"
        for k, v in manifest.parameters.items()
    )
    if manifest.git_commit is None:
        commit = "not a git checkout"
    else:
        state = "with uncommitted changes" if manifest.git_dirty else "clean working tree"
        commit = f"<code>{esc(manifest.git_commit)}</code> ({state})"
    versions = ", ".join(f"<code>{esc(v)}</code>" for v in manifest.codebook_versions) or "no codings"
    models = ", ".join(f"<code>{esc(v)}</code>" for v in manifest.model_versions) or "none (rules only)"
    docs = "".join(
        f'<li>{esc(d["published_date"])}: {link(d["title"], d["url"])} <span class="note">'
        f"({esc(d['kind'].replace('_', ' '))}; <code>{esc(d['source_id'])}</code>)</span></li>"
        for d in manifest.documents
    )
    docs_html = f"<ul>{docs}</ul>" if docs else "none"
    return (
        '<footer class="manifest" id="manifest"><h2>How this report was made</h2><dl>'
        f"<dt>Parameters</dt><dd><ul>{params}</ul></dd>"
        f"<dt>Project commit</dt><dd>{commit}</dd>"
        f"<dt>Codebook version</dt><dd>{versions}</dd>"
        f"<dt>Coding model version</dt><dd>{models}</dd>"
        f"<dt>Database contents (sha256)</dt><dd><code>{esc(manifest.database_hash)}</code></dd>"
        f"<dt>Documents used ({len(manifest.documents)})</dt><dd>{docs_html}</dd>"
        f'<dt>Rendered</dt><dd><time id="render-time" datetime="{esc(manifest.rendered_at)}">'
        f"{esc(manifest.rendered_at)}</time></dd>"
        "</dl></footer>"
    )
