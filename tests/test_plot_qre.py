"""Tests of sim.plot.qre: the QRE branch dataset number by number, then the figure.

The dataset is checked against the branch it comes from; the figure by structure (axes,
artists found by ``gid``, their data), by rendering with Agg, and by measuring that no two
drawn texts overlap and none leaves the figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from figure_checks import crowding
from matplotlib.figure import Figure

from sim.analysis.qre import QuantalBranch, qre_branch
from sim.errors import SimError
from sim.game import Game
from sim.plot.qre import FLAT_REACH, SETTLED_FACTOR, _ticks, qre_data, qre_figure
from sim.scenario import load

ROOT = Path(__file__).resolve().parents[1]

TURNING = Game.from_arrays(
    [[1, 2, -3], [2, 8, -8], [1, -6, 4]],
    [[-1, 6, -1], [-9, 0, 2], [-8, 1, 2]],
    players=("Row", "Column"),
    moves=(("top", "middle", "bottom"), ("left", "centre", "right")),
    title="A branch that bends back",
)


@pytest.fixture(scope="module")
def london() -> tuple[QuantalBranch, tuple[int, ...]]:
    scenario = load(ROOT / "scenarios" / "london_talks.yaml")
    assert scenario.status_quo is not None
    return qre_branch(scenario.game), scenario.status_quo


def test_dataset_follows_the_branch(london: tuple[QuantalBranch, tuple[int, ...]]) -> None:
    branch, status_quo = london
    data = qre_data(branch, status_quo)
    assert data.players == ("US", "China")
    assert data.lam == branch.lams and not data.truncated
    assert data.lam_end == data.lam_limit == branch.limit.lam
    for i, moves in enumerate(data.moves):
        for j in range(len(moves)):
            assert data.probabilities[i][j] == tuple(p.strategies[i][j] for p in branch.points)
    assert data.limit == ((0.0, 1.0), (0.0, 1.0))  # the exact equilibrium, as floats
    assert data.limit_label == "NE1"
    assert data.status_quo == (1, 1)
    assert data.linear_width == pytest.approx(1 / 9)  # China's payoffs span -4..5
    assert data.caption[: len(branch.sentences())] == branch.sentences()
    assert data.caption[-1].startswith("x axis: λ per payoff unit, linear up to 1/R = 0.111")


def test_status_quo_by_name_and_errors(london: tuple[QuantalBranch, tuple[int, ...]]) -> None:
    branch, _ = london
    named = qre_data(branch, ("ease_chip_controls", "restrict_re"))
    assert named.status_quo == (0, 1)
    assert qre_data(branch).status_quo == (None, None)
    with pytest.raises(SimError, match="unknown move 'stay'"):
        qre_data(branch, ("stay", "restrict_re"))
    with pytest.raises(SimError, match="one move per player"):
        qre_data(branch, ("ease_chip_controls",))
    with pytest.raises(SimError, match="takes a QuantalBranch"):
        qre_data(branch.game)  # type: ignore[arg-type]


def test_mixed_limit_axis_stops_where_play_has_settled() -> None:
    pennies = Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    branch = qre_branch(pennies)
    data = qre_data(branch)
    assert data.truncated
    assert data.lam_end == pytest.approx(SETTLED_FACTOR * branch.settles())
    assert data.lam_end < data.lam_limit == branch.limit.lam
    assert max(data.lam) <= data.lam_end and len(data.lam) < len(branch.points)
    assert data.limit == ((0.5, 0.5), (0.1, 0.9))
    assert "the axis stops at" in data.caption[-1]


def test_branch_ending_at_zero_is_drawn_flat() -> None:
    pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    data = qre_data(qre_branch(pennies))
    assert data.lam == (0.0, FLAT_REACH / 2)  # R = 2
    assert data.probabilities == (((0.5, 0.5), (0.5, 0.5)), ((0.5, 0.5), (0.5, 0.5)))
    assert data.limit_label == "NE1"


def test_turning_points_bifurcations_and_unfinished_traces() -> None:
    data = qre_data(qre_branch(TURNING))
    assert len(data.turning_points) == 2 and data.bifurcations == ()
    battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    assert len(qre_data(qre_branch(battle)).bifurcations) == 1
    short = qre_data(qre_branch(TURNING, lam_max=3))
    assert short.limit_label is None and short.turning_points == ()
    assert short.lam_end == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("width", "end", "expected"),
    [
        pytest.param(1 / 9, 14.0, [0.0, 1.0, 10.0], id="london"),
        pytest.param(1.0, 1.0, [0.0, 1.0], id="one-decade"),
        pytest.param(0.01, 5e3, [0.0, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0], id="wide"),
    ],
)
def test_ticks_skip_the_linear_part(width: float, end: float, expected: list[float]) -> None:
    assert _ticks(width, end) == pytest.approx(expected)


def test_figure_draws_the_dataset(london: tuple[QuantalBranch, tuple[int, ...]]) -> None:
    branch, status_quo = london
    figure = qre_figure(branch, status_quo)
    data = qre_data(branch, status_quo)
    axes = {ax.get_label(): ax for ax in figure.axes}
    assert list(axes) == ["US", "China", "caption"]
    for i, player in enumerate(data.players):
        ax = axes[player]
        assert ax.get_xscale() == "symlog"
        assert ax.get_xlim() == pytest.approx((0.0, data.lam_end))
        lines = {line.get_gid(): line for line in ax.lines}
        for j in range(len(data.moves[i])):
            line = lines[f"move-{i}-{j}"]
            assert tuple(line.get_xdata()) == data.lam
            assert tuple(line.get_ydata()) == data.probabilities[i][j]
        thick = lines[f"move-{i}-{status_quo[i]}"].get_linewidth()
        other = lines[f"move-{i}-{1 - status_quo[i]}"].get_linewidth()
        assert thick > other
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert f"{data.moves[i][status_quo[i]]} (status quo)" in legend
        limits = [line for line in ax.lines if line.get_gid() == "limit"]
        assert sorted(float(line.get_ydata()[0]) for line in limits) == sorted(data.limit[i])
        assert len([line for line in ax.lines if line.get_gid() == "nash-limit"]) == 1
    labels = [t.get_text() for t in axes["US"].texts if t.get_gid() == "limit-label"]
    assert labels == ["NE1"]
    assert figure.get_suptitle().startswith("US–China London talks")
    captions = [t.get_text() for t in axes["caption"].texts if t.get_gid() == "caption"]
    assert len(captions) == 1 and "NE1 (maintain_chip_controls, restrict_re)" in " ".join(
        captions[0].split()
    )


def test_figure_marks_turning_points_and_a_far_limit() -> None:
    figure = qre_figure(qre_branch(TURNING))
    ax = figure.axes[0]
    assert len([line for line in ax.lines if line.get_gid() == "turning-point"]) == 2
    pennies = Game.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    far = qre_figure(qre_branch(pennies))
    labels = [t.get_text() for t in far.axes[0].texts if t.get_gid() == "limit-label"]
    assert labels == ["→ NE1 as λ → ∞"]
    unfinished = qre_figure(qre_branch(TURNING, lam_max=3))
    assert not [line for line in unfinished.axes[0].lines if line.get_gid() == "nash-limit"]


def test_three_players_one_panel_each() -> None:
    rng = np.random.default_rng(4)
    game = Game.from_payoffs(rng.normal(size=(2, 3, 2, 3)), players=("EU", "US", "China"))
    figure = qre_figure(qre_branch(game))
    assert [ax.get_label() for ax in figure.axes] == ["EU", "US", "China", "caption"]
    assert crowding(figure) == []


@pytest.mark.parametrize(
    "name",
    [
        "london_talks",
        "london_tariffs",
        "london_licence_signal",
        "battle_of_the_sexes",
        "matching_pennies",
        "stag_hunt",
    ],
)
def test_scenario_figures_render_without_crowding(name: str) -> None:
    scenario = load(ROOT / "scenarios" / f"{name}.yaml")
    figure = qre_figure(qre_branch(scenario.game), scenario.status_quo)
    assert isinstance(figure, Figure)
    assert crowding(figure) == []


def test_turning_figure_renders_without_crowding() -> None:
    assert crowding(qre_figure(qre_branch(TURNING))) == []
