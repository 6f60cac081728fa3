"""Exceptions the CLI turns into clear messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field


class EqualityReportsError(Exception):
    """Base class for errors reported to the user without a traceback."""

    exit_code = 1


@dataclass
class Problem:
    """One problem found in the input, located as precisely as we can."""

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    fix: str | None = None
    severity: str = "error"  # "error" makes the data unusable; "warning" does not
    #: the column's heading in the file where it differs from ``column`` (mapped in dataset.toml)
    heading: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column and self.heading:
            where.append(f"column '{self.heading}' (read as {self.column})")
        elif self.column:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f". Fix: {self.fix}"
        # text from the data (a sector, a heading) may hold control characters: shown escaped, never
        # sent to the terminal as they are (a NUL, an escape sequence)
        return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "heading": self.heading,
            "value": None if self.value is None else str(self.value),
            "fix": self.fix,
        }


class InputError(EqualityReportsError):
    """The input data or the command line cannot be used: exit code 2."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = problems or []

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        lines = [head] + [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class OutputError(EqualityReportsError):
    """The output folder cannot be used or written (in use, read-only, disk full): exit code 2."""

    exit_code = 2


@dataclass
class PluginLoadError:
    """A plugin that could not be imported; recorded and shown, never fatal."""

    name: str
    error: str
    extra: dict[str, str] = field(default_factory=dict)
