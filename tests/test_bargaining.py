"""Tests for sim.analysis.bargaining and sim.plot.bargaining.

Textbook cases with known answers (split the pie, a Kalai–Smorodinsky ≠ Nash example, the
prisoner's dilemma with security levels, Rubinstein's formula, Muthoo's outside-option cases),
then properties on small integer games checked against independent oracles: scipy's LP for
Pareto efficiency, a dense scan of the frontier for the Nash product, and backward induction
over a long finite horizon for Rubinstein's equilibrium. Last, the figure's dataset and
drawing (rendered headless, no overlapping text).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest
from figure_checks import crowding
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from matplotlib import pyplot
from strategies import bimatrix_games, positive_affine_maps, rescale_player

from sim.analysis.bargaining import Bargaining, bargaining
from sim.errors import SimError
from sim.game import Game
from sim.plot.bargaining import bargaining_data, bargaining_figure

F = Fraction
SETTINGS = settings(max_examples=40, deadline=None)

PIE = Game.from_arrays([[1, 0], [0, 0]], [[0, 1], [0, 0]], players=("A", "B"))
"""Split the pie: outcomes (1, 0), (0, 1) and (0, 0)."""
LONDON = Game.from_arrays(
    [[3, -3], [4, -1]],
    [[4, 5], [-4, -2]],
    players=("US", "China"),
    moves=(("ease", "maintain"), ("raise", "restrict")),
    title="US–China London talks",
)
"""The London talks at their default parameters (scenarios/london_talks.yaml)."""
PD = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], moves=(("C", "D"), ("C", "D")))
STEEP = Game.from_arrays([[0, 0], [1, 1]], [[1, 0], [F(7, 10), 0]])
"""Outcomes (0, 1), (0, 0), (1, 7/10), (1, 0): the Kalai–Smorodinsky monotonicity example."""
LINE = Game.from_arrays([[0, 2], [0, 0]], [[1, 0], [0, 0]])
"""Frontier from (0, 1) to (2, 0): Nash = Kalai–Smorodinsky = (1, 1/2), egalitarian (2/3, 2/3)."""
BATTLE = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
THREE_BY_TWO = Game.from_arrays([[0, 1], [1, 0], [2, 2]], [[1, 0], [0, 1], [2, 2]])


@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    """The figures never go through pyplot (so nothing is left open); close any that did."""
    yield
    leaked = pyplot.get_fignums()
    pyplot.close("all")
    assert leaked == []


# ------------------------------------------------------------------------ textbook cases
@pytest.mark.parametrize(
    ("game", "options", "nash", "ks", "egalitarian"),
    [
        pytest.param(
            PIE, {"disagreement": (0, 0)}, (F(1, 2),) * 2, (F(1, 2),) * 2, (F(1, 2),) * 2, id="pie"
        ),
        pytest.param(
            PIE,
            {"disagreement": (0, 0), "weights": (2, 1)},
            (F(2, 3), F(1, 3)),
            (F(1, 2),) * 2,
            (F(1, 2),) * 2,
            id="pie-weighted-2-1",
        ),
        pytest.param(
            PIE,
            {"disagreement": (0, 0), "weights": (F(1, 4), F(3, 4))},
            (F(1, 4), F(3, 4)),
            (F(1, 2),) * 2,
            (F(1, 2),) * 2,
            id="pie-weighted-1/4-3/4",
        ),
        pytest.param(
            STEEP,
            {"disagreement": (0, 0)},
            (F(1), F(7, 10)),
            (F(10, 13), F(10, 13)),
            (F(10, 13), F(10, 13)),
            id="ks-not-nash",
        ),
        pytest.param(
            LINE,
            {"disagreement": (0, 0)},
            (F(1), F(1, 2)),
            (F(1), F(1, 2)),
            (F(2, 3), F(2, 3)),
            id="linear-frontier",
        ),
        pytest.param(
            PD, {}, (F(3), F(3)), (F(3), F(3)), (F(3), F(3)), id="prisoners-dilemma-security"
        ),
        pytest.param(
            LONDON,
            {"disagreement": "status_quo", "status_quo": ("maintain", "restrict")},
            (F(3), F(4)),
            (F(815, 268), F(246, 67)),
            (F(29, 9), F(20, 9)),
            id="london-status-quo",
        ),
        pytest.param(
            BATTLE,
            {"disagreement": "nash", "equilibrium": 1},
            (F(3, 2), F(3, 2)),
            (F(3, 2), F(3, 2)),
            (F(3, 2), F(3, 2)),
            id="battle-mixed-equilibrium",
        ),
        pytest.param(
            BATTLE,
            {"disagreement": "nash", "equilibrium": 0},
            (F(2), F(1)),
            (F(2), F(1)),
            (F(2), F(1)),
            id="battle-efficient-disagreement",
        ),
        pytest.param(
            PIE,
            {"disagreement": (F(1, 2), 0)},
            (F(3, 4), F(1, 4)),
            (F(3, 4), F(1, 4)),
            (F(3, 4), F(1, 4)),
            id="pie-shifted-disagreement",
        ),
    ],
)
def test_textbook_solutions(
    game: Game, options: dict, nash: tuple, ks: tuple, egalitarian: tuple
) -> None:
    result = bargaining(game, **options)
    assert result.exact
    assert result.nash is not None and result.nash.point == nash
    assert result.kalai_smorodinsky is not None and result.kalai_smorodinsky.point == ks
    assert result.egalitarian is not None and result.egalitarian.point == egalitarian


def test_prisoners_dilemma_security_details() -> None:
    result = bargaining(PD)
    assert result.disagreement == (1, 1) and result.disagreement_rule == "security"
    assert result.disagreement_feasible
    assert result.bargaining_frontier == ((1, F(13, 3)), (3, 3), (F(13, 3), 1))
    assert result.ideal == (F(13, 3), F(13, 3))
    assert result.nash is not None
    assert result.nash.profiles == (((0, 0),),) and result.nash.probabilities == (1,)


def test_lottery_of_an_interior_point() -> None:
    result = bargaining(LONDON, disagreement="status_quo", status_quo=("maintain", "restrict"))
    egal = result.egalitarian
    assert egal is not None and result.egalitarian_equal
    assert egal.vertices == ((3, 4), (4, -4))
    assert egal.profiles == (((0, 0),), ((1, 0),))
    assert egal.probabilities == (F(7, 9), F(2, 9))
    mixed = tuple(
        sum(p * v[i] for p, v in zip(egal.probabilities, egal.vertices, strict=True))
        for i in (0, 1)
    )
    assert mixed == egal.point


def test_shared_payoffs_list_every_profile() -> None:
    result = bargaining(PIE, disagreement=(0, 0))
    assert ((0, 0), ((1, 0), (1, 1))) in [(p, q) for p, q in result.outcomes]
    assert result.hull == ((0, 0), (1, 0), (0, 1))


def test_leximin_egalitarian_when_equal_gains_are_infeasible() -> None:
    # frontier from (2, 5) to (5/2, 4): player 0 gains at most 5/2, player 1 at least 4
    game = Game.from_arrays([[2, F(5, 2)], [0, 0]], [[5, 4], [0, 0]])
    result = bargaining(game, disagreement=(0, 0))
    assert result.egalitarian is not None and not result.egalitarian_equal
    assert result.egalitarian.point == (F(5, 2), 4)
    assert result.nash is not None and result.nash.point == (F(9, 4), F(9, 2))  # max x(9 - 2x)


def test_no_gain_from_bargaining() -> None:
    result = bargaining(PIE, disagreement=(F(3, 4), F(1, 2)), discount=(F(1, 2), F(1, 2)))
    assert not result.gain and result.bargaining_frontier == ()
    assert result.nash is None and result.kalai_smorodinsky is None and result.egalitarian is None
    assert result.rubinstein is not None and result.rubinstein.agreement is None
    assert result.rubinstein.walks_away is None
    assert not result.disagreement_feasible
    assert any("no gain from bargaining" in s for s in result.sentences(PIE))


def test_disagreement_on_the_frontier() -> None:
    result = bargaining(PIE, disagreement=(F(1, 3), F(2, 3)), discount=(F(1, 2), F(1, 2)))
    assert result.bargaining_frontier == ((F(1, 3), F(2, 3)),)
    assert result.nash is not None and result.nash.point == (F(1, 3), F(2, 3))
    assert result.rubinstein is not None and result.rubinstein.agreement is not None
    assert result.rubinstein.agreement.point == (F(1, 3), F(2, 3))
    assert result.rubinstein.shares() is None
    assert any("only one agreement" in s for s in result.sentences(PIE))


def test_security_point_outside_the_feasible_set() -> None:
    # outcomes (-2, -1), (-1, -1), (1, 2), (2, 0); each player can guarantee 1 and -1 alone
    game = Game.from_arrays([[-2, -1], [1, 2]], [[-1, -1], [2, 0]])
    result = bargaining(game)
    assert result.disagreement == (1, -1) and not result.disagreement_feasible
    assert result.nash is not None and result.nash.point == (F(7, 4), F(1, 2))  # (x-1)(5-2x)
    assert any("is not itself a feasible agreement" in s for s in result.sentences(game))


# ------------------------------------------------------------------------ Rubinstein
DISCOUNTS = [
    (F(1, 2), F(1, 2)),
    (F(9, 10), F(4, 5)),
    (F(1, 3), F(3, 4)),
    (F(99, 100), F(99, 100)),
    (F(1, 100), F(999, 1000)),
]


@pytest.mark.parametrize("delta", [pytest.param(d, id=f"{d[0]}-{d[1]}") for d in DISCOUNTS])
@pytest.mark.parametrize("first", [0, 1])
def test_rubinstein_pie_shares(delta: tuple[Fraction, Fraction], first: int) -> None:
    result = bargaining(PIE, disagreement=(0, 0), discount=delta, first=first).rubinstein
    assert result is not None and result.model == "rubinstein"
    assert result.agreement is not None
    share = (1 - delta[1 - first]) / (1 - delta[0] * delta[1])
    assert result.agreement.point[first] == share
    assert result.agreement.point[1 - first] == 1 - share
    shares = result.shares()
    assert shares is not None and shares[first] == share


def test_rubinstein_float_discounts_read_as_decimals() -> None:
    exact = bargaining(PIE, disagreement=(0, 0), discount=(F(9, 10), F(4, 5))).rubinstein
    floats = bargaining(PIE, disagreement=(0, 0), discount=(0.9, 0.8))
    assert not floats.exact
    assert floats.rubinstein is not None and floats.rubinstein.agreement is not None
    assert exact is not None and exact.agreement is not None
    point = floats.rubinstein.agreement.point
    assert all(isinstance(x, float) for x in point)
    assert point == tuple(float(x) for x in exact.agreement.point)
    assert floats.rubinstein.agreement.point[0] == pytest.approx(0.2 / 0.28)


@pytest.mark.parametrize(
    ("options", "offers", "binding"),
    [
        # Muthoo (1999), Proposition 5.1, pie 1, δ = 1/2: Rubinstein shares (2/3, 1/3)
        pytest.param(
            (0, F(1, 10)),
            ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
            (False, False),
            id="neither-binds",
        ),
        pytest.param(
            (F(3, 10), F(3, 10)),
            ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
            (False, False),
            id="both-below-continuation",
        ),
        pytest.param(
            (0, F(1, 2)),
            ((F(1, 2), F(1, 2)), (F(1, 4), F(3, 4))),
            (False, True),
            id="responder-binds",
        ),
        pytest.param(
            (F(1, 2), 0),
            ((F(3, 4), F(1, 4)), (F(1, 2), F(1, 2))),
            (True, False),
            id="proposer-binds",
        ),
        pytest.param(
            (F(9, 20), F(9, 20)),
            ((F(11, 20), F(9, 20)), (F(9, 20), F(11, 20))),
            (True, True),
            id="both-bind",
        ),
    ],
)
def test_outside_options_strategic(options: tuple, offers: tuple, binding: tuple) -> None:
    result = bargaining(
        PIE, disagreement=(0, 0), discount=(F(1, 2), F(1, 2)), outside_options=options
    )
    strategic = result.rubinstein
    assert strategic is not None and strategic.model == "strategic"
    assert strategic.offers is not None
    assert tuple(o.point for o in strategic.offers) == offers
    assert strategic.binding == binding
    # a binding option gives the responder exactly its option
    for responder in (0, 1):
        if binding[responder]:
            assert strategic.offers[1 - responder].point[responder] == options[responder]


def test_outside_options_naive_differs() -> None:
    result = bargaining(
        PIE, disagreement=(0, 0), discount=(F(1, 2), F(1, 2)), outside_options=(0, F(1, 2))
    )
    naive = result.rubinstein_naive
    assert naive is not None and naive.model == "naive"
    assert naive.disagreement == (0, F(1, 2))
    assert naive.agreement is not None and naive.agreement.point == (F(1, 3), F(2, 3))
    assert result.nash_naive is not None and result.nash_naive.point == (F(1, 4), F(3, 4))
    assert result.nash_outside_options is not None
    assert result.nash_outside_options.point == (F(1, 2), F(1, 2))
    # a binding option moves the constrained Nash solution to the option
    bound = bargaining(PIE, disagreement=(0, 0), outside_options=(0, F(3, 5)))
    assert bound.nash_outside_options is not None
    assert bound.nash_outside_options.point == (F(2, 5), F(3, 5))
    assert bound.rubinstein is None


@pytest.mark.parametrize("first", [0, 1])
def test_no_agreement_when_options_exceed_the_pie(first: int) -> None:
    result = bargaining(
        PIE,
        disagreement=(0, 0),
        discount=(F(1, 2), F(1, 2)),
        outside_options=(F(3, 5), F(1, 2)),
        first=first,
    )
    assert result.rubinstein is not None and result.rubinstein.agreement is None
    assert result.rubinstein.walks_away == 1 - first
    assert result.rubinstein_naive is not None and result.rubinstein_naive.agreement is None
    assert result.nash_naive is None and result.nash_outside_options is None
    assert any("walks away" in s for s in result.sentences(PIE))


def test_rubinstein_limit_is_the_nash_solution_on_london() -> None:
    previous = None
    for n in (10, 100, 1000, 10_000):
        delta = (1 - F(1, n), 1 - F(1, n))
        result = bargaining(
            LONDON,
            disagreement="status_quo",
            status_quo=("maintain", "restrict"),
            discount=delta,
        )
        offers = result.rubinstein
        assert offers is not None and offers.agreement is not None and offers.limit is not None
        assert offers.limit.point == (3, 4)
        gap = max(
            abs(a - b) for a, b in zip(offers.agreement.point, offers.limit.point, strict=True)
        )
        assert previous is None or gap <= previous
        previous = gap
    assert previous is not None and previous < F(1, 100)


# ----------------------------------------------------------------------- inputs, errors
@pytest.mark.parametrize(
    ("game", "options", "message"),
    [
        pytest.param(
            PD, {"disagreement": "status_quo"}, "needs the status quo profile", id="no-sq"
        ),
        pytest.param(PD, {"disagreement": "nash", "equilibrium": 3}, "has 1 extreme Nash", id="ne"),
        pytest.param(PD, {"disagreement": "threat"}, "unknown disagreement rule", id="rule"),
        pytest.param(PD, {"disagreement": (1, 2, 3)}, "pair of numbers", id="pair"),
        pytest.param(PD, {"disagreement": (1, "x")}, "not a finite number", id="number"),
        pytest.param(PD, {"weights": (1, 0)}, "weights must be positive", id="weights"),
        pytest.param(PD, {"discount": (1, F(1, 2))}, "strictly between 0 and 1", id="delta-1"),
        pytest.param(PD, {"discount": (F(1, 2), 0)}, "strictly between 0 and 1", id="delta-0"),
        pytest.param(PD, {"first": "Carol"}, "unknown player", id="first"),
        pytest.param(PD, {"status_quo": ("C", "E")}, "unknown move", id="move"),
        pytest.param(
            Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int)),
            {},
            "two-player game",
            id="three-players",
        ),
    ],
)
def test_errors_say_what_to_fix(game: Game, options: dict, message: str) -> None:
    with pytest.raises(SimError, match=message):
        bargaining(game, **options)


def test_float_game_matches_its_exact_twin() -> None:
    exact = Game.from_arrays([[F(3, 10), 0], [1, F(1, 10)]], [[F(3, 10), 1], [0, F(1, 10)]])
    floating = Game.from_arrays([[0.3, 0.0], [1.0, 0.1]], [[0.3, 1.0], [0.0, 0.1]])
    a = bargaining(exact, discount=(F(9, 10), F(9, 10)))
    b = bargaining(floating, discount=(F(9, 10), F(9, 10)))
    assert a.exact and not b.exact
    for x, y in ((a.nash, b.nash), (a.kalai_smorodinsky, b.kalai_smorodinsky)):
        assert x is not None and y is not None
        assert y.point == tuple(float(v) for v in x.point)
    assert a.rubinstein is not None and b.rubinstein is not None
    assert b.rubinstein.agreement is not None and a.rubinstein.agreement is not None
    assert b.rubinstein.agreement.point == tuple(float(v) for v in a.rubinstein.agreement.point)
    json.dumps(b.to_dict(floating))
    assert b.to_dict(floating)["nash"]["exact_payoffs"] is None


def test_to_dict_is_json_ready_with_exact_strings() -> None:
    result = bargaining(
        LONDON,
        disagreement="status_quo",
        status_quo=("maintain", "restrict"),
        outside_options=(0, F(1, 2)),
        discount=(F(9, 10), F(4, 5)),
    )
    data = json.loads(json.dumps(result.to_dict(LONDON)))
    assert data["disagreement"]["rule"] == "status_quo"
    assert data["disagreement"]["status_quo"] == ["maintain", "restrict"]
    assert data["disagreement"]["exact_payoffs"] == {"US": "-1", "China": "-2"}
    assert data["nash"]["exact_payoffs"] == {"US": "3", "China": "4"}
    assert data["nash"]["lottery"] == [
        {
            "profiles": [["ease", "raise"]],
            "payoffs": [3.0, 4.0],
            "probability": 1.0,
            "exact_probability": "1",
        }
    ]
    assert data["egalitarian"]["exact_payoffs"] == {"US": "29/9", "China": "20/9"}
    assert data["rubinstein"]["model"] == "strategic"
    assert data["rubinstein"]["first"] == "US"
    assert data["rubinstein_naive"]["disagreement"]["exact_payoffs"] == {"US": "0", "China": "1/2"}
    assert data["frontier"]["exact_points"] == [["-3", "5"], ["3", "4"], ["4", "-4"]]
    with pytest.raises(SimError, match="pass the game it was computed from"):
        result.to_dict(THREE_BY_TWO)


def test_sentences_name_players_moves_and_numbers() -> None:
    result = bargaining(
        LONDON,
        disagreement="status_quo",
        status_quo=("maintain", "restrict"),
        outside_options=(0, F(1, 2)),
        discount=(0.9, 0.8),
    )
    lines = result.sentences(LONDON)
    assert lines[1] == (
        "With the status quo (maintain, restrict) as the disagreement point (-1, -2), the Nash "
        "bargaining solution gives US 3 and China 4: play (ease, raise)."
    )
    rubinstein = next(s for s in lines if "Rubinstein" in s)
    assert rubinstein.startswith(
        "If US proposes first and the discount factors are 0.9 (US) and 0.8 (China)"
    )
    assert "immediate agreement on US 3.146 and China 2.836" in rubinstein
    assert any(s.startswith("Counting the outside options as the disagreement") for s in lines)
    assert any("Neither outside option binds" in s for s in lines)
    assert any("tends to the Nash solution among agreements" in s for s in lines)
    weighted = bargaining(PIE, disagreement=(0, 0), weights=(2, 1)).sentences(PIE)
    assert "with bargaining weights 2 (A) and 1 (B)" in weighted[1]
    assert "play (s1, s2) with probability 1/3 and (s1, s1) with probability 2/3" in weighted[1]
    nash = bargaining(BATTLE, disagreement="nash", equilibrium=1).sentences(BATTLE)
    assert "payoffs of Nash equilibrium NE2 as the disagreement point (2/3, 2/3)" in nash[1]


# ------------------------------------------------------------------------- properties
def small_games() -> st.SearchStrategy[Game]:
    """Exact two-player games, 2x2 to 3x3, integer payoffs in -3..3."""
    return bimatrix_games(st.integers(-3, 3), min_moves=2, max_moves=3)


def outcome_points(game: Game) -> np.ndarray:
    return np.array([[float(x) for x in game.payoff(p)] for p in game.profiles()])


def pareto_slack(game: Game, point: tuple) -> float | None:
    """Independent oracle (scipy LP): the largest total gain over ``point`` of any lottery
    over outcomes that gives both players at least ``point``; None if no lottery does."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    pts = outcome_points(game)
    x, y = float(point[0]), float(point[1])
    lp = linprog(
        c=-(pts[:, 0] + pts[:, 1]),
        A_ub=-pts.T,
        b_ub=[-x + 1e-12, -y + 1e-12],
        A_eq=np.ones((1, len(pts))),
        b_eq=[1.0],
        bounds=[(0, None)] * len(pts),
    )
    if lp.status != 0:
        return None
    return -lp.fun - (x + y)


def check_agreement(game: Game, result: Bargaining, agreement) -> None:
    """On the Pareto frontier (LP oracle), individually rational, and paid by its lottery."""
    d = result.disagreement
    assert agreement.point[0] >= d[0] and agreement.point[1] >= d[1]
    slack = pareto_slack(game, agreement.point)
    assert slack is not None and abs(slack) < 1e-7
    assert sum(agreement.probabilities) == 1 and all(p > 0 for p in agreement.probabilities)
    for i in (0, 1):
        assert (
            sum(p * v[i] for p, v in zip(agreement.probabilities, agreement.vertices, strict=True))
            == (agreement.point[i])
        )
    for vertex, profiles in zip(agreement.vertices, agreement.profiles, strict=True):
        assert all(game.payoff(p) == vertex for p in profiles)


def dense_frontier(curve: tuple, samples: int = 400) -> list[tuple[float, float]]:
    out = []
    for p, q in pairwise(curve):
        for t in np.linspace(0.0, 1.0, samples):
            out.append((float(p[0]) + t * float(q[0] - p[0]), float(p[1]) + t * float(q[1] - p[1])))
    return out


@SETTINGS
@given(small_games(), st.sampled_from(["security", "nash", "status_quo"]))
def test_solutions_are_efficient_and_individually_rational(game: Game, rule: str) -> None:
    result = bargaining(game, disagreement=rule, status_quo=(0, 0))
    assert result.gain  # each of these disagreement points is weakly beaten by a feasible one
    for agreement in (result.nash, result.kalai_smorodinsky, result.egalitarian):
        check_agreement(game, result, agreement)
    d = result.disagreement
    ks = result.kalai_smorodinsky
    assert result.ideal is not None and ks is not None
    # KS lies on the segment from d to the ideal point
    cross = (ks.point[0] - d[0]) * (result.ideal[1] - d[1]) - (ks.point[1] - d[1]) * (
        result.ideal[0] - d[0]
    )
    assert cross == 0
    egal = result.egalitarian
    assert egal is not None
    if result.egalitarian_equal:
        assert egal.point[0] - d[0] == egal.point[1] - d[1]


@SETTINGS
@given(small_games(), st.sampled_from([(1, 1), (2, 1), (1, 3), (F(1, 2), F(1, 3))]))
def test_nash_maximises_the_nash_product(game: Game, weights: tuple) -> None:
    result = bargaining(game, weights=weights)
    assert result.nash is not None
    d = [float(x) for x in result.disagreement]
    w = [float(x) for x in weights]

    def product(u: tuple) -> float:
        g0, g1 = max(float(u[0]) - d[0], 0.0), max(float(u[1]) - d[1], 0.0)
        return g0 ** w[0] * g1 ** w[1]

    best = product(result.nash.point)
    for u in dense_frontier(result.bargaining_frontier):
        assert product(u) <= best + 1e-9 * max(1.0, best)


@SETTINGS
@given(small_games(), st.integers(0, 1), positive_affine_maps())
def test_covariant_under_affine_rescaling(game: Game, player: int, ab: tuple) -> None:
    a, b = ab
    scaled = rescale_player(game, player, a, b)
    delta = (F(2, 3), F(3, 4))
    before = bargaining(game, discount=delta)
    after = bargaining(scaled, discount=delta)

    def mapped(point: tuple) -> tuple:
        return tuple(a * x + b if i == player else x for i, x in enumerate(point))

    assert after.disagreement == mapped(before.disagreement)
    for name in ("nash", "kalai_smorodinsky"):
        x, y = getattr(before, name), getattr(after, name)
        assert y.point == mapped(x.point)
    assert before.rubinstein is not None and after.rubinstein is not None
    assert before.rubinstein.agreement is not None and after.rubinstein.agreement is not None
    assert after.rubinstein.agreement.point == mapped(before.rubinstein.agreement.point)


@st.composite
def symmetric_games(draw: st.DrawFn) -> Game:
    n = draw(st.integers(2, 3))
    row = st.lists(st.integers(-3, 3), min_size=n, max_size=n)
    a = draw(st.lists(row, min_size=n, max_size=n))
    return Game.from_arrays(a, [list(r) for r in zip(*a, strict=True)])


@SETTINGS
@given(symmetric_games())
def test_symmetric_games_have_symmetric_solutions(game: Game) -> None:
    result = bargaining(game)
    assert result.disagreement[0] == result.disagreement[1]
    for agreement in (result.nash, result.kalai_smorodinsky, result.egalitarian):
        assert agreement is not None and agreement.point[0] == agreement.point[1]


def backward_induction(frontier: tuple, d: tuple, delta: tuple, options, rounds: int = 400):
    """Independent oracle: the proposals of a long finite-horizon alternating-offers game
    (Ståhl 1972), computed backwards in floats from the last proposer taking everything."""
    xs = [float(p[0]) for p in frontier]
    ys = [float(p[1]) for p in frontier]
    d0, d1 = (float(x) for x in d)
    g0, g1 = (float(x) for x in delta)
    o0, o1 = (-np.inf, -np.inf) if options is None else (float(x) for x in options)

    def f(x: float) -> float:
        return float(np.interp(x, xs, ys))

    def f_inverse(y: float) -> float:
        return float(np.interp(y, ys[::-1], xs[::-1]))

    s = xs[-1]
    v0 = xs[0]
    for _ in range(rounds):
        v0 = max(xs[0], o0, d0 + g0 * (s - d0))  # player 1 proposes: 0's threshold
        u1 = max(ys[-1], o1, d1 + g1 * (f(v0) - d1))  # player 0 proposes: 1's threshold
        s = f_inverse(u1)
    return (s, f(s)), (v0, f(v0))


DELTAS = st.sampled_from([F(1, 2), F(2, 3), F(3, 4), F(1, 3), F(4, 5)])


@SETTINGS
@given(
    small_games(),
    st.tuples(DELTAS, DELTAS),
    st.none() | st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
)
def test_rubinstein_matches_backward_induction(game: Game, delta: tuple, options) -> None:
    result = bargaining(game, discount=delta, outside_options=options)
    offers = result.rubinstein
    assert offers is not None
    frontier = result.frontier
    assume(len(frontier) >= 2)
    if offers.offers is None:
        low = [max(d, o) for d, o in zip(result.disagreement, options, strict=True)]
        assert result.nash_naive is None
        assert all(slack is None for slack in [pareto_slack(game, low)])
        return
    u, v = (o.point for o in offers.offers)
    (ou, ov) = backward_induction(frontier, result.disagreement, delta, options)
    assert u == pytest.approx(ou, abs=1e-7) and v == pytest.approx(ov, abs=1e-7)
    for agreement in offers.offers:
        check_agreement(game, result, agreement)
        if options is not None:
            assert all(agreement.point[i] >= options[i] for i in (0, 1))


@SETTINGS
@given(small_games(), st.tuples(DELTAS, DELTAS))
def test_rubinstein_responder_is_exactly_indifferent(game: Game, delta: tuple) -> None:
    result = bargaining(game, discount=delta)
    offers = result.rubinstein
    assert offers is not None and offers.offers is not None
    u, v = (o.point for o in offers.offers)
    d = result.disagreement
    (x_lo, _), (_, y_lo) = result.frontier[0], result.frontier[-1]
    # responder 1 gets what waiting to propose v is worth to it, unless even the frontier's
    # worst point for it beats that (then player 0 offers that end point)
    assert u[1] == max(y_lo, d[1] + delta[1] * (v[1] - d[1]))
    assert v[0] == max(x_lo, d[0] + delta[0] * (u[0] - d[0]))
    if u != result.frontier[-1]:
        assert u[1] == d[1] + delta[1] * (v[1] - d[1])


@settings(max_examples=15, deadline=None)
@given(small_games())
def test_rubinstein_tends_to_the_nash_solution(game: Game) -> None:
    gaps = []
    for n in (10, 100, 1000):
        delta = (1 - F(1, n), 1 - F(1, n))
        result = bargaining(game, discount=delta)
        offers = result.rubinstein
        assert offers is not None and offers.agreement is not None and result.nash is not None
        assert offers.limit is not None and offers.limit.point == result.nash.point
        gaps.append(
            max(abs(a - b) for a, b in zip(offers.agreement.point, result.nash.point, strict=True))
        )
    assert gaps[0] >= gaps[1] >= gaps[2]
    assert gaps[2] <= F(6, 100)  # payoffs span at most 6


@settings(max_examples=15, deadline=None)
@given(small_games(), st.tuples(st.integers(-3, 3), st.integers(-3, 3)))
def test_strategic_limit_is_the_constrained_nash_solution(game: Game, options: tuple) -> None:
    delta = (1 - F(1, 2000), 1 - F(1, 2000))
    result = bargaining(game, discount=delta, outside_options=options)
    offers = result.rubinstein
    assert offers is not None
    if result.nash_outside_options is None:
        assert offers.agreement is None
        return
    assert offers.agreement is not None and offers.limit is not None
    assert offers.limit.point == result.nash_outside_options.point
    gap = max(abs(a - b) for a, b in zip(offers.agreement.point, offers.limit.point, strict=True))
    assert gap <= F(1, 100)


# ------------------------------------------------------------------------------ figure


LONG_LONDON = Game.from_arrays(
    [[3, -3], [4, -1]],
    [[4, 5], [-4, -2]],
    players=("US", "China"),
    moves=(("ease_chip_controls", "maintain_chip_controls"), ("raise_re_exports", "restrict_re")),
    title="US–China London talks — the linkage swap (chip controls for rare earths)",
)
FIGURE_CASES = {
    "london": (
        LONG_LONDON,
        {
            "disagreement": "status_quo",
            "status_quo": ("maintain_chip_controls", "restrict_re"),
            "outside_options": (0, F(1, 2)),
            "discount": (0.9, 0.8),
        },
    ),
    "pie": (
        PIE,
        {"disagreement": (0, 0), "discount": (F(1, 2), F(1, 2)), "outside_options": (0, F(1, 2))},
    ),
    "pd": (PD, {"weights": (2, 1)}),
    "no-gain": (PIE, {"disagreement": (1, 1), "discount": (F(1, 2), F(1, 2))}),
    "three-by-three": (
        Game.from_arrays(
            [[3, 0, 2], [1, 2, -1], [0, 3, 1]],
            [[1, 2, 0], [3, 0, 2], [-1, 1, 3]],
            players=("North", "South"),
            moves=(("a", "b", "c"), ("x", "y", "z")),
            title="A three-by-three game",
        ),
        {"discount": (F(3, 4), F(2, 3)), "first": "South"},
    ),
    "float": (
        Game.from_arrays([[0.3, 0.0], [1.0, 0.1]], [[0.3, 1.0], [0.0, 0.1]]),
        {"discount": (0.95, 0.9)},
    ),
}


def test_bargaining_data_numbers() -> None:
    game, options = FIGURE_CASES["london"]
    result = bargaining(game, **options)
    data = bargaining_data(game, result)
    assert data.axis_labels == ("US payoff", "China payoff")
    assert [o.label for o in data.outcomes] == [
        "(ease_chip_controls, raise_re_exports)",
        "(ease_chip_controls, restrict_re)",
        "(maintain_chip_controls, raise_re_exports)",
        "(maintain_chip_controls, restrict_re)",
    ]
    assert data.frontier == (((-3.0, 5.0)), (3.0, 4.0), (4.0, -4.0))
    assert data.bargaining_frontier == ((-1.0, 14 / 3), (3.0, 4.0), (3.75, -2.0))
    assert data.disagreement == (-1.0, -2.0)
    assert data.ks_segment == ((-1.0, -2.0), (3.75, 14 / 3))
    assert data.outside_options == (0.0, 0.5)
    assert [m.key for m in data.solutions] == [
        "nash",
        "kalai_smorodinsky",
        "egalitarian",
        "rubinstein",
        "rubinstein_naive",
    ]
    assert data.solutions[0].point == (3.0, 4.0)
    assert data.solutions[0].label == "Nash bargaining solution (3, 4)"
    assert data.solutions[2].point == pytest.approx((29 / 9, 20 / 9))
    assert result.rubinstein is not None and result.rubinstein.agreement is not None
    assert data.solutions[3].point == result.rubinstein.agreement.point
    assert data.x_limits == pytest.approx((-3 - 0.12 * 7, 4 + 0.12 * 7))
    assert data.y_limits == pytest.approx((-4 - 0.15 * 9, 5 + 0.15 * 9))
    assert data.disagreement_label.endswith("the status quo (maintain_chip_controls, restrict_re)")
    assert any("outside options US 0, China 0.5" in line for line in data.caption)


def test_bargaining_data_exact_and_empty() -> None:
    data = bargaining_data(PIE, bargaining(PIE, disagreement=(1, 1)))
    assert data.solutions == () and data.ks_segment is None and data.ideal is None
    assert data.disagreement == (1, 1) and isinstance(data.disagreement[0], Fraction)
    assert any("no gain from bargaining" in line for line in data.caption)
    with pytest.raises(SimError, match="bargaining figure"):
        bargaining_data(THREE_BY_TWO, bargaining(PD))


@pytest.mark.parametrize("name", list(FIGURE_CASES))
def test_figure_renders_without_crowding(name: str) -> None:
    game, options = FIGURE_CASES[name]
    result = bargaining(game, **options)
    figure = bargaining_figure(game, result)
    assert [ax.get_label() for ax in figure.axes] == ["bargaining", "legend", "caption"]
    assert figure.get_suptitle().endswith("bargaining") or figure.get_suptitle() == "Bargaining"
    assert crowding(figure) == []


def test_figure_draws_the_dataset() -> None:
    game, options = FIGURE_CASES["london"]
    result = bargaining(game, **options)
    data = bargaining_data(game, result)
    figure = bargaining_figure(game, result)
    ax = figure.axes[0]
    by_gid = {c.get_gid(): c for c in ax.collections}
    for mark in data.solutions:
        offsets = by_gid[f"solution-{mark.key}"].get_offsets()
        assert tuple(offsets[0]) == pytest.approx(tuple(float(x) for x in mark.point))
    assert tuple(by_gid["disagreement"].get_offsets()[0]) == (-1.0, -2.0)
    assert tuple(by_gid["ideal"].get_offsets()[0]) == pytest.approx((3.75, 14 / 3))
    lines = {line.get_gid(): line for line in ax.lines}
    assert list(lines["frontier"].get_xdata()) == [-3.0, 3.0, 4.0]
    assert lines["ks-line"].get_linestyle() == "--"
    assert [p.get_gid() for p in ax.patches] == ["hull", "region"]
    assert ax.get_xlim() == pytest.approx(data.x_limits)
    legend = figure.axes[1].get_legend()
    assert legend is not None
    texts = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    assert "Nash bargaining solution (3, 4)" in texts
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "outcome-label"]
    assert set(labels) <= {o.label for o in data.outcomes} and labels
