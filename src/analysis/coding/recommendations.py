"""Recommendations: the items under a report's 'what needs to improve' headings, with their themes (stage 6 part).

Headings differ by framework: ILACS "What needs to improve (in this area of social work practice)", SIF
"Recommendations", older reports "Areas for improvement" and "Priority and immediate action", focused visits
"Areas for priority action". Items are the list items (bullets) or numbered paragraphs under such a heading, as
the documents stage split them into paragraph passages with a block_kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from analysis import db

if TYPE_CHECKING:
    from analysis.build import BuildContext
    from analysis.coding.codebook import Codebook

# One pattern, read by DuckDB (RE2) in rec_candidates.sql and by Python in the tests: keep it to the syntax
# both share. Anchored at the start so "... requires improvement" judgement headings do not match.
HEADING_PATTERN = (
    r"(?i)^\s*(what needs to improve"
    r"|areas? for (priority action|improvement)"
    r"|priority and immediate action"
    r"|recommendations?\b)"
)
_NUMBERED = re.compile(r"^\s*\(?(\d{1,3})[.)]\s+")
_BULLET = re.compile(r"^\s*[•◼▪●■‣∙·◦\-–—]\s*")
_NONE_GIVEN = re.compile(r"(?i)^\s*(there (are|were) no|the inspection did not find any|no areas)\b")


def is_improvement_heading(heading: str | None) -> bool:
    """Whether a section heading introduces what a council must improve."""
    return bool(heading) and re.search(HEADING_PATTERN, heading) is not None


def clean(text: str) -> str:
    """An item's text without its list number or bullet, whitespace collapsed."""
    text = _BULLET.sub("", _NUMBERED.sub("", text, count=1), count=1)
    return " ".join(text.split())


def section_items(paragraphs: list[dict]) -> list[tuple[str, str]]:
    """The items of one section's paragraphs (dicts with passage_id, block_kind, text), as (passage_id, text).

    Numbered sections (SIF, older reports): each numbered paragraph is an item and the unnumbered list items or
    lower-case continuations after it belong to it; other unnumbered paragraphs there are sub-headings
    ("Social work practice") and are left out. Unnumbered sections (ILACS): each list item is an item; without
    list items, each paragraph is, except introductions ending in ':' and "there are no ..." statements;
    a lower-case paragraph that is not a list item continues the item before it (a page break cut it).
    """
    body = [p for p in paragraphs if p["block_kind"] != "heading" and p["text"].strip()]
    numbered = any(_NUMBERED.match(p["text"]) for p in body)
    has_list_items = any(p["block_kind"] == "item" for p in body)
    items: list[list[Any]] = []  # [passage_id, [texts]]
    for p in body:
        text = p["text"].strip()
        is_item = p["block_kind"] == "item"
        # A list item under a numbered paragraph is part of it; a lower-case text paragraph continues the last item.
        continues = items and ((numbered and is_item) or (not is_item and text[:1].islower()))
        if continues:
            items[-1][1].append(text)
        elif numbered:
            if _NUMBERED.match(text):
                items.append([p["passage_id"], [text]])
        elif has_list_items:
            if is_item:
                items.append([p["passage_id"], [text]])
        elif not text.endswith(":") and not _NONE_GIVEN.match(text):
            items.append([p["passage_id"], [text]])
    return [(passage_id, clean(" ".join(texts))) for passage_id, texts in items]


def extract(candidates: pd.DataFrame) -> pd.DataFrame:
    """Recommendation rows (without themes) from rec_candidates rows, numbered per document in reading order."""
    rows: list[dict] = []
    for document_id, doc in candidates.sort_values(["document_id", "seq"]).groupby("document_id", sort=True):
        first = doc.iloc[0]
        seq = 0
        # A section runs while the heading stays the same; a heading block inside it ends it.
        sections: list[list[dict]] = []
        current_heading: object = object()
        for p in doc.to_dict("records"):
            if p["heading"] != current_heading or p["block_kind"] == "heading":
                sections.append([])
                current_heading = p["heading"]
            sections[-1].append(p)
        for section in sections:
            for passage_id, text in section_items(section):
                if not text:
                    continue
                seq += 1
                rows.append(
                    {
                        "recommendation_id": f"{document_id}#r{seq:04d}",
                        "visit_id": first["visit_id"],
                        "document_id": document_id,
                        "passage_id": passage_id,
                        "seq": seq,
                        "text": text,
                        "source_id": first["source_id"],
                    }
                )
    return pd.DataFrame(
        rows, columns=["recommendation_id", "visit_id", "document_id", "passage_id", "seq", "text", "source_id"]
    )


def themes_of(
    recommendations: pd.DataFrame, codebook: Any, coder: Callable[[list[str], Any], pd.DataFrame]
) -> pd.DataFrame:
    """recommendation_themes rows: each recommendation's text coded with the codebook (polarity is not kept)."""
    if not len(recommendations):
        return pd.DataFrame(columns=["recommendation_id", "theme_id"])
    coded = coder(recommendations["text"].tolist(), codebook)
    ids = recommendations["recommendation_id"].tolist()
    frame = pd.DataFrame(
        {"recommendation_id": [ids[int(i)] for i in coded["sentence_index"]], "theme_id": coded["theme_id"].tolist()}
    )
    return frame.drop_duplicates().sort_values(["recommendation_id", "theme_id"]).reset_index(drop=True)


def load(
    con: duckdb.DuckDBPyConnection,
    ctx: BuildContext,
    codebook: Codebook,
    coder: Callable[[list[str], Any], pd.DataFrame] | None = None,
) -> int:
    """Fill `recommendations` and `recommendation_themes` from the passages of every Ofsted report and letter."""
    if coder is None:
        from analysis.coding.engine import code_sentences as coder
    candidates = db.query(con, "rec_candidates", heading_pattern=HEADING_PATTERN)
    recommendations = extract(candidates)
    db.append(con, "recommendations", recommendations)
    db.append(con, "recommendation_themes", themes_of(recommendations, codebook, coder))
    per_document = recommendations.groupby("document_id").size()
    ctx.log(f"recommendations: {len(recommendations)} from {len(per_document)} documents")
    return len(recommendations)
