"""The coding engine: themes and polarity for sentences, run inside DuckDB with one constant regex per scan.

The theme scan and the polarity cues both run in SQL (queries/coding/). Polarity is decided in SQL rather than in
Python because on large inputs (the 1M-sentence benchmark) the matched rows number millions, and a Python pass
over them would cost as much as the plain `re` loop the engine replaces. `code_sentences_python` is the same
algorithm in plain Python `re`: the benchmark's baseline and the tests' cross-check.

Where the time goes (benchmarks/coding.py, 1M synthetic sentences, CPU seconds): the regex scans. Three shortcuts
keep them down without changing any output: themes are scanned in groups (a sentence no theme of a group can
match skips the group's scans), polarity is read once per (sentence, own clause) rather than per theme, and the
four marking replacements run only where their joint alternation finds something.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analysis import db
from analysis.cache import Cache, digest, source_digest
from analysis.coding import codebook as codebook_module
from analysis.coding.codebook import CONCERN_MARK, CONCESSIVE_REWRITE, REQUEST_MARK, STRENGTH_MARK, Codebook, Theme
from analysis.ingest.fetch import sha256_file

if TYPE_CHECKING:
    from analysis.build import BuildContext
    from analysis.coding.model import Model

CODED_COLUMNS = ["sentence_index", "theme_id", "polarity", "matched"]
# The same normalisation as queries/coding/coding_input.sql (ASCII whitespace, as RE2 reads \s).
_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Text as the patterns see it: straight quotes, single spaces (RE2 and `re` then agree on \\b)."""
    return _SPACE.sub(" ", str(text).translate(_QUOTES)).strip(" ")


_SCAN_CUES = ("contrast", "concessive", "request_headings")
# Themes are scanned in groups (queries/coding/coding_theme_group.sql): with n themes, g to a group and
# about two themes per sentence, the regex scans per sentence number n/g + 2g, fewest near g = 4 for 28.
GROUP_SIZE = 4


def theme_groups(themes: Sequence[Theme], size: int = GROUP_SIZE) -> list[tuple[Theme, ...]]:
    """Consecutive themes in groups of about `size` (never one alone when it can be helped), in codebook order."""
    n_groups = max(1, round(len(themes) / size))
    bounds = [round(i * len(themes) / n_groups) for i in range(n_groups + 1)]
    return [tuple(themes[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def group_pattern(themes: Sequence[Theme]) -> str:
    """One case-insensitive regex that matches wherever any of `themes` does (their patterns as alternatives)."""
    return "(?i)" + "|".join(f"(?:{p})" for theme in themes for p in theme.patterns)


_MARK_CUES = ("ignore", "requests", "neg_strength", "neg_concern")


def cue_patterns(codebook: Codebook) -> dict[str, str]:
    """The codebook's composed cue regexes plus `any_mark`: the four marking cues as one alternation."""
    cues = codebook.polarity_patterns()
    # every composed cue starts with (?i), so the alternation keeps each one's meaning
    parts = [cues[k].removeprefix("(?i)") for k in _MARK_CUES]
    return {**cues, "any_mark": "(?i)" + "|".join(f"(?:{p})" for p in parts)}


def _polarity_params(codebook: Codebook) -> dict[str, str]:
    params = {k: v for k, v in cue_patterns(codebook).items() if k not in _SCAN_CUES}
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
    group_path, theme_path = db.sql_path("coding_theme_group"), db.sql_path("coding_theme_matches")
    order = 0
    for group in theme_groups(codebook.theme_list):
        db.execute_file(con, group_path, pattern=group_pattern(group))
        for theme in group:
            db.execute_file(con, theme_path, pattern=theme.pattern, theme=theme.theme_id, theme_position=order)
            order += 1
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
    cues = {k: re.compile(v, flags) for k, v in cue_patterns(codebook).items()}
    return themes, cues


def _verdict(span: str, cues: dict[str, re.Pattern]) -> str:
    """Mirror of the coding_mark and coding_verdict macros in queries/coding/coding_prepare.sql."""
    marked = span
    if cues["any_mark"].search(span):  # where none of the four finds anything, no replacement changes the span
        marked = cues["ignore"].sub(" ", marked)
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
    if own_clause == text:  # the same text gets the same verdict (as coding_polarity.sql skips it too)
        return own_verdict
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
        # Polarity depends on the theme only through its own clause: read each clause once per sentence,
        # as coding_polarity.sql does, so that both sides do the same work.
        verdicts: dict[int | None, str] = {}
        for theme_id, matched, own in found:
            if own not in verdicts:
                verdicts[own] = polarity_python(clauses, own, last_own, cues, is_request)
            rows.append((index, theme_id, verdicts[own], matched))
    return pd.DataFrame(rows, columns=CODED_COLUMNS).astype({"sentence_index": "int64"})


CODING_COLUMNS = [
    "passage_id",
    "document_id",
    "theme_id",
    "polarity",
    "method",
    "codebook_version",
    "matched",
    "confidence",
    "model_version",
]


# The coder's own modules and SQL: editing any of them invalidates cached codings (with the codebook and model files).
CODING_MODULES = ("analysis.coding.engine", "analysis.coding.model", "analysis.coding.codebook")
CODING_QUERIES = (
    "coding_prepare",
    "coding_input",
    "coding_theme_group",
    "coding_theme_matches",
    "coding_polarity",
    "coding_finish",
    "coding_cue_flags",
)


def coder_key(codebook_path: Path, model_path: Path) -> str:
    """What a document's codings depend on besides its sentences: the codebook and model files, and the coder's
    Python modules and SQL files."""
    queries = [sha256_file(db.sql_path(name)) for name in CODING_QUERIES]
    return digest(sha256_file(codebook_path), sha256_file(model_path), source_digest(*CODING_MODULES), queries)


CODED_BY_CODER = ["sentence_index", "theme_id", "polarity", "method", "confidence", "matched"]


def code_documents(
    con: duckdb.DuckDBPyConnection,
    sentences: pd.DataFrame,
    codebook: Codebook,
    trained: Model,
    cache: Cache,
    coder_key: str,
) -> tuple[pd.DataFrame, int]:
    """Code `sentences` (document_id, text, heading, in reading order), one document's from the cache when it holds it.

    A document's codings depend on its own sentences only (the model's tone features are per document), so each is
    cached under its sentences and `coder_key` (codebook, model and the coder's code); the documents the cache lacks
    are coded together. Returns rows of CODED_BY_CODER (sentence_index into `sentences`) and how many were coded.
    """
    from analysis.coding import model as model_module  # here: the model module imports this one

    positions = sentences.groupby("document_id", sort=False).indices
    keys = {
        doc: digest(coder_key, sentences["text"].iloc[rows].tolist(), sentences["heading"].iloc[rows].tolist())
        for doc, rows in positions.items()
    }
    parts: list[pd.DataFrame] = []
    todo: list[str] = []
    for doc, rows in positions.items():
        hit = cache.get("codings", keys[doc])
        if hit is None:
            todo.append(doc)
        else:
            parts.append(hit.assign(sentence_index=hit["sentence_index"] + int(rows[0])))
    if todo:
        batch_rows = [int(i) for doc in todo for i in positions[doc]]
        batch = sentences.iloc[batch_rows]
        texts, headings = batch["text"].tolist(), batch["heading"].tolist()
        rule = code_frame(con, texts, codebook, headings)
        coded = model_module.code(texts, headings, codebook, trained, rule, documents=batch["document_id"].tolist())
        coded["confidence"] = coded["confidence"].round(4)
        coded["sentence_index"] = [batch_rows[i] for i in coded["sentence_index"]]
        coded = coded[CODED_BY_CODER]
        for doc in todo:
            first = int(positions[doc][0])
            mine = coded[(coded["sentence_index"] >= first) & (coded["sentence_index"] < first + len(positions[doc]))]
            cache.put("codings", keys[doc], mine.assign(sentence_index=mine["sentence_index"] - first))
            parts.append(mine)
    cache.prune("codings", keys.values())
    if not parts:
        return pd.DataFrame(columns=CODED_BY_CODER), len(todo)
    frame = pd.concat(parts, ignore_index=True).sort_values(["sentence_index", "theme_id"], kind="stable")
    return frame.reset_index(drop=True), len(todo)


def load(con: duckdb.DuckDBPyConnection, ctx: BuildContext) -> None:
    """Build stage 6: fill `themes`, code every sentence passage into `codings`, then overrides and recommendations.

    The rules code every sentence first (their matches and polarity are features of the model); the model in
    data/codebook/model.json.gz then decides each theme it was trained for, the rules the others. A document whose
    sentences, codebook, model and coder code are unchanged since the last build takes its codings from the cache.
    """
    from analysis.coding import model as model_module  # here: the model module imports this one

    book_path, model_path = (
        ctx.data / "codebook" / "codebook.yaml",
        ctx.data / "codebook" / model_module.DEFAULT_PATH.name,
    )
    codebook = codebook_module.load(book_path)
    trained = model_module.load(model_path, codebook)
    if trained.codebook_version != codebook.version:
        ctx.log(
            f"coding: the model was trained with codebook {trained.codebook_version}, this is {codebook.version}: "
            "run `analysis train-model`"
        )
    db.append(con, "themes", codebook.themes)
    sentences = db.query(con, "coding_sentences")
    key = coder_key(book_path, model_path)
    coded, n_coded = code_documents(con, sentences, codebook, trained, ctx.derived_cache(), key)
    keys = sentences[["passage_id", "document_id"]].reset_index(drop=True)
    codings = coded.join(keys, on="sentence_index")
    codings["codebook_version"] = codebook.version
    codings["model_version"] = trained.version
    db.append(con, "codings", codings[CODING_COLUMNS])
    by_method = codings["method"].value_counts().to_dict()
    n_documents = sentences["document_id"].nunique()
    ctx.log(
        f"coding: {len(sentences):,} sentences of {n_documents} documents ({n_documents - n_coded} from the cache, "
        f"{n_coded} coded), {len(codings):,} codings ({by_method.get('model', 0):,} by the model {trained.version}, "
        f"{by_method.get('rule', 0):,} by the rules alone; codebook {codebook.version})"
    )
    from analysis.coding import overrides, recommendations  # here: both import this module

    overrides.apply(con, ctx, codebook)
    recommendations.load(con, ctx, codebook)
