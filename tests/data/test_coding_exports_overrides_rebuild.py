"""Overrides survive a rebuild: two real builds of the committed documents give the same codings, overrides included."""

from __future__ import annotations

import duckdb

from analysis import build

LETTER = "ofsted_80464_2025-11-20"
STAGES = [s for s in build.STAGES if s[0] in ("sources", "documents", "coding")]


def _build(cache) -> tuple[list[tuple], list[tuple], list[str]]:
    """Build the committed documents only (an empty fetch cache) into memory; return codings, recommendations, log."""
    messages: list[str] = []
    con = duckdb.connect()
    try:
        build.populate(con, build.BuildContext(cache=cache, log=messages.append), stages=STAGES)
        # overrides carry no confidence: NULL reads as NaN, which never equals itself, so compare it as a string
        codings = con.table("codings").df().sort_values(["passage_id", "theme_id"]).astype({"confidence": str})
        recommendations = con.table("recommendations").df().sort_values("recommendation_id")
    finally:
        con.close()
    return (
        list(codings.itertuples(index=False, name=None)),
        list(recommendations.itertuples(index=False, name=None)),
        messages,
    )


def test_two_builds_give_the_same_codings_and_recommendations(tmp_path):
    first_codings, first_recommendations, messages = _build(tmp_path)
    again_codings, again_recommendations, again = _build(tmp_path)
    # the second build takes every document's text and codings from the build cache, and still gives the same rows
    coding_line = next(m for m in again if m.startswith("coding:"))
    assert " 0 coded)" in coding_line and "from the cache" in coding_line
    assert first_codings == again_codings
    assert first_recommendations == again_recommendations
    overridden = [row for row in first_codings if row[1] == LETTER and row[4] == "override"]
    assert overridden, "the committed overrides of the 2025 letter were applied"
    # every committed add/set_polarity holds after the build: as an override, or the coder already agreeing
    agreed = [m for m in messages if "the coder already agrees" in m]
    assert len(overridden) + len(agreed) >= 3
    assert [m for m in messages if m.startswith("overrides:") and "applied" in m]
    assert len([r for r in first_recommendations if r[2] == LETTER]) == 3
