"""The one exception family of siyu_diag.

Every user mistake is raised as a :class:`SiyuDiagError` subclass whose problems name the file,
row, column or key, what was expected, what was found and how to fix it. The CLI prints them all
and exits with status 1; it never shows a traceback for a user mistake.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its location.

    Parameters
    ----------
    message
        What is wrong, what was expected and what was found.
    file
        The file the problem is in, as the user named it.
    row
        The 1-based row as a spreadsheet shows it (the header is row 1).
    column
        The column header as it appears in the file.
    key
        The dotted key in a YAML file, e.g. ``organisation.team_model``.
    hint
        How to fix it.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    key: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.key:
            where.append(f"key '{self.key}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (": ".join([", ".join(where), self.message])) if where else self.message
        if self.hint:
            text += f" Fix: {self.hint}"
        return text


#: How many problems of one column an error message lists before it says how many more there are.
SHOWN_PER_COLUMN = 10


class SiyuDiagError(Exception):
    """Base class of every error siyu_diag raises for a user mistake."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems found:"]
        counts: dict[tuple, int] = {}
        more_at: dict[tuple, int] = {}  # where "… N more" goes: after a column's last shown line
        for p in self.problems:
            place = (p.file, p.column)
            counts[place] = counts.get(place, 0) + 1
            if p.column is None or counts[place] <= SHOWN_PER_COLUMN:
                lines.append(f"  - {p}")
            elif place not in more_at:
                more_at[place] = len(lines)
                lines.append("")
        for (file, column), at in more_at.items():
            where = f"column '{column}'" + (f" of {file}" if file else "")
            more = counts[(file, column)] - SHOWN_PER_COLUMN
            lines[at] = f"  - … and {more:,} more problems in {where}."
        return "\n".join(lines)


class InputError(SiyuDiagError):
    """A client folder, questionnaire, question bank or rule file is not usable as it is."""


class ChapterError(SiyuDiagError):
    """A chapter notebook failed while building a report."""
