"""Benchmark: theme coding in DuckDB (one constant regex per scan) against a plain Python `re` loop.

The sentences are SYNTHETIC: generated from a small vocabulary of Ofsted-like phrases that hits every core theme
and every polarity rule (contrast, concession, negation, improving cues). They are not real findings.

The sentences are generated once, before either timing starts, and both sides code the same list. Both do the
same work: normalise, find every theme with its words, and decide polarity once per (sentence, own clause).
The outputs must be identical (by default on every sentence both sides coded).

Then the whole coder as the build runs it (the rules in DuckDB, then the trained model in data/codebook/model.json.gz
over their matches) on the first --model-n sentences (default 90,000, about the size of the whole corpus), in
sentences per second, against the rules alone on the same sentences.

    python benchmarks/coding.py            # 1,000,000 sentences
    python benchmarks/coding.py --n 20000  # a quick run
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

import pandas as pd

from analysis.coding import codebook as codebook_module
from analysis.coding import engine
from analysis.coding import model as model_module

SUBJECTS = [
    "the supervision of social workers",
    "caseloads for some workers",
    "the quality of assessments",
    "management oversight of plans",
    "child in need plans",
    "the response to contacts and referrals at the front door",
    "the support that care leavers receive from personal advisers",
    "placement stability for children in care",
    "the virtual school",
    "senior leaders",
    "the quality assurance framework",
    "work with partner agencies and the police",
    "direct work that captures the voice of the child",
    "early help services",
    "section 47 enquiries and child protection conferences",
    "return home interviews when children go missing",
    "work with families experiencing domestic abuse",
    "the response to homeless 16 and 17 year olds",
    "services for disabled children",
    "the emergency duty team out of hours",
    "special guardianship and adoption planning",
    "oversight of unregistered children's homes",
    "case recording on the electronic system",
    "the practice model and training for newly qualified workers",
    "staff morale",
    "scrutiny by elected members and corporate parenting",
    "reliance on agency staff and turnover",
    "recruitment to vacancies",
    "the weather on the day of the visit",
    "the new office building",
]
PREDICATES = [
    "is timely and effective",
    "is too irregular and lacks reflection",
    "is beginning to improve",
    "remains too high",
    "is not yet consistently good",
    "has improved since the last inspection",
    "is strong",
    "does not always identify risks",
    "is variable in quality",
    "is well established",
    "was discussed with inspectors",
    "is not timely",
    "is reducing but remains high",
    "needs to be more consistent",
    "happens without delay",
]


def synthetic_sentences(n: int, seed: int = 20251120) -> list[str]:
    """n synthetic sentences (a fixed seed, so every run codes the same text)."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        s1, p1 = rng.choice(SUBJECTS), rng.choice(PREDICATES)
        form = rng.random()
        if form < 0.55:
            text = f"{s1.capitalize()} {p1}."
        elif form < 0.8:
            text = f"{s1.capitalize()} {p1}, but {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}."
        else:
            text = f"Although {s1} {p1}, {rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}."
        out.append(text)
    return out


def run(
    n: int, loop_n: int | None = None, check: int | None = None, out=sys.stdout, model_n: int = 90_000
) -> dict[str, float]:
    """Code n synthetic sentences both ways, check they agree, and print sentences per second and the ratio;
    then time the whole coder (rules + model) on the first `model_n`."""
    codebook = codebook_module.load()
    texts = synthetic_sentences(n)
    loop_n = n if loop_n is None else min(loop_n, n)
    load_before = os.getloadavg()

    # Wall-clock time is what a user waits; CPU time (all threads) is steadier on a shared machine.
    start, cpu = time.perf_counter(), time.process_time()
    duck = engine.code_sentences(texts, codebook)
    duck_seconds, duck_cpu = time.perf_counter() - start, time.process_time() - cpu

    start, cpu = time.perf_counter(), time.process_time()
    loop = engine.code_sentences_python(texts[:loop_n], codebook)
    loop_seconds, loop_cpu = time.perf_counter() - start, time.process_time() - cpu

    load_after = os.getloadavg()
    sample = loop_n if check is None else min(check, loop_n)
    left = duck[duck["sentence_index"] < sample].reset_index(drop=True)
    right = loop[loop["sentence_index"] < sample].reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)

    duck_rate = n / duck_seconds
    loop_rate = loop_n / loop_seconds
    print(f"synthetic sentences: {n:,} ({len(duck):,} theme codings, {len(codebook.theme_list)} themes)", file=out)
    cpu_ratio = (loop_cpu / loop_n) / (duck_cpu / n) if duck_cpu and loop_n else float("nan")
    print(
        f"DuckDB, one constant regex per scan: {duck_seconds:8.2f} s  {duck_rate:12,.0f} sentences/s"
        f"  (CPU {duck_cpu:.2f} s)",
        file=out,
    )
    print(
        f"Python re loop ({loop_n:,} sentences):  {loop_seconds:8.2f} s  {loop_rate:12,.0f} sentences/s"
        f"  (CPU {loop_cpu:.2f} s)",
        file=out,
    )
    print(f"ratio: DuckDB is {duck_rate / loop_rate:.1f}x the loop in wall-clock time", file=out)
    print(f"       and {cpu_ratio:.1f}x per CPU second; outputs agree on {sample:,} sentences", file=out)
    print(f"load average (1, 5, 15 min) before {_load(load_before)}, after {_load(load_after)}", file=out)
    coder = model_coder(texts[: min(model_n, n)], codebook, out)
    return {
        "duckdb_rate": duck_rate,
        "loop_rate": loop_rate,
        "ratio": duck_rate / loop_rate,
        "cpu_ratio": cpu_ratio,
        **coder,
    }


def model_coder(texts: list[str], codebook: codebook_module.Codebook, out=sys.stdout) -> dict[str, float]:
    """Time the whole coder (rules, then the model over their matches) and the rules alone on the same texts."""
    trained = model_module.load(codebook=codebook)
    # synthetic sentences in "documents" of 40, about a short letter each, for the section tone features
    documents = [str(i // 40) for i in range(len(texts))]
    start, cpu = time.perf_counter(), time.process_time()
    rules = engine.code_sentences(texts, codebook)
    rules_seconds = time.perf_counter() - start
    coded = model_module.code(texts, [None] * len(texts), codebook, trained, rules, documents=documents)
    whole_seconds, whole_cpu = time.perf_counter() - start, time.process_time() - cpu
    rate = len(texts) / whole_seconds
    print(
        f"whole coder, rules + model {trained.version} ({len(texts):,} sentences, {len(coded):,} codings): "
        f"{whole_seconds:8.2f} s  {rate:12,.0f} sentences/s  (CPU {whole_cpu:.2f} s)",
        file=out,
    )
    print(
        f"       of which the rules {rules_seconds:.2f} s; the whole coder takes {whole_seconds / rules_seconds:.1f}x "
        "the rules alone",
        file=out,
    )
    return {"coder_rate": rate, "coder_over_rules": whole_seconds / rules_seconds}


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="sentences to generate (default 1,000,000)")
    parser.add_argument("--loop-n", type=int, default=None, help="sentences for the Python loop (default: all)")
    parser.add_argument(
        "--check", type=int, default=None, help="sentences on which both outputs must agree (default: all)"
    )
    parser.add_argument(
        "--model-n", type=int, default=90_000, help="sentences for the whole coder (default 90,000, the corpus)"
    )
    args = parser.parse_args(argv)
    run(args.n, args.loop_n, args.check, model_n=args.model_n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
