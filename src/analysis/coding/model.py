"""The supervised coder: logistic regressions trained on the hand-coded gold set, beside the rule codebook.

Two models. Themes: one binary logistic regression per theme over the sentence's words (unigrams, bigrams and
six-letter stems), its section heading's words, the themes the codebook's patterns find in the sentence, in its
heading and in the sentence before it. Polarity: one multinomial logistic regression over (sentence, theme)
pairs, from the theme's own clause (the clause its words are in; the whole sentence when the rules did not find
it) with negation scopes marked, the codebook's polarity cues counted in that clause and in the rest of the
sentence, the rule polarity, the contrast and concession structure, the heading (an improvement heading, the
grade in an ILACS section heading) and the theme. A theme with too few training sentences is left to the rules
(`method = 'rule'`).

The trained model is a gzip-compressed JSON file (data/codebook/model.json.gz) made by `analysis train-model`: the
non-zero weights of every feature by name, so a review can read which words push a theme up or down, with the hash
of the data it was trained on. Prediction needs no scikit-learn: it is a sparse dot product over named features.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from analysis import config
from analysis.coding import engine
from analysis.coding.codebook import POLARITIES, Codebook
from analysis.errors import InputError

# gzip-compressed (1.3 MB; 5.2 MB as text): `zcat data/codebook/model.json.gz` shows the JSON, one feature a line
DEFAULT_PATH = config.DATA / "codebook" / "model.json.gz"
# Bump when a feature changes: a model trained with other features cannot be read with these.
FEATURE_VERSION = "2"
SCORE_COLUMNS = [
    "sentence_index",
    "theme_id",
    "polarity",
    "matched",
    "method",
    "theme_probability",
    "polarity_probability",
    "confidence",
    "is_coded",
]

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words after which the next few words are read as negated ('not consistently timely', 'without delay').
_NEGATORS = frozenset(
    {"not", "no", "never", "without", "nor", "cannot", "lack", "lacks", "lacking", "insufficient", "neither"}
)
_NEGATION_SCOPE = 3
_STEM = 6
# Phrases that say a change is under way or recent: what separates 'improving' from 'strength' and 'concern'.
_IMPROVING_LANGUAGE = re.compile(
    r"\b(?:beginning to|begun to|started to|starting to|now|more consistently|has improved|have improved|"
    r"recent|recently|newly|new|improving|improved|improvement|since the last|not yet|too early|continue to|"
    r"developing|developed|introduced|implemented|launched|reduced|reducing|increased|increasing)\b"
)
# 'Leaders have introduced / strengthened / taken action': work done whose effect the sentence may not state.
_ACTION_TAKEN = re.compile(
    r"(?i)\b(?:has|have|had) (?:\w+ )?(?:introduced|implemented|established|developed|strengthened|taken|"
    r"put in place|invested|appointed|recruited|launched|created|commissioned|revised|restructured|reviewed)\b"
)
# 'Children in care: good' (ILACS), '... is inadequate' (ILACS 2018-19), '... is that it requires improvement' (SIF)
_GRADE_IN_HEADING = re.compile(
    r"(?i)(?::|\bis(?: that it(?: is)?)?)\s*(outstanding|good|requires improvement[\w ]*|inadequate|adequate)\s*\.?\s*$"
)


@dataclass
class Params:
    """The training settings (chosen on leave-one-document-out aggregates, see data/codebook/README.md)."""

    theme_c: float = 30.0
    polarity_c: float = 10.0
    threshold: float = 0.35
    min_positives: int = 8
    min_documents: int = 2
    prune: float = 0.2
    # polarity class weights (n / count) ** balance: 0 = as trained, 1 = every class counts alike
    polarity_balance: float = 0.5


@dataclass
class Example:
    """One gold sentence: its document, normalised text, heading and hand-coded themes with their polarity."""

    document_id: str
    text: str
    heading: str | None
    themes: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------------------------------------------- features


def tokens(text: str) -> list[str]:
    """Lower-case word tokens ('children's' is one token)."""
    return _TOKEN.findall(text.lower())


def negated(words: Sequence[str]) -> list[str]:
    """The tokens with those in a negation scope marked '~' ('not timely' -> not, ~timely)."""
    out: list[str] = []
    left = 0
    for word in words:
        if word in _NEGATORS:
            out.append(word)
            left = _NEGATION_SCOPE
        elif left:
            out.append("~" + word)
            left -= 1
        else:
            out.append(word)
    return out


def ngrams(words: Sequence[str], prefix: str) -> list[str]:
    """Unigrams and bigrams of `words`, each name starting with `prefix`."""
    out = [f"{prefix}{w}" for w in words]
    out += [f"{prefix}{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    return out


def heading_grade(heading: str | None) -> str | None:
    """The grade an ILACS section heading ends with ('...: requires improvement to be good' -> requires_improvement)."""
    if not heading:
        return None
    m = _GRADE_IN_HEADING.search(engine.normalise(heading))
    if m is None:
        return None
    grade = m.group(1).lower()
    return "requires_improvement" if grade.startswith("requires") else grade


def _theme_hits(texts: Iterable[str | None], codebook: Codebook) -> dict[str | None, list[str]]:
    patterns, _ = engine._compiled(codebook)
    out: dict[str | None, list[str]] = {}
    for text in texts:
        if text not in out:
            norm = engine.normalise(text) if text else ""
            out[text] = [t for t, p in patterns if norm and p.search(norm)]
    return out


def sentence_features(
    texts: Sequence[str],
    headings: Sequence[str | None],
    rule_themes: Sequence[Sequence[str]],
    codebook: Codebook,
    documents: Sequence[str] | None = None,
) -> list[list[str]]:
    """The theme model's feature names for each sentence (normalised text, heading, the rule's themes in it)."""
    heading_hits = _theme_hits(headings, codebook)
    heading_words: dict[str | None, list[str]] = {}
    rows: list[list[str]] = []
    for i, text in enumerate(texts):
        words = tokens(text)
        feats = ngrams(words, "w:")
        feats += [f"p:{w[:_STEM]}" for w in words if len(w) > _STEM]
        heading = headings[i]
        if heading not in heading_words:
            heading_words[heading] = [f"h:{w}" for w in tokens(heading or "")]
        feats += heading_words[heading]
        feats += [f"r:{t}" for t in rule_themes[i]]
        feats += [f"hr:{t}" for t in heading_hits[heading]]
        if i and headings[i - 1] == heading and (documents is None or documents[i - 1] == documents[i]):
            # the sentence before, in the same section: what 'they' or 'this' may refer to
            feats += [f"pr:{t}" for t in rule_themes[i - 1]]
        rows.append(feats)
    return rows


_CUE_NAMES = ("strength", "concern", "improving", "improved", "requests", "neg_strength", "neg_concern")


def _cue_features(span: str, where: str, cues: dict[str, re.Pattern], known: dict[str, tuple[str, ...]]) -> list[str]:
    if not span:
        return []
    found = known[span] if span in known else tuple(n for n in _CUE_NAMES if cues[n].search(span))
    return [f"{where}{name}" for name in found]


def _spans(text: str, theme_id: str, rule_polarity: str | None, codebook: Codebook, memo: dict):
    """The sentence's clauses, the theme's own clause index (None: the whole sentence), own clause and the rest."""
    key = ("spans", text, theme_id, rule_polarity is None)
    if key in memo:
        return memo[key]
    patterns, cues = engine._compiled(codebook)
    if ("clauses", text) not in memo:
        memo[("clauses", text)] = engine.clauses_of(text, cues)
    clauses = memo[("clauses", text)]
    own = None
    if rule_polarity is not None:  # the rules found the theme's words, so it has an own clause
        if "patterns" not in memo:
            memo["patterns"] = dict(patterns)
        own = engine.own_index(clauses, memo["patterns"][theme_id])
    own_clause = text if own is None else clauses[own]
    rest = "" if own is None else " ".join(clauses[:own] + clauses[own + 1 :])
    memo[key] = (clauses, own, own_clause, rest)
    return memo[key]


def prefetch_cues(items: Iterable[tuple[str, str, str | None]], codebook: Codebook, memo: dict) -> None:
    """Find the polarity cues of every span that `pair_features` will read for (text, theme, rule polarity) items,
    in one DuckDB scan per cue (queries/coding/coding_cue_flags.sql), into `memo`."""
    import duckdb

    from analysis import db

    spans: dict[str, int] = {}
    for text, theme_id, rule_polarity in items:
        _, _, own_clause, rest = _spans(text, theme_id, rule_polarity, codebook, memo)
        for span in (own_clause, rest):
            if span and span not in spans:
                spans[span] = len(spans)
    known = memo.setdefault("cues", {})
    if not spans:
        return
    cue_patterns = engine.cue_patterns(codebook)
    con = duckdb.connect()
    try:
        con.register("coding_spans", pd.DataFrame({"span_index": range(len(spans)), "span": list(spans)}))
        flags = db.query(con, "coding_cue_flags", **{name: cue_patterns[name] for name in _CUE_NAMES})
    finally:
        con.close()
    columns = [flags[f"has_{name}"].to_numpy() for name in _CUE_NAMES]
    for span, i in spans.items():
        known[span] = tuple(name for name, column in zip(_CUE_NAMES, columns, strict=True) if column[i])


def pair_features(
    text: str,
    heading: str | None,
    theme_id: str,
    rule_polarity: str | None,
    codebook: Codebook,
    memo: dict | None = None,
    context: Sequence[str] = (),
) -> list[str]:
    """The polarity model's feature names for one theme in one (normalised) sentence; `context`: tone flags.

    Cues of spans that `prefetch_cues` put in `memo` are read from there, others with Python's re (the same
    regexes, so the same flags).
    """
    _, cues = engine._compiled(codebook)
    memo = {} if memo is None else memo
    clauses, own, own_clause, rest = _spans(text, theme_id, rule_polarity, codebook, memo)
    key = ("pair", text, heading, own)
    if key not in memo:
        known = memo.get("cues", {})
        feats = ngrams(negated(tokens(own_clause)), "c:")
        feats += [f"s:{w}" for w in negated(tokens(text))]
        feats += _cue_features(own_clause, "cue:", cues, known)
        feats += _cue_features(rest, "rest:", cues, known)
        changes = [f"imp:{m.group(0)}" for m in _IMPROVING_LANGUAGE.finditer(own_clause.lower())]
        feats += changes
        if _ACTION_TAKEN.search(own_clause):
            feats.append("action_taken")
        own_cues = {f.removeprefix("cue:") for f in feats if f.startswith("cue:")}
        if changes or "action_taken" in feats:
            # the manual: a change with a remaining weakness is improving; one that makes it good is a strength
            if own_cues & {"concern", "neg_strength", "requests"}:
                feats.append("change_with_weakness")
            elif "strength" in own_cues:
                feats.append("change_with_strength")
            else:
                feats.append("change_alone")
        if len(clauses) > 1:
            feats.append("contrast")
            feats.append("own_first" if own == 0 else "own_later" if own is not None else "own_unknown")
        if cues["concessive"].search(text):
            feats.append("concessive")
        if heading and cues["request_headings"].search(heading):
            feats.append("request_heading")
        grade = heading_grade(heading)
        if grade:
            feats.append(f"grade:{grade}")
        memo[key] = feats
    return [*memo[key], *context, f"t:{theme_id}", f"rp:{rule_polarity or 'none'}"]


def _share_bin(share: float) -> int:
    return 0 if share < 0.15 else 1 if share < 0.35 else 2 if share < 0.6 else 3


def tone(documents: Sequence[str], headings: Sequence[str | None], rule: pd.DataFrame) -> list[list[str]]:
    """Per sentence, how critical its section and its document read to the rules (shares of concern, binned).

    An inadequate report's sections are mostly concerns, and 'leaders have introduced ...' there usually means
    improving rather than strength: the tone carries that across layouts without a grade being printed.
    """
    frame = pd.DataFrame({"document": list(documents), "heading": [h or "" for h in headings]})
    by_sentence = rule.groupby("sentence_index")["polarity"]
    frame["concern"] = (rule["polarity"] == "concern").groupby(rule["sentence_index"]).sum()
    frame["coded"] = by_sentence.size()
    frame[["concern", "coded"]] = frame[["concern", "coded"]].fillna(0)
    out: list[list[str]] = [[] for _ in range(len(frame))]
    for level, keys in (("doc", ["document"]), ("sec", ["document", "heading"])):
        sums = frame.groupby(keys)[["concern", "coded"]].transform("sum")
        shares = (sums["concern"] / sums["coded"].where(sums["coded"] > 0)).fillna(0.0)
        for i, share in enumerate(shares):
            out[i].append(f"tone_{level}:{_share_bin(share)}")
    return out


# Word features (one letter and a colon) are scaled by the length of their group in the row; the rest (rule
# matches, cues, heading grade, tone) are flags at 1. The sentence's words ('w:'), its stems ('p:') and its
# heading's words ('h:') are three groups, so a long heading no longer dilutes the sentence's own words (pooled
# leave-one-document-out micro-F1 +0.008); a polarity row's clause ('c:') and sentence ('s:') words are one.
_WORD_GROUPS = {"w": "w", "p": "p", "h": "h", "c": "c", "s": "c"}


def is_word_feature(name: str) -> bool:
    """Whether a feature is a word (scaled by the row's length) rather than a flag (always 1)."""
    return name[1:2] == ":" and name[0] in _WORD_GROUPS


def matrix(rows: Sequence[Sequence[str]], index: dict[str, int]) -> sparse.csr_matrix:
    """Feature-name lists as a sparse matrix: flags at 1, a word feature at 1/sqrt(its group's distinct count).

    The scale counts every distinct word feature of the group in the row, known to `index` or not, so a pruned
    model scales a sentence exactly as the full model did in training.
    """
    indptr = [0]
    cols: list[int] = []
    vals: list[float] = []
    get = index.get
    for row in rows:
        groups: dict[str | None, list[str]] = {}
        for f in set(row):
            groups.setdefault(_WORD_GROUPS.get(f[0]) if f[1:2] == ":" else None, []).append(f)
        for group, names in sorted(groups.items(), key=lambda item: item[0] or ""):
            scale = 1.0 if group is None else 1.0 / math.sqrt(len(names))
            known = [i for i in map(get, names) if i is not None]
            cols += known
            vals += [scale] * len(known)
        indptr.append(len(cols))
    out = sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float64), np.asarray(cols, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
        shape=(len(rows), len(index)),
    )
    out.sort_indices()  # the same order whatever the set order of this run: the same sums, the same model file
    return out


# ----------------------------------------------------------------------------------------------------- the model


@dataclass
class Model:
    """A trained coder: per-theme weights by feature name, polarity weights per class, and what it was trained on."""

    version: str
    training_hash: str
    codebook_version: str
    params: Params
    themes: dict[str, dict]  # theme_id -> {method: model|rule, intercept, weights: {feature: w}, positives, ...}
    polarity: dict[str, dict]  # polarity -> {intercept, weights}
    training: dict = field(default_factory=dict)
    path: Path | None = None

    def __post_init__(self) -> None:
        self._prepare()

    def _prepare(self) -> None:
        self._modelled = [t for t, spec in self.themes.items() if spec["method"] == "model"]
        self._theme_index, self._theme_w, self._theme_b = _weights([self.themes[t] for t in self._modelled])
        self._classes = [c for c in POLARITIES if c in self.polarity]
        self._pol_index, self._pol_w, self._pol_b = _weights([self.polarity[c] for c in self._classes])

    def to_json(self) -> str:
        """The model as sorted, indented JSON (weights rounded to 4 decimals), one feature per line."""
        payload = {
            "model_version": self.version,
            "training_hash": self.training_hash,
            "codebook_version": self.codebook_version,
            "feature_version": FEATURE_VERSION,
            "params": asdict(self.params),
            "training": self.training,
            "themes": self.themes,
            "polarity": self.polarity,
        }
        return json.dumps(payload, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    def to_bytes(self, path: Path | str) -> bytes:
        """The model file's bytes for `path`: gzip (no timestamp, so the same model gives the same bytes) when it
        ends in .gz, else the JSON text."""
        text = self.to_json().encode("utf-8")
        return gzip.compress(text, compresslevel=9, mtime=0) if str(path).endswith(".gz") else text

    def theme_probabilities(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """P(theme) for each row of sentence features, one column per modelled theme (self.modelled order)."""
        x = matrix(rows, self._theme_index)
        return _sigmoid(x @ self._theme_w + self._theme_b)

    def polarity_probabilities(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """P(polarity) for each row of pair features, one column per class (self.classes order)."""
        if not rows:
            return np.zeros((0, len(self._classes)))
        z = matrix(rows, self._pol_index) @ self._pol_w + self._pol_b
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    @property
    def modelled(self) -> list[str]:
        """Themes the model decides (the rest are left to the rules)."""
        return list(self._modelled)

    @property
    def classes(self) -> list[str]:
        """Polarity classes in column order."""
        return list(self._classes)


def _weights(specs: Sequence[dict]) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """Named weights of several columns (themes, or polarity classes) as a feature index, a matrix and intercepts."""
    names = sorted({f for spec in specs for f in spec["weights"]})
    index = {f: i for i, f in enumerate(names)}
    w = np.zeros((len(names), len(specs)))
    for j, spec in enumerate(specs):
        for f, v in spec["weights"].items():
            w[index[f], j] = v
    return index, w, np.array([spec["intercept"] for spec in specs], dtype=float)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def load(path: Path | str | None = None, codebook: Codebook | None = None) -> Model:
    """Read data/codebook/model.json.gz (or a plain .json); an InputError when it is missing, malformed or made
    with other features."""
    path = Path(path or DEFAULT_PATH)
    shown = config.relative(path)
    try:
        data = path.read_bytes()
        raw = json.loads(gzip.decompress(data) if str(path).endswith(".gz") else data)
    except FileNotFoundError:
        raise InputError(shown, "the model file does not exist: run `analysis train-model`") from None
    except (ValueError, OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(shown, f"not valid JSON{' in gzip' if str(path).endswith('.gz') else ''}: {exc}") from None
    for name in ("model_version", "training_hash", "codebook_version", "feature_version", "themes", "polarity"):
        if name not in raw:
            raise InputError(shown, "a value is required", field=name)
    if raw["feature_version"] != FEATURE_VERSION:
        raise InputError(
            shown,
            f"made with features {raw['feature_version']}, this code reads {FEATURE_VERSION}: "
            "run `analysis train-model`",
            field="feature_version",
        )
    if codebook is not None:
        unknown = sorted(set(raw["themes"]) - set(codebook.theme_ids))
        if unknown:
            raise InputError(shown, f"theme {unknown[0]!r} is not in the codebook", field="themes")
    known = {f.name for f in Params.__dataclass_fields__.values()}
    params = Params(**{k: v for k, v in raw.get("params", {}).items() if k in known})
    return Model(
        version=raw["model_version"],
        training_hash=raw["training_hash"],
        codebook_version=raw["codebook_version"],
        params=params,
        themes=raw["themes"],
        polarity=raw["polarity"],
        training=raw.get("training", {}),
        path=path,
    )


# ------------------------------------------------------------------------------------------------------ scoring


def score(
    texts: Sequence[str],
    headings: Sequence[str | None],
    codebook: Codebook,
    model: Model,
    rule: pd.DataFrame | None = None,
    floor: float | None = None,
    documents: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Code sentences with the model (and the rules where it leaves a theme to them).

    Returns one row per coded (sentence, theme), `is_coded` true, plus, when `floor` is given, the themes whose
    probability reached `floor` but not the threshold (`is_coded` false, `polarity` what it would have been): the
    near misses a reviewer may want to add. `rule` is the rule coding of the same texts (engine.code_frame);
    it is computed when not given. `documents` (one id per sentence, sentences of a document together and in
    reading order) keeps sections and the sentence before apart between documents; default: one document.
    """
    texts = [engine.normalise(t) for t in texts]
    headings = [h if isinstance(h, str) else None for h in headings]  # pandas reads a NULL heading as NaN
    if rule is None:
        rule = engine.code_sentences(texts, codebook, headings)
    rule_themes: list[list[str]] = [[] for _ in texts]
    rule_pol: dict[tuple[int, str], tuple[str, str]] = {}
    for r in rule.itertuples(index=False):
        rule_themes[r.sentence_index].append(r.theme_id)
        rule_pol[(r.sentence_index, r.theme_id)] = (r.polarity, r.matched)
    threshold = model.params.threshold
    lowest = threshold if floor is None else min(floor, threshold)

    candidates: list[tuple[int, str, float, str]] = []  # sentence, theme, P(theme), method
    if texts and model.modelled:
        probs = model.theme_probabilities(sentence_features(texts, headings, rule_themes, codebook, documents))
        rows, cols = np.nonzero(probs >= lowest)
        modelled = model.modelled
        candidates += [(int(i), modelled[j], float(probs[i, j]), "model") for i, j in zip(rows, cols, strict=True)]
    left_to_rules = {t for t, spec in model.themes.items() if spec["method"] == "rule"}
    for (i, theme_id), _ in rule_pol.items():
        if theme_id in left_to_rules or theme_id not in model.themes:
            candidates.append((i, theme_id, float(model.themes.get(theme_id, {}).get("precision", 1.0)), "rule"))

    documents = list(documents) if documents is not None else [""] * len(texts)
    context = tone(documents, headings, rule)
    memo: dict = {}
    prefetch_cues(((texts[i], t, rule_pol.get((i, t), (None, None))[0]) for i, t, _, _ in candidates), codebook, memo)
    pair_rows = [
        pair_features(texts[i], headings[i], t, rule_pol.get((i, t), (None, None))[0], codebook, memo, context[i])
        for i, t, _, _ in candidates
    ]
    pol = model.polarity_probabilities(pair_rows)
    classes = model.classes
    out = []
    for k, (i, theme_id, p_theme, method) in enumerate(candidates):
        best = int(np.argmax(pol[k]))
        rule_polarity, matched = rule_pol.get((i, theme_id), (None, None))
        polarity, p_polarity = classes[best], float(pol[k, best])
        if method == "rule" and rule_polarity is not None:
            polarity = rule_polarity
            # a polarity the model never saw in training has no support from it
            p_polarity = float(pol[k, classes.index(rule_polarity)]) if rule_polarity in classes else 0.0
        # a theme left to the rules is coded wherever they find it; its P(theme) is their precision in training
        is_coded = method == "rule" or p_theme >= threshold
        out.append((i, theme_id, polarity, matched, method, p_theme, p_polarity, p_theme * p_polarity, is_coded))
    frame = pd.DataFrame(out, columns=SCORE_COLUMNS)
    order = {t: n for n, t in enumerate(codebook.theme_ids)}
    frame["_order"] = frame["theme_id"].map(order)
    frame = frame.sort_values(["sentence_index", "_order"]).drop(columns="_order").reset_index(drop=True)
    return frame.astype({"sentence_index": "int64", "is_coded": "bool"})


def code(
    texts: Sequence[str],
    headings: Sequence[str | None],
    codebook: Codebook,
    model: Model,
    rule: pd.DataFrame | None = None,
    documents: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The codings of `texts`: one row per (sentence, theme), with method, confidence and polarity."""
    frame = score(texts, headings, codebook, model, rule, documents=documents)
    return frame[frame["is_coded"]].drop(columns="is_coded").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------- training


def training_hash(examples: Sequence[Example], codebook: Codebook, params: Params) -> str:
    """sha256 of what a model is made from: the examples in order, the codebook, the settings, the feature code."""
    digest = hashlib.sha256()
    digest.update(f"features {FEATURE_VERSION}\ncodebook {codebook.version}\n".encode())
    if codebook.path is not None and Path(codebook.path).exists():
        digest.update(Path(codebook.path).read_bytes())
    digest.update(json.dumps(asdict(params), sort_keys=True).encode())
    for e in examples:
        row = [e.document_id, e.text, e.heading or "", sorted(e.themes.items())]
        digest.update(json.dumps(row, ensure_ascii=False).encode() + b"\n")
    return digest.hexdigest()


def _rule_for(examples: Sequence[Example], codebook: Codebook) -> pd.DataFrame:
    return engine.code_sentences([e.text for e in examples], codebook, [e.heading for e in examples])


def _fit_binary(x, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    # The dual solver: with far more features than sentences it reaches the same weights (within 0.002) as the
    # primal one 3-6x faster, which is what lets `analysis validate` train 15 folds in about a minute.
    fit = LogisticRegression(C=c, solver="liblinear", dual=True, max_iter=10000, random_state=0)
    fit.fit(x, y)
    return fit.intercept_[0], fit.coef_[0]


def _named(weights: np.ndarray, names: Sequence[str], prune: float) -> dict[str, float]:
    return {names[i]: round(float(w), 4) for i, w in enumerate(weights) if abs(w) >= prune}


def train(
    examples: Sequence[Example],
    codebook: Codebook,
    params: Params | None = None,
    rule: pd.DataFrame | None = None,
) -> Model:
    """Fit the theme and polarity models on gold examples (deterministic: sorted features, fixed solvers)."""
    from sklearn.linear_model import LogisticRegression

    params = params or Params()
    examples = list(examples)
    if not examples:
        raise ValueError("no training examples")
    rule = _rule_for(examples, codebook) if rule is None else rule
    rule_themes: list[list[str]] = [[] for _ in examples]
    rule_pol: dict[tuple[int, str], str] = {}
    for r in rule.itertuples(index=False):
        rule_themes[r.sentence_index].append(r.theme_id)
        rule_pol[(r.sentence_index, r.theme_id)] = r.polarity
    headings = [e.heading for e in examples]
    documents = [e.document_id for e in examples]
    rows = sentence_features([e.text for e in examples], headings, rule_themes, codebook, documents)
    names = sorted({f for row in rows for f in row})
    index = {f: i for i, f in enumerate(names)}
    x = matrix(rows, index)
    themes: dict[str, dict] = {}
    for theme_id in codebook.theme_ids:
        y = np.array([theme_id in e.themes for e in examples])
        n_docs = len({e.document_id for e in examples if theme_id in e.themes})
        predicted = sum(theme_id in r for r in rule_themes)
        hits = sum(theme_id in r and theme_id in e.themes for r, e in zip(rule_themes, examples, strict=True))
        # the rules' precision on the training set (add-one smoothed): the confidence of a theme left to them
        precision = round((hits + 1) / (predicted + 2), 4)
        spec: dict = {"positives": int(y.sum()), "documents": n_docs, "precision": precision}
        if y.sum() >= params.min_positives and n_docs >= params.min_documents and y.sum() < len(y):
            intercept, coef = _fit_binary(x, y.astype(int), params.theme_c)
            spec.update(method="model", intercept=round(float(intercept), 4), weights=_named(coef, names, params.prune))
        else:
            spec.update(method="rule")
        themes[theme_id] = spec

    pairs, labels = [], []
    memo: dict = {}
    context = tone(documents, headings, rule)
    prefetch_cues(
        ((e.text, t, rule_pol.get((i, t))) for i, e in enumerate(examples) for t in sorted(e.themes)), codebook, memo
    )
    for i, e in enumerate(examples):
        for theme_id, polarity in sorted(e.themes.items()):
            rp = rule_pol.get((i, theme_id))
            pairs.append(pair_features(e.text, e.heading, theme_id, rp, codebook, memo, context[i]))
            labels.append(polarity)
    pol_names = sorted({f for row in pairs for f in row})
    pol_x = matrix(pairs, {f: i for i, f in enumerate(pol_names)})
    polarity: dict[str, dict] = {}
    present = sorted(set(labels), key=POLARITIES.index)
    if len(present) == 1:
        polarity[present[0]] = {"intercept": 0.0, "weights": {}}
    else:
        counts = {c: labels.count(c) for c in present}
        weights = {c: (len(labels) / counts[c]) ** params.polarity_balance for c in present}
        # Newton-CG: converges in about 10 iterations where lbfgs stopped short of the optimum after 120 (7x faster)
        fit = LogisticRegression(C=params.polarity_c, solver="newton-cg", max_iter=1000, class_weight=weights)
        fit.fit(pol_x, labels)
        coefs = fit.coef_ if len(fit.classes_) > 2 else np.vstack([-fit.coef_[0], fit.coef_[0]]) / 2
        intercepts = fit.intercept_ if len(fit.classes_) > 2 else np.array([-fit.intercept_[0], fit.intercept_[0]]) / 2
        for k, cls in enumerate(fit.classes_):
            polarity[str(cls)] = {
                "intercept": round(float(intercepts[k]), 4),
                "weights": _named(coefs[k], pol_names, params.prune),
                "examples": int(sum(label == cls for label in labels)),
            }
    digest = training_hash(examples, codebook, params)
    documents = sorted({e.document_id for e in examples})
    return Model(
        version=f"{codebook.version}+m{digest[:10]}",
        training_hash=digest,
        codebook_version=codebook.version,
        params=params,
        themes=themes,
        polarity=polarity,
        training={"documents": documents, "sentences": len(examples), "pairs": len(pairs)},
    )
