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
    from sim.analysis.montecarlo import MonteCarloResult, montecarlo
    from sim.analysis.sweep import SweepResult, sweep
    from sim.analysis.thresholds import Thresholds, thresholds

_LAZY = {
    "MonteCarloResult": "sim.analysis.montecarlo",
    "montecarlo": "sim.analysis.montecarlo",
    "SweepResult": "sim.analysis.sweep",
    "sweep": "sim.analysis.sweep",
    "Thresholds": "sim.analysis.thresholds",
    "thresholds": "sim.analysis.thresholds",
}

__all__ = [
    "BatchSolution",
    "Equilibrium",
    "ExpressionError",
    "Game",
    "MonteCarloResult",
    "Scenario",
    "ScenarioError",
    "SimError",
    "Solution",
    "SolverError",
    "SweepResult",
    "Thresholds",
    "load",
    "montecarlo",
    "solve",
    "solve_batch",
    "sweep",
    "thresholds",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """Import the analyses on first use, so that ``import sim`` stays fast."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
