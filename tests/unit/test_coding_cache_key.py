"""The key under which a document's codings are cached changes with everything the coder reads besides the
sentences: the codebook and model files, and the coder's SQL (a cached coding must never outlive a change)."""

from __future__ import annotations

import shutil

from analysis import config, db
from analysis.coding import engine
from analysis.coding import model as model_module


def test_the_coder_key_changes_with_the_codebook_the_model_and_each_coding_query(tmp_path, monkeypatch):
    book, model = tmp_path / "codebook.yaml", tmp_path / "model.json.gz"
    shutil.copy(config.DATA / "codebook" / "codebook.yaml", book)
    shutil.copy(model_module.DEFAULT_PATH, model)
    queries = tmp_path / "queries"
    shutil.copytree(config.QUERIES, queries)
    monkeypatch.setattr(config, "QUERIES", queries)
    first = engine.coder_key(book, model)
    assert engine.coder_key(book, model) == first  # nothing changed: the same key
    seen = {first}
    for name in engine.CODING_QUERIES:
        path = db.sql_path(name)
        path.write_text(path.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
        seen.add(engine.coder_key(book, model))
    for path in (book, model):
        path.write_bytes(path.read_bytes() + b"\n")
        seen.add(engine.coder_key(book, model))
    assert len(seen) == 1 + len(engine.CODING_QUERIES) + 2
