"""negotiation-sim: game-theoretic negotiation scenarios, solved exactly."""

from sim.errors import ScenarioError, SimError, SolverError
from sim.game import Game
from sim.solvers import Solution, solve

__all__ = ["Game", "ScenarioError", "SimError", "Solution", "SolverError", "solve"]
__version__ = "0.1.0"
