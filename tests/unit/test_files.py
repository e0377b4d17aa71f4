"""write_atomic: the whole file or the old one, never half; a failed check names the target, not the temporary."""

from __future__ import annotations

import os

import pytest

from analysis.errors import InputError
from analysis.files import write_atomic


def _refuse(path):
    raise InputError(str(path), "a bad value", row=3, field="grade")


def test_text_and_bytes_are_written_as_they_are_with_the_usual_mode(tmp_path):
    target = tmp_path / "sub" / "a.csv"
    write_atomic(target, "x,y\r\n1,2\r\n")
    assert target.read_bytes() == b"x,y\r\n1,2\r\n"  # no newline translation: CRLF files stay CRLF
    write_atomic(target, b"\x1f\x8b")
    assert target.read_bytes() == b"\x1f\x8b"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as `open` would make it, not mkstemp's 0600


def test_a_failed_check_leaves_the_old_file_and_names_the_target(tmp_path):
    target = tmp_path / "visits.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        write_atomic(target, "new\n", check=_refuse)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert err.value.file.endswith("visits.csv") and (err.value.row, err.value.field) == (3, "grade")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["visits.csv"]  # no temporary file left
