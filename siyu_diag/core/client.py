"""The client folder: ``client.yaml`` and the files it names, validated with typed models."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..diagnosis.bank import QuestionBank, load_bank
from . import assets
from .checks import parse_model
from .errors import InputError, Problem
from .yamlfile import read_yaml

CLIENT_FILE = "client.yaml"
SAMPLE_PREFIX = "sample:"

Stage = Literal["launch", "conversion", "mature"]
Industry = Literal["restaurant", "fmcg", "education", "retail", "knowledge_ip", "other"]
ReportsTo = Literal[
    "ceo", "gm", "coo", "cmo", "sales_head", "ecommerce_head", "store_ops_head", "other"
]
TeamModel = Literal["outsourced_core", "own_with_consulting", "self_built"]
OrgForm = Literal["middle_platform", "amoeba", "functional", "project_team"]
Role = Literal[
    "lead", "content", "community", "growth", "data_analyst", "customer_service", "shopping_guide"
]
CORE_ROLES: tuple[str, ...] = ("lead", "content", "community", "growth", "data_analyst")
TOP_REPORTING_LINES = frozenset({"ceo", "gm", "coo"})


SLUG_RULE = (
    "a slug is 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit "
    "(e.g. 'acme-foods'), because it names the output folder"
)


def is_slug(text: str) -> bool:
    """Whether ``text`` can name a client's output folder (see :data:`SLUG_RULE`)."""
    return re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", text) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataConnected(_Strict):
    """Which customer systems are connected to one another (no data islands)."""

    crm: bool = False
    scrm: bool = False
    member: bool = False


class Organisation(_Strict):
    """Facts about the private-domain organisation, as the consultant recorded them."""

    lead_reports_to: ReportsTo
    team_model: TeamModel
    org_form: OrgForm
    roles: dict[Role, int] = Field(default_factory=dict)
    tools: tuple[str, ...] = ()
    data_connected: DataConnected = DataConnected()
    sub_brands: int = Field(default=1, ge=1)

    @field_validator("roles")
    @classmethod
    def _non_negative(cls, roles: dict[str, int]) -> dict[str, int]:
        bad = {k: v for k, v in roles.items() if v < 0}
        if bad:
            raise ValueError(f"headcounts must be 0 or more, found {bad}")
        return roles


class SurveyColumns(_Strict):
    """Header names of the respondent columns, when the export does not use the usual ones."""

    respondent: str | None = None
    department: str | None = None
    role_level: str | None = None
    duration: str | None = None


class Survey(_Strict):
    """Where the questionnaire answers are and how to read them."""

    file: str
    bank: str | None = None
    sheet: str | None = None
    columns: SurveyColumns = SurveyColumns()
    departments: dict[str, str] = Field(default_factory=dict)
    role_levels: dict[str, Literal["management", "frontline"]] = Field(default_factory=dict)
    min_group_size: int = Field(default=3, ge=1)
    min_seconds_per_item: float = Field(default=2.0, ge=0)
    exclude_flagged: bool = False


class PlanFiles(_Strict):
    """Where the planning chapter's inputs are (targets, channels, costs)."""

    file: str
    scenario: str | None = None


class IncentiveFiles(_Strict):
    """Where the incentive chapter's inputs are: the KPI scheme and optional actuals."""

    scheme: str
    actuals: str | None = None


class OperationsFiles(_Strict):
    """The client's exported operating data; any may be missing."""

    friends: str | None = None
    orders: str | None = None
    pushes: str | None = None
    kpi_tracking: str | None = None


class ClientConfig(_Strict):
    """Everything ``client.yaml`` may say."""

    brand: str = Field(min_length=1)
    slug: str
    industry: Industry
    stage: Stage
    date: dt.date
    consultant: str = Field(min_length=1)
    language: Literal["zh", "en"] = "zh"
    organisation: Organisation
    survey: Survey
    targets: dict[str, int] = Field(default_factory=dict)
    plan: PlanFiles | None = None
    incentives: IncentiveFiles | None = None
    operations: OperationsFiles | None = None

    def chapter_files(self) -> dict[str, str]:
        """Every chapter input file named in the configuration, by its dotted key."""
        files = {}
        for section in ("plan", "incentives", "operations"):
            value = getattr(self, section)
            if value is not None:
                files.update(
                    {
                        f"{section}.{k}": v
                        for k, v in value.model_dump().items()
                        if v and k != "scenario"
                    }
                )
        return files

    @field_validator("slug")
    @classmethod
    def _slug(cls, slug: str) -> str:
        if not is_slug(slug):
            raise ValueError(SLUG_RULE)
        return slug

    @field_validator("targets")
    @classmethod
    def _levels(cls, targets: dict[str, int]) -> dict[str, int]:
        bad = {k: v for k, v in targets.items() if not 1 <= v <= 5}
        if bad:
            raise ValueError(f"target levels must be between 1 and 5, found {bad}")
        return targets


@dataclass(frozen=True)
class Client:
    """A loaded client folder: its configuration, folder and question bank."""

    folder: Path
    config: ClientConfig
    bank: QuestionBank
    bank_file: Path

    @property
    def survey_file(self) -> Path:
        """The questionnaire export named in ``client.yaml``."""
        return self.folder / self.config.survey.file

    @property
    def input_files(self) -> dict[str, Path]:
        """Every input the report depends on, by the name the user gave it."""
        files = {CLIENT_FILE: self.folder / CLIENT_FILE, self.config.survey.file: self.survey_file}
        files[self.config.survey.bank or f"(default bank) {self.bank_file.name}"] = self.bank_file
        files.update({name: self.folder / name for name in self.config.chapter_files().values()})
        return files

    def path(self, relative: str) -> Path:
        """A file of the client folder (paths were checked to stay inside it when loading)."""
        return self.folder / relative


def resolve_client_dir(client_dir: str | Path) -> Path:
    """Turn ``sample:<slug>`` into a bundled sample folder; leave other paths as they are."""
    text = str(client_dir)
    if text.startswith(SAMPLE_PREFIX):
        name = text[len(SAMPLE_PREFIX) :]
        folder = assets.sample_clients_dir() / name
        if not (folder / CLIENT_FILE).is_file():
            known = sorted(p.parent.name for p in assets.sample_clients_dir().glob("*/client.yaml"))
            raise InputError(
                Problem(
                    f"there is no bundled sample client '{text}'.",
                    hint=f"use one of: {', '.join(SAMPLE_PREFIX + k for k in known)}.",
                )
            )
        return folder
    return Path(client_dir)


def _inside(folder: Path, relative: str, key: str, problems: list[Problem]) -> Path | None:
    path = Path(relative)
    if path.is_absolute() or not (folder / path).resolve().is_relative_to(folder.resolve()):
        problems.append(
            Problem(
                f"path '{relative}' leaves the client folder.",
                file=CLIENT_FILE,
                key=key,
                hint="put the file inside the client folder and give its path relative to it.",
            )
        )
        return None
    if not (folder / path).is_file():
        problems.append(
            Problem(
                f"file '{relative}' does not exist in the client folder.",
                file=CLIENT_FILE,
                key=key,
                hint=f"copy it to {folder / path} or correct the name.",
            )
        )
        return None
    return folder / path


def load_client(client_dir: str | Path) -> Client:
    """Load and validate a client folder, reporting every problem at once.

    Parameters
    ----------
    client_dir
        The folder holding ``client.yaml``, or ``sample:<slug>`` for a bundled sample.

    Returns
    -------
    Client
        The validated configuration with its question bank.

    Raises
    ------
    InputError
        Listing every problem found, each with its key and how to fix it.
    """
    folder = resolve_client_dir(client_dir)
    if not folder.is_dir():
        raise InputError(
            Problem(
                f"client folder '{folder}' does not exist.",
                hint="create it with `siyu-diag new <folder>`.",
            )
        )
    config = parse_model(ClientConfig, read_yaml(folder / CLIENT_FILE), CLIENT_FILE)
    problems: list[Problem] = []
    _inside(folder, config.survey.file, "survey.file", problems)
    bank_file = assets.default_bank_path()
    if config.survey.bank:
        bank_file = _inside(folder, config.survey.bank, "survey.bank", problems) or bank_file
    for key, relative in config.chapter_files().items():
        _inside(folder, relative, key, problems)
    if problems:
        raise InputError(problems)
    bank = load_bank(bank_file, label=config.survey.bank)
    dims = {d.id for d in bank.dimensions}
    unknown = [k for k in config.targets if k not in dims]
    if unknown:
        from .checks import did_you_mean

        raise InputError(
            [
                Problem(
                    f"'{k}' is not a dimension of question bank {bank.label}.",
                    file=CLIENT_FILE,
                    key=f"targets.{k}",
                    hint=(did_you_mean(k, dims).strip() or f"use one of {sorted(dims)}."),
                )
                for k in unknown
            ]
        )
    return Client(folder=folder, config=config, bank=bank, bank_file=bank_file)
