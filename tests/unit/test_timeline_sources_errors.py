"""The source registry: every data/sources/*.csv checked; bad rows name the file, row and field.

Everything here is SYNTHETIC: a temporary repo with a tiny committed file and registry CSVs written by the test.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.ingest import sources

HEADER = ",".join(sources.NAMES)
TEXT = b"A synthetic committed document.\n"
SHA = hashlib.sha256(TEXT).hexdigest()


def row(source_id: str, **values: str) -> str:
    base = {
        "source_id": source_id,
        "kind": "news",
        "title": "A title",
        "publisher": "A publisher",
        "published_date": "2025-11-26",
        "published_date_precision": "day",
        "url": "https://example.org/a",
        "licence": "© A publisher; cited, not reproduced",
    }
    base.update(values)
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([base.get(name, "") for name in sources.NAMES])
    return out.getvalue()


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "sources").mkdir()
    (tmp_path / "data" / "raw" / "doc.txt").write_bytes(TEXT)
    return tmp_path


def registry(repo: Path, **files: list[str]) -> None:
    for name, rows in files.items():
        (repo / "data" / "sources" / f"{name}.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def error(repo: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        sources.read_registry(repo / "data", repo)
    return caught.value


def test_a_good_registry_of_two_files(repo):
    registry(
        repo,
        documents=[row("news_a"), row("seed_a", local_path="data/raw/doc.txt", sha256=SHA)],
        official=[
            row(
                "stats_a",
                kind="official_statistics",
                licence="OGL v3.0",
                published_date="",
                published_date_precision="",
            )
        ],
    )
    frame = sources.read_registry(repo / "data", repo)
    assert frame["source_id"].tolist() == ["news_a", "seed_a", "stats_a"]
    assert frame.loc[2, "published_date"] is None


def test_duplicate_source_id_across_files(repo):
    registry(repo, documents=[row("news_a")], official=[row("other"), row("news_a")])
    err = error(repo)
    assert err.file.endswith("official.csv")
    assert (err.row, err.field) == (3, "source_id")
    assert "documents.csv, row 2" in str(err)


def test_sha256_mismatch_of_a_committed_file(repo):
    registry(repo, documents=[row("seed_a", local_path="data/raw/doc.txt", sha256="0" * 64)])
    err = error(repo)
    assert (err.row, err.field) == (2, "sha256")
    assert SHA in str(err)


def test_committed_file_missing(repo):
    registry(repo, documents=[row("seed_a", local_path="data/raw/gone.txt", sha256=SHA)])
    assert (error(repo).row, error(repo).field) == (2, "local_path")


def test_committed_file_needs_a_sha256(repo):
    registry(repo, documents=[row("seed_a", local_path="data/raw/doc.txt")])
    assert error(repo).field == "sha256"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "blog"}, "kind"),
        ({"published_date_precision": "week"}, "published_date_precision"),
        ({"published_date": "2025-11-26", "published_date_precision": "month"}, "published_date"),
        ({"published_date_precision": ""}, "published_date_precision"),
        ({"licence": "free to use"}, "licence"),
        ({"sha256": "abc"}, "sha256"),
        ({"source_id": "News A"}, "source_id"),
        ({"cache_path": "../outside.pdf"}, "cache_path"),
    ],
)
def test_bad_cells(repo, values, field):
    registry(repo, documents=[row("news_ok"), row(values.pop("source_id", "news_a"), **values)])
    err = error(repo)
    assert err.file.endswith("documents.csv")
    assert (err.row, err.field) == (3, field)


def test_no_registry_files(repo):
    assert "no registry files" in str(error(repo))
