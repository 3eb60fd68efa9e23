"""Where each thing is in a survey export: the respondent columns, the item columns, the rest.

Headers are matched loosely (case, spaces and punctuation ignored): item ids (``G01``),
``<id>、wording`` and the survey platforms' ``12、<wording>``, matched on the item's wording in
either language; the platforms' metadata columns are recognised and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..core.checks import did_you_mean
from ..core.errors import InputError, Problem
from ..core.text import normalise_label
from .bank import QuestionBank
from .config import SurveyColumns

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
_QUESTION_PREFIX = re.compile(
    r"^\s*[Qq第]?\s*(?P<num>[A-Za-z]*\d+)\s*[、.．:：)）]\s*(?P<text>.+)$"
)


@dataclass(frozen=True)
class Layout:
    """The export's columns: respondent, department, role level, duration, items, ignored."""

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


def find_layout(frame: pd.DataFrame, bank: QuestionBank, cols: SurveyColumns, label: str) -> Layout:
    """Find every column of the export, or raise one error naming what is missing or unclear."""
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
    return Layout(
        respondent=found["respondent"],
        department=found["department"],
        role_level=found["role_level"],
        duration=found["duration"],
        items=items,
        ignored=[h for h in ignored if normalise_label(h) not in _METADATA_HEADERS],
    )
