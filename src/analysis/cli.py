"""The `analysis` command; each package adds its sub-commands through a `register(subparsers)` function."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from analysis import config
from analysis.errors import BuildBusyError, InputError, ParameterError, QueryParameterError

# Sub-command -> the module that adds it (register(subparsers), setting `func`). Only the module of the command
# asked for is imported: the coding modules import pandas (about 0.5 s), which `analysis report` does not need.
COMMAND_MODULES = {
    "fetch": "analysis.ingest.fetch",
    "sources": "analysis.ingest.corpus",
    "add": "analysis.ingest.add",
    "code-text": "analysis.coding.commands",
    "validate": "analysis.coding.commands",
    "train-model": "analysis.coding.commands",
    "review": "analysis.coding.review",
    "export": "analysis.coding.export",
    "report": "analysis.reporting.commands",
}


def _build(args: argparse.Namespace) -> int:
    from analysis import build, db

    ctx = build.BuildContext(workers=args.workers, use_cache=not args.no_cache)
    path = build.build(args.db, ctx)
    with db.connect(path) as con:
        _print_summary(con, path)
    return 0


def _info(args: argparse.Namespace) -> int:
    from analysis import db

    with db.connect(args.db) as con:
        _print_summary(con, args.db or config.BUILD_DB)
        _print_coverage(con, every_council=args.councils)
        if args.checks:
            from analysis.ingest import facts

            print("\n".join(facts.check_lines(con)))
    return 0


def _print_summary(con, path) -> None:
    from analysis import build

    frame = build.summary(con)
    print(f"{config.relative(path)}")
    for row in frame.itertuples(index=False):
        print(f"  {row.table_name:<24} {row.n_rows:>9,}")


def _print_coverage(con, every_council: bool) -> None:
    from analysis import db

    rows = db.records(con, "db_council_coverage")
    with_text = [r for r in rows if r["n_coded_sentences"]]
    print(
        f"  {len(with_text)} of {len(rows)} councils have coded Ofsted text: "
        f"{sum(r['n_documents'] for r in with_text):,} documents, "
        f"{sum(r['n_coded_sentences'] for r in with_text):,} coded sentences"
        + ("" if every_council else " (--councils lists each)")
    )
    if every_council:
        print(f"  {'council':<36} {'GSS':<10} {'visits':>6} {'texts':>5} {'coded':>7}  latest visit with text")
        for r in rows:
            latest = r["latest_visit_with_text"].isoformat() if r["latest_visit_with_text"] else "-"
            print(
                f"  {r['la_name'][:36]:<36} {r['la_id_gss']:<10} {r['n_visits']:>6} {r['n_documents']:>5} "
                f"{r['n_coded_sentences']:>7,}  {latest}"
            )


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (argparse names the option in its error)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is under 1")
    return value


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: every sub-command, or only the one named first in `argv` when it is known."""
    top = argparse.ArgumentParser(prog="analysis", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build data/build/analysis.duckdb from data/ (atomic)")
    p.add_argument("--db", type=config.Path, default=None, help="where to write the database")
    p.add_argument(
        "--workers", type=positive_int, default=None, help="processes that read documents (default: every core)"
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write data/cache/derived")
    p.set_defaults(func=_build)
    p = sub.add_parser("info", help="print a summary of the built database")
    p.add_argument("--db", type=config.Path, default=None)
    p.add_argument("--checks", action="store_true", help="also compare the reports' own judgements with Ofsted's")
    p.add_argument("--councils", action="store_true", help="list every council's visits, texts and coded sentences")
    p.set_defaults(func=_info)
    wanted = next((arg for arg in argv or [] if not arg.startswith("-")), None)
    names = [COMMAND_MODULES[wanted]] if wanted in COMMAND_MODULES else list(dict.fromkeys(COMMAND_MODULES.values()))
    for name in names:
        importlib.import_module(name).register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point: errors in the user's input print one clear line and exit 2."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv).parse_args(argv)
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, where a closed pipe can still be caught, not at the interpreter's exit
        return code
    except (InputError, ParameterError, QueryParameterError, FileNotFoundError, BuildBusyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`analysis info | head -3`): it has what it wanted, which is not an error. Point stdout
        # at /dev/null so that the interpreter's flush at exit does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
