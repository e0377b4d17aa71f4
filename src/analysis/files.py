"""Writing a file so that nothing is lost: build a temporary file beside the target, check it, then replace."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from analysis import config
from analysis.errors import InputError

# mkstemp makes files 0600; a written file gets the mode `open` would give it (a report or a registry is shared)
_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: Path | str, data: str | bytes, check: Callable[[Path], object] | None = None) -> None:
    """Write `data` (text as UTF-8, as it is: no newline translation) to `path` through a temporary file in the same
    folder, so that a reader never sees half of it and a failure leaves the old file whole.

    `check(temporary_path)` runs on the written temporary file before it replaces `path`: an InputError it raises
    is raised again naming `path` (with the error's row and field), and `path` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        if check is not None:
            try:
                check(tmp)
            except InputError as exc:
                raise InputError(config.relative(path), exc.message, row=exc.row, field=exc.field) from None
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
