"""`analysis review`: where the coder is unsure, a CSV an analyst fills in, and the filled CSV back as overrides.

`analysis review --la GSS` writes one council's codings whose confidence is under a threshold, and the themes the
model nearly coded (probability at or above a floor, under its threshold), to a CSV. Its first eight columns are
those of data/overrides.csv; the analyst chooses an `action` on each row (`keep`, `add`, `remove`, `set_polarity`,
or leaves it empty) and fills `polarity`, `coder`, `reason` and `date` where they act. `analysis review --load FILE`
checks the filled file (errors name its row and field), turns the rows that act into override rows, and appends
them to data/overrides.csv, which is then checked as the build checks it; on any error the file is left as it was.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config, db
from analysis.coding import codebook as codebook_module
from analysis.coding import model as model_module
from analysis.coding import overrides
from analysis.coding.commands import write_csv
from analysis.errors import InputError, ParameterError
from analysis.files import write_atomic
from analysis.ingest import csvfile
from analysis.ingest.csvfile import Col

OVERRIDE_COLUMNS = [c.name for c in overrides.COLUMNS]
CONTEXT_COLUMNS = [
    "review_kind",
    "coded_polarity",
    "confidence",
    "theme_probability",
    "method",
    "page",
    "heading",
    "passage_id",
]
REVIEW_COLUMNS = OVERRIDE_COLUMNS + CONTEXT_COLUMNS
ACTIONS = frozenset({"keep", *overrides.ACTIONS})
KINDS = frozenset({"low_confidence", "near_miss"})
# Defaults: codings under this confidence, and themes the model gave at least this probability but did not code.
THRESHOLD = 0.5
NEAR = 0.2

_READ_COLUMNS = [
    Col("document_id", required=True, pattern=r"[a-z0-9_.-]+"),
    Col("sentence_text", required=True),
    Col("theme_id", required=True, pattern=r"[a-z0-9_]+"),
    Col("action", choices=ACTIONS),
    Col("polarity", choices=overrides.POLARITIES),
    Col("coder"),
    Col("reason"),
    Col("date", kind="date"),
    Col("review_kind", required=True, choices=KINDS),
    *(Col(name) for name in CONTEXT_COLUMNS[1:]),
]


def candidates(
    con: duckdb.DuckDBPyConnection,
    la_id_gss: str,
    threshold: float = THRESHOLD,
    near: float = NEAR,
    codebook: codebook_module.Codebook | None = None,
    model: model_module.Model | None = None,
    overrides_path: Path | None = None,
) -> pd.DataFrame:
    """The rows to review for one council: low-confidence codings, then near misses, in reading order.

    Codings come from the database (what the reports show); near misses are found by scoring the council's
    sentences again with the model. Sentences and themes that data/overrides.csv already decides are left out.
    """
    codebook = codebook or codebook_module.load()
    model = model or model_module.load(codebook=codebook)
    sentences = db.query(con, "rev_council_sentences", la_id_gss=la_id_gss).reset_index(drop=True)
    if sentences.empty:  # else an empty review file, as if every coding were sure
        raise ParameterError(
            f"--la {la_id_gss}: the database holds no coded sentence of this council "
            "(`analysis info --councils` lists the councils with text)"
        )
    codings = db.query(con, "rev_council_codings", la_id_gss=la_id_gss)
    decided = _decided(overrides_path or config.DATA / "overrides.csv")
    position = {p: i for i, p in enumerate(sentences["passage_id"])}
    rows: list[dict] = []
    unsure = codings[codings["method"].isin(["model", "rule"]) & (codings["confidence"] < threshold)]
    for r in unsure.itertuples(index=False):
        if r.passage_id in position:
            rows.append(
                _row(sentences.iloc[position[r.passage_id]], r.theme_id, r.polarity, "low_confidence", r.confidence)
                | {"coded_polarity": r.polarity, "method": r.method}
            )
    if len(sentences):
        scored = model_module.score(
            sentences["text"].tolist(),
            sentences["heading"].tolist(),
            codebook,
            model,
            floor=near,
            documents=sentences["document_id"].tolist(),
        )
        coded = set(zip(codings["passage_id"], codings["theme_id"], strict=True))
        for r in scored[~scored["is_coded"]].itertuples(index=False):
            sentence = sentences.iloc[r.sentence_index]
            if (sentence["passage_id"], r.theme_id) not in coded:
                rows.append(
                    _row(sentence, r.theme_id, r.polarity, "near_miss", None)
                    | {"theme_probability": round(r.theme_probability, 4)}
                )
    frame = pd.DataFrame(rows, columns=REVIEW_COLUMNS + ["_order"])
    keep = [
        (d, overrides.normalise(s), t) not in decided
        for d, s, t in zip(frame["document_id"], frame["sentence_text"], frame["theme_id"], strict=True)
    ]
    frame = frame[pd.Series(keep, index=frame.index, dtype=bool)].sort_values(
        ["_order", "review_kind", "theme_id"], kind="stable"
    )
    return frame.drop(columns="_order").reset_index(drop=True)


def _row(sentence: pd.Series, theme_id: str, polarity: str, kind: str, confidence: float | None) -> dict:
    return {
        "document_id": sentence["document_id"],
        "sentence_text": overrides.normalise(sentence["text"]),
        "theme_id": theme_id,
        "action": "",
        "polarity": polarity,
        "review_kind": kind,
        "confidence": None if confidence is None or pd.isna(confidence) else round(float(confidence), 4),
        "page": None if pd.isna(sentence["page"]) else int(sentence["page"]),
        "heading": sentence["heading"],
        "passage_id": sentence["passage_id"],
        "_order": sentence["passage_id"],
    }


def _decided(path: Path) -> set[tuple[str, str, str]]:
    if not path.exists():
        return set()
    frame = overrides.read(path)
    return {(r.document_id, overrides.normalise(r.sentence_text), r.theme_id) for r in frame.itertuples(index=False)}


def _unguard(row: dict) -> None:
    """Undo write_csv's guard: a cell a spreadsheet would read as a formula was written with a leading quote."""
    text = row["sentence_text"]
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        row["sentence_text"] = text[1:]


def _acting_row(row: dict) -> tuple[str, str] | None:
    action = row["action"]
    if action in (None, "keep"):
        return None
    if row["review_kind"] == "near_miss" and action != "add":
        return "action", f"the theme is not coded on this sentence: {action} has nothing to act on (add, or keep)"
    for name in ("coder", "reason", "date"):
        if row[name] is None:
            return name, f"a value is required when the action is {action}"
    if action == "remove" and row["polarity"] is not None:
        return "polarity", "leave polarity empty for action remove (clear the proposed one)"
    if action != "remove" and row["polarity"] is None:
        return "polarity", f"action {action} needs a polarity ({', '.join(sorted(overrides.POLARITIES))})"
    return None


def to_overrides(path: Path, existing: Path | None = None) -> pd.DataFrame:
    """The filled review file's acting rows as override rows, checked (errors name the review file's row)."""
    existing = existing or config.DATA / "overrides.csv"
    decided = _decided(existing)
    seen: dict[tuple[str, str, str], int] = {}

    def new_key(row: dict) -> tuple[str, str] | None:
        if row["action"] in (None, "keep"):
            return None
        key = (row["document_id"], overrides.normalise(row["sentence_text"]), row["theme_id"])
        if key in decided:
            return "theme_id", f"{config.relative(existing)} already has an override for this sentence and theme"
        if key in seen:
            return "theme_id", "a second row acting on the same document, sentence and theme: keep one"
        seen[key] = 1
        return None

    frame = csvfile.read(path, _READ_COLUMNS, row_checks=[_unguard, _acting_row, new_key])
    acting = frame[frame["action"].notna() & (frame["action"] != "keep")].copy()
    acting["date"] = [d.isoformat() if isinstance(d, dt.date) else d for d in acting["date"]]
    return acting[OVERRIDE_COLUMNS].reset_index(drop=True)


def append_overrides(rows: pd.DataFrame, path: Path | None = None, theme_ids: set[str] | None = None) -> int:
    """Append override rows to data/overrides.csv, then check the whole file; on an error it is left as it was."""
    path = Path(path or config.DATA / "overrides.csv")
    before = path.read_text(encoding="utf-8") if path.exists() else ",".join(OVERRIDE_COLUMNS) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for r in rows.itertuples(index=False):
        writer.writerow(["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in r])
    text = before if before.endswith("\n") else before + "\n"
    first_row = text.count("\n") + 1  # the file row of the first appended override (the header is row 1)
    try:
        write_atomic(path, text + buffer.getvalue(), check=lambda tmp: overrides.read(tmp, theme_ids=theme_ids))
    except InputError as exc:
        where = f" (review row {exc.row - first_row + 1})" if isinstance(exc.row, int) and exc.row >= first_row else ""
        raise InputError(
            exc.file, f"after appending the review rows{where}: {exc.message}", row=exc.row, field=exc.field
        ) from None
    return len(rows)


def _review(args: argparse.Namespace) -> int:
    codebook = codebook_module.load(args.codebook)
    if args.load is not None:
        rows = to_overrides(args.load, args.overrides)
        added = append_overrides(rows, args.overrides, set(codebook.theme_ids))
        target = config.relative(Path(args.overrides or config.DATA / "overrides.csv"))
        print(f"{target}: {added} override row(s) added from {config.relative(args.load)}; run `analysis build`")
        return 0
    if args.la is None:
        raise InputError("analysis review", "give --la GSS (write a review file) or --load FILE (read one back)")
    with db.connect(args.db) as con:
        frame = candidates(con, args.la, args.threshold, args.near, codebook, overrides_path=args.overrides)
    out = args.out or config.REPORTS / "review" / f"{args.la}_review.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        write_csv(frame, handle)
    counts = frame["review_kind"].value_counts().to_dict()
    print(
        f"{config.relative(out)}: {counts.get('low_confidence', 0)} coding(s) under confidence {args.threshold:g} and "
        f"{counts.get('near_miss', 0)} near miss(es) at theme probability >= {args.near:g}; choose an action on "
        f"each row, then `analysis review --load {config.relative(out)}`",
        file=sys.stderr,
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `review` to the `analysis` command."""
    p = subparsers.add_parser(
        "review", help="write a council's low-confidence codings to a CSV to check, or load a checked one as overrides"
    )
    p.add_argument("--la", default=None, help="the council's GSS code (writes the review file)")
    p.add_argument("--threshold", type=float, default=THRESHOLD, help=f"confidence under which (default {THRESHOLD})")
    p.add_argument("--near", type=float, default=NEAR, help=f"near-miss theme probability floor (default {NEAR})")
    p.add_argument("--out", type=Path, default=None, help="review CSV to write (default reports/review/GSS_review.csv)")
    p.add_argument("--load", type=Path, default=None, help="a filled review CSV: append its rows to the overrides")
    p.add_argument("--overrides", type=Path, default=None, help="overrides file (default data/overrides.csv)")
    p.add_argument("--db", type=Path, default=None, help="the database (default data/build/analysis.duckdb)")
    p.add_argument("--codebook", type=Path, default=None, help="codebook YAML (default data/codebook/codebook.yaml)")
    p.set_defaults(func=_review)
