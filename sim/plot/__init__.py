"""Figures: tested datasets drawn by matplotlib.

A solved game (:mod:`sim.plot.data`, :mod:`sim.plot.figures`), a sweep with its flip
thresholds (:mod:`sim.plot.sweep`), a Monte Carlo run (:mod:`sim.plot.montecarlo`), a game
tree with its subgame-perfect choices (:mod:`sim.plot.tree`), repeated play's folk-theorem
region (:mod:`sim.plot.repeated`), a bargaining problem (:mod:`sim.plot.bargaining`), the
logit QRE branch (:mod:`sim.plot.qre`) and learning dynamics (:mod:`sim.plot.dynamics`).

This package is the only place that imports matplotlib, and only inside the drawing
functions; each module is imported on first use of one of its names, so importing the
package is cheap. Each ``*_figure`` function returns a :class:`matplotlib.figure.Figure`;
saving it is the caller's job (:func:`sim.plot.render.png_bytes` gives the PNG bytes, and
:class:`sim.plot.render.FigurePool` draws many figures in worker processes)::

    figure = bimatrix_figure(game, solve(game))
    figure.savefig("bimatrix.png", dpi=150)

Which pure outcomes are Pareto efficient and which payoffs are best responses come from
:mod:`sim.analysis`; this package only adds the geometry of the figures (the convex hull
of the outcomes and its Pareto frontier).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.plot.bargaining import BargainingData, bargaining_data, bargaining_figure
    from sim.plot.data import (
        BestResponseCurve,
        BestResponseData,
        BimatrixData,
        EquilibriumMark,
        Outcome,
        PayoffCell,
        PayoffSpaceData,
        best_response_data,
        bimatrix_data,
        convex_hull,
        hull_frontier,
        payoff_space_data,
        value_text,
    )
    from sim.plot.dynamics import (
        PhasePortraitData,
        SimplexData,
        dynamics_figures,
        phase_portrait_data,
        phase_portrait_figure,
        simplex_data,
        simplex_figure,
    )
    from sim.plot.figures import (
        all_figures,
        best_response_figure,
        bimatrix_figure,
        figure_calls,
        payoff_space_figure,
    )
    from sim.plot.montecarlo import (
        convergence_data,
        convergence_figure,
        histogram_data,
        histogram_figure,
        montecarlo_figures,
        outcome_data,
        outcome_figure,
        tornado_data,
        tornado_figure,
    )
    from sim.plot.qre import QreData, qre_data, qre_figure
    from sim.plot.repeated import FolkData, folk_data, folk_figure
    from sim.plot.sweep import (
        bifurcation_data,
        bifurcation_figure,
        regime_data,
        regime_figure,
        spe_outcome_data,
        spe_outcome_figure,
        spe_regime_data,
        spe_regime_figure,
        spe_sweep_figures,
        sweep_figures,
    )
    from sim.plot.tree import TreeData, tree_data, tree_figure

_LAZY = {
    "BargainingData": "sim.plot.bargaining",
    "bargaining_data": "sim.plot.bargaining",
    "bargaining_figure": "sim.plot.bargaining",
    "BestResponseCurve": "sim.plot.data",
    "BestResponseData": "sim.plot.data",
    "BimatrixData": "sim.plot.data",
    "EquilibriumMark": "sim.plot.data",
    "Outcome": "sim.plot.data",
    "PayoffCell": "sim.plot.data",
    "PayoffSpaceData": "sim.plot.data",
    "best_response_data": "sim.plot.data",
    "bimatrix_data": "sim.plot.data",
    "convex_hull": "sim.plot.data",
    "hull_frontier": "sim.plot.data",
    "payoff_space_data": "sim.plot.data",
    "value_text": "sim.plot.data",
    "PhasePortraitData": "sim.plot.dynamics",
    "SimplexData": "sim.plot.dynamics",
    "dynamics_figures": "sim.plot.dynamics",
    "phase_portrait_data": "sim.plot.dynamics",
    "phase_portrait_figure": "sim.plot.dynamics",
    "simplex_data": "sim.plot.dynamics",
    "simplex_figure": "sim.plot.dynamics",
    "all_figures": "sim.plot.figures",
    "best_response_figure": "sim.plot.figures",
    "bimatrix_figure": "sim.plot.figures",
    "figure_calls": "sim.plot.figures",
    "payoff_space_figure": "sim.plot.figures",
    "convergence_data": "sim.plot.montecarlo",
    "convergence_figure": "sim.plot.montecarlo",
    "histogram_data": "sim.plot.montecarlo",
    "histogram_figure": "sim.plot.montecarlo",
    "montecarlo_figures": "sim.plot.montecarlo",
    "outcome_data": "sim.plot.montecarlo",
    "outcome_figure": "sim.plot.montecarlo",
    "tornado_data": "sim.plot.montecarlo",
    "tornado_figure": "sim.plot.montecarlo",
    "QreData": "sim.plot.qre",
    "qre_data": "sim.plot.qre",
    "qre_figure": "sim.plot.qre",
    "FolkData": "sim.plot.repeated",
    "folk_data": "sim.plot.repeated",
    "folk_figure": "sim.plot.repeated",
    "bifurcation_data": "sim.plot.sweep",
    "bifurcation_figure": "sim.plot.sweep",
    "regime_data": "sim.plot.sweep",
    "regime_figure": "sim.plot.sweep",
    "spe_outcome_data": "sim.plot.sweep",
    "spe_outcome_figure": "sim.plot.sweep",
    "spe_regime_data": "sim.plot.sweep",
    "spe_regime_figure": "sim.plot.sweep",
    "spe_sweep_figures": "sim.plot.sweep",
    "sweep_figures": "sim.plot.sweep",
    "TreeData": "sim.plot.tree",
    "tree_data": "sim.plot.tree",
    "tree_figure": "sim.plot.tree",
}

__all__ = [
    "BargainingData",
    "BestResponseCurve",
    "BestResponseData",
    "BimatrixData",
    "EquilibriumMark",
    "FolkData",
    "Outcome",
    "PayoffCell",
    "PayoffSpaceData",
    "PhasePortraitData",
    "QreData",
    "SimplexData",
    "TreeData",
    "all_figures",
    "bargaining_data",
    "bargaining_figure",
    "best_response_data",
    "best_response_figure",
    "bifurcation_data",
    "bifurcation_figure",
    "bimatrix_data",
    "bimatrix_figure",
    "convergence_data",
    "convergence_figure",
    "convex_hull",
    "dynamics_figures",
    "figure_calls",
    "folk_data",
    "folk_figure",
    "histogram_data",
    "histogram_figure",
    "hull_frontier",
    "montecarlo_figures",
    "outcome_data",
    "outcome_figure",
    "payoff_space_data",
    "payoff_space_figure",
    "phase_portrait_data",
    "phase_portrait_figure",
    "qre_data",
    "qre_figure",
    "regime_data",
    "regime_figure",
    "simplex_data",
    "simplex_figure",
    "spe_outcome_data",
    "spe_outcome_figure",
    "spe_regime_data",
    "spe_regime_figure",
    "spe_sweep_figures",
    "sweep_figures",
    "tornado_data",
    "tornado_figure",
    "tree_data",
    "tree_figure",
    "value_text",
]


def __getattr__(name: str) -> Any:
    """Import a figure module on first use of one of its names (``sim run`` needs few)."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim.plot' has no attribute {name!r}")
