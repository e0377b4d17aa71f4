"""Analyst overrides of the automatic coding: data/overrides.csv, keyed on document and sentence text, each build."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import config, db
from analysis.ingest import csvfile
from analysis.ingest.csvfile import Col

if TYPE_CHECKING:
    from analysis.build import BuildContext
    from analysis.coding.codebook import Codebook

POLARITIES = frozenset({"strength", "concern", "improving", "neutral"})
ACTIONS = frozenset({"add", "remove", "set_polarity"})

COLUMNS = [
    Col("document_id", required=True, pattern=r"[a-z0-9_.-]+"),
    Col("sentence_text", required=True),
    Col("theme_id", required=True, pattern=r"[a-z0-9_]+"),
    Col("action", required=True, choices=ACTIONS),
    Col("polarity", choices=POLARITIES),
    Col("coder", required=True),
    Col("reason", required=True),
    Col("date", kind="date", required=True),
]


def normalise(text: str) -> str:
    """Sentence text as overrides compare it: runs of any whitespace (incl. no-break spaces) become one space."""
    return " ".join(str(text).split())


def _polarity_matches_action(row: dict) -> tuple[str, str] | None:
    if row["action"] == "remove" and row["polarity"] is not None:
        return "polarity", "leave polarity empty for action remove"
    if row["action"] != "remove" and row["polarity"] is None:
        return "polarity", f"action {row['action']} needs a polarity ({', '.join(sorted(POLARITIES))})"
    return None


def read(
    path: Path,
    theme_ids: set[str] | None = None,
    sentences: dict[str, dict[str, list[str]]] | None = None,
) -> pd.DataFrame:
    """Read and check the overrides file.

    `theme_ids` (the codebook's) and `sentences` (document_id -> normalised sentence text -> passage_ids, for the
    documents present in the database) turn on the checks that need them; a document absent from `sentences` is
    not checked here (it is not fetched on this machine, and `apply` skips it).
    """
    seen: dict[tuple[str, str, str], bool] = {}

    def unique_key(row: dict) -> tuple[str, str] | None:
        key = (row["document_id"], normalise(row["sentence_text"]), row["theme_id"])
        if key in seen:
            return "theme_id", "a second override for the same document, sentence and theme: keep one"
        seen[key] = True
        return None

    def known_theme(row: dict) -> tuple[str, str] | None:
        if theme_ids is not None and row["theme_id"] not in theme_ids:
            return "theme_id", f"theme {row['theme_id']!r} is not in the codebook"
        return None

    def sentence_exists(row: dict) -> tuple[str, str] | None:
        if sentences is None or row["document_id"] not in sentences:
            return None
        if normalise(row["sentence_text"]) not in sentences[row["document_id"]]:
            return (
                "sentence_text",
                f"no sentence of document {row['document_id']} reads {_short(row['sentence_text'])!r} "
                "(the text or its sentence splitting changed: update or delete this override)",
            )
        return None

    checks: list[Callable[[dict], tuple[str, str] | None]] = [_polarity_matches_action, unique_key, known_theme]
    checks.append(sentence_exists)
    return csvfile.read(path, COLUMNS, row_checks=checks)


def _short(text: str, width: int = 80) -> str:
    text = normalise(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _sentence_index(frame: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    index: dict[str, dict[str, list[str]]] = {}
    for row in frame.itertuples(index=False):
        index.setdefault(row.document_id, {}).setdefault(normalise(row.text), []).append(row.passage_id)
    return index


def apply(con: duckdb.DuckDBPyConnection, ctx: BuildContext, codebook: Codebook, path: Path | None = None) -> int:
    """Apply data/overrides.csv to `codings`; return how many override rows changed a coding."""
    path = Path(path or Path(ctx.data) / "overrides.csv")
    if not path.exists():
        ctx.log(f"overrides: {config.relative(path)} not found, no overrides applied")
        return 0
    theme_ids = set(codebook.themes["theme_id"])
    wanted = sorted(set(read(path)["document_id"]))  # a first pass only to learn which documents to look up
    sentences = _sentence_index(db.query(con, "ovr_document_sentences", document_ids=wanted))
    coded = {
        (r.passage_id, r.theme_id): r.polarity
        for r in db.query(con, "ovr_document_codings", document_ids=wanted).itertuples()
    }
    frame = read(path, theme_ids=theme_ids, sentences=sentences)

    applied = 0
    absent: set[str] = set()
    for row in frame.to_dict("records"):
        document_id = row["document_id"]
        if document_id not in sentences:
            absent.add(document_id)
            continue
        said = f"overrides: {row['action']} {row['theme_id']} on {document_id} {_short(row['sentence_text'], 50)!r}"
        changed = False
        for passage_id in sentences[document_id][normalise(row["sentence_text"])]:
            key = (passage_id, row["theme_id"])
            current = coded.get(key)
            if row["action"] != "remove" and current == row["polarity"]:
                # The coder already says the same: the coding keeps its method ('model' or 'rule'), so agreement
                # between the coder and analysts stays measurable.
                ctx.log(f"{said}: the coder already agrees, left as the coder's coding")
            elif row["action"] == "add":
                db.execute_file(
                    con,
                    db.sql_path("ovr_add"),
                    passage_id=passage_id,
                    document_id=document_id,
                    theme_id=row["theme_id"],
                    polarity=row["polarity"],
                    codebook_version=str(codebook.version),
                )
                coded[key] = row["polarity"]
                changed = True
            elif current is None:
                # The codebook no longer codes this theme here, so the override has nothing to act on.
                ctx.log(f"{said}: that theme is not coded there, skipped")
            elif row["action"] == "remove":
                db.execute_file(con, db.sql_path("ovr_remove"), passage_id=passage_id, theme_id=row["theme_id"])
                del coded[key]
                changed = True
            else:
                db.execute_file(
                    con,
                    db.sql_path("ovr_set_polarity"),
                    passage_id=passage_id,
                    theme_id=row["theme_id"],
                    polarity=row["polarity"],
                )
                coded[key] = row["polarity"]
                changed = True
        applied += changed
    for document_id in sorted(absent):
        ctx.log(f"overrides: document {document_id} is not in the database (not fetched?): its overrides skipped")
    ctx.log(f"overrides: {applied} of {len(frame)} applied")
    return applied
