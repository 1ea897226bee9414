"""Equilibrium solvers. :func:`solve` picks the method and returns one :class:`Solution`.

>>> from sim.game import Game
>>> battle = Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
>>> solution = solve(battle)
>>> [e.exact_text() for e in solution.equilibria]
[(('1', '0'), ('1', '0')), (('2/3', '1/3'), ('1/3', '2/3')), (('0', '1'), ('0', '1'))]
>>> solution.degenerate
False
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from sim.certificate import TOLERANCE, certify_pairs, certify_pure, rationalised
from sim.errors import EnumerationStopped, SolverError
from sim.game import Game, Value
from sim.solvers.batch import BatchSolution, solve_batch
from sim.solvers.components import connected_components, maximal_bicliques
from sim.solvers.enumeration import extreme_pairs
from sim.solvers.pure import pure_profiles
from sim.solvers.solution import Component, ConvexSet, Equilibrium, Solution

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = [
    "MAX_ENUMERATION_PROFILES",
    "METHODS",
    "BatchSolution",
    "Component",
    "ConvexSet",
    "Equilibrium",
    "Method",
    "Solution",
    "solve",
    "solve_batch",
    "solve_scenario",
]

Method = Literal["auto", "vertex-enumeration", "lemke-howson", "pure"]
METHODS: tuple[str, ...] = ("auto", "vertex-enumeration", "lemke-howson", "pure")
"""The values of ``method`` that :func:`solve` accepts."""

MAX_ENUMERATION_PROFILES = 225
"""Most pure profiles (15×15) of a two-player game for which ``method="auto"`` tries exact
enumeration; past it ``"auto"`` goes straight to its Lemke–Howson fallback. (The strategic
form of a game tree is tried at any size, within the time limit: it is degenerate, and
often quick to enumerate.)

The vertices of the best-response polytopes to visit grow about ninefold with every two
moves per player: on random square games exact enumeration took 0.1–0.25 s at 10×10, about
1 s at 12×12, 3–11 s at 14×14 and more than 40 s at 16×16; lopsided games cost more for
their size (2×100: 0.3 s, 3×100: 8 s, 5×50 and 8×25: past the memory budget or 8 s). Past
this size it cannot finish within the default time limit (10 s), and trying would only
spend it. ``method="vertex-enumeration"`` tries any size (within its ``time_limit``);
``SIM_MAX_ENUMERATION_PROFILES`` raises this limit for the command line."""


def solve(game: Game, method: Method = "auto", *, time_limit: float | None = None) -> Solution:
    """Find the equilibria of a game and certify each one.

    Parameters
    ----------
    game : Game
        The game to solve.
    method : {"auto", "vertex-enumeration", "lemke-howson", "pure"}
        ``"vertex-enumeration"``: every extreme equilibrium of a two-player game, in exact
        arithmetic, with maximal convex sets and components. ``"lemke-howson"``: the
        equilibria reached by Lemke–Howson paths from every starting label
        (:func:`sim.solvers.lemke_howson.lemke_howson`); one or more, not necessarily all.
        ``"pure"``: every pure equilibrium, any number of players. ``"auto"`` picks vertex
        enumeration for two players and pure equilibria otherwise; for a game of more than
        :data:`MAX_ENUMERATION_PROFILES` pure profiles, or if the enumeration stops at
        ``time_limit`` (or at its memory budget), it runs Lemke–Howson instead and says so
        in :attr:`Solution.notes`.
    time_limit : float, optional
        Seconds that exact enumeration may take (None: no limit). Past it,
        ``"vertex-enumeration"`` raises :class:`SolverError` and ``"auto"`` falls back.

    Returns
    -------
    Solution
        Certified equilibria; for float games probabilities and payoffs are floats.

    Raises
    ------
    SolverError
        For a method that does not apply to the game, or an enumeration that stopped
        (``"vertex-enumeration"`` only); the message says what to do instead.

    Examples
    --------
    >>> from sim.game import Game
    >>> tie = Game.from_arrays([[1, 1], [0, 0]], [[1, 1], [0, 0]])  # column is indifferent
    >>> solution = solve(tie)
    >>> [e.pure_profile for e in solution.equilibria], solution.degenerate
    ([(0, 0), (0, 1)], True)
    >>> [c.equilibria for c in solution.components]  # one continuum joining both
    [(0, 1)]
    """
    if not isinstance(game, Game):
        hint = "; for a scenario pass scenario.game" if hasattr(game, "game") else ""
        raise SolverError(f"solve() takes a Game, not {type(game).__name__}{hint}")
    if time_limit is not None and not time_limit > 0:
        raise SolverError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; use one of: {', '.join(METHODS)}")
    if method == "auto":
        if game.n_players != 2:
            return _solve_pure(game, rationalised(game))
        if (too_large := _too_large(game)) is not None:
            return _fallback(game, too_large, time_limit)
        try:
            return _solve_enumeration(game, rationalised(game), time_limit)
        except EnumerationStopped as stopped:
            return _fallback(game, stopped, time_limit)
    if method == "vertex-enumeration":
        try:
            return _solve_enumeration(game, rationalised(game), time_limit)
        except EnumerationStopped as stopped:
            shape = "×".join(map(str, game.shape))
            raise SolverError(
                f"exact enumeration of this {shape} game {_why(stopped, time_limit)} "
                f"({stopped}); use method 'lemke-howson' (sim solve --method lemke-howson) "
                "for the equilibria reached from every starting label, or allow more time "
                "(--time-limit)"
            ) from None
    if method == "lemke-howson":
        from sim.solvers.lemke_howson import lemke_howson

        return lemke_howson(game)
    return _solve_pure(game, rationalised(game))


def _too_large(game: Game) -> EnumerationStopped | None:
    """Why ``"auto"`` does not try exact enumeration (:data:`MAX_ENUMERATION_PROFILES`)."""
    if math.prod(game.shape) <= MAX_ENUMERATION_PROFILES:
        return None
    return EnumerationStopped(f"more than {MAX_ENUMERATION_PROFILES} pure profiles", limit="size")


def _why(stopped: EnumerationStopped, time_limit: float | None) -> str:
    if stopped.limit == "size":
        return (
            f"was not tried: with more than {MAX_ENUMERATION_PROFILES} pure profiles it cannot "
            "finish in reasonable time (the work grows about ninefold with every two moves per "
            "player)"
        )
    if stopped.limit == "time" and time_limit is not None:
        return f"did not finish within the time limit of {time_limit:g} s"
    return "exceeded its memory budget"


FALLBACK_SECONDS = 10.0
"""Seconds Lemke–Howson may go on starting paths after an enumeration stopped at its memory
budget with no time limit given (with one, it gets the same limit again)."""


def _fallback(game: Game, stopped: EnumerationStopped, time_limit: float | None) -> Solution:
    """Lemke–Howson from every label (as time allows) plus every pure equilibrium, with a
    note on why and on what the list covers."""
    from sim.solvers.lemke_howson import lemke_howson

    budget = time_limit if time_limit is not None else FALLBACK_SECONDS
    found = lemke_howson(game, deadline=time.monotonic() + budget)
    listed = {e.strategies for e in found.equilibria}
    pure = [
        e for e in _solve_pure(game, rationalised(game)).equilibria if e.strategies not in listed
    ]
    # Decreasing probability of the first moves, as the enumeration orders them.
    equilibria = sorted((*found.equilibria, *pure), key=lambda e: e.strategies, reverse=True)
    count = len(equilibria)
    shape = "×".join(map(str, game.shape))
    labels, total = len(found.parameters["labels"]), sum(game.shape)
    starts = (
        "every starting label"
        if labels == total
        else f"{labels} of the {total} starting labels (then its own {budget:g} s ran out)"
    )
    more = {
        "size": "To try the complete set anyway, use --method vertex-enumeration with a "
        "generous --time-limit.",
        "time": "Allow more time (--time-limit) for the complete set.",
    }.get(stopped.limit, "The complete set needs more memory than exact enumeration may use here.")
    note = (
        f"Exact enumeration of this {shape} game {_why(stopped, time_limit)}, so "
        f"Lemke–Howson was run from {starts} and every pure equilibrium was listed "
        f"instead: {count} equilibri{'um' if count == 1 else 'a'}, each certified; the game "
        f"may have other mixed equilibria. {more}"
    )
    return replace(found, equilibria=tuple(equilibria), notes=(*found.notes, note))


def _parameters(game: Game) -> MappingProxyType:
    if game.is_exact:
        return MappingProxyType({})
    return MappingProxyType({"tolerance": TOLERANCE, "rationalised": True})


def _solve_pure(game: Game, exact: Game) -> Solution:
    profiles = pure_profiles(exact)
    # Found on the rationalised payoffs; certified (and reported in floats) on the game's.
    one, zero = (Fraction(1), Fraction(0)) if game.is_exact else (1.0, 0.0)
    equilibria = [
        Equilibrium(
            tuple(
                tuple(one if j == move else zero for j in range(k))
                for move, k in zip(profile, game.shape, strict=True)
            ),
            payoffs,
            regret,
        )
        for profile, (payoffs, regret) in zip(profiles, certify_pure(game, profiles), strict=True)
    ]
    return Solution(
        game=game,
        method="pure",
        complete="pure",
        exact=game.is_exact,
        degenerate=None,
        equilibria=tuple(equilibria),
        parameters=_parameters(game),
    )


def _solve_enumeration(game: Game, exact: Game, time_limit: float | None = None) -> Solution:
    deadline = None if time_limit is None else time.monotonic() + time_limit
    raw = extreme_pairs(exact, deadline=deadline)
    rows: tuple[tuple[Value, ...], ...] = raw.row_strategies
    columns: tuple[tuple[Value, ...], ...] = raw.column_strategies
    if not game.is_exact:
        # Solved exactly on the rationalised payoffs; certified and reported in floats.
        rows = tuple(tuple(float(p) for p in s) for s in rows)
        columns = tuple(tuple(float(p) for p in s) for s in columns)
    certified = certify_pairs(game, rows, columns, raw.pairs)
    equilibria = tuple(
        Equilibrium((rows[i], columns[j]), payoffs, regret)
        for (i, j), (payoffs, regret) in zip(raw.pairs, certified, strict=True)
    )
    pair_index = {pair: k for k, pair in enumerate(raw.pairs)}
    convex_sets = []
    for row_set, column_set in maximal_bicliques(raw.pairs):
        convex_sets.append(
            ConvexSet(
                vertices=(
                    tuple(rows[i] for i in row_set),
                    tuple(columns[j] for j in column_set),
                ),
                equilibria=tuple(sorted(pair_index[(i, j)] for i in row_set for j in column_set)),
            )
        )
    components = []
    for members in connected_components(raw.pairs, len(raw.row_strategies)):
        member_set = set(members)
        sets = tuple(k for k, c in enumerate(convex_sets) if member_set.issuperset(c.equilibria))
        components.append(Component(equilibria=members, convex_sets=sets))
    return Solution(
        game=game,
        method="vertex-enumeration",
        complete="extreme",
        exact=game.is_exact,
        degenerate=raw.degenerate,
        equilibria=equilibria,
        convex_sets=tuple(convex_sets),
        components=tuple(components),
        parameters=_parameters(game),
    )


def solve_scenario(scenario: Scenario, *, time_limit: float | None = None) -> Solution:
    """The equilibria of the scenario's game, as :func:`sim.solvers.solve` finds them; for a
    game tree whose strategic form is too large for exact enumeration, its pure equilibria
    (``complete == "pure"``, with a note) so that the other analyses still run.

    A normal-form game whose enumeration stops at ``time_limit`` gets the equilibria
    Lemke–Howson finds (``complete == "some"``, with a note), as ``solve(..., "auto")``.

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.scenario import Scenario
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> solve_scenario(Scenario.from_game(pennies)).complete
    'extreme'
    """
    game = scenario.game
    if scenario.tree is None or game.n_players != 2:
        return solve(game, time_limit=time_limit)
    try:  # (no size cut: a tree's strategic form is degenerate and often quick to enumerate)
        return _solve_enumeration(game, rationalised(game), time_limit)
    except EnumerationStopped as stopped:
        shape = "×".join(map(str, game.shape))
        note = (
            f"Exact enumeration of the strategic form of this game tree ({shape} plans) "
            f"{_why(stopped, time_limit)}, so it is reported with its pure equilibria only "
            "(mixed ones were not searched); backward induction and the other analyses of "
            "the tree still run."
        )
        return replace(solve(game, "pure"), notes=(note,))
