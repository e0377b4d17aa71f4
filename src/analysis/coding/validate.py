"""Agreement between the rule coding and the hand-coded gold set (data/gold): F1, polarity accuracy, kappa.

`evaluate` is a pure function over frames of (sentence_text, theme_id, polarity); `run` reads the gold set,
extracts and codes each gold document, and checks that every gold sentence still matches an extracted one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.coding import codebook as codebook_module
from analysis.coding import engine
from analysis.errors import InputError
from analysis.ingest import csvfile
from analysis.ingest.csvfile import Col

GOLD_DIR = config.DATA / "gold"
OVERALL = "overall"
_POLARITIES = frozenset(codebook_module.POLARITIES)
GOLD_COLUMNS = [
    Col("sentence_text", required=True),
    Col("theme_id", pattern=r"[a-z][a-z0-9_]*"),
    Col("polarity", choices=_POLARITIES),
    Col("coder", required=True),
    Col("note"),
]
MANIFEST_COLUMNS = [
    Col("gold_id", required=True, unique=True, pattern=r"[a-z0-9_.-]+"),
    Col("role", required=True, choices=frozenset({"tuning", "heldout"})),
    Col("local_path"),
    Col("cache_path"),
    Col("council"),
    Col("note"),
]


@dataclass
class Report:
    """Agreement figures: per theme and per document (`document` = gold id or 'overall')."""

    per_theme: pd.DataFrame  # document, theme_id, support, predicted, tp, fp, fn, precision, recall, f1, kappa
    summary: pd.DataFrame  # document, n_sentences, micro_*, macro_f1, presence_kappa, polarity_*

    def overall(self) -> dict[str, float]:
        """The summary row of all documents pooled."""
        return self.summary.set_index("document").loc[OVERALL].to_dict()


def key(text: str) -> str:
    """How a sentence is matched between the gold set and the extraction: normalised whitespace and quotes."""
    return engine.normalise(text)


def kappa(a: int, b: int, c: int, d: int) -> float:
    """Cohen's kappa of a 2x2 table: a = both yes, b = coder 1 yes only, c = coder 2 yes only, d = both no."""
    n = a + b + c + d
    if n == 0:
        return math.nan
    observed = (a + d) / n
    expected = ((a + b) * (a + c) + (c + d) * (b + d)) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else math.nan
    return (observed - expected) / (1 - expected)


def kappa_labels(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two coders' labels for the same items (any number of categories)."""
    n = len(first)
    if n == 0 or n != len(second):
        return math.nan
    observed = sum(x == y for x, y in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum((first.count(label) / n) * (second.count(label) / n) for label in labels)
    if expected == 1:
        return 1.0 if observed == 1 else math.nan
    return (observed - expected) / (1 - expected)


def _ratio(num: float, den: float) -> float:
    return num / den if den else math.nan


def _pairs(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    rows = frame[frame["theme_id"].notna() & (frame["theme_id"] != "")]
    return {(key(r.sentence_text), r.theme_id): r.polarity for r in rows.itertuples(index=False)}


def _score(name: str, sentences: set, gold: dict, coded: dict, themes: list[str]) -> tuple[list[dict], dict]:
    per_theme = []
    for theme in themes:
        g = {s for (s, t) in gold if t == theme}
        c = {s for (s, t) in coded if t == theme}
        tp, fp, fn = len(g & c), len(c - g), len(g - c)
        tn = len(sentences) - tp - fp - fn
        precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
        f1 = _ratio(2 * tp, 2 * tp + fp + fn)
        per_theme.append(
            dict(
                document=name,
                theme_id=theme,
                support=len(g),
                predicted=len(c),
                tp=tp,
                fp=fp,
                fn=fn,
                precision=precision,
                recall=recall,
                f1=f1,
                kappa=kappa(tp, fn, fp, tn),
            )
        )
    tp = sum(r["tp"] for r in per_theme)
    fp = sum(r["fp"] for r in per_theme)
    fn = sum(r["fn"] for r in per_theme)
    cells = len(sentences) * len(themes)
    both = sorted(gold.keys() & coded.keys())
    gold_pol = [gold[k] for k in both]
    coded_pol = [coded[k] for k in both]
    f1s = [r["f1"] for r in per_theme if r["support"] or r["predicted"]]
    summary = dict(
        document=name,
        n_sentences=len(sentences),
        gold_pairs=len(gold),
        coded_pairs=len(coded),
        micro_precision=_ratio(tp, tp + fp),
        micro_recall=_ratio(tp, tp + fn),
        micro_f1=_ratio(2 * tp, 2 * tp + fp + fn),
        macro_f1=sum(f1s) / len(f1s) if f1s else math.nan,
        presence_kappa=kappa(tp, fn, fp, cells - tp - fp - fn),
        polarity_n=len(both),
        polarity_accuracy=_ratio(sum(x == y for x, y in zip(gold_pol, coded_pol, strict=True)), len(both)),
        polarity_kappa=kappa_labels(gold_pol, coded_pol),
    )
    return per_theme, summary


def evaluate(
    gold_frames: Mapping[str, pd.DataFrame], coded: Mapping[str, pd.DataFrame], themes: list[str] | None = None
) -> Report:
    """Compare gold and coded (sentence_text, theme_id, polarity) rows per document and pooled.

    The gold frame of a document lists every sentence (a row with an empty theme_id for a sentence with none);
    coded rows of sentences that are not in the gold frame are ignored.
    """
    per_theme: list[dict] = []
    summaries: list[dict] = []
    all_sentences: set = set()
    all_gold: dict = {}
    all_coded: dict = {}
    seen_themes: set[str] = set()
    prepared = []
    for name, gold_frame in gold_frames.items():
        sentences = {key(t) for t in gold_frame["sentence_text"]}
        gold = _pairs(gold_frame)
        coded_frame = coded.get(name, pd.DataFrame(columns=["sentence_text", "theme_id", "polarity"]))
        predicted = {k: v for k, v in _pairs(coded_frame).items() if k[0] in sentences}
        seen_themes |= {t for _, t in gold} | {t for _, t in predicted}
        prepared.append((name, sentences, gold, predicted))
    theme_list = list(themes) if themes is not None else sorted(seen_themes)
    for name, sentences, gold, predicted in prepared:
        rows, summary = _score(name, sentences, gold, predicted, theme_list)
        per_theme += rows
        summaries.append(summary)
        all_sentences |= {(name, s) for s in sentences}
        all_gold.update({((name, s), t): p for (s, t), p in gold.items()})
        all_coded.update({((name, s), t): p for (s, t), p in predicted.items()})
    rows, summary = _score(OVERALL, all_sentences, all_gold, all_coded, theme_list)
    per_theme += rows
    summaries.append(summary)
    return Report(per_theme=pd.DataFrame(per_theme), summary=pd.DataFrame(summaries))


def read_gold(path: Path, theme_ids: set[str] | None = None) -> pd.DataFrame:
    """One gold CSV, checked: known themes, a polarity for every theme, one verdict per (sentence, theme)."""

    def check(row: dict) -> tuple[str, str] | None:
        if row["theme_id"] is None:
            return ("polarity", "a sentence without a theme has no polarity") if row["polarity"] else None
        if theme_ids is not None and row["theme_id"] not in theme_ids:
            return "theme_id", f"{row['theme_id']!r} is not a theme of the codebook"
        if row["polarity"] is None:
            return "polarity", "a coded theme needs a polarity"
        return None

    frame = csvfile.read(path, GOLD_COLUMNS, row_checks=[check])
    frame["key"] = frame["sentence_text"].map(key)
    coded = frame[frame["theme_id"].notna()]
    clash = coded.groupby(["key", "theme_id"])["polarity"].nunique()
    if (clash > 1).any():
        sentence, theme = clash[clash > 1].index[0]
        raise InputError(config.relative(path), f"two polarities for theme {theme} on {sentence!r}", field="polarity")
    return frame.drop(columns="key").drop_duplicates(["sentence_text", "theme_id", "polarity"])


def _resolve(row: dict, repo: Path, cache: Path, shared: Path) -> Path | None:
    if row["local_path"]:
        return repo / row["local_path"]
    for base in (cache, shared / "data"):
        candidate = base / row["cache_path"]
        if candidate.exists():
            return candidate
    return None


def run(
    gold_dir: Path | None = None,
    codebook: codebook_module.Codebook | None = None,
    roles: tuple[str, ...] = ("tuning", "heldout"),
    cache: Path | None = None,
    log: Callable[[str], None] = lambda msg: None,
) -> tuple[Report, dict[str, str]]:
    """Code every gold document with the codebook and compare; returns the report and each document's role."""
    from analysis.ingest.documents import read_document

    gold_dir = Path(gold_dir or GOLD_DIR)
    codebook = codebook or codebook_module.load()
    manifest_path = gold_dir / "documents.csv"
    manifest = csvfile.read(manifest_path, MANIFEST_COLUMNS)
    gold_frames: dict[str, pd.DataFrame] = {}
    coded: dict[str, pd.DataFrame] = {}
    role_of: dict[str, str] = {}
    for line_no, row in enumerate(manifest.to_dict("records"), start=2):
        if row["role"] not in roles:
            continue
        if not row["local_path"] and not row["cache_path"]:
            raise InputError(config.relative(manifest_path), "local_path or cache_path is needed", row=line_no)
        source = _resolve(row, config.REPO, Path(cache or config.CACHE), config.SHARED)
        if source is None or not source.exists():
            raise InputError(config.relative(manifest_path), f"document {row['cache_path']} was not found", row=line_no)
        gold_path = gold_dir / f"{row['gold_id']}.csv"
        gold = read_gold(gold_path, set(codebook.theme_ids))
        _, _, sentences = read_document(source, row["gold_id"])
        texts = [s["text"] for s in sentences]
        extracted = {key(t) for t in texts}
        for text in gold["sentence_text"]:
            if key(text) not in extracted:
                raise InputError(
                    config.relative(gold_path),
                    f"gold sentence {text[:80]!r} matches no sentence extracted from {config.relative(source)}",
                    field="sentence_text",
                )
        unmatched = len(extracted - {key(t) for t in gold["sentence_text"]})
        if unmatched:
            log(f"validate: {row['gold_id']}: {unmatched} extracted sentence(s) are not in the gold set (ignored)")
        coded_sentences = [s for s in sentences if s["noise_kind"] is None]  # as the build codes them
        result = engine.code_sentences(
            [s["text"] for s in coded_sentences], codebook, [s["heading"] for s in coded_sentences]
        )
        result["sentence_text"] = [coded_sentences[i]["text"] for i in result["sentence_index"]]
        gold_frames[row["gold_id"]] = gold
        coded[row["gold_id"]] = result
        role_of[row["gold_id"]] = row["role"]
    if not gold_frames:
        raise InputError(config.relative(manifest_path), f"no gold document with role {', '.join(roles)}")
    return evaluate(gold_frames, coded, codebook.theme_ids), role_of


def format_report(report: Report, role_of: Mapping[str, str] | None = None) -> str:
    """The report as plain-text tables: one per document, the per-theme table of the pooled set, then totals."""
    role_of = role_of or {}
    lines: list[str] = []
    overall = report.per_theme[report.per_theme["document"] == OVERALL]
    overall = overall[(overall["support"] > 0) | (overall["predicted"] > 0)]
    lines.append("Per theme, all gold documents pooled")
    lines.append(f"{'theme_id':<28} {'support':>7} {'coded':>6} {'prec':>6} {'recall':>6} {'f1':>6} {'kappa':>6}")
    for r in overall.itertuples(index=False):
        lines.append(
            f"{r.theme_id:<28} {r.support:>7} {r.predicted:>6} {r.precision:>6.2f} {r.recall:>6.2f} "
            f"{r.f1:>6.2f} {r.kappa:>6.2f}"
        )
    lines.append("")
    lines.append(
        f"{'document':<28} {'role':<8} {'sent':>5} {'pairs':>5} {'microP':>6} {'microR':>6} {'microF1':>7} "
        f"{'macroF1':>7} {'kappa':>6} {'pol_n':>5} {'pol_acc':>7} {'pol_k':>6}"
    )
    for r in report.summary.itertuples(index=False):
        lines.append(
            f"{r.document:<28} {role_of.get(r.document, ''):<8} {r.n_sentences:>5} {r.gold_pairs:>5} "
            f"{r.micro_precision:>6.2f} {r.micro_recall:>6.2f} {r.micro_f1:>7.3f} {r.macro_f1:>7.3f} "
            f"{r.presence_kappa:>6.2f} {r.polarity_n:>5} {r.polarity_accuracy:>7.3f} {r.polarity_kappa:>6.2f}"
        )
    return "\n".join(lines)
