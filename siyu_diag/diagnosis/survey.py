"""Load questionnaire exports (CSV/XLSX) the way Chinese survey platforms write them.

Accepted: UTF-8, UTF-8 with BOM and GBK/GB18030 text; item headers given as item ids or as
"number、wording"; answers as numbers or as the scale's labels; the platforms' metadata columns
(submission time, duration, source, IP …) are ignored, except the duration, used for quality
checks. Every problem is collected and reported at once, each naming the file, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core import vocab
from ..core.checks import did_you_mean
from ..core.client import Client, SurveyColumns
from ..core.errors import InputError, Problem
from ..core.tables import read_table
from .bank import QuestionBank, Scale, normalise_label
from .gaps import check_anonymity

#: Columns of :attr:`Responses.respondents`.
RESPONDENT_COLUMNS = ("row", "department", "department_label", "role_level", "duration_s")

_ROLE_HEADERS = {
    "respondent": ("respondent", "respondentid", "id", "编号", "答卷编号", "序号"),
    "department": ("department", "dept", "部门", "所在部门", "您所在的部门", "你所在的部门"),
    "role_level": ("rolelevel", "level", "层级", "岗位层级", "职级", "您的岗位层级", "您的职级"),
    "duration": ("duration", "durations", "所用时间", "答题时长", "用时", "填写时长"),
}
_METADATA_HEADERS = {
    "提交答卷时间",
    "提交时间",
    "开始时间",
    "结束时间",
    "开始答题时间",
    "来源",
    "来源详情",
    "来自ip",
    "ip",
    "ip地址",
    "总分",
    "微信昵称",
    "姓名",
    "手机",
    "手机号",
    "联系方式",
    "城市",
    "省份",
    "submittedat",
    "submissiontime",
    "source",
    "sourcedetail",
    "starttime",
    "endtime",
    "name",
    "phone",
    "email",
}
_BLANKS = {"", "(跳过)", "（跳过）", "(空)", "（空）", "-", "--", "nan", "none", "null"}
_QUESTION_PREFIX = re.compile(
    r"^\s*[Qq第]?\s*(?P<num>[A-Za-z]*\d+)\s*[、.．:：)）]\s*(?P<text>.+)$"
)
#: A number written plainly: digits with at most one decimal point (``2``, ``2.0``, ``.5``).
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
#: Looks like a number but is not written plainly: ``1,0`` (a decimal comma), ``1e1``, ``1.2.3``.
_NUMBER_LIKE = re.compile(r"[+-]?[\d.,]*\d[\d.,]*(?:e[+-]?\d+)?", re.IGNORECASE)


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


@dataclass(frozen=True)
class _Layout:
    respondent: str | None
    department: str
    role_level: str
    duration: str | None
    items: dict[str, str]  # column header -> item id
    ignored: list[str]


def _find_role_column(headers, role: str, override: str | None, problems, label) -> str | None:
    if override:
        if override in headers:
            return override
        problems.append(
            Problem(
                f"the column '{override}' named in client.yaml (survey.columns.{role}) is not in "
                "the file." + did_you_mean(override, headers),
                file=label,
                row=1,
                hint="correct survey.columns in client.yaml to a header of the file.",
            )
        )
        return None
    for h in headers:
        text = _strip_number(h)
        if normalise_label(text).replace("_", "") in _ROLE_HEADERS[role]:
            return h
    return None


def _strip_number(header: str) -> str:
    m = _QUESTION_PREFIX.match(header)
    return m.group("text") if m else header


def _match_item(header: str, bank: QuestionBank, wording: dict[str, str]) -> str | None:
    ids = {i.lower(): i for i in bank.item_index}
    if header.strip().lower() in ids:
        return ids[header.strip().lower()]
    m = _QUESTION_PREFIX.match(header)
    if m:
        if m.group("num").lower() in ids:
            return ids[m.group("num").lower()]
        return wording.get(normalise_label(m.group("text")))
    return wording.get(normalise_label(header))


def _layout(frame: pd.DataFrame, bank: QuestionBank, cols: SurveyColumns, label: str) -> _Layout:
    headers = list(frame.columns)
    problems: list[Problem] = []
    found = {
        role: _find_role_column(headers, role, getattr(cols, role), problems, label)
        for role in _ROLE_HEADERS
    }
    for role in ("department", "role_level"):
        if found[role] is None and getattr(cols, role) is None:
            problems.append(
                Problem(
                    f"no {role.replace('_', ' ')} column found.",
                    file=label,
                    row=1,
                    hint=(
                        f"add a column headed '{'部门' if role == 'department' else '岗位层级'}', "
                        f"or name the column in client.yaml under survey.columns.{role}."
                    ),
                )
            )
    wording = {}
    for item in bank.items:
        wording[normalise_label(item.text.zh)] = item.id
        wording[normalise_label(item.text.en)] = item.id
    items: dict[str, str] = {}
    ignored = []
    role_cols = {c for c in found.values() if c}
    item_like = re.compile(r"^[A-Za-z]{1,3}\d{1,3}$")
    for h in headers:
        if h in role_cols:
            continue
        item_id = _match_item(h, bank, wording)
        if item_id:
            if item_id in items.values():
                problems.append(
                    Problem(
                        f"item {item_id} appears in more than one column.",
                        file=label,
                        row=1,
                        column=h,
                        hint="delete the duplicate column.",
                    )
                )
            items[h] = item_id
        elif item_like.match(h.strip()):
            problems.append(
                Problem(
                    f"'{h}' looks like an item id but is not in question bank {bank.label}."
                    + did_you_mean(h, bank.item_index),
                    file=label,
                    row=1,
                    column=h,
                    hint="correct the header, or point survey.bank to the bank it came from.",
                )
            )
        else:
            ignored.append(h)
    missing = [i for i in bank.item_index if i not in items.values()]
    if missing and len(missing) < len(bank.items):
        problems.append(
            Problem(
                f"{len(missing)} item(s) of question bank {bank.label} have no column: "
                f"{', '.join(missing)}.",
                file=label,
                row=1,
                hint="export every question, or give the file's own bank in survey.bank.",
            )
        )
    elif not items:
        problems.append(
            Problem(
                f"no column matches an item of question bank {bank.label}.",
                file=label,
                row=1,
                hint="headers must be item ids (e.g. 'G01') or '12、<the item wording>'.",
            )
        )
    if problems:
        raise InputError(problems)
    return _Layout(
        respondent=found["respondent"],
        department=found["department"],
        role_level=found["role_level"],
        duration=found["duration"],
        items=items,
        ignored=[h for h in ignored if normalise_label(h) not in _METADATA_HEADERS],
    )


def _parse_duration(text: str) -> float:
    text = text.strip()
    if not text:
        return np.nan
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)\s*(秒|s|sec)?", text):
        return float(m.group(1))
    m = re.fullmatch(r"(?:(\d+)\s*分(?:钟)?)?\s*(?:(\d+)\s*秒)?", text)
    if m and (m.group(1) or m.group(2)):
        return float(m.group(1) or 0) * 60 + float(m.group(2) or 0)
    if m := re.fullmatch(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", text):
        parts = [int(p) for p in m.groups() if p is not None]
        return (
            float(parts[0] * 3600 + parts[1] * 60 + parts[2])
            if len(parts) == 3
            else float(parts[0] * 60 + parts[1])
        )
    return np.nan


class _NotAnAnswer(ValueError):
    """A cell that is not an answer on the scale: why not, and how to fix it."""

    def __init__(self, reason: str, hint: str):
        super().__init__(reason)
        self.reason, self.hint = reason, hint


def _parse_answer(text: str, scale: Scale, labels: dict[str, int | None]) -> int | None:
    """One non-blank cell as a point of the scale, or None for "not applicable".

    Numbers are read as written (``2``, ``2.0``, full-width digits, a trailing 分) and must be a
    whole number on the scale; a fraction, a decimal comma or an exponent raises
    :class:`_NotAnAnswer`, never rounded or rescaled. Other text must be a label of the scale.
    """
    plain = re.sub(r"\s*分$", "", unicodedata.normalize("NFKC", text)).strip()
    if _PLAIN_NUMBER.fullmatch(plain):
        number = float(plain)
        if not number.is_integer():
            raise _NotAnAnswer(
                "is not a whole number, so it is not an answer on the scale",
                "correct the cell to one of these answers, or leave it blank; a fraction is "
                "never rounded or rescaled.",
            )
        if scale.min <= number <= scale.max:
            return int(number)
    elif _NUMBER_LIKE.fullmatch(plain):
        raise _NotAnAnswer(
            "is not a plainly written number, so it is not an answer on the scale",
            f"write the answer as a whole number such as {scale.max}, without a comma or an "
            "exponent, or leave the cell blank.",
        )
    elif (key := normalise_label(plain)) in labels:
        return labels[key]
    raise _NotAnAnswer("is not an answer on the scale", "correct the cell or leave it blank.")


def _parse_answers(frame, layout, bank, label, problems):
    scale = bank.scale
    labels = scale.label_map()
    n = len(frame)
    values = np.full((n, len(layout.items)), np.nan)
    na = np.zeros((n, len(layout.items)), dtype=bool)
    expected = f"a whole number from {scale.min} to {scale.max}"
    label_texts = [p.zh for p in scale.points if p.zh]
    if label_texts:
        expected += f" or one of {'/'.join(label_texts)}"
    for j, (col, item_id) in enumerate(layout.items.items()):
        allow_na = bank.item_index[item_id].allow_na
        for i, cell in enumerate(frame[col].tolist()):
            text = str(cell).strip()
            if text.lower() in _BLANKS:
                continue
            where = {"file": label, "row": int(frame.index[i]) + 2, "column": col}
            try:
                value = _parse_answer(text, scale, labels)
            except _NotAnAnswer as bad:
                problems.append(
                    Problem(f"'{text}' {bad.reason}; expected {expected}.", **where, hint=bad.hint)
                )
                continue
            if value is not None:
                values[i, j] = value
                continue
            na[i, j] = True
            if not allow_na:
                problems.append(
                    Problem(
                        f"'{text}' (not applicable) is not an allowed answer to item {item_id}.",
                        **where,
                        hint="leave the cell blank if the respondent skipped it.",
                    )
                )
    ids = list(layout.items.values())
    return pd.DataFrame(values, columns=ids), pd.DataFrame(na, columns=ids)


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
        duration = (
            _parse_duration(str(frame[layout.duration].iat[i])) if layout.duration else np.nan
        )
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
        client.survey_file, label=label, sheet=survey.sheet, sheet_key="survey.sheet"
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
    layout = _layout(frame, client.bank, survey.columns, label)
    problems: list[Problem] = []
    answers, na = _parse_answers(frame, layout, client.bank, label, problems)
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
