"""analysis.cache: frames come back exactly as stored, and a damaged, foreign or misfiled entry is never used.

Every frame here is synthetic (a few made-up rows).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import sys

import pandas as pd
import pytest

from analysis import cache as cache_module
from analysis.cache import Cache, digest, source_digest

KEY = digest("test", 1)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "passage_id": ["d#p0001", "d#s0001"],
            "page": pd.Series([1, None], dtype="Int64"),
            "noise_kind": [None, "table"],
            "published": [dt.date(2024, 3, 31), None],
            "value": [1.5, float("nan")],
            "is_overall": [True, False],
        }
    )


def _entry(cache: Cache, kind: str = "passages", key: str = KEY):
    return cache.root / kind / f"{key}{cache_module.SUFFIX}"


def test_a_frame_comes_back_with_its_dtypes(tmp_path):
    cache = Cache(tmp_path)
    assert cache.get("passages", KEY) is None and cache.misses == 1
    cache.put("passages", KEY, _frame())
    got = cache.get("passages", KEY)
    pd.testing.assert_frame_equal(got, _frame())
    assert cache.hits == 1 and not cache.rejected
    assert [p.name for p in (tmp_path / "passages").iterdir()] == [f"{KEY}.frame"]  # no temporary file is left


def test_keys_are_digests_of_ordered_parts():
    assert digest("a", 1) == digest("a", 1) != digest(1, "a")
    assert digest({"b": 1, "a": 2}) == digest({"a": 2, "b": 1})
    with pytest.raises(ValueError, match="sha256"):
        Cache(None)._path("passages", "not-a-digest")
    with pytest.raises(ValueError, match="kind"):
        Cache(None)._path("../up", KEY)


def _damage_payload(path):
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path):
    path.write_bytes(path.read_bytes()[:-100])


def _not_an_entry(path):
    path.write_bytes(b"PK\x03\x04 something else entirely")


def _other_pandas(path):
    data = path.read_bytes()
    start = len(cache_module.MAGIC)
    end = data.index(b"\n", start)
    header = json.loads(data[start:end])
    header["pandas"] = "0.1"
    path.write_bytes(data[:start] + json.dumps(header).encode() + data[end:])


DAMAGE = {
    "a flipped byte": (_damage_payload, "checksum"),
    "a truncated write": (_truncate, "truncated"),
    "another file format": (_not_an_entry, "not a cache entry"),
    "another pandas version": (_other_pandas, "pandas"),
}


@pytest.mark.parametrize("name", list(DAMAGE))
def test_a_damaged_entry_is_a_miss_and_is_deleted(tmp_path, name):
    damage, why = DAMAGE[name]
    cache = Cache(tmp_path)
    cache.put("passages", KEY, _frame())
    damage(_entry(cache))
    assert cache.get("passages", KEY) is None
    assert cache.misses == 1 and cache.hits == 0
    assert len(cache.rejected) == 1 and why in cache.rejected[0]
    assert not _entry(cache).exists()
    cache.put("passages", KEY, _frame())  # rebuilt by the caller, then trusted again
    pd.testing.assert_frame_equal(cache.get("passages", KEY), _frame())


def test_an_entry_filed_under_another_key_or_kind_is_refused(tmp_path):
    cache = Cache(tmp_path)
    cache.put("passages", KEY, _frame())
    other = digest("other")
    moved = _entry(cache, key=other)
    moved.write_bytes(_entry(cache).read_bytes())
    assert cache.get("passages", other) is None and "key" in cache.rejected[-1]
    elsewhere = _entry(cache, kind="codings")
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(_entry(cache).read_bytes())
    assert cache.get("codings", KEY) is None and "kind" in cache.rejected[-1]


def _forge(cache: Cache, payload: bytes) -> None:
    """Write an entry with a valid header and checksum around `payload`, as a tampered file could be."""
    header = {
        "format": cache_module.FORMAT,
        "kind": "passages",
        "key": KEY,
        "pandas": pd.__version__,
        "length": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
    }
    path = _entry(cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cache_module.MAGIC + json.dumps(header).encode() + b"\n" + payload)


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def test_a_tampered_entry_cannot_run_code(tmp_path):
    cache = Cache(tmp_path / "cache")
    marker = tmp_path / "ran"
    _forge(cache, pickle.dumps(_Exploit(str(marker))))
    assert cache.get("passages", KEY) is None
    assert not marker.exists()
    assert "mkdir is not part of a DataFrame" in cache.rejected[0]


def test_an_entry_that_is_not_a_frame_is_refused(tmp_path):
    cache = Cache(tmp_path)
    _forge(cache, pickle.dumps(pd.Series([1, 2])))
    assert cache.get("passages", KEY) is None and "Series" in cache.rejected[0]


def test_a_failed_write_keeps_the_previous_entry(tmp_path, monkeypatch):
    cache = Cache(tmp_path)
    cache.put("passages", KEY, _frame())

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module.os, "replace", refuse)
    with pytest.raises(OSError, match="No space"):
        cache.put("passages", KEY, _frame().iloc[:1])
    monkeypatch.undo()
    pd.testing.assert_frame_equal(cache.get("passages", KEY), _frame())
    assert [p.name for p in (tmp_path / "passages").iterdir()] == [f"{KEY}.frame"]


def test_a_disabled_cache_never_hits_and_never_writes(tmp_path):
    cache = Cache(None)
    cache.put("passages", KEY, _frame())
    assert cache.get("passages", KEY) is None and cache.misses == 1 and cache.prune("passages", []) == 0


def test_prune_keeps_only_the_keys_in_use(tmp_path):
    cache = Cache(tmp_path)
    old, new = digest("old"), digest("new")
    cache.put("passages", old, _frame())
    cache.put("passages", new, _frame())
    stale = tmp_path / "passages" / ".abandoned.part"
    stale.write_bytes(b"half")
    os.utime(stale, (0, 0))
    assert cache.prune("passages", [new]) == 1
    assert sorted(p.name for p in (tmp_path / "passages").iterdir()) == [f"{new}.frame"]


def test_source_digest_follows_the_code(tmp_path, monkeypatch):
    module = tmp_path / "cache_probe_module.py"
    module.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = source_digest("cache_probe_module")
    assert source_digest("cache_probe_module") == before
    module.write_text("X = 2\n", encoding="utf-8")
    assert source_digest("cache_probe_module") != before
    sys.modules.pop("cache_probe_module", None)
    with pytest.raises(ModuleNotFoundError):
        source_digest("no_such_module_here")
