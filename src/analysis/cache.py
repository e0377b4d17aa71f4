"""A local cache of derived DataFrames (data/cache/derived/): get and put by key, atomic, versioned, never trusted.

A stage that derives a table from inputs that rarely change (a PDF's passages, the official statistics) keys the
result by everything it depends on: the inputs' sha256, the stage's version constant and `source_digest` of the
modules that compute it (so editing that code invalidates its entries without anyone remembering to bump a number).
`digest(...)` turns those parts into the key.

An entry is one file `<root>/<kind>/<key>.frame`: a header line (JSON: cache format, kind, key, the payload's
length and sha256, the pandas version that wrote it) and the pickled DataFrame. `get` trusts nothing in it: an
entry whose header, length, checksum, key, pandas version or unpickled type is not what was asked for is deleted
and reported as a miss, so the caller rebuilds it. The payload is unpickled with an allowlist of the pandas and
numpy classes a DataFrame is made of, so even a tampered entry cannot name an arbitrary callable. `put` writes a
temporary file beside the entry and renames it over, so a reader never sees half an entry and two writers of the
same key leave one whole entry.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import pickle
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

FORMAT = 1  # bump when the entry layout changes: older entries are then rejected and rebuilt
MAGIC = b"analysis-cache\n"
SUFFIX = ".frame"
_KIND = re.compile(r"[a-z0-9_]+")
_KEY = re.compile(r"[0-9a-f]{64}")
# What a pickled DataFrame refers to (pandas 2-3, numpy 1-2); anything else in a payload is refused. Whole modules
# are allowed only where they hold nothing but array, index, block and dtype classes and their unpicklers.
_MODULES = re.compile(
    r"pandas\._libs\.(?:arrays|internals|tslibs(?:\.\w+)?)|pandas\.core\.(?:arrays|dtypes|indexes|internals)(?:\.\w+)*"
)
_PANDAS_CLASSES = re.compile(
    r"DataFrame|Series|Categorical|Timestamp|Timedelta|Period|Interval|NaTType|\w*(?:Dtype|Array|Index)"
)
_GLOBALS = frozenset(
    {
        ("numpy", "dtype"),
        ("numpy", "ndarray"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "scalar"),
        ("numpy._core.numeric", "_frombuffer"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy.core.multiarray", "scalar"),
        ("numpy.core.numeric", "_frombuffer"),
        ("builtins", "slice"),
        ("datetime", "date"),
        ("datetime", "datetime"),
        ("datetime", "time"),
        ("datetime", "timedelta"),
        ("datetime", "timezone"),
    }
)


class _FrameUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        allowed = (
            (module, name) in _GLOBALS
            or _MODULES.fullmatch(module)
            or (module in ("pandas", "pandas.arrays", "pandas.core.frame", "pandas.core.series")
                and _PANDAS_CLASSES.fullmatch(name))
        )  # fmt: skip
        if allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a DataFrame")


def digest(*parts: object) -> str:
    """A cache key: the sha256 of the JSON of `parts` (strings, numbers, lists, dicts; order matters)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_digest(*modules: str) -> str:
    """The sha256 of the named modules' source files: a key part that changes whenever their code does."""
    hasher = hashlib.sha256()
    for name in modules:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(name)
        hasher.update(name.encode() + b"\0" + Path(spec.origin).read_bytes() + b"\0")
    return hasher.hexdigest()


@dataclass
class Cache:
    """Entries under `root` (None: a cache that never hits and never writes, for `analysis build --no-cache`)."""

    root: Path | None
    hits: int = 0
    misses: int = 0
    rejected: list[str] = field(default_factory=list)  # "<kind>/<key>: why", entries that were deleted

    def _path(self, kind: str, key: str) -> Path:
        if not _KIND.fullmatch(kind):
            raise ValueError(f"cache kind {kind!r} is not [a-z0-9_]+")
        if not _KEY.fullmatch(key):
            raise ValueError(f"cache key {key!r} is not a sha256 hex digest (use analysis.cache.digest)")
        assert self.root is not None
        return Path(self.root) / kind / f"{key}{SUFFIX}"

    def get(self, kind: str, key: str) -> pd.DataFrame | None:
        """The frame stored under `key`, or None when there is none or it cannot be trusted (then it is deleted)."""
        if self.root is None:
            self.misses += 1
            return None
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            return self._reject(path, kind, key, f"cannot be read ({exc.strerror})")
        try:
            frame = self._decode(data, kind, key)
        except Exception as exc:  # whatever is wrong with an entry, it is rebuilt, never used
            return self._reject(path, kind, key, str(exc) or type(exc).__name__)
        self.hits += 1
        return frame

    @staticmethod
    def _decode(data: bytes, kind: str, key: str) -> pd.DataFrame:
        if not data.startswith(MAGIC):
            raise ValueError("not a cache entry")
        header_end = data.index(b"\n", len(MAGIC))
        header = json.loads(data[len(MAGIC) : header_end])
        payload = data[header_end + 1 :]
        expected = {"format": FORMAT, "kind": kind, "key": key, "pandas": pd.__version__}
        wrong = [name for name, value in expected.items() if header.get(name) != value]
        if wrong:
            raise ValueError(f"written for another {', '.join(wrong)}")
        if header.get("length") != len(payload):
            raise ValueError(f"{len(payload)} bytes where the header says {header.get('length')} (truncated?)")
        if header.get("sha256") != hashlib.sha256(payload).hexdigest():
            raise ValueError("checksum does not match (corrupt)")
        frame = _FrameUnpickler(io.BytesIO(payload)).load()
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"holds a {type(frame).__name__}, not a DataFrame")
        return frame

    def _reject(self, path: Path, kind: str, key: str, why: str) -> None:
        self.misses += 1
        self.rejected.append(f"{kind}/{key[:12]}: {why}")
        path.unlink(missing_ok=True)
        return None

    def put(self, kind: str, key: str, frame: pd.DataFrame) -> None:
        """Store `frame` under `key`, atomically (a temporary file in the same folder, then a rename)."""
        if self.root is None:
            return
        path = self._path(kind, key)
        payload = pickle.dumps(frame, protocol=5)
        header = {
            "format": FORMAT,
            "kind": kind,
            "key": key,
            "pandas": pd.__version__,
            "length": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload)
            os.replace(tmp_name, path)
        finally:
            Path(tmp_name).unlink(missing_ok=True)

    def prune(self, kind: str, keep: Iterable[str]) -> int:
        """Delete the entries of `kind` whose key is not in `keep` (what this build used); return how many."""
        if self.root is None:
            return 0
        folder = Path(self.root) / kind
        if not folder.is_dir():
            return 0
        keep = set(keep)
        removed = 0
        for path in folder.glob(f"*{SUFFIX}"):
            if path.name.removesuffix(SUFFIX) not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        # A writer killed between mkstemp and the rename leaves its temporary file; one an hour old is nobody's.
        for path in folder.glob(".*.part"):
            try:
                if time.time() - path.stat().st_mtime > 3600:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                pass
        return removed
