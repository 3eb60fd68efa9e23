"""The bundled sample clients: reproducible, loadable, telling the stories they were built for."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from siyu_diag.core.client import load_client
from siyu_diag.diagnosis.config import client_bank
from siyu_diag.diagnosis.survey import load_responses

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
GENERATOR = SAMPLES / "generate.py"
SLUGS = ("xiangwei", "qingyang", "qiming")
WJX_PLATFORM_HEADERS = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def loaded():
    out = {}
    for slug in SLUGS:
        client = load_client(f"sample:{slug}")
        out[slug] = (client, load_responses(client))
    return out


@pytest.mark.parametrize("slug", SLUGS)
def test_regenerating_gives_byte_identical_files(regenerated, slug):
    # the files generate.py writes; the chapters' generators add their own files beside them
    fresh = sorted(p.name for p in (regenerated / slug).iterdir())
    assert all((SAMPLES / slug / name).is_file() for name in fresh)
    for name in fresh:
        assert (regenerated / slug / name).read_bytes() == (SAMPLES / slug / name).read_bytes(), (
            f"{slug}/{name} differs from a fresh run of generate.py; run it again and commit"
        )


@pytest.mark.parametrize("slug", SLUGS)
def test_sample_loads_with_respondent_count_in_range(loaded, slug):
    client, responses = loaded[slug]
    assert client.config.slug == slug
    assert 20 <= len(responses.answers) <= 60
    assert set(responses.respondents["role_level"]) == {"management", "frontline"}
    assert responses.answers.notna().to_numpy().mean() > 0.5


def test_xiangwei_export_is_gbk_with_platform_headers(loaded):
    client, _ = loaded["xiangwei"]
    raw = client.path(client.config.survey.file).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    header = text.splitlines()[0].split(",")
    assert tuple(header[: len(WJX_PLATFORM_HEADERS)]) == WJX_PLATFORM_HEADERS
    assert header[6:8] == ["1、您所在的部门：", "2、您的岗位层级："]
    assert "(跳过)" in text and "不适用" in text and "非常同意" in text


def test_xiangwei_plants_the_data_quality_cases(loaded):
    _, responses = loaded["xiangwei"]
    kinds = set(responses.quality["kind"])
    assert {"straight_lining", "speeding", "small_group"} <= kinds
    small = responses.quality[responses.quality["kind"] == "small_group"]
    assert list(small["subject"]) == ["财务部"]


def test_qingyang_and_qiming_use_their_own_answer_formats(loaded):
    _, qingyang = loaded["qingyang"]
    assert qingyang.not_applicable.to_numpy().any()
    client, _ = loaded["qiming"]
    text = client.path(client.config.survey.file).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    assert "比较符合" in text and "完全不符合" in text
    assert any(cell in {"1", "2", "3", "4", "5"} for cell in text.split(","))


# ------------------------------------------------------------------ stories, from the raw answers


def _group_scores(client, responses, by: str) -> pd.DataFrame:
    """Mean 0–100 score per group and dimension on the items everyone is asked."""
    bank = client_bank(client)
    items = [i for i in bank.items if i.audience == "all"]
    lo, hi = bank.scale.min, bank.scale.max
    scores = pd.DataFrame(index=responses.answers.index)
    for dim in bank.dimensions:
        cols = [i for i in items if i.dimension == dim.id]
        part = pd.concat(
            [
                (hi - responses.answers[i.id] if i.reverse else responses.answers[i.id] - lo)
                / (hi - lo)
                * 100
                for i in cols
            ],
            axis=1,
        )
        scores[dim.id] = part.mean(axis=1)
    return scores.groupby(responses.respondents[by]).mean()


def _dimension_scores(client, responses) -> pd.Series:
    bank = client_bank(client)
    lo, hi = bank.scale.min, bank.scale.max
    by_sub = {}
    for item in bank.items:
        x = responses.answers[item.id]
        score = ((hi - x) if item.reverse else (x - lo)) / (hi - lo) * 100
        by_sub.setdefault((item.dimension, item.subdimension), []).append(score.mean())
    subs = pd.Series({k: np.mean(v) for k, v in by_sub.items()})
    return subs.groupby(level=0).mean()


@pytest.mark.parametrize("slug", SLUGS)
def test_scores_stay_realistic(loaded, slug):
    dims = _dimension_scores(*loaded[slug])
    assert dims.between(25, 85).all(), dims


def test_xiangwei_stores_feel_left_out(loaded):
    depts = _group_scores(*loaded["xiangwei"], by="department")
    for dim in ("collaboration", "incentives"):
        assert depts.loc["operations", dim] - depts.loc["stores", dim] >= 15


def test_qingyang_marketing_and_operations_disagree(loaded):
    depts = _group_scores(*loaded["qingyang"], by="department")
    for dim in ("collaboration", "incentives"):
        assert depts.loc["marketing", dim] - depts.loc["operations", dim] >= 15


def test_qiming_strong_goals_weak_growth_overrated_by_managers(loaded):
    client, responses = loaded["qiming"]
    dims = _dimension_scores(client, responses)
    assert dims["goals"] >= 65 and dims["growth"] <= 45
    roles = _group_scores(client, responses, by="role_level")
    assert roles.loc["management", "growth"] - roles.loc["frontline", "growth"] >= 15
