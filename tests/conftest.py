"""Shared fixtures: a tiny question bank and a factory for minimal client folders in tmp_path."""

import copy
import csv
import io

import openpyxl
import pytest
import yaml


def _point(value, zh, en, *aliases):
    return {"value": value, "zh": zh, "en": en, "aliases": list(aliases)}


def _item(item_id, dim, sub, zh, en, **flags):
    item = {"id": item_id, "dimension": dim, "subdimension": sub, "text": {"zh": zh, "en": en}}
    return item | flags


# 2 dimensions x 2 sub-dimensions x 2 items; G02 is reverse-keyed, C03 allows "not applicable".
TINY_BANK = {
    "id": "tiny",
    "version": "0.1",
    "title": {"zh": "小题库", "en": "Tiny bank"},
    "scale": {
        "min": 1,
        "max": 5,
        "points": [
            _point(1, "非常不同意", "Strongly disagree", "完全不符合"),
            _point(2, "不同意", "Disagree", "比较不符合"),
            _point(3, "一般", "Neutral", "说不清"),
            _point(4, "同意", "Agree", "比较符合"),
            _point(5, "非常同意", "Strongly agree", "完全符合"),
        ],
        "not_applicable": {"zh": "不适用", "en": "Not applicable", "aliases": ["N/A"]},
    },
    "dimensions": [
        {
            "id": "goals",
            "name": {"zh": "目标", "en": "Goals"},
            "subdimensions": [
                {"id": "stage_fit", "name": {"zh": "指标与阶段匹配", "en": "Stage fit"}},
                {"id": "basis", "name": {"zh": "目标测算依据", "en": "Target basis"}},
            ],
        },
        {
            "id": "collaboration",
            "name": {"zh": "协同", "en": "Collaboration"},
            "subdimensions": [
                {"id": "sop", "name": {"zh": "交接标准", "en": "Hand-off SOP"}},
                {"id": "data", "name": {"zh": "数据打通", "en": "Connected data"}},
            ],
        },
    ],
    "items": [
        _item("G01", "goals", "stage_fit", "考核指标随阶段调整", "KPIs change with the stage"),
        _item(
            "G02",
            "goals",
            "stage_fit",
            "起盘期就被要求完成GMV",
            "A GMV target was set at launch",
            reverse=True,
        ),
        _item("G03", "goals", "basis", "目标来自历史数据", "Targets come from history"),
        _item(
            "G04", "goals", "basis", "转化目标先小范围测试", "Conversion targets are tested first"
        ),
        _item(
            "C01", "collaboration", "sop", "每个交接环节都有标准", "Every hand-off has a standard"
        ),
        _item(
            "C02", "collaboration", "sop", "交接问题当周解决", "Hand-off issues are fixed weekly"
        ),
        _item(
            "C03",
            "collaboration",
            "data",
            "会员系统与企微打通",
            "Member data is linked to WeCom",
            allow_na=True,
        ),
        _item(
            "C04", "collaboration", "data", "每周看同一份数据", "Everyone reads one weekly report"
        ),
    ],
}

CLIENT = {
    "brand": "启明茶饮",
    "slug": "qiming-tea",
    "industry": "restaurant",
    "stage": "conversion",
    "date": "2026-03-16",
    "consultant": "林晓",
    "organisation": {
        "lead_reports_to": "coo",
        "team_model": "own_with_consulting",
        "org_form": "functional",
        "roles": {"lead": 1, "content": 2},
    },
    "survey": {"file": "responses.csv"},
}


def write_yaml(path, data):
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_table(path, header, rows, encoding="utf-8"):
    """Write a CSV in ``encoding`` or, for a .xlsx name, a workbook with typed cells."""
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(list(header))
        for row in rows:
            wb.active.append(list(row))
        wb.save(path)
        return
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))


@pytest.fixture
def tiny_bank():
    return copy.deepcopy(TINY_BANK)


@pytest.fixture
def client_config():
    return copy.deepcopy(CLIENT)


@pytest.fixture
def make_client(tmp_path):
    """Build ``tmp_path/acme`` with client.yaml, optionally the tiny bank and a responses file.

    ``config`` replaces client.yaml entirely; otherwise the base config is used with
    ``survey.file = file``, ``survey.bank = bank.yaml`` (when ``bank``) and ``survey`` merged in.
    """

    def make(
        header=None,
        rows=(),
        *,
        file="responses.csv",
        encoding="utf-8",
        survey=None,
        bank=True,
        config=None,
    ):
        folder = tmp_path / "acme"
        folder.mkdir(exist_ok=True)
        if config is None:
            config = copy.deepcopy(CLIENT)
            config["survey"] = {"file": file} | ({"bank": "bank.yaml"} if bank else {})
            config["survey"] |= survey or {}
        write_yaml(folder / "client.yaml", config)
        if bank:
            write_yaml(folder / "bank.yaml", TINY_BANK)
        if header is not None:
            (folder / file).parent.mkdir(parents=True, exist_ok=True)
            write_table(folder / file, header, rows, encoding)
        return folder

    return make
