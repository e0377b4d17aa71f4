"""Errors that name the file, row and field of the bad input."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input: names the file, the 1-based spreadsheet row (header = 1) and the field."""

    def __init__(self, file: str | Path, message: str, row: int | None = None, field: str | None = None):
        self.file = str(file)
        self.row = row
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        # Rebuilt from its parts when it crosses a process boundary (documents are read in worker processes).
        return (type(self), (self.file, self.message, self.row, self.field))

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.field is not None:
            where.append(f"field {self.field}")
        return f"{', '.join(where)}: {self.message}"


class BuildBusyError(Exception):
    """Another `analysis build` is writing the same database; the message names its process."""


class QueryParameterError(Exception):
    """A query was called with a missing or an extra named parameter."""


class ParameterError(ValueError):
    """A report or command parameter is invalid; the message names the parameter."""
