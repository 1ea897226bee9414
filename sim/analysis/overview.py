"""Every analysis of a game in one frozen bundle, as ``sim run`` reports it.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> analysis = analyse(pd)
>>> analysis.elimination.solved, analysis.dominant.profile
(True, (1, 1))
>>> sorted(analysis.to_dict())
['best_responses', 'dominant', 'elimination', 'pareto', 'security', 'weakly_dominated']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.analysis.best_response import BestResponses, best_responses
from sim.analysis.dominance import (
    Dominant,
    Elimination,
    WeakDominance,
    dominant_moves,
    iterated_elimination,
    weakly_dominated,
)
from sim.analysis.pareto import Pareto, pareto_efficient
from sim.analysis.security import Security, security_levels
from sim.game import Game

__all__ = ["Analysis", "analyse"]


@dataclass(frozen=True)
class Analysis:
    """Dominance, best responses, Pareto efficiency and security levels of one game."""

    elimination: Elimination
    weakly_dominated: WeakDominance
    dominant: Dominant
    best_responses: BestResponses
    pareto: Pareto
    security: Security

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, one key per analysis."""
        return {
            "elimination": self.elimination.to_dict(),
            "weakly_dominated": self.weakly_dominated.to_dict(),
            "dominant": self.dominant.to_dict(),
            "best_responses": self.best_responses.to_dict(),
            "pareto": self.pareto.to_dict(),
            "security": self.security.to_dict(),
        }


def analyse(game: Game) -> Analysis:
    """Run every analysis on a game."""
    return Analysis(
        elimination=iterated_elimination(game, strict=True, mixed=True),
        weakly_dominated=weakly_dominated(game),
        dominant=dominant_moves(game),
        best_responses=best_responses(game),
        pareto=pareto_efficient(game),
        security=security_levels(game),
    )
