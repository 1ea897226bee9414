"""Analyses of a game beyond its equilibria: dominance, best responses, Pareto, security.

Every function takes a :class:`~sim.game.Game` and returns a frozen result with a
``to_dict()`` giving JSON-ready data (floats, exact ``"p/q"`` strings for exact games, move
names). Payoff comparisons use the one tolerance of :mod:`sim.certificate`.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> iterated_elimination(pd).surviving, pareto_efficient(pd).efficient
((('s2',), ('s2',)), ((0, 0), (0, 1), (1, 0)))
"""

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

__all__ = [
    "BestResponses",
    "Dominance",
    "Dominant",
    "Elimination",
    "EliminationStep",
    "Maxmin",
    "MixedBestResponse",
    "Pareto",
    "PlayerSecurity",
    "ProfileCheck",
    "ResponseSet",
    "Security",
    "WeakDominance",
    "best_response_to",
    "best_responses",
    "dominant_moves",
    "iterated_elimination",
    "maxmin",
    "own_rows",
    "pareto_efficient",
    "pareto_frontier_points",
    "security_levels",
    "weakly_dominated",
]
