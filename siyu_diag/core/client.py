"""The client folder: ``client.yaml`` and the files it names, validated with typed models."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from . import assets
from .chapters import registry, resolve
from .checks import parse_model
from .errors import InputError, Problem
from .yamlfile import read_yaml

CLIENT_FILE = "client.yaml"
SAMPLE_PREFIX = "sample:"

Stage = Literal["launch", "conversion", "mature"]
Industry = Literal["restaurant", "fmcg", "education", "retail", "knowledge_ip", "other"]

SLUG_RULE = (
    "a slug is 1 to 63 lower-case letters, digits and hyphens, starting with a letter or digit "
    "(e.g. 'acme-foods'), because it names the output folder"
)


def is_slug(text: str) -> bool:
    """Whether ``text`` can name a client's output folder (see :data:`SLUG_RULE`)."""
    return re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", text) is not None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientConfig(_Strict):
    """What ``client.yaml`` says of every client; each chapter adds its own keys.

    The model a client folder is validated with is :func:`client_model`: this class with the
    keys of every registered chapter (:mod:`siyu_diag.core.chapters`), e.g. ``survey`` or
    ``plan``, read as attributes.
    """

    brand: str = Field(min_length=1)
    slug: str
    industry: Industry
    stage: Stage
    date: dt.date
    consultant: str = Field(min_length=1)
    language: Literal["zh", "en"] = "zh"

    @field_validator("slug")
    @classmethod
    def _slug(cls, slug: str) -> str:
        if not is_slug(slug):
            raise ValueError(SLUG_RULE)
        return slug


@cache
def client_model() -> type[ClientConfig]:
    """The model of ``client.yaml``: :class:`ClientConfig` with every chapter's keys."""
    fields: dict[str, Any] = {}
    for spec in registry():
        fields.update(resolve(spec.sections)())
    return create_model("ClientConfig", __base__=ClientConfig, **fields)


def named_files(config: ClientConfig) -> dict[str, str]:
    """Every input file ``client.yaml`` names, by its dotted key, in the chapters' order."""
    named: dict[str, str] = {}
    for spec in registry():
        if spec.files:
            named.update(resolve(spec.files)(config))
    return named


@dataclass(frozen=True)
class Client:
    """A loaded client folder: its folder and its validated configuration."""

    folder: Path
    config: ClientConfig

    @property
    def input_files(self) -> dict[str, Path]:
        """``client.yaml`` and every file it names, by the name the user gave it."""
        files = {CLIENT_FILE: self.folder / CLIENT_FILE}
        files.update({name: self.folder / name for name in named_files(self.config).values()})
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


def check_inside(folder: Path, named: dict[str, str]) -> None:
    """Every named file is inside ``folder`` and exists; one error listing those that are not.

    Parameters
    ----------
    folder
        The client folder.
    named
        ``{dotted key of client.yaml: path relative to the folder}``; empty paths are skipped.
    """
    problems = []
    for key, relative in named.items():
        if not relative:
            continue
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
        elif not (folder / path).is_file():
            problems.append(
                Problem(
                    f"file '{relative}' does not exist in the client folder.",
                    file=CLIENT_FILE,
                    key=key,
                    hint=f"copy it to {folder / path} or correct the name.",
                )
            )
    if problems:
        raise InputError(problems)


def load_client(client_dir: str | Path) -> Client:
    """Load and validate a client folder, reporting every problem at once.

    Parameters
    ----------
    client_dir
        The folder holding ``client.yaml``, or ``sample:<slug>`` for a bundled sample.

    Returns
    -------
    Client
        The validated configuration.

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
    config = parse_model(client_model(), read_yaml(folder / CLIENT_FILE), CLIENT_FILE)
    check_inside(folder, named_files(config))
    return Client(folder=folder, config=config)
