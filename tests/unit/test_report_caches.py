"""What a single report render avoids redoing: the database hash and the notebook conversion are cached, safely.

Every database here is SYNTHETIC (a two-row grades table); the cache goes to a temporary folder.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import duckdb
import pytest

from analysis import config, db
from analysis.reporting import manifest, render
from analysis.reporting.parameters import NOTEBOOK


@pytest.fixture()
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr(config, "CACHE", folder)
    manifest._HASHES.clear()
    render._read_notebook.cache_clear()
    yield folder
    manifest._HASHES.clear()
    render._read_notebook.cache_clear()


def _database(path: Path, rank: int = 4) -> Path:
    con = duckdb.connect(str(path))
    db.create_schema(con)
    con.execute("insert into grades values ('good', 'Good', 2), ('inadequate', 'Inadequate', ?)", [rank])
    con.close()
    return path


def _fresh_hash(path: Path) -> str:
    """The hash computed from the tables, with no cache at all."""
    with duckdb.connect(str(path), read_only=True) as con:
        return manifest.database_hash(con)


def test_database_hash_is_cached_per_file_and_equals_the_computed_one(cache, tmp_path, monkeypatch):
    path = _database(tmp_path / "a.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        first = manifest.database_hash(con, path)
    assert first == _fresh_hash(path)
    assert len(list((cache / "db-contents").glob("*.json"))) == 1

    # A new process (no in-memory copy) reads the cache and runs no query.
    manifest._HASHES.clear()
    monkeypatch.setattr(manifest.db, "records", lambda *a, **k: pytest.fail("hashed again"))
    with duckdb.connect(str(path), read_only=True) as con:
        assert manifest.database_hash(con, path) == first


def test_a_changed_database_is_hashed_again(cache, tmp_path):
    path = _database(tmp_path / "a.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        before = manifest.database_hash(con, path)
    with duckdb.connect(str(path)) as con:
        con.execute("update grades set grade_rank = 3 where grade = 'inadequate'")
        con.execute("checkpoint")
    manifest._HASHES.clear()
    with duckdb.connect(str(path), read_only=True) as con:
        after = manifest.database_hash(con, path)
    assert after != before and after == _fresh_hash(path)


def test_a_corrupt_or_foreign_cache_entry_is_ignored(cache, tmp_path):
    path = _database(tmp_path / "a.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        right = manifest.database_hash(con, path)
    entry = next((cache / "db-contents").glob("*.json"))
    for text in ("not json", json.dumps([1, 2]), json.dumps({"key": {"path": "elsewhere"}, "database_hash": "0"})):
        entry.write_text(text, encoding="utf-8")
        manifest._HASHES.clear()
        with duckdb.connect(str(path), read_only=True) as con:
            assert manifest.database_hash(con, path) == right


def test_the_cached_notebook_is_the_converted_one(cache):
    converted = render._convert(str(NOTEBOOK))
    first = render.load_notebook(NOTEBOOK)
    assert len(list((cache / "notebooks").glob("quarterly_report-*.ipynb.json"))) == 1
    render._read_notebook.cache_clear()
    from_cache = render.load_notebook(NOTEBOOK)
    assert first == converted and from_cache == converted
    assert [c.id for c in from_cache.cells][:2] == ["cell-000", "cell-001"]


def test_an_edited_notebook_is_converted_again(cache, tmp_path):
    path = tmp_path / "report.py"
    path.write_text(NOTEBOOK.read_text(encoding="utf-8"), encoding="utf-8")
    render.load_notebook(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n# %%\nprint('added')\n", encoding="utf-8")
    edited = render.load_notebook(path)
    assert edited.cells[-1].source == "print('added')"
    assert len(list((cache / "notebooks").glob("report-*.ipynb.json"))) == 2


def test_warm_up_runs_the_notebooks_imports_and_binds_no_name(tmp_path):
    path = tmp_path / "report.py"
    path.write_text("# %%\nimport json\nfrom os import path as p\nx = 1\n\n# %%\nimport string\n", encoding="utf-8")
    code = render.warm_up_code(path)
    namespace: dict[str, object] = {}
    exec(compile(code, "warm-up", "exec"), namespace)  # noqa: S102 - the code under test, from a test file
    assert set(namespace) == {"__builtins__"}
    assert "import json" in code and "from os import path as p" in code and "import string" in code
    assert "x = 1" not in code


def test_no_warm_up_for_a_notebook_that_is_not_plain_python(tmp_path):
    path = tmp_path / "report.py"
    path.write_text("# %%\n%matplotlib inline\nimport json\n", encoding="utf-8")
    assert render.warm_up_code(path) == ""


def test_warm_up_of_the_report_covers_its_imports():
    code = render.warm_up_code(NOTEBOOK)
    compile(code, "warm-up", "exec")
    tree = ast.parse(NOTEBOOK.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            assert ast.unparse(node) in code
