"""Figures: tested datasets drawn by matplotlib.

A solved game (:mod:`sim.plot.data`, :mod:`sim.plot.figures`), a sweep with its flip
thresholds (:mod:`sim.plot.sweep`), a Monte Carlo run (:mod:`sim.plot.montecarlo`), a game
tree with its subgame-perfect choices (:mod:`sim.plot.tree`), repeated play's folk-theorem
region (:mod:`sim.plot.repeated`), a bargaining problem (:mod:`sim.plot.bargaining`), the
logit QRE branch (:mod:`sim.plot.qre`) and learning dynamics (:mod:`sim.plot.dynamics`).

This package is the only place that imports matplotlib, and only inside the drawing
functions, so importing it is cheap. Each ``*_figure`` function returns a
:class:`matplotlib.figure.Figure`; saving it is the caller's job::

    figure = bimatrix_figure(game, solve(game))
    figure.savefig("bimatrix.png", dpi=150)

Which pure outcomes are Pareto efficient and which payoffs are best responses come from
:mod:`sim.analysis`; this package only adds the geometry of the figures (the convex hull
of the outcomes and its Pareto frontier).
"""

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
