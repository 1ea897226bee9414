"""The scenario file format, version 1, as pydantic models (and so as JSON Schema).

These models check the *shape* of a scenario document: which keys exist, which are
required, and the type of each value. Meaning (that move names exist, that every profile
has a payoff, that expressions evaluate) is checked by :mod:`sim.scenario`, which also turns
pydantic's errors into ``path:line:col`` messages. The user documentation of the format is
``scenarios/README.md``.

>>> sorted(scenario_json_schema()["$defs"]["ScenarioSpec"]["properties"])[:4]
['bargaining', 'claims', 'description', 'kind']
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

__all__ = [
    "BargainingSpec",
    "ClaimSpec",
    "DistributionSpec",
    "MoveSpec",
    "NodeSpec",
    "OutcomeSpec",
    "ParameterSpec",
    "PlayerSpec",
    "RepeatedPlaySpec",
    "RepeatedSpec",
    "ScenarioSpec",
    "SequentialSpec",
    "TreePlayerSpec",
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


class BargainingSpec(_Spec):
    """How to bargain over the game's outcomes (Nash, Kalai–Smorodinsky, Rubinstein)."""

    disagreement: Annotated[
        Literal["status_quo", "nash", "security"] | list[Payoff] | None,
        Field(
            description="What each side gets without a deal: 'status_quo', 'nash' (a Nash "
            "equilibrium's payoffs), 'security' (security levels) or one payoff per player. "
            "Default: the status quo if the scenario has one, else security levels."
        ),
    ] = None
    equilibrium: Annotated[
        int,
        Field(strict=True, ge=1, description="Which Nash equilibrium (1, 2, ...) for 'nash'."),
    ] = 1
    weights: Annotated[
        list[Payoff] | None, Field(description="Bargaining powers, one per player (default equal).")
    ] = None
    outside_options: Annotated[
        list[Payoff] | None,
        Field(description="What each player gets by walking away, one per player."),
    ] = None
    discount: Annotated[
        list[Payoff] | None,
        Field(
            description="Per-round discount factors in (0, 1), one per player, for "
            "Rubinstein's alternating offers."
        ),
    ] = None
    first: str | None = Field(
        default=None, description="The player who proposes first (default: the first player)."
    )


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
        description="Game kind: 'normal_form' (simultaneous moves), 'sequential' (a game "
        "tree) or 'repeated' (a stage game played again and again)."
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
    bargaining: BargainingSpec | None = None
    seed: Annotated[int, Field(strict=True, ge=0)] | None = Field(
        default=None,
        description="Seed of the random draws in Monte Carlo runs: a non-negative integer.",
    )


# ----------------------------------------------------------------- game trees
class TreePlayerSpec(_Spec):
    """A player of a game tree (its moves are at the tree's nodes)."""

    description: str = ""


NodeRef = Annotated[
    "StrictStr | list[Payoff] | NodeSpec",
    Field(
        description="The next node: the name of a node in `nodes`, a list of payoffs "
        "(a terminal node), or a node written in place."
    ),
]


class OutcomeSpec(_Spec):
    """An outcome of a chance node: its probability and the node it leads to."""

    probability: Payoff
    then: NodeRef
    description: str = ""


class NodeSpec(_Spec):
    """A node of a game tree: exactly one of a decision (``player`` and ``moves``), a
    chance node (``chance``) or a terminal node (``payoffs``)."""

    player: str | None = Field(default=None, description="Who moves here.")
    moves: dict[str, NodeRef] | None = Field(
        default=None, description="Move name -> the node it leads to, in order."
    )
    information_set: str | None = Field(
        default=None,
        description="Label shared by the nodes this player cannot tell apart (same moves).",
    )
    chance: dict[str, OutcomeSpec] | None = Field(
        default=None, description="Outcome name -> {probability, then}: a move by nature."
    )
    payoffs: list[Payoff] | dict[str, Payoff] | None = Field(
        default=None, description="One payoff per player (list in player order, or by name)."
    )
    description: str = ""
    evidence: EvidenceIds = []


OutcomeSpec.model_rebuild()
NodeSpec.model_rebuild()


class SequentialSpec(_Spec):
    """A negotiation as a game tree (format version 1, ``kind: sequential``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="sequential scenario")

    version: Literal[1] = 1
    kind: Literal["sequential"]
    title: str
    description: str = ""
    source: str | None = Field(
        default=None, description="Path of the seeds brief (relative to this file)."
    )
    players: dict[str, TreePlayerSpec] | list[str] = Field(min_length=2)
    parameters: dict[str, Number | ParameterSpec] = {}
    root: str | None = Field(
        default=None, description="Name of the first node (default: the first in `nodes`)."
    )
    nodes: dict[str, list[Payoff] | NodeSpec] = Field(
        min_length=1,
        description="Named nodes (a list of payoffs is a terminal node); moves refer to "
        "them by name.",
    )
    bargaining: BargainingSpec | None = None
    seed: Annotated[int, Field(strict=True, ge=0)] | None = None


# ----------------------------------------------------------------- repeated games
class RepeatedPlaySpec(_Spec):
    """What to check about playing the stage game again and again."""

    target: list[str] = Field(
        description="The profile to sustain (e.g. the deal): one move per player."
    )
    discount: Payoff | None = Field(
        default=None,
        description="Per-round discount factor δ in [0, 1) to check (continuation "
        "probability times time discount).",
    )
    punishments: list[Annotated[int, Field(strict=True, ge=1)]] = Field(
        default=[1, 2, 3, 5], description="Lengths (rounds) of limited punishments to check."
    )
    horizon: Annotated[int, Field(strict=True, ge=1)] | None = Field(
        default=None, description="Number of rounds when the end date is known."
    )


class RepeatedSpec(_Spec):
    """A stage game played repeatedly (format version 1, ``kind: repeated``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="repeated scenario")

    version: Literal[1] = 1
    kind: Literal["repeated"]
    title: str
    description: str = ""
    stage: str | None = Field(
        default=None,
        description="A normal-form scenario file (relative to this file) to use as the "
        "stage game, instead of players and payoffs here.",
    )
    set: dict[str, Number] = Field(
        default={}, description="With `stage`: parameter values that differ from its file."
    )
    source: str | None = None
    players: dict[str, PlayerSpec] | None = Field(default=None, min_length=2)
    parameters: dict[str, Number | ParameterSpec] = {}
    payoffs: dict[str, list[Payoff | list[Payoff]]] | None = None
    status_quo: list[str] | None = None
    claims: list[ClaimSpec] = []
    repeated: RepeatedPlaySpec
    bargaining: BargainingSpec | None = None
    seed: Annotated[int, Field(strict=True, ge=0)] | None = None


SPECS: dict[str, type[_Spec]] = {
    "normal_form": ScenarioSpec,
    "sequential": SequentialSpec,
    "repeated": RepeatedSpec,
}
"""The model of each scenario kind."""


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (draft 2020-12), as printed by ``sim schema``.

    The top level is the normal-form model; the other kinds are alternatives chosen by
    ``kind`` (``if``/``then`` on the ``kind`` key).
    """
    schema = ScenarioSpec.model_json_schema()
    defs = schema.setdefault("$defs", {})
    branches = []
    for kind in ("sequential", "repeated"):
        other = SPECS[kind].model_json_schema()
        defs.update(other.pop("$defs", {}))
        name = SPECS[kind].__name__
        defs[name] = other
        branches.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{name}"},
            }
        )
    normal = {k: schema.pop(k) for k in ("properties", "required", "additionalProperties")}
    defs["ScenarioSpec"] = {"type": "object", "title": "normal-form scenario", **normal}
    schema["allOf"] = [
        *branches,
        {
            "if": {"not": {"properties": {"kind": {"enum": ["sequential", "repeated"]}}}},
            "then": {"$ref": "#/$defs/ScenarioSpec"},
        },
    ]
    schema["properties"] = {"kind": {"enum": list(SPECS), "description": "Game kind."}}
    schema["required"] = ["kind", "title"]
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
