"""Benchmark the quarterly report against plain papermill, in one run, and print the two ratios.

1. One report (`analysis report --la ...`, a whole process) against the floor: papermill's CLI executing an empty
   one-cell notebook in the same environment. Aim: at most 1.5 times the floor.
2. A batch of N reports (`analysis report --las FILE`, 2 workers reusing their kernels) against a shell loop of
   the papermill CLI plus the nbconvert CLI (`--no-input` HTML) for each council. Aim: at least 5 times faster.

Councils: Dudley and its statistical neighbours from the built database, topped up with other councils that have
visits (real data). With --synthetic, a made-up two-council database from tests/e2e/report_synthetic.py is used
instead (said so in the output). Timings are medians of --repeat whole-process runs, alternating the two
commands so that load from other processes hits both alike.

    python benchmarks/reports.py [--db PATH] [--n 20] [--repeat 3] [--synthetic]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from analysis import config, db

BIN = Path(sys.executable).parent
QUARTER = "2026Q1"


def timed(command: list[str], env: dict[str, str] | None = None, shell: bool = False) -> float:
    """Seconds one whole process took; raises if it failed."""
    start = time.perf_counter()
    done = subprocess.run(
        command if not shell else command[0], capture_output=True, text=True, env=env, shell=shell, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {command if not shell else command[0]}\n{done.stderr[-3000:]}")
    return elapsed


def councils(db_path: Path, n: int, synthetic: bool) -> list[str]:
    """Dudley and its neighbours, then other councils with visits, n in all (synthetic: the two made-up ones)."""
    if synthetic:
        from report_synthetic import COUNCIL_A, COUNCIL_B  # type: ignore[import-not-found]

        return [(COUNCIL_A, COUNCIL_B)[i % 2] for i in range(n)]
    with db.connect(db_path) as con:
        neighbours = db.records(con, "mart_report_neighbours", la_id_gss=config.DEFAULT_LA)
        chosen = [config.DEFAULT_LA] + [str(r["la_id_gss"]) for r in neighbours]
        for code in (str(r["la_id_gss"]) for r in db.records(con, "mart_report_councils")):
            if code not in chosen:
                chosen.append(code)
    return chosen[:n]


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="built database (default data/build/analysis.duckdb)")
    parser.add_argument("--n", type=int, default=20, help="reports in the batch (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per single-report measurement (median)")
    parser.add_argument("--synthetic", action="store_true", help="use a made-up database (tests/e2e)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    try:
        if args.synthetic:
            path = config.REPO / "tests" / "e2e" / "report_synthetic.py"
            sys.path.insert(0, str(path.parent))
            spec = importlib.util.spec_from_file_location("report_synthetic", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            db_path = module.build(work / "synthetic.duckdb")
            print("data: SYNTHETIC database (tests/e2e/report_synthetic.py), not real councils")
        else:
            db_path = Path(args.db or config.BUILD_DB)
            if not db_path.exists():
                raise SystemExit(f"{db_path} does not exist: run `analysis build` first, or pass --synthetic")
            print(f"data: {config.relative(db_path)}")
        codes = councils(db_path, args.n, args.synthetic)
        first = codes[0]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}

        # The floor: papermill executing an empty one-cell notebook, with the same kernel.
        empty = work / "empty.ipynb"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("pass")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
        nbformat.write(nb, empty)
        floor_cmd = [str(BIN / "papermill"), "-k", "python3", "--no-progress-bar", str(empty), str(work / "e.ipynb")]
        report_cmd = [sys.executable, "-m", "analysis", "report", "--la", first, "--quarter", QUARTER]
        report_cmd += ["--db", str(db_path), "--out", str(work / "single")]
        # The first run fills the caches as `make report` would have: the Vega bundle, the converted notebook and
        # the database's content hash (data/cache/vl-convert, notebooks, db-contents); it is not timed.
        timed(report_cmd, env)
        load_before = os.getloadavg()
        floor, single = [], []
        for _ in range(args.repeat):
            floor.append(timed(floor_cmd, env))
            single.append(timed(report_cmd, env))
        floor_s, single_s = statistics.median(floor), statistics.median(single)

        # The batch: our command against a shell loop of papermill + nbconvert per council.
        import jupytext

        ipynb = work / "quarterly_report.ipynb"  # converted once, outside the timing: papermill reads .ipynb
        jupytext.write(jupytext.read(config.NOTEBOOKS / "quarterly_report.py"), ipynb)
        list_file = work / "councils.txt"
        list_file.write_text("\n".join(codes) + "\n", encoding="utf-8")
        batch_cmd = [sys.executable, "-m", "analysis", "report", "--las", str(list_file), "--quarter", QUARTER]
        batch_cmd += ["--db", str(db_path), "--out", str(work / "batch"), "--no-progress"]
        batch_s = timed(batch_cmd, env)
        loop_dir = work / "loop"
        loop_dir.mkdir()
        notebooks = config.NOTEBOOKS
        loop = (
            f"cd {notebooks} && for la in $(cat {list_file}); do "
            f"{BIN / 'papermill'} -k python3 --no-progress-bar --cwd {notebooks} {ipynb} {loop_dir}/$la.ipynb "
            f"-p la_id_gss $la -p quarter {QUARTER} -p db_path {db_path} >/dev/null 2>&1 || exit 1; "
            f"{BIN / 'jupyter'} nbconvert --to html --no-input {loop_dir}/$la.ipynb >/dev/null 2>&1 || exit 1; "
            "done"
        )
        loop_s = timed([loop], env, shell=True)

        print(f"councils: {len(codes)} ({', '.join(codes[:4])}{', ...' if len(codes) > 4 else ''}), quarter {QUARTER}")
        print(f"papermill, empty one-cell notebook (floor), median of {args.repeat}: {floor_s:6.2f} s")
        print(f"analysis report, one report, median of {args.repeat}:             {single_s:6.2f} s")
        print(f"  ratio one report / floor: {single_s / floor_s:.2f}  (aim: <= 1.5)")
        print(f"shell loop papermill + nbconvert, {len(codes)} reports:           {loop_s:6.2f} s")
        print(f"analysis report --las, {len(codes)} reports, 2 reused kernels:    {batch_s:6.2f} s")
        print(f"  speed-up batch vs loop: {loop_s / batch_s:.2f}x  (aim: >= 5)")
        # Other processes share the cores: say how busy the machine was while measuring.
        before, after = (" ".join(f"{x:.2f}" for x in load) for load in (load_before, os.getloadavg()))
        print(f"load average (1, 5, 15 min) before: {before}; after: {after}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
