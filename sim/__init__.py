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
    from sim.analysis.compare import Comparison, compare
    from sim.analysis.concepts import Concepts, concepts
    from sim.analysis.correlated import (
        CorrelatedAnalysis,
        correlated_analysis,
        correlated_equilibrium,
        correlated_vertices,
    )
    from sim.analysis.dynamics import (
        LearningDynamics,
        fictitious_play,
        learning_dynamics,
        replicator,
    )
    from sim.analysis.explain import Explanation, explain
    from sim.analysis.montecarlo import MonteCarloResult, montecarlo
    from sim.analysis.qre import QuantalBranch, QuantalResponse, logit_qre, qre_branch
    from sim.analysis.repeated import Repeated, repeated
    from sim.analysis.signaling import Signaling, signaling
    from sim.analysis.spe_sweep import SpeSweep, spe_sweep
    from sim.analysis.subgame import SubgamePerfect, subgame_perfect
    from sim.analysis.subgame_thresholds import SpeFlips, spe_thresholds
    from sim.analysis.sweep import SweepResult, sweep
    from sim.analysis.taxonomy import OrdinalType, ordinal_type
    from sim.analysis.thresholds import Thresholds, thresholds
    from sim.tree import Tree

_LAZY = {
    "Comparison": "sim.analysis.compare",
    "compare": "sim.analysis.compare",
    "CorrelatedAnalysis": "sim.analysis.correlated",
    "correlated_analysis": "sim.analysis.correlated",
    "correlated_equilibrium": "sim.analysis.correlated",
    "correlated_vertices": "sim.analysis.correlated",
    "Explanation": "sim.analysis.explain",
    "explain": "sim.analysis.explain",
    "LearningDynamics": "sim.analysis.dynamics",
    "learning_dynamics": "sim.analysis.dynamics",
    "replicator": "sim.analysis.dynamics",
    "fictitious_play": "sim.analysis.dynamics",
    "OrdinalType": "sim.analysis.taxonomy",
    "ordinal_type": "sim.analysis.taxonomy",
    "QuantalBranch": "sim.analysis.qre",
    "QuantalResponse": "sim.analysis.qre",
    "logit_qre": "sim.analysis.qre",
    "qre_branch": "sim.analysis.qre",
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
    "Comparison",
    "Concepts",
    "CorrelatedAnalysis",
    "Equilibrium",
    "Explanation",
    "ExpressionError",
    "Game",
    "LearningDynamics",
    "MonteCarloResult",
    "OrdinalType",
    "QuantalBranch",
    "QuantalResponse",
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
    "compare",
    "concepts",
    "correlated_analysis",
    "correlated_equilibrium",
    "correlated_vertices",
    "explain",
    "fictitious_play",
    "learning_dynamics",
    "load",
    "logit_qre",
    "montecarlo",
    "ordinal_type",
    "qre_branch",
    "repeated",
    "replicator",
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
