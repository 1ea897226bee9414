"""Analyses of a game beyond its equilibria: dominance, best responses, Pareto, security.

The functions :func:`~sim.analysis.montecarlo.montecarlo`, :func:`~sim.analysis.sweep.sweep`,
:func:`~sim.analysis.thresholds.thresholds`, :func:`~sim.analysis.structure.structure`,
:func:`~sim.analysis.commitment.commitment`, :func:`~sim.analysis.repeated.repeated`,
:func:`~sim.analysis.bargaining.bargaining`, :func:`~sim.analysis.signaling.signaling` and
:func:`~sim.analysis.concepts.concepts` share their module's name, so they are not
re-exported here (that would hide the modules); use ``sim.montecarlo``, ``sim.bargaining``
and so on, or import them from their modules. Game trees have
:func:`~sim.analysis.subgame.subgame_perfect` and the signaling classification; two-player
games commitment (Stackelberg), repeated play and bargaining.

Every function takes a :class:`~sim.game.Game` and returns a frozen result with a
``to_dict()`` giving JSON-ready data (floats, exact ``"p/q"`` strings for exact games, move
names). Payoff comparisons use the one tolerance of :mod:`sim.certificate`.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> iterated_elimination(pd).surviving, pareto_efficient(pd).efficient
((('s2',), ('s2',)), ((0, 0), (0, 1), (1, 0)))
"""

from importlib import import_module
from typing import Any

from sim.analysis.best_response import (
    BestResponses,
    MixedBestResponse,
    ProfileCheck,
    ResponseSet,
    best_response_to,
    best_responses,
)
from sim.analysis.dominance import (
    Dominance,
    Dominant,
    Elimination,
    EliminationStep,
    WeakDominance,
    dominant_moves,
    iterated_elimination,
    weakly_dominated,
)
from sim.analysis.pareto import Pareto, pareto_efficient, pareto_frontier_points
from sim.analysis.security import (
    Maxmin,
    PlayerSecurity,
    Security,
    maxmin,
    own_rows,
    security_levels,
)
from sim.analysis.structure import (
    GAME_TYPES,
    Structure,
    classification_margin,
    classify_2x2,
    game_type,
)

__all__ = [
    "GAME_TYPES",
    "BestResponses",
    "Dominance",
    "Dominant",
    "Elimination",
    "EliminationStep",
    "Maxmin",
    "MixedBestResponse",
    "MonteCarloResult",
    "Pareto",
    "PlayerSecurity",
    "ProfileCheck",
    "ResponseSet",
    "Security",
    "Structure",
    "SweepResult",
    "Threshold",
    "Thresholds",
    "WeakDominance",
    "best_response_to",
    "best_responses",
    "classification_margin",
    "classify_2x2",
    "dominant_moves",
    "game_type",
    "iterated_elimination",
    "maxmin",
    "own_rows",
    "pareto_efficient",
    "pareto_frontier_points",
    "security_levels",
    "weakly_dominated",
]

# Imported on first use: these modules are large and pull in sampling and the cluster code,
# which most commands do not need.
_LAZY = {
    "MonteCarloResult": "sim.analysis.montecarlo",
    "SweepResult": "sim.analysis.sweep",
    "Threshold": "sim.analysis.thresholds",
    "Thresholds": "sim.analysis.thresholds",
}


def __getattr__(name: str) -> Any:
    """Import the larger result types on first use, so importing any analysis stays fast."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim.analysis' has no attribute {name!r}")
