"""The manifest's database hash: over table contents, deaf to row order and file bytes, alert to any change."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis import db
from analysis.reporting import manifest


def _database(rows: pd.DataFrame) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.create_schema(con)
    db.append(con, "grades", rows)
    return con


# Synthetic rows; the grades table is just a small table to hash.
GRADES = pd.DataFrame({"grade": ["good", "inadequate"], "label": ["Good", "Inadequate"], "grade_rank": [2, 4]})


def test_same_rows_in_another_order_give_the_same_hash():
    # Rebuilt from records: appending a sliced pandas 3 string column (iloc[::-1]) raised std::bad_cast in DuckDB.
    first = manifest.database_hash(_database(GRADES))
    second = manifest.database_hash(_database(pd.DataFrame(GRADES.to_dict("records")[::-1])))
    assert first == second and len(first) == 64


def test_any_change_changes_the_hash():
    changed = GRADES.assign(grade_rank=[2, 3])
    assert manifest.database_hash(_database(GRADES)) != manifest.database_hash(_database(changed))


def test_manifest_footer_escapes_and_links():
    m = manifest.Manifest(
        parameters={"la_id_gss": "E06999991", "focus_themes": ["a<b"]},
        git_commit="abc",
        git_dirty=True,
        codebook_versions=["v1"],
        database_hash="f" * 64,
        documents=[
            {
                "published_date": "2026-02-20",
                "title": "<Letter>",
                "url": "https://x.example/l.pdf",
                "kind": "focused_visit_letter",
                "source_id": "s1",
            }
        ],
        rendered_at="2026-04-01T00:00:00Z",
        model_versions=["1.0.0+m<x>"],
    )
    out = manifest.to_html(m)
    assert "a&lt;b" in out and "&lt;Letter&gt;" in out and "with uncommitted changes" in out
    assert "<dt>Coding model version</dt><dd><code>1.0.0+m&lt;x&gt;</code></dd>" in out
    assert '<time id="render-time" datetime="2026-04-01T00:00:00Z">' in out


def test_git_state_outside_a_checkout(tmp_path):
    assert manifest.git_state(tmp_path) == (None, None)
