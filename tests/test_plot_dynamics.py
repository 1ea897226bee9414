"""Tests of sim.plot.dynamics: the datasets number by number, then the figures built headless.

Datasets are checked against the analysis results they come from (rest points, equilibria,
paths, the symmetric field); figures by structure (axes, artists found by ``gid``, the
mpltern ternary projection), by rendering with Agg, and, for the shipped scenarios, by
measuring that no two drawn texts overlap and none leaves the figure.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
from figure_checks import crowding
from matplotlib import pyplot

import sim.analysis.dynamics
import sim.plot.dynamics
from sim.analysis.dynamics import LearningDynamics, learning_dynamics, phase_field, sample_indices
from sim.errors import SimError
from sim.game import Game
from sim.plot.dynamics import (
    dynamics_figures,
    phase_portrait_data,
    phase_portrait_figure,
    simplex_data,
    simplex_figure,
)
from sim.scenario import load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]
ITERATIONS = 400  # fictitious play rounds: enough for the figures, quick
RPS = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]


@pytest.fixture(autouse=True)
def _no_open_figures() -> Iterator[None]:
    """The figures never go through pyplot (so nothing is left open); close any that did."""
    yield
    assert pyplot.get_fignums() == []
    pyplot.close("all")


def scenario_dynamics(name: str) -> LearningDynamics:
    scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    return learning_dynamics(scenario.game, scenario.status_quo, iterations=ITERATIONS)


@pytest.fixture(scope="module")
def stag() -> LearningDynamics:
    return scenario_dynamics("stag_hunt")


@pytest.fixture(scope="module")
def london() -> LearningDynamics:
    return scenario_dynamics("london_talks")


# ---------------------------------------------------------------------------- datasets
def test_phase_data_matches_the_analysis(stag: LearningDynamics) -> None:
    data = phase_portrait_data(stag)
    game = stag.replicator.game
    field = phase_field(game)
    assert data.grid == field.x
    assert np.allclose(data.dx, field.dx) and np.allclose(data.dy, field.dy)
    expected = {
        (float(p.position[0]), float(p.position[1])): p.stability for p in field.rest_points
    }
    assert {(m.x, m.y): m.stability for m in data.rest_points} == expected
    assert [(m.label, m.equilibrium) for m in data.rest_points if m.equilibrium] == [
        ("(hare, hare)", "NE3"),
        ("(stag, stag)", "NE1"),
        ("(x = 2/3, y = 2/3)", "NE2"),
    ]
    solution = solve(game)
    assert [e.position for e in data.equilibria] == [
        (e.probabilities[0][0], e.probabilities[1][0]) for e in solution.equilibria
    ]
    assert data.x_label == "P(Row plays stag)" and data.y_label == "P(Column plays stag)"


def test_phase_data_paths(london: LearningDynamics) -> None:
    data = phase_portrait_data(london)
    path, play = london.replicator, london.fictitious_play
    assert data.start == (0.1, 0.1)
    assert data.start_label == "start: near the status quo (maintain_chip_controls, restrict_re)"
    for series, source in zip(data.replicator, path.strategies, strict=True):
        assert 2 <= len(series) <= 200
        assert series[0] == source[0, 0] and series[-1] == source[-1, 0]
    for series, source in zip(data.fictitious, play.frequencies, strict=True):
        assert series[0] == source[0, 0] and series[-1] == source[-1, 0]
    assert data.caption[0].startswith("From near the status quo (maintain_chip_controls,")
    assert any("fictitious play settles on" in line for line in data.caption)


def test_phase_data_groups_equilibria_at_one_point() -> None:
    # The column player is indifferent everywhere: every extreme equilibrium has x = 1.
    game = Game.from_arrays([[2, 1], [0, 0]], [[0, 0], [0, 0]])
    data = phase_portrait_data(learning_dynamics(game, iterations=10))
    assert [e.label for e in data.equilibria] == ["NE1", "NE2"]
    assert data.segments  # degenerate: lines of rest points


def test_simplex_data_for_a_symmetric_game() -> None:
    game = Game.from_arrays(RPS, [list(c) for c in zip(*RPS, strict=True)])
    dynamics = learning_dynamics(game, ((0.6, 0.3, 0.1), (0.6, 0.3, 0.1)), iterations=100)
    data = simplex_data(dynamics, divisions=4)
    assert [len(p.moves) for p in data.panels] == [3, 3]
    for panel, path in zip(data.panels, dynamics.replicator.strategies, strict=True):
        assert np.allclose(np.sum(panel.replicator, axis=0), 1)
        assert np.allclose(np.sum(panel.fictitious, axis=0), 1)
        assert [s[-1] for s in panel.replicator] == pytest.approx(path[-1].tolist())
        assert panel.rounds[0] == 0 and panel.rounds[-1] == 100
    sym = data.symmetric
    assert sym is not None and len(sym.points) == 15
    lengths = [float(np.linalg.norm(d)) for d in sym.direction]
    for length, speed in zip(lengths, sym.speed, strict=True):
        assert length == pytest.approx(1.0 if speed > 1e-12 else 0.0)
    # Both populations start alike, so the one-population trajectory is each population's.
    assert np.allclose(np.array(sym.trajectory), np.array(data.panels[0].replicator))
    assert [e.label for e in sym.equilibria] == ["NE1"]


def test_simplex_data_without_symmetry() -> None:
    tariffs = scenario_dynamics("london_tariffs")
    data = simplex_data(tariffs)
    assert data.symmetric is None
    assert [p.player for p in data.panels] == ["US", "China"]
    token = simplex_data(scenario_dynamics("london_token_approvals"))
    assert [len(p.moves) for p in token.panels] == [2, 3]


@pytest.mark.parametrize(
    ("shape", "function", "message"),
    [
        pytest.param(
            (3, 3), phase_portrait_data, "drawn for 2×2 games; this game is 3×3", id="3x3"
        ),
        pytest.param((2, 2), simplex_data, "this game is 2×2. Drawn: 2×2 games", id="2x2"),
        pytest.param((4, 3), simplex_data, "this game is 4×3", id="4x3"),
    ],
)
def test_other_shapes_are_explained(
    shape: tuple[int, int], function: Callable[[LearningDynamics], object], message: str
) -> None:
    game = Game.from_arrays(*(np.arange(shape[0] * shape[1]).reshape(shape).tolist(),) * 2)
    with pytest.raises(SimError, match=message):
        function(learning_dynamics(game, iterations=10))


def test_dynamics_figures_by_shape() -> None:
    game = Game.from_arrays([[1, 0], [0, 1], [1, 1], [0, 0]], [[0, 1], [1, 0], [0, 0], [1, 1]])
    assert dynamics_figures(learning_dynamics(game, iterations=10)) == {}


def test_importing_the_module_does_not_import_matplotlib() -> None:
    code = (
        "import sys, sim.plot.dynamics; "
        "print('matplotlib' in sys.modules, 'mpltern' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ----------------------------------------------------------------------------- figures
def test_phase_portrait_artists(stag: LearningDynamics) -> None:
    figure = phase_portrait_figure(stag)
    ax = figure.axes[0]
    assert [a.get_label() for a in figure.axes] == ["phase", "caption"]
    gids = [line.get_gid() for line in ax.lines]
    assert gids.count("rest-sink") == 2 and gids.count("rest-saddle") == 1
    assert gids.count("rest-source") == 2 and gids.count("equilibrium") == 3
    assert {"replicator", "fictitious-play", "start"} <= set(gids)
    assert any(c.get_gid() == "field" for c in ax.collections)
    labels = sorted(t.get_text() for t in ax.texts if t.get_gid() == "equilibrium-label")
    assert labels == ["NE1", "NE2", "NE3"]


@pytest.mark.parametrize(
    "name",
    ["london_talks", "stag_hunt", "matching_pennies", "entry_deterrence", "chicken"],
)
def test_phase_portraits_render_without_crowding(name: str) -> None:
    (figure,) = dynamics_figures(scenario_dynamics(name)).values()
    assert crowding(figure) == []


@pytest.mark.parametrize("name", ["nash_demand", "london_token_approvals"])
def test_simplex_figures_render_without_crowding(name: str) -> None:
    figures = dynamics_figures(scenario_dynamics(name))
    assert list(figures) == ["simplex"]
    figure = figures["simplex"]
    ternary = [ax for ax in figure.axes if ax.name == "ternary"]
    assert len(ternary) == (3 if name == "nash_demand" else 1)
    assert all(any(line.get_gid() == "replicator" for line in ax.lines) for ax in ternary)
    assert crowding(figure) == []


def test_simplex_figure_symmetric_field() -> None:
    game = Game.from_arrays(RPS, [list(c) for c in zip(*RPS, strict=True)], title="RPS")
    figure = simplex_figure(learning_dynamics(game, ((0.6, 0.3, 0.1),) * 2, iterations=50))
    one = next(ax for ax in figure.axes if ax.get_label() == "one population")
    assert any(c.get_gid() == "field" for c in one.collections)
    assert figure.get_suptitle() == "RPS: learning dynamics"


@pytest.mark.parametrize(
    ("game", "data"),
    [
        pytest.param(
            Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]]), phase_portrait_data, id="phase"
        ),
        pytest.param(
            Game.from_arrays(RPS, [list(c) for c in zip(*RPS, strict=True)]),
            simplex_data,
            id="simplex",
        ),
    ],
)
def test_datasets_reuse_the_solution_of_the_dynamics(
    game: Game, data: Callable[[LearningDynamics], object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The datasets take the equilibria from the dynamics (the symmetric panel's trajectory
    too) instead of solving the game again."""
    dynamics = learning_dynamics(game, (0, 0), iterations=ITERATIONS)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the game was solved again")

    monkeypatch.setattr(sim.plot.dynamics, "solve", refuse)
    monkeypatch.setattr(sim.analysis.dynamics, "solve", refuse)
    assert data(dynamics) is not None


def test_paths_are_sampled_as_in_to_dict(london: LearningDynamics) -> None:
    data = phase_portrait_data(london)
    keep = sample_indices(len(london.replicator.times))
    assert len(data.replicator[0]) == len(keep)
    assert data.replicator[0] == tuple(london.replicator.strategies[0][keep, 0].tolist())
