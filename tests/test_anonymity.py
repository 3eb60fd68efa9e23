"""Anonymity of the whole survey and of every item: nothing is shown for fewer than the minimum.

Every survey is a tiny CSV written here with known answers (the tiny bank of conftest.py: a 1–5
scale, G02 reverse-keyed, C03 allows "not applicable").
"""

import math

import pytest

from siyu_diag import open_diagnosis, render_appendix, render_items
from siyu_diag.core import assets
from siyu_diag.core.client import load_client
from siyu_diag.core.errors import InputError
from siyu_diag.core.rules import load_rules
from siyu_diag.core.validate import validate_client
from siyu_diag.diagnosis.compute import diagnose
from siyu_diag.diagnosis.config import client_bank
from siyu_diag.diagnosis.results import build_results
from siyu_diag.diagnosis.survey import load_responses

FINDINGS_RULES = assets.data_path("rules", "findings-v1.yaml")

HEADER = ["编号", "部门", "岗位层级", "G01", "G02", "G03", "G04", "C01", "C02", "C03", "C04"]
VARIED = [[5, 1, 4, 4, 3, 2, 5, 4], [2, 4, 3, 1, 5, 5, 1, 4], [4, 2, 5, 3, 1, 4, 3, 4]]
ANONYMOUS = "the report never shows the answers of fewer people, to keep them anonymous."
FROM_CLIENT = "survey.min_group_size in client.yaml"


def _rows(answers, ids=None):
    ids = ids or [f"R{i + 1}" for i in range(len(answers))]
    return [[rid, "私域运营", "一线员工", *a] for rid, a in zip(ids, answers, strict=True)]


def _problem(load):
    with pytest.raises(InputError) as excinfo:
        load()
    (problem,) = excinfo.value.problems
    return problem


# ---------------------------------------------------------------- too few responses to score


def test_fewer_respondents_than_the_minimum_is_an_error_at_validation(make_client):
    folder = make_client(HEADER, _rows(VARIED[:2]))
    problem = _problem(lambda: load_responses(load_client(folder)))
    assert problem.message == (
        f"only 2 responses can be scored, fewer than the minimum of 3 ({FROM_CLIENT}); " + ANONYMOUS
    )
    assert problem.hint == "collect at least 1 more answer."
    assert (problem.file, problem.row, problem.column) == ("responses.csv", None, None)
    # `siyu-diag validate` and `run` stop here, before any notebook
    assert _problem(lambda: validate_client(folder)) == problem
    assert str(problem).startswith("responses.csv: only 2 responses can be scored")


def test_as_many_respondents_as_the_minimum_is_enough(make_client):
    folder = make_client(HEADER, _rows(VARIED), survey={"min_group_size": 3})
    assert len(load_responses(load_client(folder)).answers) == 3


def test_exclusions_that_leave_too_few_name_the_rows_left_out(make_client):
    # rows 3 and 4 answer 4 and 2 to all eight items: straight-lined
    answers = [VARIED[0], [4] * 8, [2] * 8, VARIED[1]]
    folder = make_client(HEADER, _rows(answers), survey={"exclude_flagged": True})
    problem = _problem(lambda: load_responses(load_client(folder)))
    assert problem.message == (
        f"only 2 responses can be scored, fewer than the minimum of 3 ({FROM_CLIENT}); "
        f"{ANONYMOUS} Of 4 responses read, 2 were left out (rows 3, 4: straight-lined or too "
        "fast, as survey.exclude_flagged is true)."
    )
    assert problem.hint == (
        "collect at least 1 more answer, or review the exclusions (rows 3, 4): "
        "survey.exclude_flagged: false in client.yaml keeps flagged responses."
    )
    # kept rather than excluded, the same four responses are enough
    folder = make_client(HEADER, _rows(answers), survey={"exclude_flagged": False})
    assert len(load_responses(load_client(folder)).answers) == 4


def test_a_survey_whose_every_response_is_excluded_is_an_error_not_a_crash(make_client):
    answers = [[4] * 8, [2] * 8, [5] * 8]
    folder = make_client(HEADER, _rows(answers), survey={"exclude_flagged": True})
    problem = _problem(lambda: open_diagnosis(folder))
    assert problem.message.startswith("only 0 responses can be scored, fewer than the minimum")
    assert problem.message.endswith(
        "Of 3 responses read, 3 were left out (rows 2, 3, 4: straight-lined or too fast, as "
        "survey.exclude_flagged is true)."
    )
    assert problem.hint.startswith("collect at least 3 more answers, or review the exclusions")


def test_a_repeated_respondent_id_counts_once(make_client):
    folder = make_client(HEADER, _rows(VARIED, ids=["R1", "R2", "R1"]))
    problem = _problem(lambda: load_responses(load_client(folder)))
    assert problem.message.endswith(
        "Of 3 responses read, 1 was left out (row 2: earlier answers of a repeated respondent id)."
    )
    assert problem.hint == "collect at least 1 more answer, or review the exclusions (row 2)."


def test_no_item_answered_by_the_minimum_is_an_error(make_client):
    # three people, but each item has at most two answers (G01, G02, C03, C04 have two)
    answers = [
        [5, 4, 3, "", "", "", 2, 2],
        ["", "", "", 4, 4, 4, 3, ""],
        [3, 3, "", "", "", "", "", 2],
    ]
    folder = make_client(HEADER, _rows(answers))
    problem = _problem(lambda: load_responses(load_client(folder)))
    assert problem.message == (
        f"no item has 3 or more answers (the minimum, {FROM_CLIENT}); the most any item has is "
        "2, so no figure can be shown without showing individual answers."
    )
    assert problem.hint.startswith("collect more answers")


# ---------------------------------------------------------------- the run's minimum


def test_the_runs_minimum_overrides_the_client_setting(make_client):
    folder = make_client(HEADER, _rows([*VARIED, VARIED[0]]))
    client = load_client(folder)
    run = "the minimum group size set for this run"
    problem = _problem(lambda: load_responses(client, min_group_size=5))
    assert problem.message == (
        f"only 4 responses can be scored, fewer than the minimum of 5 ({run}); {ANONYMOUS}"
    )
    # the diagnosis checks the run's minimum again (the notebook passes it)
    responses = load_responses(client)
    rules = load_rules(FINDINGS_RULES)
    assert (
        _problem(
            lambda: diagnose(client.config, client_bank(client), responses, rules, min_group_size=5)
        )
        == problem
    )
    assert _problem(lambda: open_diagnosis(folder, min_group_size=5)) == problem
    assert (
        diagnose(
            client.config, client_bank(client), responses, rules, min_group_size=4
        ).n_respondents
        == 4
    )
    # a smaller minimum for the run lets two responses through
    small = make_client(HEADER, _rows(VARIED[:2]))
    assert len(load_responses(load_client(small), min_group_size=2).answers) == 2


# ---------------------------------------------------------------- items answered by too few


def _withheld_folder(make_client, **survey):
    # C03 (allows N/A): R1 5, R2 1, R3 and R4 not applicable → 2 answers, fewer than 3.
    # C04: everyone 4.
    answers = [VARIED[0], VARIED[1], [4, 2, 5, 3, 1, 4, "不适用", 4], [3, 3, 3, 3, 3, 3, "N/A", 4]]
    return make_client(HEADER, _rows(answers), survey=survey)


def test_an_item_answered_by_fewer_than_the_minimum_shows_only_its_counts(make_client):
    chapter = open_diagnosis(_withheld_folder(make_client))
    dx = chapter.dx
    c03 = dx.items.set_index("item").loc["C03"]
    assert (c03["n"], c03["n_na"]) == (2, 2)
    assert all(math.isnan(c03[k]) for k in ("score", "agree", "disagree"))
    assert dx.distribution.loc["C03"].isna().all()
    assert "item.C03" not in dx.facts and "agree.C03" not in dx.facts
    # C04 (four answers) is shown: 4 → 75, agree 100%
    assert dx.items.set_index("item").loc["C04", "score"] == pytest.approx(75.0)
    assert dx.facts["agree.C04"] == 1.0
    # C03's answers still count in the sub-dimension, which rests on all four respondents:
    # C03 5, 1 → 100, 0 → 50; C04 → 75; "data" = (50 + 75) / 2 = 62.5
    subs = dx.subdimensions.set_index("subdimension")
    assert subs.loc["data", "score"] == pytest.approx(62.5)

    (item,) = [i for i in build_results(chapter).diagnosis.items if i.id == "C03"]
    assert (item.n, item.n_na, item.score, item.agree) == (2, 2, None, None)

    html = render_items(chapter).html
    assert "<strong>C03</strong>" not in html  # no distribution row, not among lowest/highest
    assert "<strong>C04</strong>" in html
    appendix = render_appendix(chapter).html
    assert "<td>C03</td>" in appendix
    row = appendix[appendix.index("<td>C03</td>") :].split("</tr>")[0]
    assert row.endswith('<td class="num">2</td><td class="num">—</td>')


def test_with_a_smaller_minimum_the_item_is_shown(make_client):
    dx = open_diagnosis(_withheld_folder(make_client, min_group_size=2)).dx
    c03 = dx.items.set_index("item").loc["C03"]
    # 5 and 1 → 100 and 0: score 50, one of two in the top two points
    assert (c03["score"], c03["agree"]) == (50.0, 0.5)
    assert dx.distribution.loc["C03", [1, 5]].tolist() == [0.5, 0.5]
    assert dx.facts["item.C03"] == 50.0
