"""Read a hand-kept CSV against a declared schema; any bad cell is an InputError naming file, row and field."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.errors import InputError

# Only the documented spellings (any case, since Excel writes TRUE and FALSE); an empty cell is false. "yes", "1"
# and the like are refused: a reader cannot tell whether "n" or "0" meant false or a slip of the keyboard.
_TRUE = {"true"}
_FALSE = {"false", ""}


@dataclass(frozen=True)
class Col:
    """One column of a CSV schema. Empty cells are NULL unless `required`."""

    name: str
    kind: str = "str"  # str | int | float | date | bool
    required: bool = False
    choices: frozenset[str] | None = None
    pattern: str | None = None
    unique: bool = False


def _convert(value: str, col: Col) -> object:
    if col.kind == "str":
        if col.choices is not None and value not in col.choices:
            raise ValueError(f"{value!r} is not one of {', '.join(sorted(col.choices))}")
        if col.pattern is not None and not re.fullmatch(col.pattern, value):
            raise ValueError(f"{value!r} does not match {col.pattern}")
        return value
    if col.kind == "int":
        return int(value)
    if col.kind == "float":
        return float(value)
    if col.kind == "date":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    if col.kind == "bool":
        low = value.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise ValueError(f"{value!r} is not true or false (write booleans as true or false)")
    raise AssertionError(col.kind)


def read(
    path: Path,
    columns: Iterable[Col],
    row_checks: Iterable[Callable[[dict], tuple[str, str] | None]] = (),
    allow_empty: bool = True,
) -> pd.DataFrame:
    """Read and check a UTF-8 CSV. `row_checks` get each converted row and return (field, message) when bad.

    With `allow_empty=False` a file that holds a header and no data rows is refused (a required file emptied by a
    bad save or merge would otherwise build an empty table over a good database).
    """
    columns = list(columns)
    shown = config.relative(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(shown, "the file is missing") from None
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.reader(text.splitlines())
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(shown, "the file is empty: a header row is needed") from None
    names = [c.name for c in columns]
    missing = [n for n in names if n not in header]
    unknown = [h for h in header if h not in names]
    if missing or unknown:
        detail = "; ".join(
            part
            for part in (
                f"missing column(s) {', '.join(missing)}" if missing else "",
                f"unknown column(s) {', '.join(unknown)}" if unknown else "",
            )
            if part
        )
        raise InputError(shown, detail, row=1)
    position = {h: i for i, h in enumerate(header)}
    seen: dict[str, dict[object, int]] = {c.name: {} for c in columns if c.unique}
    rows: list[dict] = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise InputError(shown, f"{len(cells)} cells where the header has {len(header)}", row=line_no)
        row: dict[str, object] = {}
        for col in columns:
            raw = cells[position[col.name]].strip()
            if raw == "" and col.kind != "bool":
                if col.required:
                    raise InputError(shown, "a value is required", row=line_no, field=col.name)
                row[col.name] = None
                continue
            try:
                row[col.name] = _convert(raw, col)
            except ValueError as exc:
                raise InputError(shown, str(exc), row=line_no, field=col.name) from None
            if col.unique:
                if row[col.name] in seen[col.name]:
                    first = seen[col.name][row[col.name]]
                    raise InputError(
                        shown, f"duplicate {row[col.name]!r} (first at row {first})", row=line_no, field=col.name
                    )
                seen[col.name][row[col.name]] = line_no
        for check in row_checks:
            problem = check(row)
            if problem:
                raise InputError(shown, problem[1], row=line_no, field=problem[0])
        rows.append(row)
    if not rows and not allow_empty:
        raise InputError(shown, "the file has a header but no rows, and it is required (see the README beside it)")
    frame = pd.DataFrame(rows, columns=names)
    return frame.astype(object).where(frame.notna(), None)
