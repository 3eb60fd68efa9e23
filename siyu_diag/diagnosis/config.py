"""The diagnosis chapter's part of ``client.yaml``: the organisation, the survey and the targets.

The framework builds the whole ``client.yaml`` model from every chapter's :func:`sections`
(:func:`siyu_diag.core.client.client_model`); this module also finds the client's question
bank (:func:`client_bank`) and checks the targets against its dimensions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from ..core import assets
from ..core.checks import did_you_mean
from ..core.client import CLIENT_FILE, Client
from ..core.errors import InputError, Problem
from .bank import QuestionBank, load_bank

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


def _empty_as_none(value: Any) -> Any:
    """A key written with nothing under it (every line commented out) holds no facts."""
    return {} if value is None else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataConnected(_Strict):
    """Which customer systems are connected to one another (no data islands); None: unknown."""

    crm: bool | None = None
    scrm: bool | None = None
    member: bool | None = None


class Organisation(_Strict):
    """Facts about the private-domain organisation, as the consultant recorded them.

    Every fact is either given or unknown (None, the key left out): no finding rests on a fact
    nobody gave, and the report lists the unknown ones as facts to confirm. ``roles``, once
    given, counts every role it does not list as 0.
    """

    lead_reports_to: ReportsTo | None = None
    team_model: TeamModel | None = None
    org_form: OrgForm | None = None
    roles: dict[Role, int] | None = None
    tools: tuple[str, ...] | None = None
    data_connected: Annotated[DataConnected, BeforeValidator(_empty_as_none)] = DataConnected()
    sub_brands: int | None = Field(default=None, ge=1)

    @field_validator("roles")
    @classmethod
    def _non_negative(cls, roles: dict[str, int] | None) -> dict[str, int] | None:
        bad = {k: v for k, v in (roles or {}).items() if v < 0}
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


def _target_levels(targets: dict[str, int]) -> dict[str, int]:
    bad = {k: v for k, v in targets.items() if not 1 <= v <= 5}
    if bad:
        raise ValueError(f"target levels must be between 1 and 5, found {bad}")
    return targets


def sections() -> dict[str, tuple[Any, Any]]:
    """The chapter's keys of ``client.yaml``: ``{key: (annotation, default)}`` (``...``: needed)."""
    targets = Annotated[dict[str, int], AfterValidator(_target_levels)]
    organisation = Annotated[Organisation, BeforeValidator(_empty_as_none)]
    return {
        "organisation": (organisation, Organisation()),
        "survey": (Survey, ...),
        "targets": (targets, Field(default_factory=dict)),
    }


#: The organisation facts a consultant is asked for, as dotted keys of ``client.yaml``.
FACT_KEYS = (
    "organisation.lead_reports_to",
    "organisation.team_model",
    "organisation.org_form",
    "organisation.roles",
    "organisation.sub_brands",
    "organisation.data_connected.crm",
    "organisation.data_connected.scrm",
    "organisation.data_connected.member",
)


def unknown_facts(config: Any) -> list[str]:
    """The organisation facts ``client.yaml`` does not give (:data:`FACT_KEYS` order)."""
    unknown = []
    for key in FACT_KEYS:
        value: Any = config
        for part in key.split("."):
            value = getattr(value, part)
        if value is None:
            unknown.append(key)
    return unknown


def files(config: Any) -> dict[str, str]:
    """The input files the chapter's keys name: ``{key: path}``."""
    named = {"survey.file": config.survey.file}
    if config.survey.bank:
        named["survey.bank"] = config.survey.bank
    return named


def bank_file(client: Client) -> Path:
    """The client's question bank file: its own (``survey.bank``), else the default."""
    own = client.config.survey.bank
    return client.path(own) if own else assets.default_bank_path()


def client_bank(client: Client) -> QuestionBank:
    """Load the client's question bank and check ``targets`` against its dimensions.

    Raises
    ------
    InputError
        When the bank is unusable, or a target names a dimension the bank does not have.
    """
    bank = load_bank(bank_file(client), label=client.config.survey.bank)
    dims = {d.id for d in bank.dimensions}
    unknown = [k for k in client.config.targets if k not in dims]
    if unknown:
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
    return bank
