"""The coding sub-commands: `analysis code-text FILE`, `analysis validate` and `analysis train-model`."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import duckdb
import pandas as pd
from tqdm import tqdm

from analysis import config
from analysis.coding import codebook as codebook_module
from analysis.coding import engine, validate
from analysis.coding import model as model_module
from analysis.errors import InputError
from analysis.files import write_atomic

CODE_TEXT_COLUMNS = ["sentence_no", "page", "text", "theme_id", "polarity", "matched", "method", "confidence"]


def code_file(
    path: Path, codebook: codebook_module.Codebook, trained: model_module.Model | None = None
) -> pd.DataFrame:
    """Code one .txt/.md/.html/.pdf file without a database: one row per sentence and theme found.

    With a model, as the build codes (the model, the rules where it leaves a theme to them); without, the rules.
    """
    return pd.concat(list(code_chunks(read_sentences(path), codebook, trained)), ignore_index=True)


def read_sentences(path: Path) -> list[dict]:
    """The sentence passages of one file (refused over documents.MAX_TEXT_BYTES, naming the file and its size)."""
    from analysis.ingest.documents import read_document

    path = Path(path)
    if not path.is_file():
        raise InputError(config.relative(path), "no such file")
    return read_document(path, path.stem)[2]


# Sentences coded at a time by `code-text`: each piece is written as soon as it is coded, so a long input shows
# output (and a progress bar on a terminal) early, and the coding's memory does not grow with the input.
CHUNK_SENTENCES = 20000
LONG_INPUT_SENTENCES = 20000  # from this many, a terminal shows a progress bar (shorter inputs take a few seconds)


def code_chunks(
    sentences: list[dict],
    codebook: codebook_module.Codebook,
    trained: model_module.Model | None = None,
    size: int | None = None,
) -> Iterator[pd.DataFrame]:
    """The CODE_TEXT_COLUMNS rows of `sentences`, `size` (CHUNK_SENTENCES) at a time; each is coded on its own."""
    size = size or CHUNK_SENTENCES
    con = duckdb.connect()
    try:
        for first in range(0, max(len(sentences), 1), size):
            yield _code_piece(con, first, sentences[first : first + size], codebook, trained)
    finally:
        con.close()


def _code_piece(
    con: duckdb.DuckDBPyConnection,
    first: int,
    piece: list[dict],
    codebook: codebook_module.Codebook,
    trained: model_module.Model | None,
) -> pd.DataFrame:
    coded_at = [i for i, s in enumerate(piece) if s["noise_kind"] is None]  # noise is not coded, as in the build
    texts, headings = [piece[i]["text"] for i in coded_at], [piece[i]["heading"] for i in coded_at]
    coded = engine.code_frame(con, texts, codebook, headings)
    if trained is None:
        coded["method"], coded["confidence"] = "rule", None
    else:
        coded = model_module.code(texts, headings, codebook, trained, coded)
        coded["confidence"] = coded["confidence"].round(4)
    by_sentence: dict[int, list] = {}  # a dict, not groupby().get_group(): that costs ~0.3 ms a sentence
    for r in coded.itertuples(index=False):
        by_sentence.setdefault(coded_at[r.sentence_index], []).append(r)
    rows: list[dict] = []
    for index, sentence in enumerate(piece):
        base = {"sentence_no": first + index + 1, "page": sentence["page"], "text": " ".join(sentence["text"].split())}
        if index in by_sentence:
            for r in by_sentence[index]:
                rows.append(
                    {
                        **base,
                        "theme_id": r.theme_id,
                        "polarity": r.polarity,
                        "matched": r.matched,
                        "method": r.method,
                        "confidence": r.confidence,
                    }
                )
        else:
            rows.append({**base, "theme_id": "", "polarity": "", "matched": "", "method": "", "confidence": None})
    return pd.DataFrame(rows, columns=CODE_TEXT_COLUMNS)


def write_csv(frame: pd.DataFrame, out: TextIO, header: bool = True) -> None:
    """Write rows as CSV; cells that a spreadsheet would read as a formula are prefixed with a quote."""
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        cells = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v) for v in row]
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])


def _code_text(args: argparse.Namespace) -> int:
    codebook = codebook_module.load(args.codebook)
    trained = None if args.rules else model_module.load(args.model, codebook)
    sentences = read_sentences(args.file)
    show = sys.stderr.isatty() and len(sentences) >= LONG_INPUT_SENTENCES
    with tqdm(total=len(sentences), unit=" sentences", file=sys.stderr, disable=not show) as bar:
        for number, piece in enumerate(code_chunks(sentences, codebook, trained)):
            write_csv(piece, sys.stdout, header=number == 0)
            sys.stdout.flush()
            bar.update(piece["sentence_no"].nunique())  # every sentence has a row, coded or not
    return 0  # a closed pipe (`| head`) is the command line's to handle (analysis.cli.main)


def _validate(args: argparse.Namespace) -> int:
    codebook = codebook_module.load(args.codebook)
    roles = validate.ROLES if args.role == "all" else (args.role,)
    result = validate.run(args.gold, codebook, roles=roles, log=lambda msg: print(msg, file=sys.stderr))
    print(f"codebook {codebook.version}: agreement of the coding with the hand-coded gold set")
    print(validate.format_validation(result))
    return 0


def _train_model(args: argparse.Namespace) -> int:
    codebook = codebook_module.load(args.codebook)
    documents = validate.read_gold_set(args.gold, codebook, log=lambda msg: print(msg, file=sys.stderr))
    fitted = validate.train_on(documents, codebook)
    out = Path(args.out or model_module.DEFAULT_PATH)
    write_atomic(out, fitted.to_bytes(out))
    modelled = [t for t, spec in fitted.themes.items() if spec["method"] == "model"]
    print(
        f"{config.relative(out)}: model {fitted.version} trained on {fitted.training['sentences']} sentences of "
        f"{len(documents)} gold document(s); {len(modelled)} of {len(fitted.themes)} themes modelled, the rest "
        "left to the rules"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `code-text`, `validate` and `train-model` to the `analysis` command."""
    p = subparsers.add_parser(
        "code-text", help="code a .txt/.md/.html/.pdf file with the coder and write CSV to stdout (no database)"
    )
    p.add_argument("file", type=Path, help="the document to code")
    p.add_argument("--codebook", type=Path, default=None, help="codebook YAML (default data/codebook/codebook.yaml)")
    p.add_argument("--model", type=Path, default=None, help="trained model (default data/codebook/model.json.gz)")
    p.add_argument("--rules", action="store_true", help="code with the codebook's rules only, not the model")
    p.set_defaults(func=_code_text)
    p = subparsers.add_parser(
        "validate", help="print agreement (F1, polarity accuracy, kappa) of the coding with the gold set"
    )
    p.add_argument("--codebook", type=Path, default=None, help="codebook YAML (default data/codebook/codebook.yaml)")
    p.add_argument("--gold", type=Path, default=None, help="gold folder (default data/gold)")
    p.add_argument("--role", choices=["all", *validate.ROLES], default="all", help="which gold documents to score")
    p.set_defaults(func=_validate)
    p = subparsers.add_parser(
        "train-model", help="train the supervised coder on the whole gold set and write data/codebook/model.json.gz"
    )
    p.add_argument("--codebook", type=Path, default=None, help="codebook YAML (default data/codebook/codebook.yaml)")
    p.add_argument("--gold", type=Path, default=None, help="gold folder (default data/gold)")
    p.add_argument(
        "--out", type=Path, default=None, help="where to write the model (default data/codebook/model.json.gz)"
    )
    p.set_defaults(func=_train_model)
