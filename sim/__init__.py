"""negotiation-sim: game-theoretic negotiation scenarios, solved exactly.

>>> import sim
>>> game = sim.Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> [e.exact_text() for e in sim.solve(game).equilibria][1]
(('2/3', '1/3'), ('1/3', '2/3'))
"""

from sim.errors import ExpressionError, ScenarioError, SimError, SolverError
from sim.game import Game
from sim.scenario import Scenario, load
from sim.solvers import Equilibrium, Solution, solve

__all__ = [
    "Equilibrium",
    "ExpressionError",
    "Game",
    "Scenario",
    "ScenarioError",
    "SimError",
    "Solution",
    "SolverError",
    "load",
    "solve",
]
__version__ = "0.1.0"
