"""Large games: what ``sim run`` prints and draws stays readable and bounded.

The terminal payoff table is replaced by a line when it is wider than the console (checked
against how rich really prints it); past :data:`~sim.plot.figures.MAX_TABLE_MOVES` moves the
payoff table is drawn as two colour maps; past
:data:`~sim.plot.figures.MAX_EQUILIBRIUM_LABELS` marks the payoff space labels only the pure
equilibria; past :data:`~sim.plot.qre.MAX_COLOURED_MOVES` moves the QRE figure colours the
moves that reach the highest probabilities. Figures are checked by their datasets, their
artists (found by ``gid``) and by rendering with Agg with no two texts overlapping; the
speed-ups of the payoff-space dataset are checked against the plain definitions they
replace. Timings are measured by the benchmark in the report of issue #7, not asserted here.
"""

from __future__ import annotations

import io
import math
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from figure_checks import crowding
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from rich.console import Console
from rich.markdown import Markdown

from sim.analysis.hull import convex_hull
from sim.analysis.overview import analyse
from sim.analysis.qre import qre_branch
from sim.certificate import TOLERANCE, compare
from sim.game import Game
from sim.plot.data import _hull_candidates, _outcome_groups, bimatrix_data, payoff_space_data
from sim.plot.figures import (
    CROWDED,
    MAP_INCHES,
    MAX_EQUILIBRIUM_LABELS,
    MAX_MARK_NAMES,
    MAX_TABLE_MOVES,
    MAX_TICK_LABELS,
    _labelled_marks,
    bimatrix_figure,
    payoff_space_figure,
)
from sim.plot.qre import MAX_COLOURED_MOVES, OTHER_MOVES_COLOUR, qre_data, qre_figure
from sim.report import markdown_report, payoff_table, payoff_table_width
from sim.scenario import Scenario, load
from sim.solvers import solve

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def random_game(rows: int, columns: int | None = None, seed: int = 7, high: int = 10) -> Game:
    """A random integer game, payoffs 0..high-1, seeded (moves s1, s2...)."""
    rng = np.random.default_rng(seed)
    shape = (rows, rows if columns is None else columns)
    return Game.from_arrays(
        rng.integers(0, high, shape).tolist(),
        rng.integers(0, high, shape).tolist(),
        players=("Row", "Column"),
        title=f"random {shape[0]}×{shape[1]}",
    )


def gids(figure: Figure, gid: str) -> list:
    return figure.findobj(lambda artist: artist.get_gid() == gid)


def printed(markdown: str, width: int) -> str:
    """``markdown`` as rich prints it in a console of ``width`` columns."""
    buffer = io.StringIO()
    Console(file=buffer, width=width, highlight=False).print(Markdown(markdown))
    return buffer.getvalue()


def payoff_section(text: str) -> str:
    """The printed report from its "Payoffs" heading to the next heading."""
    start = text.index("Payoffs")
    return text[start : text.index("Equilibria", start)]


# --------------------------------------------------------------------------- terminal
@pytest.fixture(scope="module")
def forty() -> tuple[Scenario, str, str]:
    """The 40×40 hostile game: its report for a 120-column terminal and for files."""
    scenario = load(ROOT / "tests" / "data" / "hostile" / "game_40x40.yaml")
    solution = solve(scenario.game, method="pure")
    analysis = analyse(scenario.game)
    terminal = markdown_report(scenario, solution, analysis, console_width=120)
    return scenario, terminal, markdown_report(scenario, solution, analysis)


def test_a_table_too_wide_for_the_terminal_is_a_line_saying_where_it_is(
    forty: tuple[Scenario, str, str],
) -> None:
    scenario, terminal, _ = forty
    pure = [e.pure_profile for e in solve(scenario.game, method="pure").equilibria]
    needed = payoff_table_width(scenario.game, pure)  # ★ cells are wider
    assert needed > 120
    section = payoff_section(printed(terminal, 120))
    assert "…" not in section and "★" not in section
    assert f"The 40 × 40 payoff table needs {needed} columns" in " ".join(section.split())
    assert "report.md" in section and "results.json" in section
    assert len(section.strip().splitlines()) <= 6
    # The whole printout is a few screens, not 1,300 lines of "…".
    assert len(printed(terminal, 120).splitlines()) < 400


def test_the_files_keep_the_whole_table(forty: tuple[Scenario, str, str]) -> None:
    scenario, _, files = forty
    pure = [e.pure_profile for e in solve(scenario.game, method="pure").equilibria]
    table = payoff_table(scenario.game, pure)
    assert "\n".join(table) in files and len(table) == 42
    assert "Cells show the payoffs in player order" in files


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_table_width_is_what_rich_prints(path: Path) -> None:
    """The width that decides is the real one: at that width rich prints every cell whole
    on one line; one column less and it must wrap or cut a cell."""
    game = load(path).game
    marked = [next(iter(game.profiles()))]  # a ★ cell, as an equilibrium shows
    table = "\n".join(payoff_table(game, marked))
    needed = payoff_table_width(game, marked)
    wide = printed(table, needed + 20).splitlines()
    assert max(len(line.rstrip()) for line in wide) in (needed - 1, needed)  # the last space
    fits = printed(table, needed).splitlines()
    assert len(fits) == len(wide) and "…" not in "".join(fits)
    assert [line.rstrip() for line in fits] == [line.rstrip() for line in wide]
    short = printed(table, needed - 1).splitlines()
    assert len(short) > len(wide) or "…" in "".join(short)


@pytest.mark.parametrize("width", [200, 120, 80, 55])
def test_london_output_unchanged_in_a_terminal_wide_enough(width: int) -> None:
    scenario = load(ROOT / "scenarios" / "london_talks.yaml")
    solution = solve(scenario.game)
    analysis = analyse(scenario.game)
    files = markdown_report(scenario, solution, analysis)
    assert markdown_report(scenario, solution, analysis, console_width=width) == files
    assert payoff_table_width(scenario.game) == 55


def test_london_in_a_narrow_terminal_gets_the_line() -> None:
    scenario = load(ROOT / "scenarios" / "london_talks.yaml")
    solution = solve(scenario.game)
    report = markdown_report(scenario, solution, analyse(scenario.game), console_width=54)
    section = payoff_section(printed(report, 54))
    assert "The 2 × 2 payoff table needs 55 columns, more than this terminal's 54" in " ".join(
        section.split()
    )
    assert "…" not in section
    # The status quo line stays: it is short.
    assert "Status quo" in section


def test_many_player_tables_count_profiles() -> None:
    game = Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int), players=("A", "B", "C"))
    scenario = Scenario.from_game(game)
    solution = solve(game)
    report = markdown_report(scenario, solution, analyse(game), console_width=10)
    assert "The payoff table (8 profiles) needs" in report
    wide = markdown_report(scenario, solution, analyse(game), console_width=200)
    assert wide == markdown_report(scenario, solution, analyse(game))


# --------------------------------------------------------------------------- bimatrix
@pytest.mark.parametrize(
    ("rows", "columns", "maps"),
    [
        pytest.param(MAX_TABLE_MOVES, MAX_TABLE_MOVES, False, id="12x12-numbers"),
        pytest.param(MAX_TABLE_MOVES + 1, MAX_TABLE_MOVES + 1, True, id="13x13-maps"),
        pytest.param(3, 14, True, id="3x14-wide"),
    ],
)
def test_table_of_numbers_up_to_max_table_moves(rows: int, columns: int, maps: bool) -> None:
    game = random_game(rows, columns)
    figure = bimatrix_figure(game, solve(game, method="pure"))
    assert bool(gids(figure, "payoffs-0")) == maps
    assert bool(gids(figure, "payoff-0")) != maps  # the numbers, one text per payoff
    if not maps:
        assert len(gids(figure, "cell") + gids(figure, "equilibrium-cell")) == rows * columns


@pytest.fixture(scope="module")
def maps40() -> tuple[Game, Figure]:
    game = random_game(40)
    return game, bimatrix_figure(game, solve(game, method="lemke-howson"), status_quo=(0, 1))


def test_maps_draw_the_dataset(maps40: tuple[Game, Figure]) -> None:
    game, figure = maps40
    data = bimatrix_data(game, solve(game, method="lemke-howson"), status_quo=(0, 1))
    for player in range(2):
        (image,) = gids(figure, f"payoffs-{player}")
        assert np.array_equal(image.get_array(), game.float_payoffs()[..., player])
        (dots,) = gids(figure, f"best-response-{player}")
        best = {
            (c + 0.5, r + 0.5)
            for cell_row in data.cells
            for cell in cell_row
            if cell.best_response[player]
            for r, c in [cell.profile]
        }
        assert {tuple(xy) for xy in dots.get_offsets().tolist()} == best
    pure = [cell for cell_row in data.cells for cell in cell_row if cell.equilibrium]
    assert len(pure) == 2
    squares = gids(figure, "equilibrium-cell")
    assert sorted(s.get_xy() for s in squares) == sorted(
        (c, r) for cell in pure for r, c in [cell.profile] for _ in range(2)
    )
    assert len(gids(figure, "status-quo")) == 2
    (caption,) = [t.get_text() for t in gids(figure, "caption")]
    assert caption.startswith("40 × 40 moves, more than 12 a side")
    assert "report.md" in caption and f"{pure[0].equilibrium} (s" in caption
    assert max(len(line) for line in caption.splitlines()) < 200


def test_maps_have_every_move_name_and_no_crowded_text(maps40: tuple[Game, Figure]) -> None:
    game, figure = maps40
    (ax, *_) = [ax for ax in figure.axes if ax.get_label() == "Row"]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(game.moves[0])
    assert [t.get_text() for t in ax.get_xticklabels()] == list(game.moves[1])
    assert crowding(figure) == []


@pytest.mark.parametrize(
    ("rows", "columns"),
    [
        pytest.param(13, 13, id="13x13"),
        pytest.param(3, 40, id="3x40"),
        pytest.param(81, 81, id="81x81"),
    ],
)
def test_maps_are_bounded_and_readable(rows: int, columns: int) -> None:
    game = random_game(rows, columns)
    figure = bimatrix_figure(game, solve(game, method="pure"))
    width, height = figure.get_size_inches()
    assert width <= 2 * (MAP_INCHES + 2.5) and height <= 2 * (MAP_INCHES + 1) + 4
    step = math.ceil(max(rows, columns) / MAX_TICK_LABELS)
    ax = next(ax for ax in figure.axes if ax.get_label() == "Row")
    assert len(ax.get_xticklabels()) == math.ceil(columns / math.ceil(columns / MAX_TICK_LABELS))
    assert len(ax.get_yticklabels()) <= MAX_TICK_LABELS and step >= 1
    # Wider than tall: the maps are stacked; else side by side.
    first, second = (
        next(ax for ax in figure.axes if ax.get_label() == name) for name in ("Row", "Column")
    )
    stacked = first.get_position().y0 > second.get_position().y1 - 1e-9
    assert stacked == (columns > rows)
    assert crowding(figure) == []


# ------------------------------------------------------------------------ payoff space
def test_labelled_marks_keep_every_mark_up_to_the_cap() -> None:
    data = payoff_space_data(random_game(5), solve(random_game(5)))
    assert _labelled_marks(data.equilibria) == data.equilibria


@pytest.fixture(scope="module")
def space40() -> tuple[Game, Figure]:
    game = random_game(40)
    return game, payoff_space_figure(game, solve(game, method="lemke-howson"), (0, 1))


def test_payoff_space_labels_only_pure_equilibria_past_the_cap(
    space40: tuple[Game, Figure],
) -> None:
    game, figure = space40
    data = payoff_space_data(game, solve(game, method="lemke-howson"), (0, 1))
    assert len(data.equilibria) > MAX_EQUILIBRIUM_LABELS
    pure = [m for m in data.equilibria if m.pure]
    shown = [t.get_text() for t in gids(figure, "equilibrium-label")]
    assert sorted(shown) == sorted(m.label for m in pure)  # short labels: one line each
    (legend,) = figure.legends
    notes = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    unlabelled = len(data.equilibria) - len(pure)
    assert (
        f"{unlabelled} of {len(data.equilibria)} equilibrium marks unlabelled (more than "
        f"{MAX_EQUILIBRIUM_LABELS};" in " ".join(notes)
    )
    assert len(gids(figure, "mixed-equilibrium")[0].get_offsets()) == len(data.equilibria) - len(
        pure
    )
    assert crowding(figure) == []


def test_a_mark_shared_by_many_equilibria_names_the_first_few() -> None:
    n = MAX_MARK_NAMES + 3
    game = Game.from_arrays(np.eye(n, dtype=int).tolist(), np.eye(n, dtype=int).tolist())
    figure = payoff_space_figure(game, solve(game, method="pure"))
    (label,) = [t.get_text() for t in gids(figure, "equilibrium-label")]
    names = label.replace(",\n", ", ").split(", ")
    assert names == [
        *(f"NE{k}" for k in range(1, MAX_MARK_NAMES)),
        f"{n - MAX_MARK_NAMES + 1} more",
    ]
    # The outcome label (twelve profiles) may touch it, by at most CROWDED of its area.
    FigureCanvasAgg(figure).draw()
    boxes = [Text.get_window_extent(t) for t in gids(figure, "equilibrium-label")]
    boxes += [Text.get_window_extent(t) for t in gids(figure, "outcome-label")]
    for k, first in enumerate(boxes):
        for second in boxes[k + 1 :]:
            meet = Bbox.intersection(first, second)
            smaller = min(b.width * b.height for b in (first, second))
            assert meet is None or meet.width * meet.height <= CROWDED * smaller


def linear_groups(game: Game) -> list[tuple[tuple, list[tuple[int, int]]]]:
    """The definition :func:`_outcome_groups` speeds up: compare with every point so far."""
    scale = game.scale()
    groups: list[tuple[tuple, list[tuple[int, int]]]] = []
    for profile in game.profiles():
        point = game.payoff(profile)
        for seen, members in groups:
            if compare(seen[0], point[0], scale) == 0 and compare(seen[1], point[1], scale) == 0:
                members.append((profile[0], profile[1]))
                break
        else:
            groups.append((point, [(profile[0], profile[1])]))
    return groups


# Payoffs a hair apart: multiples of a third of the tolerance around a few values, so that
# ties, near-ties and cell boundaries of the grid all occur.
near_ties = st.builds(
    lambda base, steps: base + steps * TOLERANCE * 3.0 / 3,
    st.sampled_from([0.0, 1.0, -2.5, 3.0]),
    st.integers(-7, 7),
)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.tuples(
                st.lists(
                    st.lists(near_ties, min_size=columns, max_size=columns),
                    min_size=rows,
                    max_size=rows,
                ),
                st.lists(
                    st.lists(near_ties, min_size=columns, max_size=columns),
                    min_size=rows,
                    max_size=rows,
                ),
            )
        )
    )
)
def test_outcome_groups_of_float_games_are_the_definitions(pair: tuple[list, list]) -> None:
    game = Game.from_arrays(*pair)
    assert not game.is_exact
    assert _outcome_groups(game) == linear_groups(game)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 10**6), st.integers(2, 30))
def test_outcome_groups_of_exact_games_are_the_definitions(
    rows: int, columns: int, seed: int, high: int
) -> None:
    game = random_game(rows, columns, seed=seed, high=high)
    assert _outcome_groups(game) == linear_groups(game)


points = st.lists(
    st.tuples(
        st.fractions(min_value=-5, max_value=5, max_denominator=4),
        st.fractions(min_value=-5, max_value=5, max_denominator=4),
    ),
    min_size=1,
    max_size=60,
    unique=True,
)


@settings(max_examples=150, deadline=None)
@given(points)
def test_hull_candidates_keep_the_hull(pts: list[tuple[F, F]]) -> None:
    kept = _hull_candidates(pts)
    assert set(kept) <= set(pts)
    assert convex_hull(kept) == convex_hull(pts)


def test_hull_candidates_leave_out_the_inside_of_a_large_game() -> None:
    points = [p for p, _ in _outcome_groups(random_game(40, high=1000))]
    kept = _hull_candidates(points)
    assert len(kept) < len(points) / 10
    assert convex_hull(kept) == convex_hull(points)


# -------------------------------------------------------------------------------- QRE
@pytest.fixture(scope="module")
def branch12():  # type: ignore[no-untyped-def]
    return qre_branch(random_game(12))


def test_qre_colours_the_moves_that_rise_highest(branch12) -> None:  # type: ignore[no-untyped-def]
    data = qre_data(branch12, status_quo=(0, 1))
    for i, coloured in enumerate(data.coloured):
        assert len(coloured) == MAX_COLOURED_MOVES and list(coloured) == sorted(coloured)
        assert data.status_quo[i] in coloured

        def peak(j: int, i: int = i) -> float:
            return max(max(data.probabilities[i][j]), data.limit[i][j])

        grey = [j for j in range(12) if j not in coloured]
        others = [j for j in coloured if j != data.status_quo[i]]
        assert max(peak(j) for j in grey) <= min(peak(j) for j in others)
        (sentence,) = [line for line in data.caption if line.startswith(data.players[i])]
        top = max(peak(j) for j in grey)
        assert sentence.endswith(f"the other 4 are grey (none above {top:.3g}).")
        assert "the status quo move and the 7 others" in sentence


def test_qre_figure_draws_grey_moves_under_one_entry(branch12) -> None:  # type: ignore[no-untyped-def]
    figure = qre_figure(branch12, status_quo=(0, 1))
    data = qre_data(branch12, status_quo=(0, 1))
    for i, player in enumerate(data.players):
        ax = next(ax for ax in figure.axes if ax.get_label() == player)
        lines = {line.get_gid(): line for line in ax.lines if line.get_gid().startswith("move-")}
        assert len(lines) == 12
        for j in range(12):
            grey = j not in data.coloured[i]
            assert (lines[f"move-{i}-{j}"].get_color() == OTHER_MOVES_COLOUR) == grey
            assert tuple(lines[f"move-{i}-{j}"].get_ydata()) == data.probabilities[i][j]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert len(legend) == MAX_COLOURED_MOVES + 1 and legend[-1] == "the other 4 moves"
        limits = [line for line in ax.lines if line.get_gid() == "limit"]
        assert sorted(float(line.get_ydata()[0]) for line in limits) == sorted(
            data.limit[i][j] for j in data.coloured[i]
        )
    assert crowding(figure) == []


def test_qre_figure_height_does_not_grow_with_the_moves() -> None:
    small = qre_figure(qre_branch(random_game(12)))
    large = qre_figure(qre_branch(random_game(40)))
    assert large.get_size_inches()[1] <= small.get_size_inches()[1] + 0.5
    assert crowding(large) == []


def test_qre_of_small_games_colours_every_move() -> None:
    data = qre_data(qre_branch(random_game(MAX_COLOURED_MOVES)))
    assert data.coloured == (tuple(range(MAX_COLOURED_MOVES)),) * 2
    assert not [line for line in data.caption if "are grey" in line]
