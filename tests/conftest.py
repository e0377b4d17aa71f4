"""Shared fixtures: the repo, the ../shared stand-in for the internet, and one full build per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import config

REPO = config.REPO


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout; tests that need it fail loudly when it is missing."""
    if not config.SHARED.joinpath("data").is_dir():
        pytest.fail(f"{config.SHARED} is missing: it stands in for the internet in tests")
    return config.SHARED


@pytest.fixture(scope="session")
def fetched_cache(tmp_path_factory, shared_dir) -> Path:
    """A fetch cache filled from ../shared/data, as `analysis fetch --from ../shared/data` does."""
    from analysis.ingest import fetch

    cache = tmp_path_factory.mktemp("cache")
    fetch.fetch_all(cache=cache, from_dir=shared_dir / "data", log=lambda msg: None)
    return cache


@pytest.fixture(scope="session")
def built_db(tmp_path_factory, fetched_cache) -> Path:
    """The real database, built once from the committed data and the fetched official files."""
    from analysis import build

    target = tmp_path_factory.mktemp("build") / "analysis.duckdb"
    build.build(target, build.BuildContext(cache=fetched_cache, log=lambda msg: None))
    return target


@pytest.fixture()
def con(built_db):
    """A read-only connection to the session's built database."""
    from analysis import db

    connection = db.connect(built_db)
    yield connection
    connection.close()
