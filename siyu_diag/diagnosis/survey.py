"""Load questionnaire exports (CSV/XLSX) the way Chinese survey platforms write them.

Accepted: UTF-8, UTF-8 with BOM and GBK/GB18030 text; item headers given as item ids or as
"number、wording"; answers as numbers or as the scale's labels; the platforms' metadata columns
(submission time, duration, source, IP …) are ignored, except the duration, used for quality
checks. Every problem is collected and reported at once, each naming the file, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import vocab
from ..core.client import Client
from ..core.errors import InputError, Problem
from ..core.tables import read_table
from .answers import parse_answers, parse_duration
from .config import client_bank
from .gaps import check_anonymity
from .layout import find_layout

#: Columns of :attr:`Responses.respondents`.
RESPONDENT_COLUMNS = ("row", "department", "department_label", "role_level", "duration_s")


@dataclass(frozen=True)
class Responses:
    """Validated answers, one row per respondent (index: respondent id, never shown).

    Attributes
    ----------
    answers
        Respondent × item, raw scale values as floats; blanks and N/A are NaN.
    not_applicable
        Respondent × item, True where the respondent answered "not applicable".
    respondents
        ``row`` (spreadsheet row), ``department`` (canonical id or the label),
        ``department_label``, ``role_level`` (management / frontline), ``duration_s``.
    quality
        Data-quality notes: ``kind``, ``rows`` (spreadsheet rows concerned), ``subject``,
        ``value``, ``excluded`` (whether those answers were left out).
    file
        The export's name, as given in ``client.yaml``.
    excluded_rows
        Spreadsheet rows read but left out: earlier answers of a repeated respondent id and,
        with ``survey.exclude_flagged``, straight-lined or too-fast responses.
    """

    answers: pd.DataFrame
    not_applicable: pd.DataFrame
    respondents: pd.DataFrame
    quality: pd.DataFrame
    file: str
    excluded_rows: tuple[int, ...] = ()


def _parse_groups(frame, layout, client, label, problems):
    survey = client.config.survey
    depts, roles = vocab.departments(), vocab.role_levels()
    rows = []
    for i in range(len(frame)):
        row = int(frame.index[i]) + 2
        dept_label = str(frame[layout.department].iat[i]).strip()
        role_label = str(frame[layout.role_level].iat[i]).strip()
        if not dept_label:
            problems.append(
                Problem(
                    "the department is blank.",
                    file=label,
                    row=row,
                    column=layout.department,
                    hint="fill in the department.",
                )
            )
        role = roles.canonical(role_label, survey.role_levels) if role_label else None
        if role not in ("management", "frontline"):
            problems.append(
                Problem(
                    f"role level '{role_label}' is neither management nor front line.",
                    file=label,
                    row=row,
                    column=layout.role_level,
                    hint=(
                        "use 管理者/一线员工, or map this label in client.yaml under "
                        f"survey.role_levels (e.g. '{role_label or '主管'}: management')."
                    ),
                )
            )
        duration = parse_duration(str(frame[layout.duration].iat[i])) if layout.duration else np.nan
        rows.append(
            {
                "row": row,
                "department": depts.canonical(dept_label, survey.departments) or dept_label,
                "department_label": dept_label,
                "role_level": role,
                "duration_s": duration,
            }
        )
    return pd.DataFrame(rows, columns=list(RESPONDENT_COLUMNS))


def load_responses(client: Client, *, min_group_size: int = 0) -> Responses:
    """Read and validate the client's questionnaire export.

    Parameters
    ----------
    client
        The loaded client folder (its ``survey`` section says where the file is).
    min_group_size
        The run's smallest group shown; 0 means ``survey.min_group_size`` of ``client.yaml``.
        Fewer responses left to score is an error
        (:func:`siyu_diag.diagnosis.gaps.check_anonymity`).

    Returns
    -------
    Responses
        Answers, respondents and data-quality notes.

    Raises
    ------
    InputError
        Listing every problem at once, each with file, row and column; or, once the answers
        are valid, saying that too few responses are left to report anonymously.
    """
    survey = client.config.survey
    label = survey.file
    frame = read_table(
        client.path(survey.file), label=label, sheet=survey.sheet, sheet_key="survey.sheet"
    )
    # Keep the original index: row i of the file is spreadsheet row i + 2, blank rows or not.
    frame = frame[~(frame.apply(lambda r: all(str(v).strip() == "" for v in r), axis=1))]
    if frame.empty:
        raise InputError(
            Problem(
                "has no answers.",
                file=label,
                hint="export the survey again once people have answered.",
            )
        )
    bank = client_bank(client)
    layout = find_layout(frame, bank, survey.columns, label)
    problems: list[Problem] = []
    answers, na = parse_answers(frame, layout, bank, label, problems)
    respondents = _parse_groups(frame, layout, client, label, problems)
    ids = (
        frame[layout.respondent].astype(str).str.strip().tolist()
        if layout.respondent
        else [f"r{r}" for r in respondents["row"]]
    )
    for i, rid in enumerate(ids):
        if not rid:
            problems.append(
                Problem(
                    "the respondent id is blank.",
                    file=label,
                    row=int(respondents["row"].iat[i]),
                    column=layout.respondent,
                    hint="give every row an id.",
                )
            )
    if problems:
        raise InputError(problems)
    index = pd.Index(ids, name="respondent")
    answers.index = na.index = respondents.index = index
    resp = _check_quality(
        Responses(answers, na, respondents, pd.DataFrame(), label),
        ignored=layout.ignored,
        min_group=min_group_size or survey.min_group_size,
        min_seconds_per_item=survey.min_seconds_per_item,
        exclude=survey.exclude_flagged,
    )
    check_anonymity(resp, survey.min_group_size, min_group_size)
    return resp


def _note(kind, rows=(), subject="", value=np.nan, excluded=False) -> dict:
    return {
        "kind": kind,
        "rows": ", ".join(str(r) for r in rows),
        "subject": subject,
        "value": value,
        "excluded": excluded,
    }


def _check_quality(resp: Responses, *, ignored, min_group, min_seconds_per_item, exclude):
    """Flag duplicates, straight-lining, speeding and small groups; drop what must go."""
    notes = [_note("ignored_column", subject=h) for h in ignored]
    answers, people = resp.answers, resp.respondents
    dup = answers.index.duplicated(keep="last")
    if dup.any():
        notes.append(
            _note("duplicate_id", rows=people["row"][dup], value=int(dup.sum()), excluded=True)
        )
    keep = ~dup
    same = answers[keep].fillna(-1).round(6).astype(str).agg("|".join, axis=1)
    twins = same.duplicated(keep=False) & answers[keep].notna().sum(axis=1).ge(5)
    if twins.any():
        notes.append(
            _note("identical_answers", rows=people[keep]["row"][twins], value=int(twins.sum()))
        )
    answered = answers.notna().sum(axis=1)
    straight = (answers.nunique(axis=1) == 1) & (answered >= 8)
    speeding = people["duration_s"] < min_seconds_per_item * answered
    flagged = keep & (straight | speeding).to_numpy()
    if straight[keep].any():
        notes.append(
            _note(
                "straight_lining",
                rows=people["row"][keep & straight.to_numpy()],
                value=int(straight[keep].sum()),
                excluded=exclude,
            )
        )
    if speeding[keep].any():
        notes.append(
            _note(
                "speeding",
                rows=people["row"][keep & speeding.to_numpy()],
                value=int(speeding[keep].sum()),
                excluded=exclude,
            )
        )
    if exclude:
        keep = keep & ~flagged
    answers, na, people = answers[keep], resp.not_applicable[keep], people[keep]
    for dept, size in people["department"].value_counts().items():
        if size < min_group:
            notes.append(_note("small_group", subject=str(dept), value=int(size)))
    quality = pd.DataFrame(notes, columns=["kind", "rows", "subject", "value", "excluded"])
    left_out = tuple(int(r) for r in sorted(resp.respondents["row"][~keep]))
    return Responses(answers, na, people, quality, resp.file, left_out)
