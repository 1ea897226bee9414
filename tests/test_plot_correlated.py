"""Tests of the correlated-equilibrium overlay of the payoff-space figure.

The dataset (``payoff_space_data(..., correlated=...)``) is checked point by point against
the analysis it comes from; the figure by structure (artists found by ``gid``, legend
texts), by rendering with Agg and by measuring that no two drawn texts overlap or leave
the figure (``figure_checks.crowding``).
"""

from __future__ import annotations

from fractions import Fraction as F
from pathlib import Path

import pytest
from figure_checks import crowding
from hypothesis import given, settings
from matplotlib.figure import Figure
from strategies import integer_games, tie_heavy_games

from sim.analysis.correlated import correlated_analysis
from sim.analysis.hull import convex_hull
from sim.errors import SimError
from sim.game import Game
from sim.plot.data import payoff_space_data
from sim.plot.figures import all_figures, payoff_space_figure
from sim.scenario import load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]

YD = ("yield", "dare")
CHICKEN = Game.from_arrays(
    [[6, 2], [7, 0]], [[6, 7], [2, 0]], players=("Ann", "Bob"), moves=(YD, YD), title="Chicken"
)
PD = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"),) * 2)
SHAPLEY = Game.from_arrays(
    [[0, 1, 0], [0, 0, 1], [1, 0, 0]], [[0, 0, 1], [1, 0, 0], [0, 1, 0]], title="Shapley"
)
RPS = Game.from_arrays(
    [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
    [[0, 1, -1], [-1, 0, 1], [1, -1, 0]],
    moves=(("rock", "paper", "scissors"),) * 2,
    title="Rock, paper, scissors",
)
WIDE = Game.from_arrays(  # 3 × 5: too many profiles for the vertices
    [[(i + j) % 3 for j in range(5)] for i in range(3)],
    [[(i * j) % 4 for j in range(5)] for i in range(3)],
    title="Wide",
)


def gids(figure: Figure, gid: str) -> list:
    return figure.findobj(lambda artist: artist.get_gid() == gid)


def legend_texts(figure: Figure) -> list[str]:
    (legend,) = figure.legends
    return [t.get_text().replace("\n", " ") for t in legend.get_texts()]


def data_for(game: Game):  # type: ignore[no-untyped-def]
    return payoff_space_data(game, solve(game), correlated=correlated_analysis(game))


# ------------------------------------------------------------------------ dataset
def test_chicken_dataset() -> None:
    data = data_for(CHICKEN)
    assert data.correlated_region == ((2, 7), (F(18, 5), F(18, 5)), (7, 2), (F(21, 4), F(21, 4)))
    assert data.correlated_best == (F(21, 4), F(21, 4))
    assert data.correlated_best_label == "welfare-maximising correlated equilibrium (total 21/2)"
    assert data.coarse_region == ()  # two moves each: the same polygon


def test_shapley_dataset_has_a_larger_coarse_region() -> None:
    data = data_for(SHAPLEY)
    assert data.correlated_region == ((F(1, 3), F(1, 3)), (F(1, 2), F(1, 2)))
    assert len(data.coarse_region) >= 3
    # The coarse region contains the correlated one: adding its corners changes no corner.
    together = convex_hull([*data.coarse_region, *data.correlated_region])
    assert together == data.coarse_region


def test_dataset_without_overlay_is_unchanged() -> None:
    plain = payoff_space_data(CHICKEN, solve(CHICKEN))
    assert (plain.correlated_region, plain.coarse_region) == ((), ())
    assert plain.correlated_best is None and plain.correlated_best_label is None
    overlaid = data_for(CHICKEN)
    assert (plain.outcomes, plain.hull, plain.equilibria) == (
        overlaid.outcomes,
        overlaid.hull,
        overlaid.equilibria,
    )


def test_large_game_shows_only_the_best_point() -> None:
    data = data_for(WIDE)
    assert data.correlated_region == () and data.coarse_region == ()
    best = correlated_analysis(WIDE, vertices=False).best_welfare
    assert data.correlated_best == best.payoffs


@settings(max_examples=12, deadline=None)
@given(integer_games(max_moves=3))
def test_region_is_the_hull_of_the_vertex_payoffs_and_holds_the_best(game: Game) -> None:
    analysis = correlated_analysis(game)
    data = payoff_space_data(game, solve(game), correlated=analysis)
    assert analysis.polytope is not None
    assert data.correlated_region == convex_hull([(u[0], u[1]) for u in analysis.polytope.payoffs])
    assert data.correlated_best is not None
    assert sum(data.correlated_best) == max(x + y for x, y in data.correlated_region)


def test_overlay_of_another_game_is_refused() -> None:
    with pytest.raises(SimError, match="correlated-equilibrium analysis is for a different game"):
        payoff_space_data(PD, solve(PD), correlated=correlated_analysis(CHICKEN))


# ------------------------------------------------------------------------- figure
def test_figure_draws_the_overlay_with_legend_entries() -> None:
    figure = payoff_space_figure(CHICKEN, solve(CHICKEN), correlated=correlated_analysis(CHICKEN))
    assert len(gids(figure, "correlated-region")) == 1
    assert len(gids(figure, "correlated-best")) == 1
    assert gids(figure, "coarse-region") == []
    labels = legend_texts(figure)
    assert "correlated equilibria" in labels
    assert "welfare-maximising correlated equilibrium (total 21/2)" in labels
    assert "coarse correlated equilibria" not in labels
    assert crowding(figure) == []


def test_figure_without_overlay_has_no_correlated_artists() -> None:
    figure = payoff_space_figure(CHICKEN, solve(CHICKEN))
    for gid in ("correlated-region", "correlated-best", "coarse-region"):
        assert gids(figure, gid) == []
    assert not any("correlated" in text for text in legend_texts(figure))


@pytest.mark.parametrize(
    ("game", "kinds"),
    [
        pytest.param(SHAPLEY, {"correlated-region", "coarse-region"}, id="shapley-segment"),
        pytest.param(RPS, {"correlated-region"}, id="rps-point"),
        pytest.param(PD, {"correlated-region"}, id="pd-point"),
        pytest.param(WIDE, set(), id="too-large"),
    ],
)
def test_figure_of_degenerate_and_large_regions(game: Game, kinds: set[str]) -> None:
    solution = solve(game)
    figure = payoff_space_figure(game, solution, correlated=correlated_analysis(game))
    drawn = {gid for gid in ("correlated-region", "coarse-region") if gids(figure, gid)}
    assert drawn == kinds
    assert len(gids(figure, "correlated-best")) == 1
    assert crowding(figure) == []
    shown = gids(figure, "equilibrium-label")
    names = sorted(n for t in shown for n in t.get_text().replace(",\n", ", ").split(", "))
    assert names == sorted(f"NE{k + 1}" for k in range(len(solution.equilibria)))


@pytest.mark.parametrize(
    "name", ["chicken", "battle_of_the_sexes", "stag_hunt", "london_talks", "prisoners_dilemma"]
)
def test_scenario_figures_are_not_crowded(name: str) -> None:
    scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    game = scenario.game
    figure = payoff_space_figure(game, solve(game), scenario.status_quo, correlated_analysis(game))
    assert crowding(figure) == []
    assert gids(figure, "omitted-labels") == []


@settings(max_examples=6, deadline=None)
@given(tie_heavy_games(max_moves=3))
def test_every_equilibrium_label_survives_the_overlay(game: Game) -> None:
    solution = solve(game)
    figure = payoff_space_figure(game, solution, correlated=correlated_analysis(game))
    shown = gids(figure, "equilibrium-label")
    names = sorted(n for t in shown for n in t.get_text().replace(",\n", ", ").split(", "))
    assert names == sorted(f"NE{k + 1}" for k in range(len(solution.equilibria)))


def test_all_figures_passes_the_overlay_on() -> None:
    figures = all_figures(CHICKEN, solve(CHICKEN), correlated=correlated_analysis(CHICKEN))
    assert len(gids(figures["payoff_space"], "correlated-region")) == 1
    assert gids(all_figures(CHICKEN, solve(CHICKEN))["payoff_space"], "correlated-region") == []
