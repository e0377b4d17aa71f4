"""The coding engine: themes and polarity for sentences, run inside DuckDB with one constant regex per scan.

The theme scan and the polarity cues both run in SQL (queries/coding/). Polarity is decided in SQL rather than in
Python because on large inputs (the 1M-sentence benchmark) the matched rows number millions, and a Python pass
over them would cost as much as the plain `re` loop the engine replaces. `code_sentences_python` is the same
algorithm in plain Python `re`: the benchmark's baseline and the tests' cross-check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import db
from analysis.coding import codebook as codebook_module
from analysis.coding.codebook import CONCERN_MARK, CONCESSIVE_REWRITE, REQUEST_MARK, STRENGTH_MARK, Codebook

if TYPE_CHECKING:
    from analysis.build import BuildContext

CODED_COLUMNS = ["sentence_index", "theme_id", "polarity", "matched"]
# coding-2's steps that run after the rule coding: (module in analysis.coding, function(con, ctx, codebook)).
FOLLOW_UPS: tuple[tuple[str, str], ...] = (("overrides", "apply"), ("recommendations", "load"))
# The same normalisation as queries/coding/coding_input.sql (ASCII whitespace, as RE2 reads \s).
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Text as the patterns see it: straight quotes, single spaces (RE2 and `re` then agree on \\b)."""
    return _SPACE.sub(" ", str(text).translate(_QUOTES)).strip(" ")


_SCAN_CUES = ("contrast", "concessive", "request_headings")


def _polarity_params(codebook: Codebook) -> dict[str, str]:
    params = {k: v for k, v in codebook.polarity_patterns().items() if k not in _SCAN_CUES}
    params["ignore_cues"] = params.pop("ignore")
    params.update(concern_mark=CONCERN_MARK, strength_mark=STRENGTH_MARK, request_mark=REQUEST_MARK)
    return params


def code_frame(
    con: duckdb.DuckDBPyConnection,
    texts: Sequence[str],
    codebook: Codebook,
    headings: Sequence[str | None] | None = None,
) -> pd.DataFrame:
    """Code `texts` on an open connection (temporary tables only); rows sentence_index, theme_id, polarity, matched."""
    db.execute_file(con, db.sql_path("coding_prepare"))
    if headings is not None and len(headings) != len(texts):
        raise ValueError(f"{len(headings)} headings for {len(texts)} sentences")
    frame = pd.DataFrame(
        {
            "sentence_index": pd.Series(range(len(texts)), dtype="int64"),
            "text": pd.Series([str(t) for t in texts], dtype="object"),
            "heading": pd.Series(list(headings) if headings is not None else [None] * len(texts), dtype="object"),
        }
    )
    db.append(con, "coding_raw", frame)
    cues = codebook.polarity_patterns()
    db.execute_file(
        con, db.sql_path("coding_input"), concessive_rewrite=CONCESSIVE_REWRITE, **{k: cues[k] for k in _SCAN_CUES}
    )
    path = db.sql_path("coding_theme_matches")
    for order, theme in enumerate(codebook.theme_list):
        db.execute_file(con, path, pattern=theme.pattern, theme=theme.theme_id, theme_position=order)
    coded = db.query(con, "coding_polarity", **_polarity_params(codebook))
    db.execute_file(con, db.sql_path("coding_finish"))
    coded["sentence_index"] = coded["sentence_index"].astype("int64")
    return coded[CODED_COLUMNS].reset_index(drop=True)


def code_sentences(
    texts: Sequence[str], codebook: Codebook | None = None, headings: Sequence[str | None] | None = None
) -> pd.DataFrame:
    """Code any list of sentences in an in-memory DuckDB; one row per (sentence, theme) found.

    `headings` (optional, one per sentence) are the section headings: sentences under a 'what needs to
    improve' heading are concerns for every theme they carry.
    """
    codebook = codebook or codebook_module.load()
    con = duckdb.connect()
    try:
        return code_frame(con, list(texts), codebook, headings)
    finally:
        con.close()


@lru_cache(maxsize=8)
def _compiled(codebook: Codebook) -> tuple[list[tuple[str, re.Pattern]], dict[str, re.Pattern]]:
    flags = re.IGNORECASE | re.ASCII  # RE2 classes are ASCII-only; keep Python's \b and \w the same
    themes = [(t.theme_id, re.compile(t.pattern, flags)) for t in codebook.theme_list]
    cues = {k: re.compile(v, flags) for k, v in codebook.polarity_patterns().items()}
    return themes, cues


def _verdict(span: str, cues: dict[str, re.Pattern]) -> str:
    """Mirror of the coding_mark and coding_verdict macros in queries/coding/coding_prepare.sql."""
    marked = cues["ignore"].sub(" ", span)
    marked = cues["requests"].sub(REQUEST_MARK, marked)
    marked = cues["neg_strength"].sub(CONCERN_MARK, marked)
    marked = cues["neg_concern"].sub(STRENGTH_MARK, marked)
    if REQUEST_MARK.strip() in marked:
        return "concern"
    if cues["improving"].search(marked):
        return "improving"
    if CONCERN_MARK.strip() in marked or cues["concern"].search(marked):
        return "improving" if cues["improved"].search(marked) else "concern"
    if STRENGTH_MARK.strip() in marked or cues["strength"].search(marked):
        return "strength"
    if cues["improved"].search(marked):
        return "improving"
    return "neutral"


def clauses_of(text: str, cues: dict[str, re.Pattern]) -> list[str]:
    """A normalised sentence cut at contrast markers, after 'Although X, Y' is turned into 'Y ; X'."""
    return cues["contrast"].split(cues["concessive"].sub(CONCESSIVE_REWRITE, text))


def own_index(clauses: list[str], theme_pattern: re.Pattern) -> int | None:
    """The first clause where the theme matches (None when its words straddle a contrast marker)."""
    if len(clauses) == 1:
        return 0
    return next((i for i, c in enumerate(clauses) if theme_pattern.search(c)), None)


def polarity_python(
    clauses: list[str], own: int | None, last_own: int | None, cues: dict[str, re.Pattern], is_request: bool
) -> str:
    """Mirror of queries/coding/coding_polarity.sql for one theme in one sentence (see clauses_of, own_index)."""
    if is_request:
        return "concern"
    text = " ".join(clauses)  # the whole sentence without its contrast markers, as the SQL keeps it
    own_clause, tail = (text, "") if own is None else (clauses[own], " ".join(clauses[own + 1 :]))
    own_verdict = _verdict(own_clause, cues)
    tail_verdict = "neutral" if not tail.strip() else _verdict(tail, cues)
    if tail_verdict == "concern" and own_verdict in ("strength", "neutral") and own is not None and own == last_own:
        return "concern"
    if own_verdict != "neutral":
        return own_verdict
    if tail_verdict != "neutral":
        return tail_verdict
    return _verdict(text, cues)


def code_sentences_python(
    texts: Sequence[str], codebook: Codebook | None = None, headings: Sequence[str | None] | None = None
) -> pd.DataFrame:
    """The same coding as `code_sentences` in a plain Python `re` loop (the benchmark baseline)."""
    codebook = codebook or codebook_module.load()
    themes, cues = _compiled(codebook)
    rows: list[tuple[int, str, str, str]] = []
    for index, raw in enumerate(texts):
        text = normalise(raw)
        heading = None if headings is None else headings[index]
        is_request = heading is not None and bool(cues["request_headings"].search(heading))
        clauses = clauses_of(text, cues)
        found = []
        for theme_id, pattern in themes:
            words = [m.group(0) for m in pattern.finditer(text)]
            if words:
                found.append((theme_id, "; ".join(words), own_index(clauses, pattern)))
        owns = [own for _, _, own in found if own is not None]
        last_own = max(owns) if owns else None
        for theme_id, matched, own in found:
            rows.append((index, theme_id, polarity_python(clauses, own, last_own, cues, is_request), matched))
    return pd.DataFrame(rows, columns=CODED_COLUMNS).astype({"sentence_index": "int64"})


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Build stage 6: fill `themes`, code every sentence passage into `codings`, then overrides and recommendations."""
    codebook = codebook_module.load(ctx.data / "codebook" / "codebook.yaml")
    db.append(con, "themes", codebook.themes)
    sentences = db.query(con, "coding_sentences")
    coded = code_frame(con, sentences["text"].tolist(), codebook, sentences["heading"].tolist())
    keys = sentences[["passage_id", "document_id"]].reset_index(drop=True)
    codings = coded.join(keys, on="sentence_index")
    codings["method"] = "rule"
    codings["codebook_version"] = codebook.version
    db.append(
        con,
        "codings",
        codings[["passage_id", "document_id", "theme_id", "polarity", "method", "codebook_version", "matched"]],
    )
    ctx.log(f"coding: {len(sentences):,} sentences, {len(codings):,} codings (codebook {codebook.version})")
    for module_name, function in FOLLOW_UPS:
        # coding-2's modules; tolerated as absent only while they are being written.
        try:
            module = __import__(f"analysis.coding.{module_name}", fromlist=[function])
        except ModuleNotFoundError as exc:
            if exc.name != f"analysis.coding.{module_name}":
                raise
            ctx.log(f"coding: analysis.coding.{module_name} is not available; skipped")
            continue
        getattr(module, function)(con, ctx, codebook)
