"""The scenario file format, version 1, as pydantic models (and so as JSON Schema).

These models check the *shape* of a scenario document: which keys exist, which are
required, and the type of each value. Meaning (that move names exist, that every profile
has a payoff, that expressions evaluate) is checked by :mod:`sim.scenario`, which also turns
pydantic's errors into ``path:line:col`` messages. The user documentation of the format is
``scenarios/README.md``.

>>> sorted(scenario_json_schema()["properties"])[:4]
['claims', 'description', 'kind', 'parameters']
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

__all__ = [
    "ClaimSpec",
    "DistributionSpec",
    "MoveSpec",
    "ParameterSpec",
    "PlayerSpec",
    "ScenarioSpec",
    "scenario_json_schema",
]

SCHEMA_ID = "https://negotiation-sim.invalid/schema/scenario-v1.json"

Number = Annotated[
    StrictInt | StrictFloat | StrictStr,
    Field(description="A number: integer, decimal (exact) or a fraction string such as '2/3'."),
]
Payoff = Annotated[
    StrictInt | StrictFloat | StrictStr,
    Field(
        description="A number or an arithmetic expression over parameter names "
        "(+ - * / **, parentheses, min, max, abs)."
    ),
]
EvidenceIds = Annotated[
    list[Annotated[str, Field(pattern=r"^E[0-9]+$")]],
    Field(description="Evidence IDs (E1, E2, ...) from the source brief."),
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MoveSpec(_Spec):
    """A move with a description and the evidence it rests on."""

    description: str = ""
    evidence: EvidenceIds = []


class PlayerSpec(_Spec):
    """A player: its moves (in order) and an optional description."""

    description: str = ""
    moves: Annotated[
        dict[str, str | MoveSpec] | list[str],
        Field(
            description="Moves in order: name -> description (or {description, evidence}), "
            "or a list of names."
        ),
    ]


class Uniform(_Spec):
    """Uniform on [low, high]; needs low < high."""

    kind: Literal["uniform"]
    low: Number
    high: Number


class Triangular(_Spec):
    """Triangular on [low, high] with its peak at mode; needs low <= mode <= high, low < high."""

    kind: Literal["triangular"]
    low: Number
    mode: Number
    high: Number


class Normal(_Spec):
    """Normal with mean and standard deviation sd > 0 (unbounded)."""

    kind: Literal["normal"]
    mean: Number
    sd: Number


class Lognormal(_Spec):
    """exp(X) for X normal with mean mu and standard deviation sigma > 0 (median e^mu)."""

    kind: Literal["lognormal"]
    mu: Number
    sigma: Number


class Beta(_Spec):
    """Beta(alpha, beta) with alpha, beta > 0, scaled from [0, 1] to [low, high]."""

    kind: Literal["beta"]
    alpha: Number
    beta: Number
    low: Number = 0
    high: Number = 1


class Choice(_Spec):
    """One of the listed values, with probabilities proportional to weights (default equal)."""

    kind: Literal["choice"]
    values: list[Number]
    weights: Annotated[
        list[Number] | None,
        Field(description="One non-negative weight per value, with a positive sum."),
    ] = None


class Fixed(_Spec):
    """Always the parameter's value: the parameter is not uncertain."""

    kind: Literal["fixed"]


DistributionSpec = Annotated[
    Uniform | Triangular | Normal | Lognormal | Beta | Choice | Fixed,
    Field(discriminator="kind"),
]


class ParameterSpec(_Spec):
    """A named parameter: its value and what it means and rests on."""

    value: Number
    description: str = ""
    unit: str = ""
    evidence: EvidenceIds = []
    range: Annotated[
        tuple[Number, Number] | None,
        Field(description="[low, high]: plausible range, used by sweeps."),
    ] = None
    distribution: Annotated[
        DistributionSpec | None,
        Field(
            description="What is known about the value, for Monte Carlo runs; without one "
            "(or with kind 'fixed') the parameter stays at its value."
        ),
    ] = None


class ClaimSpec(_Spec):
    """An ordinal claim: ``player`` strictly prefers profile ``prefers`` to ``over``."""

    player: str
    prefers: list[str]
    over: list[str]
    evidence: EvidenceIds = []
    note: str = ""


class ScenarioSpec(_Spec):
    """A negotiation scenario (format version 1)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="negotiation-sim scenario",
        json_schema_extra={"$id": SCHEMA_ID},
    )

    version: Literal[1] = 1
    kind: Literal["normal_form"] = Field(
        description="Game kind; 'normal_form' (simultaneous moves) in format version 1."
    )
    title: str
    description: str = ""
    source: str | None = Field(
        default=None, description="Path of the seeds brief (relative to this file)."
    )
    players: dict[str, PlayerSpec] = Field(min_length=2)
    parameters: dict[str, Number | ParameterSpec] = {}
    payoffs: dict[str, list[Payoff | list[Payoff]]] = Field(
        description="Profile form: 'move1, move2, ...': [payoff per player]. Matrix form "
        "(two players): player name: [[row of payoffs], ...]."
    )
    status_quo: list[str] | None = Field(
        default=None, description="The disagreement profile: one move per player."
    )
    claims: list[ClaimSpec] = []
    seed: Annotated[int, Field(strict=True, ge=0)] | None = Field(
        default=None,
        description="Seed of the random draws in Monte Carlo runs: a non-negative integer.",
    )


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (draft 2020-12), as printed by ``sim schema``."""
    schema = ScenarioSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
