"""negotiation-sim: game-theoretic negotiation scenarios, solved exactly.

>>> import sim
>>> game = sim.Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> [e.exact_text() for e in sim.solve(game).equilibria][1]
(('2/3', '1/3'), ('1/3', '2/3'))
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sim.errors import ExpressionError, ScenarioError, SimError, SolverError
from sim.game import Game
from sim.scenario import Scenario, load
from sim.solvers import BatchSolution, Equilibrium, Solution, solve, solve_batch

if TYPE_CHECKING:
    from sim.analysis.bargaining import Bargaining, bargaining
    from sim.analysis.commitment import Commitment, commitment, commitments
    from sim.analysis.concepts import Concepts, concepts
    from sim.analysis.montecarlo import MonteCarloResult, montecarlo
    from sim.analysis.repeated import Repeated, repeated
    from sim.analysis.signaling import Signaling, signaling
    from sim.analysis.spe_sweep import SpeSweep, spe_sweep
    from sim.analysis.subgame import SubgamePerfect, subgame_perfect
    from sim.analysis.subgame_thresholds import SpeFlips, spe_thresholds
    from sim.analysis.sweep import SweepResult, sweep
    from sim.analysis.thresholds import Thresholds, thresholds
    from sim.tree import Tree

_LAZY = {
    "Bargaining": "sim.analysis.bargaining",
    "bargaining": "sim.analysis.bargaining",
    "Commitment": "sim.analysis.commitment",
    "commitment": "sim.analysis.commitment",
    "commitments": "sim.analysis.commitment",
    "Concepts": "sim.analysis.concepts",
    "concepts": "sim.analysis.concepts",
    "Repeated": "sim.analysis.repeated",
    "repeated": "sim.analysis.repeated",
    "Signaling": "sim.analysis.signaling",
    "signaling": "sim.analysis.signaling",
    "SubgamePerfect": "sim.analysis.subgame",
    "subgame_perfect": "sim.analysis.subgame",
    "SpeFlips": "sim.analysis.subgame_thresholds",
    "SpeSweep": "sim.analysis.spe_sweep",
    "spe_sweep": "sim.analysis.spe_sweep",
    "spe_thresholds": "sim.analysis.subgame_thresholds",
    "Tree": "sim.tree",
    "MonteCarloResult": "sim.analysis.montecarlo",
    "montecarlo": "sim.analysis.montecarlo",
    "SweepResult": "sim.analysis.sweep",
    "sweep": "sim.analysis.sweep",
    "Thresholds": "sim.analysis.thresholds",
    "thresholds": "sim.analysis.thresholds",
}

__all__ = [
    "Bargaining",
    "BatchSolution",
    "Commitment",
    "Concepts",
    "Equilibrium",
    "ExpressionError",
    "Game",
    "MonteCarloResult",
    "Repeated",
    "Scenario",
    "ScenarioError",
    "Signaling",
    "SimError",
    "Solution",
    "SolverError",
    "SpeFlips",
    "SpeSweep",
    "SubgamePerfect",
    "SweepResult",
    "Thresholds",
    "Tree",
    "bargaining",
    "commitment",
    "commitments",
    "concepts",
    "load",
    "montecarlo",
    "repeated",
    "signaling",
    "solve",
    "solve_batch",
    "spe_sweep",
    "spe_thresholds",
    "subgame_perfect",
    "sweep",
    "thresholds",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import the analyses on first use, so that ``import sim`` stays fast."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
