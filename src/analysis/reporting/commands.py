"""`analysis report`: render the quarterly report of one council, or of many on reused kernels."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis import config
from analysis.cli import positive_int
from analysis.errors import ParameterError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `analysis report` to the command line."""
    p = subparsers.add_parser(
        "report",
        help="render the quarterly report: reports/quarterly/<la>_<quarter>.html and the executed notebook",
        description="Render the quarterly report of one council (--la) or of many (--las) as one offline HTML file.",
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument("--la", default=None, help=f"GSS code of the council (default {config.DEFAULT_LA})")
    who.add_argument(
        "--las",
        default=None,
        help="many councils: 'all' (every council in the database), a comma list of GSS codes, or a file of codes",
    )
    p.add_argument("--quarter", required=True, help="e.g. 2026Q1: shows what was published up to its end")
    p.add_argument("--focus-themes", default=None, help="comma list of theme ids (default: the notebook's)")
    p.add_argument("--chart-mode", choices=["interactive", "static"], default=None, help="static: SVG, no script")
    p.add_argument("--db", type=Path, default=None, help="the database (default data/build/analysis.duckdb)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default reports/quarterly)")
    p.add_argument("--workers", type=positive_int, default=2, help="kernels for a batch, each reused (default 2)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other notebook parameter (checked against the notebook's parameters cell)",
    )
    p.set_defaults(func=run)


def _extra(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--param: {pair!r} is not NAME=VALUE")
        out[name.strip()] = value
    return out


def councils(spec: str, db_path: Path | None) -> list[str]:
    """The GSS codes of `--las`: 'all', a file of codes (one a line, # comments) or a comma list."""
    from analysis import db

    if spec.strip().lower() == "all":
        with db.connect(db_path) as con:
            return [str(r["la_id_gss"]) for r in db.records(con, "mart_report_councils")]
    path = Path(spec)
    if path.is_file():
        lines = [ln.split("#", 1)[0].strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        codes = [code for ln in lines for code in ln.replace(",", " ").split()]
    else:
        codes = [code.strip() for code in spec.split(",") if code.strip()]
    if not codes:
        raise ParameterError(f"--las: no council codes in {spec!r}")
    return codes


def run(args: argparse.Namespace) -> int:
    """Render one report (exit 0) or a batch (exit 1 when any council failed, listing them)."""
    from analysis.reporting import render

    values: dict[str, object] = {"quarter": args.quarter, **_extra(args.param)}
    if args.focus_themes is not None:
        values["focus_themes"] = args.focus_themes
    if args.chart_mode is not None:
        values["chart_mode"] = args.chart_mode
    if args.las is None:
        values["la_id_gss"] = args.la or config.DEFAULT_LA
        try:
            path = render.render(values, db_path=args.db, out_dir=args.out)
        except render.RenderError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(config.relative(path))
        return 0
    requested = [{**values, "la_id_gss": code} for code in councils(args.las, args.db)]
    result = render.render_many(
        requested, db_path=args.db, out_dir=args.out, workers=args.workers, progress=not args.no_progress
    )
    folder = config.relative(Path(args.out or render.output_dir()))
    print(f"{len(result.written)} of {len(requested)} reports written to {folder}")
    if result.failures:
        print(f"{len(result.failures)} failed:", file=sys.stderr)
        for failure in result.failures:
            print(f"  {failure.la_id_gss} {failure.quarter}: {failure.message}", file=sys.stderr)
        return 1
    return 0
