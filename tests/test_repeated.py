"""Tests for sim.analysis.repeated and sim.plot.repeated: patience in repeated play.

Textbook cases are a table with known critical discount factors; properties check the
thresholds against one-shot deviation conditions written out independently here, the
minmax values against scipy's LP and the security levels (minimax theorem), and the folk
region geometrically. The figure is checked by its dataset, by rendering, and by measuring
that no two drawn texts overlap.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from figure_checks import crowding
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib import pyplot
from matplotlib.figure import Figure
from strategies import bimatrix_games, dyadic_float_games

from sim.analysis.repeated import BISECTION_WIDTH, Repeated, Root, repeated
from sim.analysis.security import security_levels
from sim.errors import SimError
from sim.game import Game
from sim.plot.repeated import folk_data, folk_figure
from sim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = (math.sqrt(5) - 1) / 2  # the root of δ + δ² = 1
SETTINGS = settings(max_examples=60, deadline=None)

PD = Game.from_arrays(
    [[3, 0], [5, 1]],
    [[3, 5], [0, 1]],
    players=("Row", "Column"),
    moves=(("cooperate", "defect"), ("cooperate", "defect")),
    title="Prisoner's dilemma",
)
TRUCE = Game.from_arrays(
    [[3, 0], [4, 1]],
    [[3, 5], [0, 1]],
    players=("US", "China"),
    moves=(("ease", "maintain"), ("raise", "restrict")),
    title="US–China truce",
)
BATTLE = Game.from_arrays(
    [[3, 0], [0, 2]],
    [[2, 0], [0, 3]],
    players=("Row", "Column"),
    moves=(("opera", "football"),) * 2,
)
STAG = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]], moves=(("stag", "hare"),) * 2)
TOOTHLESS = Game.from_arrays([[1, 0], [2, 1]], [[1, 2], [0, 1]])  # T > R = P for both
RATIONAL = Game.from_arrays([[4, -1], [7, 0]], [[4, 7], [-1, 0]])  # δ + δ² = 3/4 at 1/2
THIRD = Game.from_arrays([[27, 0], [40, 0]], [[27, 40], [0, 0]])  # δ + δ² + δ³ = 13/27 at 1/3
BENOIT_KRISHNA = Game.from_arrays(
    [[4, 0, 0], [5, 1, 0], [0, 0, 3]],
    [[4, 5, 0], [0, 1, 0], [0, 0, 3]],
    players=("A", "B"),
    moves=(("c", "d", "e"),) * 2,
    title="Benoît–Krishna example",
)


@pytest.fixture(autouse=True)
def no_pyplot_figures() -> Iterator[None]:
    """The figures never go through pyplot; close any that did."""
    yield
    leaked = pyplot.get_fignums()
    pyplot.close("all")
    assert leaked == []


# ----------------------------------------------------------------------- independent
def payoff(game: Game, profile: Sequence[int], player: int) -> Fraction:
    return Fraction(game.payoffs[tuple(profile)][player])


def temptation(game: Game, target: Sequence[int], player: int) -> Fraction:
    """The best payoff ``player`` can get against the target, its own move included."""
    values = []
    for move in range(game.shape[player]):
        profile = list(target)
        profile[player] = move
        values.append(payoff(game, profile, player))
    return max(values)


def grim_holds(t: Fraction, r: Fraction, p: Fraction, delta: Fraction) -> bool:
    """One-shot deviation check against reversion to ``p`` for ever: T - R <= δ/(1-δ)(R - P)."""
    return t - r <= delta / (1 - delta) * (r - p)


def limited_holds(t: Fraction, r: Fraction, p: Fraction, delta: Fraction, k: int) -> bool:
    """One-shot deviation check against ``k`` rounds of ``p``: T - R <= (R - P) Σ δ^j."""
    return t - r <= (r - p) * sum(delta**j for j in range(1, k + 1))


def minmax_oracle(game: Game, player: int) -> float:
    """Independent oracle: min over the punisher's mixtures y of max over own moves of u(x, y)."""
    linprog = pytest.importorskip("scipy.optimize").linprog
    table = np.asarray(game.payoff_matrix(player), dtype=float)
    if player == 1:
        table = table.T  # rows: the player's own moves, columns: the punisher's
    rows, columns = table.shape
    result = linprog(
        c=[0.0] * columns + [1.0],
        A_ub=np.hstack([table, -np.ones((rows, 1))]),
        b_ub=np.zeros(rows),
        A_eq=[[1.0] * columns + [0.0]],
        b_eq=[1.0],
        bounds=[(0, None)] * columns + [(None, None)],
    )
    assert result.status == 0
    return float(result.fun)


def inside(point: tuple[Fraction, Fraction], polygon: Sequence[tuple[Fraction, Fraction]]) -> bool:
    """Whether a point is in a convex polygon given counterclockwise (or segment, or point)."""
    x, y = Fraction(point[0]), Fraction(point[1])
    ps = [(Fraction(a), Fraction(b)) for a, b in polygon]
    if len(ps) == 1:
        return (x, y) == ps[0]
    if len(ps) == 2:
        (ax, ay), (bx, by) = ps
        cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
        return cross == 0 and min(ax, bx) <= x <= max(ax, bx) and min(ay, by) <= y <= max(ay, by)
    for (ax, ay), (bx, by) in zip(ps, ps[1:] + ps[:1], strict=True):
        if (bx - ax) * (y - ay) - (by - ay) * (x - ax) < 0:
            return False
    return True


# -------------------------------------------------------------------- textbook table
def threshold(root: Root | None) -> Fraction | float | None:
    if root is None:
        return None
    return root.value if root.exact else float(root.value)


@pytest.mark.parametrize(
    ("game", "target", "grim", "overall", "cases"),
    [
        pytest.param(
            PD,
            (0, 0),
            (Fraction(1, 2), Fraction(1, 2)),
            Fraction(1, 2),
            ("threshold", "threshold"),
            id="prisoners-dilemma",
        ),
        pytest.param(
            TRUCE,
            ("ease", "raise"),
            (Fraction(1, 3), Fraction(1, 2)),
            Fraction(1, 2),
            ("threshold", "threshold"),
            id="asymmetric-truce",
        ),
        pytest.param(
            STAG,
            ("stag", "stag"),
            (Fraction(0), Fraction(0)),
            Fraction(0),
            ("no temptation", "no temptation"),
            id="target-is-stage-equilibrium",
        ),
        pytest.param(
            BATTLE,
            ("opera", "football"),
            (None, None),
            None,
            ("rewarding punishment", "rewarding punishment"),
            id="target-below-punishment",
        ),
        pytest.param(
            TOOTHLESS,
            (0, 0),
            (None, None),
            None,
            ("toothless punishment", "toothless punishment"),
            id="punishment-costs-nothing",
        ),
        pytest.param(
            RATIONAL,
            (0, 0),
            (Fraction(3, 7), Fraction(3, 7)),
            Fraction(3, 7),
            ("threshold", "threshold"),
            id="temptation-3-loss-4",
        ),
    ],
)
def test_grim_trigger_textbook(
    game: Game,
    target: tuple[int | str, ...],
    grim: tuple[Fraction | None, ...],
    overall: Fraction | None,
    cases: tuple[str, ...],
) -> None:
    result = repeated(game, target)
    assert result.nash.thresholds == grim
    assert result.nash.overall == overall
    assert result.nash.cases == cases
    assert all(isinstance(d, Fraction) for d in result.nash.thresholds if d is not None)


def test_london_talks_scenario() -> None:
    game = load(ROOT / "scenarios" / "london_talks.yaml").game
    result = repeated(game, ("ease_chip_controls", "raise_re_exports"))
    # US: T=4, R=3, P=-1; China: T=5, R=4, P=-2
    assert result.nash.thresholds == (Fraction(1, 5), Fraction(1, 7))
    assert result.punishments[0].thresholds[0] == Root(
        1, Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), True
    )


def test_prisoners_dilemma_limited_punishments() -> None:
    result = repeated(PD, ("cooperate", "cooperate"), punishments=(1, 2, 3, 5))
    one, two, three, five = result.punishments
    # k = 1: (5 - 3) / (3 - 1) = 1, and δ < 1: one round never suffices
    assert one.overall is None and one.cases == ("too short", "too short")
    assert not one.sustained(Fraction(999, 1000))
    # k = 2: δ + δ² = 1 at the golden ratio conjugate, irrational, so bracketed
    assert two.overall is not None and not two.overall.exact
    assert isinstance(two.overall.value, float)
    assert abs(two.overall.value - GOLDEN) < 1e-12
    assert two.overall.low < GOLDEN < two.overall.high
    assert two.overall.high - two.overall.low <= BISECTION_WIDTH
    assert two.overall.text() == "0.618…"
    assert two.sustained(Fraction(5, 8)) and not two.sustained(Fraction(3, 5))
    # k = 3: δ + δ² + δ³ = 1
    assert three.overall is not None
    root = float(three.overall.value)
    assert abs(root + root**2 + root**3 - 1) < 1e-11
    assert five.overall is not None and Fraction(1, 2) < five.overall.low < three.overall.low


@pytest.mark.parametrize(
    ("game", "rounds", "root"),
    [
        pytest.param(RATIONAL, 1, Fraction(3, 4), id="k1-is-the-ratio"),
        pytest.param(RATIONAL, 2, Fraction(1, 2), id="k2-rational-root"),
        pytest.param(THIRD, 3, Fraction(1, 3), id="k3-root-one-third"),
    ],
)
def test_rational_roots_are_exact(game: Game, rounds: int, root: Fraction) -> None:
    (limited,) = repeated(game, (0, 0), punishments=(rounds,)).punishments
    assert limited.overall is not None and limited.overall.exact
    assert limited.overall.value == root == limited.overall.low == limited.overall.high
    assert limited.sustained(root) and not limited.sustained(root - Fraction(1, 10**15))


def test_asymmetric_truce_per_player() -> None:
    result = repeated(TRUCE, ("ease", "raise"), punishments=(1, 2))
    us, china = result.incentives
    assert (us.reward, us.temptation, us.gain) == (3, 4, 1)
    assert (china.reward, china.temptation, china.gain) == (3, 5, 2)
    assert TRUCE.moves[0][us.deviation] == "maintain"  # type: ignore[index]
    one, two = result.punishments
    assert one.thresholds[0] is not None and one.thresholds[0].value == Fraction(1, 2)
    assert one.thresholds[1] is None and one.overall is None
    us_two = two.thresholds[0]
    assert us_two is not None and abs(float(us_two.value) - (math.sqrt(3) - 1) / 2) < 1e-12
    assert two.overall is not None and abs(float(two.overall.value) - GOLDEN) < 1e-12


def test_boundary_is_exact() -> None:
    result = repeated(TRUCE, ("ease", "raise"), discount=Fraction(1, 2))
    assert result.sustained(Fraction(1, 2))
    assert result.sustained(0.5)
    assert not result.sustained(Fraction(1, 2) - Fraction(1, 10**30))
    assert result.sustained_at_discount is True
    assert repeated(TRUCE, ("ease", "raise"), discount=0.4).sustained_at_discount is False
    # a float discount stands for its decimal: 0.3 is 3/10 (the float itself is below it)
    game = Game.from_arrays([[10, 0], [13, 0]], [[10, 13], [0, 0]])  # δ* = 3/13
    assert repeated(game, (0, 0)).nash.overall == Fraction(3, 13)
    tenths = Game.from_arrays([[7, 0], [10, 0]], [[7, 10], [0, 0]])  # δ* = 3/10
    assert repeated(tenths, (0, 0), discount=0.3).sustained_at_discount is True


def test_stage_equilibrium_target_needs_no_patience() -> None:
    result = repeated(STAG, ("stag", "stag"), punishments=(1, 3), horizon=5)
    assert result.sustained(0)
    assert all(p.overall is not None and p.overall.value == 0 for p in result.punishments)
    assert result.finite is not None and result.finite.sustained
    assert any("needs no punishment" in s for s in result.sentences(STAG))


def test_punishment_is_the_equilibrium_needing_least_patience() -> None:
    # Chicken: the mixed equilibrium is the only stage equilibrium that punishes both
    chicken = Game.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    result = repeated(chicken, (0, 0))
    assert result.candidates == (None, Fraction(10, 11), None)
    assert result.nash.equilibrium == 1
    assert not result.equilibria[1].is_pure
    assert result.nash.punishment == (Fraction(-1, 10), Fraction(-1, 10))
    # minmax punishment (straight) is harsher: δ* = 1/2, but not an equilibrium
    assert result.minmax.overall == Fraction(1, 2)
    assert not result.folk.mutual_minmax_is_equilibrium
    assert any("not a stage equilibrium" in s for s in result.sentences(chicken))


# ----------------------------------------------------------------------- folk region
def test_prisoners_dilemma_folk_region() -> None:
    folk = repeated(PD, (0, 0)).folk
    assert folk.minmax == (1, 1) == folk.pure_minmax
    assert folk.hull == ((0, 5), (1, 1), (5, 0), (3, 3))
    assert folk.individually_rational == (
        (1, 1),
        (Fraction(13, 3), 1),
        (3, 3),
        (1, Fraction(13, 3)),
    )
    assert folk.strictly_individually_rational and folk.mutual_minmax_is_equilibrium


def test_battle_of_the_sexes_mixed_minmax() -> None:
    folk = repeated(BATTLE, (0, 1)).folk
    assert folk.minmax == (Fraction(6, 5), Fraction(6, 5))
    assert folk.pure_minmax == (2, 2)
    assert folk.minmax_strategies == (
        (Fraction(2, 5), Fraction(3, 5)),
        (Fraction(3, 5), Fraction(2, 5)),
    )
    assert not folk.strictly_individually_rational


# --------------------------------------------------------------------- finite horizon
def test_unique_equilibrium_unravels() -> None:
    result = repeated(PD, (0, 0), horizon=10)
    finite = result.finite
    assert finite is not None and finite.unique and not finite.sustained
    text = " ".join(result.sentences(PD))
    assert "unravels" in text and "unique Nash equilibrium" in text


@pytest.mark.parametrize(
    ("discount", "sustained", "checks"),
    [
        pytest.param(None, True, (True, True), id="undiscounted"),
        pytest.param(Fraction(1, 3), False, (False, False), id="impatient"),
        pytest.param(Fraction(4, 9), True, (True, True), id="at-the-boundary"),
    ],
)
def test_benoit_krishna(
    discount: Fraction | None, sustained: bool, checks: tuple[bool, bool]
) -> None:
    # reward (e, e) pays 3, the worst equilibrium (the mixed one) 3/4: 1 <= δ (3 - 3/4)
    result = repeated(BENOIT_KRISHNA, ("c", "c"), horizon=4, discount=discount)
    finite = result.finite
    assert finite is not None and not finite.unique and finite.leverage
    assert finite.reward is not None
    assert result.equilibria[finite.reward].pure_profile == (2, 2)
    assert finite.reward_payoffs == (3, 3) and finite.worst_payoffs == (Fraction(3, 4),) * 2
    assert finite.last_round_checks == checks
    assert finite.sustained is sustained
    assert finite.assumed_discount is (discount is None)
    assert "Benoît & Krishna" in " ".join(result.sentences(BENOIT_KRISHNA))


FAR_REWARD = Game.from_arrays(
    [[1, 0, 0], [2, 1, 0], [0, 0, 3]],
    [[1, 2, 0], [0, 1, 0], [0, 0, 3]],
    moves=(("c", "d", "e"),) * 2,
)  # gain 1; reward (e, e) pays 3; the worst equilibrium (mixed d/e) pays 3/4; the target 1


@pytest.mark.parametrize(
    ("horizon", "last", "every"),
    [
        pytest.param(2, True, True, id="two-rounds"),
        pytest.param(3, True, False, id="first-round-binds"),
    ],
)
def test_earlier_rounds_can_bind(horizon: int, last: bool, every: bool) -> None:
    # round before the last: 1 <= 1/2 (3 - 3/4); two before: 1 > 1/2 (1 - 3/4) + 1/4 (3 - 3/4)
    result = repeated(FAR_REWARD, (0, 0), horizon=horizon, discount=Fraction(1, 2))
    finite = result.finite
    assert finite is not None and finite.worst_payoffs == (Fraction(3, 4),) * 2
    assert finite.last_round_checks == (last, last)
    assert finite.all_round_checks == (every, every)
    assert finite.sustained is every
    assert ("Earlier rounds are harder" in " ".join(result.sentences(FAR_REWARD))) is not every


def test_one_round_is_a_one_shot_game() -> None:
    result = repeated(BENOIT_KRISHNA, ("c", "c"), horizon=1)
    assert result.finite is not None and not result.finite.sustained
    assert "one-shot" in " ".join(result.sentences(BENOIT_KRISHNA))


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(lambda: repeated(PD, (0, 0), discount=1), "outside", id="discount-one"),
        pytest.param(lambda: repeated(PD, (0, 0), discount=-0.1), "outside", id="negative"),
        pytest.param(lambda: repeated(PD, (0, 0), punishments=(0,)), "whole", id="zero-rounds"),
        pytest.param(lambda: repeated(PD, (0, 0), punishments=(1.5,)), "whole", id="fraction"),
        pytest.param(lambda: repeated(PD, (0, 0), horizon=0), "at least", id="horizon"),
        pytest.param(lambda: repeated(PD, ("cooperate", "x")), "unknown move", id="move"),
        pytest.param(lambda: repeated(PD, (0,)), "one move per player", id="short-profile"),
        pytest.param(
            lambda: repeated(Game.from_payoffs(np.zeros((2, 2, 2, 3), dtype=int)), (0, 0, 0)),
            "two-player",
            id="three-players",
        ),
        pytest.param(
            lambda: repeated(PD, (0, 0)).sentences(BENOIT_KRISHNA), "shape", id="wrong-game"
        ),
    ],
)
def test_errors_say_what_to_fix(call: object, message: str) -> None:
    with pytest.raises(SimError, match=message):
        call()  # type: ignore[operator]


# --------------------------------------------------------------- sentences and JSON
def test_sentences_name_players_and_numbers() -> None:
    result = repeated(TRUCE, ("ease", "raise"), punishments=(1, 2), discount=Fraction(3, 5))
    text = result.sentences(TRUCE)
    assert (
        "Grim trigger (return to (maintain, restrict), paying US 1 and China 1, for ever after "
        "a breach) sustains (ease, raise) exactly when δ ≥ 1/2: US needs δ ≥ 1/3 and China "
        "δ ≥ 1/2." in text
    )
    joined = " ".join(text)
    assert "With a 2-round punishment the deal needs δ ≥ 0.618…" in joined
    assert "no patience suffices for a 1-round punishment" in joined
    assert "self-enforcing" in joined and "folk theorem" in joined
    assert "At δ = 3/5, grim trigger sustains the deal" in joined


def test_to_dict_is_json_ready() -> None:
    result = repeated(TRUCE, ("ease", "raise"), punishments=(2,), horizon=3, discount=0.9)
    data = json.loads(json.dumps(result.to_dict(TRUCE)))
    assert data["grim_trigger"]["thresholds"]["US"] == {
        "value": 1 / 3,
        "exact": "1/3",
        "case": "threshold",
    }
    limited = data["limited_punishments"][0]["overall"]
    assert limited["exact"] is False and abs(limited["value"] - GOLDEN) < 1e-12
    assert data["folk"]["minmax"]["exact"] == [["1", "1"]]
    assert data["discount"] == {"value": 0.9, "exact": "9/10"}
    assert data["finite_horizon"]["unique_equilibrium"] is True
    assert data["incentives"]["China"]["deviation"] == "restrict"


def test_float_games_report_floats() -> None:
    game = Game.from_arrays([[3.1, 0.0], [5.2, 1.0]], [[3.0, 5.0], [0.0, 1.0]])
    result = repeated(game, (0, 0), punishments=(2,), discount=0.7, horizon=3)
    assert isinstance(result.nash.overall, float)
    assert result.nash.overall == pytest.approx(0.5)  # (5.2 - 3.1) / (5.2 - 1)
    assert all(isinstance(x, float) for p in result.folk.hull for x in p)
    (two,) = result.punishments
    assert two.overall is not None and not two.overall.exact
    assert result.sustained_at_discount is True
    json.dumps(result.to_dict(game))
    assert result.sentences(game)


@given(dyadic_float_games(max_moves=3), st.data())
@settings(max_examples=25, deadline=None)
def test_float_twin_agrees_with_exact(twins: tuple[Game, Game], data: st.DataObject) -> None:
    exact, floating = twins
    target = tuple(data.draw(st.integers(0, k - 1)) for k in exact.shape)
    a, b = repeated(exact, target, punishments=(2,)), repeated(floating, target, punishments=(2,))
    assert a.nash.equilibrium == b.nash.equilibrium
    for x, y in zip(a.nash.thresholds, b.nash.thresholds, strict=True):
        assert (x is None) == (y is None)
        if x is not None and y is not None:
            assert float(x) == pytest.approx(y, abs=1e-9)
    for p, q in zip(a.folk.individually_rational, b.folk.individually_rational, strict=True):
        assert float(p[0]) == pytest.approx(q[0]) and float(p[1]) == pytest.approx(q[1])


# ------------------------------------------------------------------------ properties
@st.composite
def cases(draw: st.DrawFn) -> tuple[Game, tuple[int, int]]:
    """A small integer game (2x2 to 3x3) and a target profile in it."""
    game = draw(bimatrix_games(st.integers(-3, 3), min_moves=2, max_moves=3))
    target = (draw(st.integers(0, game.shape[0] - 1)), draw(st.integers(0, game.shape[1] - 1)))
    return game, target


deltas = st.fractions(min_value=0, max_value=1, max_denominator=50).filter(lambda d: 0 < d < 1)


@given(cases(), st.lists(deltas, min_size=1, max_size=5))
@SETTINGS
def test_grim_threshold_matches_one_shot_check(
    case: tuple[Game, tuple[int, int]], sample: list[Fraction]
) -> None:
    game, target = case
    result = repeated(game, target, punishments=())
    for d in (result.nash.overall, result.minmax.overall, *result.nash.thresholds):
        assert d is None or 0 <= d < 1
    punishments = {"nash": result.nash.punishment, "minmax": result.minmax.punishment}
    for reversion in (result.nash, result.minmax):
        for delta in [*sample, *(d for d in reversion.thresholds if d)]:
            held = [
                grim_holds(temptation(game, target, i), payoff(game, target, i), p, delta)
                for i, p in enumerate(punishments[reversion.kind])
            ]
            for i, d in enumerate(reversion.thresholds):
                assert held[i] == (d is not None and delta >= d)
            assert reversion.sustained(delta) == all(held)
    # the punishment is the stage equilibrium needing the least patience
    defined = [c for c in result.candidates if c is not None]
    assert result.nash.overall == (min(defined) if defined else None)
    # minmax punishment is never weaker than Nash reversion
    if result.nash.overall is not None:
        assert result.minmax.overall is not None and result.minmax.overall <= result.nash.overall


@given(cases(), st.lists(deltas, min_size=1, max_size=4))
@SETTINGS
def test_limited_threshold_matches_one_shot_check(
    case: tuple[Game, tuple[int, int]], sample: list[Fraction]
) -> None:
    game, target = case
    lengths = (1, 2, 3, 5, 10, 200)
    result = repeated(game, target, punishments=lengths)
    grim = result.nash.overall
    previous: Root | None = None
    for limited in result.punishments:
        root = limited.overall
        if root is not None:
            assert 0 <= root.low <= root.value <= root.high < 1
            assert root.high - root.low <= BISECTION_WIDTH
            assert root.exact == (root.low == root.high)
            assert grim is not None and root.high >= grim  # never below grim trigger
            if previous is not None:  # longer punishments need no more patience
                assert root.low <= previous.high
        else:
            assert previous is None  # a shorter punishment cannot succeed where this fails
        previous = root
        for delta in [*sample, *(r.low for r in limited.thresholds if r), Fraction(0)]:
            held = [
                limited_holds(
                    temptation(game, target, i),
                    payoff(game, target, i),
                    Fraction(p),
                    delta,
                    limited.rounds,
                )
                for i, p in enumerate(result.nash.punishment)
            ]
            if delta > 0 or all(c != "rewarding punishment" for c in limited.cases):
                assert limited.sustained(delta) == all(held)
    longest = result.punishments[-1].overall
    if grim is not None and grim <= Fraction(9, 10):
        assert longest is not None and abs(float(longest.value) - float(grim)) < 1e-6


@given(cases())
@SETTINGS
def test_folk_region_geometry(case: tuple[Game, tuple[int, int]]) -> None:
    game, target = case
    result = repeated(game, target, punishments=())
    folk = result.folk
    xs = [p[0] for p in folk.hull]
    ys = [p[1] for p in folk.hull]
    v = folk.minmax
    assert min(xs) <= v[0] <= max(xs) and min(ys) <= v[1] <= max(ys)
    assert folk.pure_minmax[0] >= v[0] and folk.pure_minmax[1] >= v[1]
    security = security_levels(game)  # minimax theorem: minmax = maxmin for two players
    assert v == (security.level(0).mixed_value, security.level(1).mixed_value)
    for i in range(2):
        assert float(v[i]) == pytest.approx(minmax_oracle(game, i), abs=1e-9)
    for e in folk.equilibrium_payoffs:  # stage equilibria are individually rational
        assert e[0] >= v[0] and e[1] >= v[1]
        assert inside(e, folk.individually_rational)
    assert folk.individually_rational
    for p in folk.individually_rational:
        assert p[0] >= v[0] and p[1] >= v[1]
        assert inside(p, folk.hull)
    assert inside(folk.target, folk.hull)
    assert folk.strictly_individually_rational == (folk.target[0] > v[0] and folk.target[1] > v[1])


@given(cases(), st.integers(1, 6), st.none() | deltas)
@SETTINGS
def test_finite_horizon_checks_every_round(
    case: tuple[Game, tuple[int, int]], horizon: int, discount: Fraction | None
) -> None:
    game, target = case
    result = repeated(game, target, punishments=(), horizon=horizon, discount=discount)
    finite = result.finite
    assert finite is not None
    delta = Fraction(1) if discount is None else discount
    assert finite.unique == (len(result.equilibria) == 1)
    assert finite.leverage == any(
        len({q.payoffs[i] for q in result.equilibria}) > 1 for i in range(2)
    )
    is_equilibrium = all(temptation(game, target, i) == payoff(game, target, i) for i in range(2))
    assert finite.target_is_equilibrium == is_equilibrium
    if finite.unique or horizon == 1:
        assert finite.sustained == is_equilibrium
        return
    assert finite.reward is not None
    for i in range(2):
        gain = temptation(game, target, i) - payoff(game, target, i)
        r = payoff(game, target, i)
        e, b = Fraction(finite.reward_payoffs[i]), Fraction(finite.worst_payoffs[i])
        assert b == min(Fraction(q.payoffs[i]) for q in result.equilibria)
        # m rounds before the end: target for m - 1 more rounds, then the last round
        every = all(
            gain <= sum((r - b) * delta**j for j in range(1, m)) + delta**m * (e - b)
            for m in range(1, horizon)
        )
        assert finite.last_round_checks[i] == (gain <= delta * (e - b))
        assert finite.all_round_checks[i] == every
    assert finite.sustained == (is_equilibrium or all(finite.all_round_checks))
    assert result.sentences(game)


@given(cases())
@settings(max_examples=30, deadline=None)
def test_sentences_and_dict_for_any_game(case: tuple[Game, tuple[int, int]]) -> None:
    game, target = case
    result = repeated(game, target, punishments=(1, 2), horizon=3, discount=Fraction(1, 2))
    assert isinstance(result, Repeated)
    lines = result.sentences(game)
    assert all(line.endswith(".") for line in lines)
    json.dumps(result.to_dict(game))


# ---------------------------------------------------------------------------- figure
def test_folk_data_numbers() -> None:
    data = folk_data(TRUCE, repeated(TRUCE, ("ease", "raise")))
    assert data.axis_labels == ("US payoff", "China payoff")
    assert data.hull == ((0, 5), (1, 1), (4, 0), (3, 3))
    assert data.individually_rational == (
        (1, 1),
        (Fraction(11, 3), 1),
        (3, 3),
        (1, Fraction(13, 3)),
    )
    assert data.minmax == (1, 1) == data.pure_minmax
    assert data.target.point == (3, 3)
    assert data.target.label == "target (ease, raise): δ* = 1/2"
    assert [e.label for e in data.equilibria] == ["NE1"]
    assert data.punishment == (1, 1) and data.punishment_label == "NE1"
    assert sorted((o.label, o.point) for o in data.outcomes) == [
        ("(ease, restrict)", (0, 5)),
        ("(maintain, raise)", (4, 0)),
        ("(maintain, restrict)", (1, 1)),
    ]
    assert any("Folk theorem" in line for line in data.caption)


def test_folk_data_never_and_mixed() -> None:
    data = folk_data(BATTLE, repeated(BATTLE, ("opera", "football")))
    # (football, opera) pays (0, 0) too: it shares the target's point and label
    assert data.target.label == "target (opera, football): no δ < 1 suffices\n(football, opera)"
    assert all(o.point != (0, 0) for o in data.outcomes)
    assert data.minmax == (Fraction(6, 5), Fraction(6, 5))
    assert [e.pure for e in data.equilibria].count(False) == 1
    assert any("pure ones they would be (2, 2)" in line for line in data.caption)


FIGURE_CASES = {
    "truce": (TRUCE, ("ease", "raise")),
    "battle": (BATTLE, ("opera", "football")),
    "benoit-krishna": (BENOIT_KRISHNA, ("c", "c")),
    "chicken": (load(ROOT / "scenarios" / "chicken.yaml").game, ("swerve", "swerve")),
    "london": (
        load(ROOT / "scenarios" / "london_talks.yaml").game,
        ("ease_chip_controls", "raise_re_exports"),
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURE_CASES))
def test_folk_figure_renders_without_crowding(name: str) -> None:
    game, target = FIGURE_CASES[name]
    figure = folk_figure(game, repeated(game, target))
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert ax.get_label() == "folk"
    gids = {a.get_gid() for a in [*ax.patches, *ax.collections, *ax.lines, *ax.texts]}
    assert {"feasible", "rational", "minmax", "target", "minmax-line", "target-label"} <= gids
    assert "equilibrium-label" in gids
    assert "individually rational payoffs (folk theorem)" in " ".join(ax.get_title().split())
    assert crowding(figure) == []


def test_folk_figure_rejects_another_game() -> None:
    with pytest.raises(SimError, match="shape"):
        folk_data(BENOIT_KRISHNA, repeated(PD, (0, 0)))


def test_known_horizon_may_need_several_final_rounds() -> None:
    # Review case: promising (P, P) in the last round alone is not enough at δ = 2/5, but
    # in the last two rounds it is; verified round by round here.
    a = [[4, 0, 0], [5, 1, 0], [0, 0, 3]]
    game = Game.from_arrays(a, [list(col) for col in zip(*a, strict=True)])
    result = repeated(game, (0, 0), discount=Fraction(2, 5), horizon=10)
    finite = result.finite
    assert finite is not None and not finite.sustained
    assert finite.final_rounds == 2
    assert finite.final_reward is not None
    reward = result.equilibria[finite.final_reward].payoffs[0]
    worst = min(e.payoffs[0] for e in result.equilibria)
    delta, keep_r, temptation = Fraction(2, 5), 4, 5
    for j in range(1, 9):  # every cooperative round
        c = 10 - 2 - j
        keep = keep_r + sum(delta**t * keep_r for t in range(1, c + 1))
        keep += sum(delta**t * reward for t in range(c + 1, c + 3))
        breach = temptation + sum(delta**t * worst for t in range(1, c + 3))
        assert keep >= breach
    # one final round is not enough: at round 9 the breach pays more
    assert temptation + delta * worst > keep_r + delta * reward
    text = " ".join(result.sentences(game))
    assert "2 final rounds are" in text and "rounds 1 to 8" in text
