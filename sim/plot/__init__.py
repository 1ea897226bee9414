"""Figures of a solved game: tested datasets (:mod:`sim.plot.data`) drawn by matplotlib.

This package is the only place that imports matplotlib, and only inside the drawing
functions, so importing it is cheap. Each ``*_figure`` function returns a
:class:`matplotlib.figure.Figure`; saving it is the caller's job::

    figure = bimatrix_figure(game, solve(game))
    figure.savefig("bimatrix.png", dpi=150)

Which pure outcomes are Pareto efficient and which payoffs are best responses come from
:mod:`sim.analysis`; this package only adds the geometry of the figures (the convex hull
of the outcomes and its Pareto frontier).
"""

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
from sim.plot.figures import (
    all_figures,
    best_response_figure,
    bimatrix_figure,
    payoff_space_figure,
)

__all__ = [
    "BestResponseCurve",
    "BestResponseData",
    "BimatrixData",
    "EquilibriumMark",
    "Outcome",
    "PayoffCell",
    "PayoffSpaceData",
    "all_figures",
    "best_response_data",
    "best_response_figure",
    "bimatrix_data",
    "bimatrix_figure",
    "convex_hull",
    "hull_frontier",
    "payoff_space_data",
    "payoff_space_figure",
    "value_text",
]
