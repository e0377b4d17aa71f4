"""Real reports read by two worker processes give exactly what one process gives (and what the cache gives back)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from analysis.cache import Cache
from analysis.ingest import documents
from analysis.ingest.fetch import sha256_file

# Dudley's and Wakefield's reports: SIF and ILACS, 10 to 45 pages
SEVEN = [
    "80464_dudley/2016-04-05.pdf",
    "80464_dudley/2018-12-10.pdf",
    "80464_dudley/2023-01-13.pdf",
    "80451_wakefield/2016-09-20.pdf",
    "80451_wakefield/2018-07-17.pdf",
    "80451_wakefield/2022-01-05.pdf",
    "80451_wakefield/2025-07-18.pdf",
]


def test_seven_real_reports_in_two_processes_and_from_the_cache(shared_dir: Path, tmp_path: Path) -> None:
    root = shared_dir / "data" / "ofsted-reports"
    with (root / "MANIFEST.csv").open(encoding="utf-8", newline="") as handle:
        listed = {row["file"] for row in csv.DictReader(handle)}
    files = [name for name in SEVEN if name in listed]  # named, so a report added to the manifest changes nothing
    jobs = [documents.Job(root / name, f"report_{i}", sha256_file(root / name)) for i, name in enumerate(files)]
    assert len(jobs) == 7
    serial, _ = documents.read_many(jobs, Cache(None), workers=1)
    pooled, n_read = documents.read_many(jobs, Cache(tmp_path), workers=2)
    cached, n_again = documents.read_many(jobs, Cache(tmp_path), workers=2)
    assert (n_read, n_again) == (7, 0)
    for one, two, three in zip(serial, pooled, cached, strict=True):
        for a, b, c in zip(one, two, three, strict=True):
            pd.testing.assert_frame_equal(a, b)
            pd.testing.assert_frame_equal(a, c)
    assert sum(len(p) for _, p in serial) > 2000 and all(
        d.iloc[0]["media_type"] == "application/pdf" for d, _ in serial
    )
