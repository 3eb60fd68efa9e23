from pathlib import Path

import pydantic
import pytest

from siyu_diag.core import assets
from siyu_diag.core.client import load_client, resolve_client_dir
from siyu_diag.core.errors import InputError
from siyu_diag.diagnosis.config import bank_file, client_bank

HEADER = ["编号", "部门", "岗位层级", "G01"]


def _problems(folder):
    with pytest.raises(InputError) as excinfo:
        load_client(folder)
    return excinfo.value.problems


def _by_key(problems):
    keys = [p.key for p in problems]
    assert len(set(keys)) == len(keys), keys
    return {p.key: p for p in problems}


def test_a_valid_folder_loads_with_its_own_bank(make_client):
    folder = make_client(HEADER)
    client = load_client(folder)

    assert client.folder == folder
    assert client.config.brand == "启明茶饮"
    assert client.config.stage == "conversion"
    assert client.config.language == "zh"
    assert client.config.organisation.roles == {"lead": 1, "content": 2}
    assert client_bank(client).label == "tiny@0.1"
    assert client.input_files == {
        "client.yaml": folder / "client.yaml",
        "responses.csv": folder / "responses.csv",
        "bank.yaml": folder / "bank.yaml",
    }
    with pytest.raises(pydantic.ValidationError):
        client.config.brand = "changed"


def test_without_a_bank_the_default_bank_is_used(make_client):
    client = load_client(make_client(HEADER, bank=False))
    assert client_bank(client).label == "siyu-org@1.0"
    assert bank_file(client) == assets.default_bank_path()


def test_unknown_top_level_key_suggests_the_right_one(make_client, client_config):
    client_config["consultent"] = client_config.pop("consultant")
    problems = _by_key(_problems(make_client(config=client_config)))

    assert set(problems) == {"consultent", "consultant"}
    unknown = problems["consultent"]
    assert unknown.file == "client.yaml"
    assert unknown.message == (
        "unknown key 'consultent'. Allowed keys here: brand, consultant, date, incentives, "
        "industry, language, operations, organisation, plan, slug, stage, survey, targets."
    )
    assert unknown.hint == "Did you mean 'consultant'?"
    assert problems["consultant"].message == "This key is required but missing."


def test_unknown_nested_key_suggests_the_right_one(make_client, client_config):
    org = client_config["organisation"]
    org["team_modle"] = org.pop("team_model")
    problems = _by_key(_problems(make_client(config=client_config)))

    unknown = problems["organisation.team_modle"]
    assert unknown.message == (
        "unknown key 'team_modle'. Allowed keys here: data_connected, lead_reports_to, org_form, "
        "roles, sub_brands, team_model, tools."
    )
    assert unknown.hint == "Did you mean 'team_model'?"
    assert set(problems) == {"organisation.team_modle"}  # team_model itself: unknown, not wrong
    assert "client.yaml, key 'organisation.team_modle': unknown key" in str(unknown)


def test_unknown_key_two_levels_down(make_client, client_config):
    client_config["survey"]["columns"] = {"respondant": "编号"}
    (problem,) = _problems(make_client(config=client_config))
    assert problem.key == "survey.columns.respondant"
    assert problem.hint == "Did you mean 'respondent'?"


def test_unknown_key_without_a_close_match_says_how_to_fix(make_client, client_config):
    client_config["zzz"] = 1
    (problem,) = _problems(make_client(config=client_config))
    assert problem.key == "zzz"
    assert problem.hint == "remove it or correct its spelling."


def test_bad_enum_value_names_the_key_and_the_choices(make_client, client_config):
    client_config["stage"] = "growth"
    (problem,) = _problems(make_client(config=client_config))
    assert (problem.file, problem.key) == ("client.yaml", "stage")
    assert "'launch', 'conversion' or 'mature'" in problem.message
    assert problem.message == "Expected one of 'launch', 'conversion' or 'mature'; found 'growth'."


def test_bad_slug(make_client, client_config):
    client_config["slug"] = "Qiming Tea"
    (problem,) = _problems(make_client(config=client_config))
    assert problem.key == "slug"
    assert "lower-case letters, digits and hyphens" in problem.message
    assert problem.message.endswith("names the output folder; found 'Qiming Tea'.")


def test_negative_headcount(make_client, client_config):
    client_config["organisation"]["roles"]["content"] = -1
    (problem,) = _problems(make_client(config=client_config))
    assert problem.key == "organisation.roles"
    assert "headcounts must be 0 or more, found {'content': -1}" in problem.message


@pytest.mark.parametrize("level", [0, 6])
def test_target_level_outside_1_to_5(make_client, client_config, level):
    client_config["targets"] = {"goals": level}
    (problem,) = _problems(make_client(config=client_config))
    assert problem.key == "targets"
    assert f"target levels must be between 1 and 5, found {{'goals': {level}}}" in problem.message


def test_unknown_dimensions_in_targets_are_reported_together(make_client):
    folder = make_client(HEADER)
    client = load_client(folder)
    assert client.config.targets == {}
    config_text = (folder / "client.yaml").read_text(encoding="utf-8")
    targets = "targets:\n  goal: 3\n  xyz: 2\n  collaboration: 4\n"
    (folder / "client.yaml").write_text(config_text + targets, encoding="utf-8")

    with pytest.raises(InputError) as excinfo:
        client_bank(load_client(folder))  # the targets are the diagnosis chapter's to check
    problems = {p.key: p for p in excinfo.value.problems}
    assert set(problems) == {"targets.goal", "targets.xyz"}
    goal = problems["targets.goal"]
    assert goal.file == "client.yaml"
    assert goal.message == "'goal' is not a dimension of question bank tiny@0.1."
    assert goal.hint == "Did you mean 'goals'?"
    assert problems["targets.xyz"].hint == "use one of ['collaboration', 'goals']."


def test_survey_file_may_not_leave_the_folder(make_client, tmp_path):
    (tmp_path / "x.csv").write_text("编号\n", encoding="utf-8")  # it exists, but outside
    for path in ("../x.csv", str(tmp_path / "x.csv")):
        (problem,) = _problems(make_client(file=path))
        assert (problem.file, problem.key) == ("client.yaml", "survey.file")
        assert problem.message == f"path '{path}' leaves the client folder."
        assert "inside the client folder" in problem.hint


def test_missing_survey_file(make_client):
    folder = make_client(file="survey.csv")
    (problem,) = _problems(folder)
    assert problem.key == "survey.file"
    assert problem.message == "file 'survey.csv' does not exist in the client folder."
    assert str(folder / "survey.csv") in problem.hint


def test_path_problems_are_reported_together(make_client, client_config):
    client_config["survey"] = {"file": "../x.csv", "bank": "banks/mine.yaml"}
    problems = _by_key(_problems(make_client(config=client_config)))
    assert set(problems) == {"survey.file", "survey.bank"}
    assert problems["survey.bank"].message == (
        "file 'banks/mine.yaml' does not exist in the client folder."
    )


def test_every_field_problem_is_reported_at_once(make_client, client_config):
    client_config["consultent"] = client_config.pop("consultant")
    client_config["stage"] = "growth"
    client_config["slug"] = "Qiming Tea"
    client_config["organisation"]["roles"]["content"] = -1
    with pytest.raises(InputError) as excinfo:
        load_client(make_client(config=client_config))
    problems = excinfo.value.problems
    assert len(problems) == 5
    assert {p.key for p in problems} == {
        "consultent",
        "consultant",
        "stage",
        "slug",
        "organisation.roles",
    }
    assert str(excinfo.value).startswith("5 problems found:")


def test_missing_client_yaml(tmp_path):
    (problem,) = _problems(tmp_path)
    assert (problem.file, problem.message) == ("client.yaml", "file not found.")
    assert problem.hint == f"create {tmp_path / 'client.yaml'}."


def test_invalid_yaml_names_the_line(tmp_path):
    text = "brand: 启明\nslug: qiming\nindustry: retail\n  stage: launch\n"
    (tmp_path / "client.yaml").write_text(text, encoding="utf-8")
    (problem,) = _problems(tmp_path)
    assert (problem.file, problem.row) == ("client.yaml", 4)
    # libyaml ends the sentence "in this context.", the pure-Python parser "here."
    assert problem.message.startswith("is not valid YAML: mapping values are not allowed ")
    assert "indentation" in problem.hint


def test_client_yaml_that_is_not_utf8(tmp_path):
    (tmp_path / "client.yaml").write_bytes("brand: 启明茶饮\n".encode("utf-16"))
    (problem,) = _problems(tmp_path)
    assert (problem.file, problem.message) == ("client.yaml", "is not UTF-8 text.")


def test_client_yaml_that_is_not_a_mapping(tmp_path):
    (tmp_path / "client.yaml").write_text("- brand\n- slug\n", encoding="utf-8")
    (problem,) = _problems(tmp_path)
    assert (problem.file, problem.message) == (
        "client.yaml",
        "must be a mapping of keys to values.",
    )


def test_missing_folder(tmp_path):
    folder = tmp_path / "nowhere"
    (problem,) = _problems(folder)
    assert problem.message == f"client folder '{folder}' does not exist."
    assert problem.hint == "create it with `siyu-diag new <folder>`."


@pytest.fixture
def samples(tmp_path, monkeypatch):
    root = tmp_path / "samples"
    for name in ("beta", "alpha"):
        (root / name).mkdir(parents=True)
        (root / name / "client.yaml").write_text("brand: x\n", encoding="utf-8")
    (root / "notes").mkdir()  # no client.yaml: not a sample
    monkeypatch.setattr(assets, "sample_clients_dir", lambda: root)
    return root


def test_sample_prefix_resolves_to_a_bundled_sample(samples):
    assert resolve_client_dir("sample:alpha") == samples / "alpha"
    assert resolve_client_dir("clients/acme") == Path("clients/acme")


def test_unknown_sample_lists_the_known_ones(samples):
    for name in ("gamma", "notes"):
        with pytest.raises(InputError) as excinfo:
            load_client(f"sample:{name}")
        (problem,) = excinfo.value.problems
        assert problem.message == f"there is no bundled sample client 'sample:{name}'."
        assert problem.hint == "use one of: sample:alpha, sample:beta."


def test_chapter_files_must_exist_inside_the_folder(make_client, client_config):
    client_config["plan"] = {"file": "plan.yaml"}
    client_config["operations"] = {"orders": "../orders.csv"}
    problems = _by_key(_problems(make_client(HEADER, config=client_config)))
    assert set(problems) == {"plan.file", "operations.orders"}
    assert "does not exist" in problems["plan.file"].message
    assert "leaves the client folder" in problems["operations.orders"].message
