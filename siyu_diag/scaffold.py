"""Scaffold a new client folder: a commented ``client.yaml`` and a questionnaire workbook."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .core import assets, vocab
from .core.cells import write_cell
from .core.client import CLIENT_FILE, SLUG_RULE, is_slug
from .core.errors import InputError, Problem
from .diagnosis.bank import QuestionBank, load_bank

QUESTIONNAIRE_FILE = "questionnaire.xlsx"
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")


def _slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "client"


def write_questionnaire(bank: QuestionBank, path: Path, lang: str = "zh") -> Path:
    """Write a blank questionnaire workbook for respondents, generated from ``bank``.

    Sheet 1 has one row per respondent with drop-down lists for department, level and every
    answer (the scale's labels, plus "not applicable" where allowed); sheet 2 explains how to
    answer.
    The headers are ``<item id>、<wording>``, which the loader reads back.
    """
    wb = Workbook()
    sheet = wb.active
    sheet.title = "问卷" if lang == "zh" else "Answers"
    guide = wb.create_sheet("说明" if lang == "zh" else "Guide")
    scale = bank.scale
    labels = [scale.label(v, lang) for v in range(scale.min, scale.max + 1)]
    lines = (
        [
            bank.title.zh,
            "",
            "请每位参与者在“问卷”表中填写一行：部门、岗位层级，然后对每条描述按实际情况选择。",
            f"评分：{' / '.join(labels)}。",
            "只按实际发生的做法作答，不确定的题目可留空；标注“不适用”选项的题目可选择“不适用”。",
            "答卷匿名汇总，人数少于 3 人的群体不会单独展示。",
        ]
        if lang == "zh"
        else [
            bank.title.en,
            "",
            "Each participant fills one row of the 'Answers' sheet: department, "
            "level, then one answer per statement.",
            f"Scale: {' / '.join(labels)}.",
            "Answer from what actually happens; leave unsure items blank.",
            "Answers are pooled; groups of fewer than 3 people are never shown on their own.",
        ]
    )
    for i, line in enumerate(lines, start=1):
        write_cell(guide, i, 1, line)
    guide.column_dimensions["A"].width = 100
    headers = ["编号", "部门", "岗位层级"] + [f"{it.id}、{it.text.get(lang)}" for it in bank.items]
    # a bank may be the client's own: its title and wording are written as text, never formulas
    for col, text in enumerate(headers, start=1):
        cell = write_cell(sheet, 1, col, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = 12 if col <= 3 else 24
    sheet.row_dimensions[1].height = 110
    sheet.freeze_panes = "D2"
    depts = vocab.departments()
    lists = {
        2: [depts.name(d, lang) for d in depts.names],
        3: [vocab.role_levels().name(r, lang) for r in ("management", "frontline")],
    }
    na = scale.not_applicable.zh if lang == "zh" else scale.not_applicable.en
    for col, it in enumerate(bank.items, start=4):
        lists[col] = labels + ([na] if it.allow_na else [])
    for col, options in lists.items():
        letter = sheet.cell(row=1, column=col).column_letter
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
        dv.add(f"{letter}2:{letter}500")
        sheet.add_data_validation(dv)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def new_client(
    folder: str | Path, *, brand: str | None = None, slug: str | None = None, force: bool = False
) -> Path:
    """Create a client folder with a commented ``client.yaml`` and a blank questionnaire.

    Raises
    ------
    InputError
        When the folder already holds a ``client.yaml`` and ``force`` is False, or ``slug``
        is not a valid slug.
    """
    folder = Path(folder)
    name = folder.resolve().name  # `new .` names the client after the current folder
    slug = slug or _slugify(name)
    if not is_slug(slug):
        raise InputError(
            Problem(
                f"'{slug}' cannot be used as the slug: {SLUG_RULE}.",
                key="slug",
                hint="pass --slug with letters, digits and hyphens only, e.g. --slug acme-foods.",
            )
        )
    target = folder / CLIENT_FILE
    if target.exists() and not force:
        raise InputError(
            Problem(
                f"{target} already exists.",
                hint="choose another folder, or pass --force to overwrite it.",
            )
        )
    brand = brand or name
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(assets.template_path("client"))),
        autoescape=False,
        keep_trailing_newline=True,
    )
    text = env.get_template("client.yaml.j2").render(
        brand=_yaml_string(brand),
        slug=slug,
        date=dt.date.today().isoformat(),
    )
    folder.mkdir(parents=True, exist_ok=True)
    write_questionnaire(load_bank(), folder / QUESTIONNAIRE_FILE)
    target.write_text(text, encoding="utf-8")
    return folder


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
