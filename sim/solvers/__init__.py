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

from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from sim.certificate import TOLERANCE, certify, certify_pairs, expected_payoffs, rationalised
from sim.errors import SolverError
from sim.game import Game, Value
from sim.solvers.batch import BatchSolution, solve_batch
from sim.solvers.components import connected_components, maximal_bicliques
from sim.solvers.enumeration import extreme_pairs
from sim.solvers.pure import pure_profiles
from sim.solvers.solution import Component, ConvexSet, Equilibrium, Solution

if TYPE_CHECKING:
    from sim.scenario import Scenario

__all__ = [
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

Method = Literal["auto", "vertex-enumeration", "pure"]


def solve(game: Game, method: Method = "auto") -> Solution:
    """Find the equilibria of a game and certify each one.

    Parameters
    ----------
    game : Game
        The game to solve.
    method : {"auto", "vertex-enumeration", "pure"}
        ``"vertex-enumeration"``: every extreme equilibrium of a two-player game, in exact
        arithmetic, with maximal convex sets and components. ``"pure"``: every pure
        equilibrium, any number of players. ``"auto"`` picks vertex enumeration for two
        players and pure equilibria otherwise.

    Returns
    -------
    Solution
        Certified equilibria; for float games probabilities and payoffs are floats.

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
    if method == "auto":
        method = "vertex-enumeration" if game.n_players == 2 else "pure"
    if method == "vertex-enumeration":
        return _solve_enumeration(game, rationalised(game))
    if method == "pure":
        return _solve_pure(game, rationalised(game))
    raise SolverError(f"unknown method {method!r}; use 'auto', 'vertex-enumeration' or 'pure'")


def _parameters(game: Game) -> MappingProxyType:
    if game.is_exact:
        return MappingProxyType({})
    return MappingProxyType({"tolerance": TOLERANCE, "rationalised": True})


def _equilibrium(game: Game, strategies: tuple[tuple[Value, ...], ...]) -> Equilibrium:
    if not game.is_exact:
        # Solved exactly on the rationalised payoffs; certified and reported in floats.
        strategies = tuple(tuple(float(p) for p in s) for s in strategies)
    return Equilibrium(strategies, expected_payoffs(game, strategies), certify(game, strategies))


def _solve_pure(game: Game, exact: Game) -> Solution:
    equilibria = []
    for profile in pure_profiles(exact):
        strategies = tuple(
            tuple(Fraction(int(j == move)) for j in range(k))
            for move, k in zip(profile, game.shape, strict=True)
        )
        equilibria.append(_equilibrium(game, strategies))
    return Solution(
        game=game,
        method="pure",
        complete="pure",
        exact=game.is_exact,
        degenerate=None,
        equilibria=tuple(equilibria),
        parameters=_parameters(game),
    )


def _solve_enumeration(game: Game, exact: Game) -> Solution:
    raw = extreme_pairs(exact)
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
    for rows, columns in maximal_bicliques(raw.pairs):
        convex_sets.append(
            ConvexSet(
                vertices=(
                    tuple(equilibria[pair_index[(i, columns[0])]].strategies[0] for i in rows),
                    tuple(equilibria[pair_index[(rows[0], j)]].strategies[1] for j in columns),
                ),
                equilibria=tuple(sorted(pair_index[(i, j)] for i in rows for j in columns)),
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


def solve_scenario(scenario: Scenario) -> Solution:
    """All extreme equilibria of the scenario's game (:func:`sim.solvers.solve`); for a game
    tree whose strategic form is too large for exact enumeration, its pure equilibria
    (``complete == "pure"``) so that the other analyses still run.

    Raises
    ------
    SolverError
        If a normal-form game cannot be enumerated (it is not silently downgraded).

    Examples
    --------
    >>> from sim.game import Game
    >>> from sim.scenario import Scenario
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> solve_scenario(Scenario.from_game(pennies)).complete
    'extreme'
    """
    try:
        return solve(scenario.game)
    except SolverError:
        if scenario.tree is None:
            raise
        return solve(scenario.game, "pure")
