"""Commitment (Stackelberg leadership): what a player gains by moving first, visibly.

Conventions, for a two-player game:

* The *leader* commits to a strategy (pure or mixed) and the *follower* sees it and answers
  with a pure best response. When the follower is indifferent it is assumed to break the
  tie in the leader's favour (the *strong* Stackelberg equilibrium); among answers equally
  good for the leader it takes the lowest-numbered move. Among equally good pure
  commitments the leader takes the lowest-numbered move; among equally good mixtures, those
  answered by the lowest-numbered follower move, and of these the lexicographically largest
  (the most probability on its first move, then on its second, ...). So when a pure
  commitment is optimal among mixtures too, the mixture reported may still be another pure
  move, one whose answer has a lower number.
* Payoff pairs are always in player order ``(player 0, player 1)``, whoever leads.
* The *value of commitment* is the leader's payoff from its optimal mixed commitment minus
  its best payoff over the game's Nash equilibria. It is never negative: committing to
  the leader's strategy in any equilibrium leaves the equilibrium's answers among the
  follower's best responses, and the tie broken in the leader's favour pays it at least
  the equilibrium's average (von Stengel & Zamir, "Leadership games with convex strategy
  sets", *Games and Economic Behavior* 69, 2010). A pure commitment can be worth less than
  an equilibrium (matching pennies).

Method for the optimal mixed commitment (Conitzer & Sandholm, "Computing the optimal
strategy to commit to", *ACM EC* 2006): for each follower move ``j``, a linear program finds
the leader mixture ``x`` that maximises the leader's payoff given that ``j`` is a follower
best response to ``x``; the best ``j`` over the feasible programs wins (lowest ``j`` on
ties). Each program is solved exactly by :func:`sim.solvers.simplex.maximise`, which needs
``A z <= b`` with ``b >= 0``; it is written over the cone of leader weights as

    maximise ``sum_i x_i (L[i, j] - min_i L[i, j] + 1)``
    subject to ``sum_i x_i (F[i, k] - F[i, j]) <= 0`` for every ``k != j``,
    ``sum_i x_i <= 1`` and ``x >= 0``,

with ``L`` and ``F`` the leader's and the follower's payoffs indexed ``[leader move,
follower move]``. The constraints other than ``sum(x) <= 1`` define a cone, and the shifted
objective is positive on every non-zero ``x >= 0``, so any feasible non-zero ``x`` can be
scaled up to a better one: every optimum has ``sum(x) = 1`` (a mixture, whose shifted
payoff is the true one plus a constant), unless the cone is ``{0}``, the program's optimum
is 0, and ``j`` is a best response to no mixture. The further objectives ``x_0, x_1, ...``
pick the lexicographically largest optimal mixture, so the answer depends on the game alone
and is unchanged by positive affine rescaling of either player's payoffs.

Float games are solved, pure and mixed commitments alike, on their rationalised payoffs
(:func:`sim.certificate.rationalised`, as the equilibrium solvers are); the strategies are
reported in floats and the payoffs evaluated on the original float payoffs.

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
...                       moves=(("cooperate", "defect"), ("cooperate", "defect")))
>>> result = commitment(pd, 0)
>>> result.pure_move, result.mixed_strategy, result.value_of_commitment()
(1, (Fraction(0, 1), Fraction(1, 1)), Fraction(0, 1))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sim.certificate import compare, expected_payoffs, rationalised
from sim.errors import SimError
from sim.game import Game, Value, exact_text, value_text
from sim.solvers import Solution, solve
from sim.solvers.simplex import maximise

__all__ = ["Commitment", "commitment", "commitments"]

Matrix = list[list[Fraction]]


@dataclass(frozen=True)
class Commitment:
    """The leader's optimal pure and mixed commitments in a two-player game.

    Attributes
    ----------
    leader, follower : int
        Player indices (``follower == 1 - leader``).
    pure_move : int
        The leader's optimal pure commitment.
    pure_response : int
        The follower's answer to it: a best response, ties broken in the leader's favour.
    pure_best_responses : tuple of int
        All the follower's best responses to :attr:`pure_move`.
    pure_payoffs : tuple
        Payoffs at ``(pure_move, pure_response)``, in player order.
    pure_ties : bool
        Whether the follower was indifferent between several best responses to
        :attr:`pure_move` (the answer relies on the tie being broken in the leader's favour).
    mixed_strategy : tuple
        The leader's optimal mixed commitment, one probability per leader move (exact for
        exact games).
    mixed_response : int
        The follower's answer to it: a best response, ties broken in the leader's favour.
    mixed_best_responses : tuple of int
        All the follower's best responses to :attr:`mixed_strategy`.
    mixed_payoffs : tuple
        Expected payoffs when the leader plays :attr:`mixed_strategy` and the follower
        :attr:`mixed_response`, in player order.
    mixed_ties : bool
        Whether the follower is indifferent between several best responses to the mixture.
    nash_leader_payoffs : tuple
        ``(worst, best)`` payoff of the leader over the game's extreme Nash equilibria
        (:func:`sim.solvers.solve`).
    """

    leader: int
    follower: int
    pure_move: int
    pure_response: int
    pure_best_responses: tuple[int, ...]
    pure_payoffs: tuple[Value, Value]
    pure_ties: bool
    mixed_strategy: tuple[Value, ...]
    mixed_response: int
    mixed_best_responses: tuple[int, ...]
    mixed_payoffs: tuple[Value, Value]
    mixed_ties: bool
    nash_leader_payoffs: tuple[Value, Value]

    @property
    def pure_value(self) -> Value:
        """The leader's payoff from its optimal pure commitment."""
        return self.pure_payoffs[self.leader]

    @property
    def mixed_value(self) -> Value:
        """The leader's payoff from its optimal mixed commitment."""
        return self.mixed_payoffs[self.leader]

    def value_of_commitment(self) -> Value:
        """Leader's mixed-commitment payoff minus its best Nash payoff (never negative)."""
        return self.mixed_value - self.nash_leader_payoffs[1]

    def value_of_pure_commitment(self) -> Value:
        """Leader's pure-commitment payoff minus its best Nash payoff (may be negative)."""
        return self.pure_value - self.nash_leader_payoffs[1]

    def value_of_mixing(self) -> Value:
        """What committing to a mixture adds to the best pure commitment (never negative)."""
        return self.mixed_value - self.pure_value

    def _check(self, game: Game) -> None:
        moves = len(self.mixed_strategy)
        if game.n_players != 2 or game.shape[self.leader] != moves:
            raise SimError(
                f"this commitment is for a two-player game in which player {self.leader} has "
                f"{moves} moves, not for a game of shape {game.shape}; pass the game it "
                "was computed from"
            )

    def sentences(self, game: Game) -> tuple[str, ...]:
        """The commitments in plain language, naming players and moves.

        Parameters
        ----------
        game : Game
            The game this result was computed from (for names and the tolerance).

        Examples
        --------
        >>> from sim.game import Game
        >>> g = Game.from_arrays([[1, 3], [0, 2]], [[1, 0], [0, 1]], players=("US", "China"),
        ...                      moves=(("ease", "maintain"), ("raise", "restrict")))
        >>> for line in commitment(g, "US").sentences(g):
        ...     print(line)
        If US commits first, its best pure commitment is maintain; China answers restrict; payoffs: US 2, China 1.
        Committing to a mixture (ease 1/2, maintain 1/2) raises US's payoff to 5/2 (China answers restrict and gets 1/2).
        At that mixture China is indifferent between raise and restrict; the answer assumes it breaks the tie in US's favour.
        Without commitment US gets 1 in every Nash equilibrium: commitment is worth 3/2 to it.
        """  # noqa: E501
        self._check(game)
        scale = game.scale()
        leader, follower = game.players[self.leader], game.players[self.follower]
        own, answers = game.moves[self.leader], game.moves[self.follower]

        def payoffs(values: tuple[Value, Value]) -> str:
            return ", ".join(
                f"{p} {value_text(v)}" for p, v in zip(game.players, values, strict=True)
            )

        def tie(responses: tuple[int, ...], where: str) -> str:
            names = [answers[k] for k in responses]
            return (
                f"{where} {follower} is indifferent between {', '.join(names[:-1])} and "
                f"{names[-1]}; the answer assumes it breaks the tie in {leader}'s favour."
            )

        out = [
            f"If {leader} commits first, its best pure commitment is {own[self.pure_move]}; "
            f"{follower} answers {answers[self.pure_response]}; "
            f"payoffs: {payoffs(self.pure_payoffs)}."
        ]
        if self.pure_ties:
            out.append(tie(self.pure_best_responses, "At that commitment"))
        if compare(self.mixed_value, self.pure_value, scale) > 0:
            mixture = ", ".join(
                f"{m} {value_text(p)}"
                for m, p in zip(own, self.mixed_strategy, strict=True)
                if p > 0
            )
            out.append(
                f"Committing to a mixture ({mixture}) raises {leader}'s payoff to "
                f"{value_text(self.mixed_value)} ({follower} answers "
                f"{answers[self.mixed_response]} and gets "
                f"{value_text(self.mixed_payoffs[self.follower])})."
            )
            if self.mixed_ties:
                out.append(tie(self.mixed_best_responses, "At that mixture"))
        else:
            out.append(f"No mixture does better: committing to a mixture gains {leader} nothing.")
        worst, best = self.nash_leader_payoffs
        if compare(worst, best, scale) == 0:
            nash = f"Without commitment {leader} gets {value_text(best)} in every Nash equilibrium"
        else:
            nash = (
                f"Without commitment {leader} gets between {value_text(worst)} and "
                f"{value_text(best)} across the Nash equilibria"
            )
        gain = self.value_of_commitment()
        if compare(gain, 0, scale) > 0:
            out.append(f"{nash}: commitment is worth {value_text(gain)} to it.")
        else:
            out.append(f"{nash}: commitment gains it nothing over its best equilibrium.")
        if compare(self.value_of_pure_commitment(), 0, scale) < 0:
            out.append(
                f"A pure commitment alone would leave {leader} "
                f"{value_text(-self.value_of_pure_commitment())} below its best equilibrium "
                "payoff."
            )
        return tuple(out)

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: moves by name, payoffs as floats plus exact strings (or None)."""
        self._check(game)
        own, answers = game.moves[self.leader], game.moves[self.follower]
        exact = game.is_exact

        def pair(values: Sequence[Value]) -> dict[str, Any]:
            return {
                "payoffs": {p: float(v) for p, v in zip(game.players, values, strict=True)},
                "exact_payoffs": (
                    {p: str(v) for p, v in zip(game.players, values, strict=True)}
                    if exact
                    else None
                ),
            }

        support = [(m, p) for m, p in zip(own, self.mixed_strategy, strict=True) if p > 0]
        worst, best = self.nash_leader_payoffs
        return {
            "leader": game.players[self.leader],
            "follower": game.players[self.follower],
            "pure": {
                "move": own[self.pure_move],
                "response": answers[self.pure_response],
                "best_responses": [answers[k] for k in self.pure_best_responses],
                "ties": self.pure_ties,
                **pair(self.pure_payoffs),
            },
            "mixed": {
                "strategy": {
                    "probabilities": {m: float(p) for m, p in support},
                    "exact": {m: str(p) for m, p in support} if exact else None,
                },
                "response": answers[self.mixed_response],
                "best_responses": [answers[k] for k in self.mixed_best_responses],
                "ties": self.mixed_ties,
                **pair(self.mixed_payoffs),
            },
            "nash_leader_payoffs": {
                "worst": float(worst),
                "best": float(best),
                "exact_worst": exact_text(worst) if exact else None,
                "exact_best": exact_text(best) if exact else None,
            },
            "value_of_commitment": float(self.value_of_commitment()),
            "exact_value_of_commitment": exact_text(self.value_of_commitment()) if exact else None,
            "value_of_pure_commitment": float(self.value_of_pure_commitment()),
            "exact_value_of_pure_commitment": (
                exact_text(self.value_of_pure_commitment()) if exact else None
            ),
        }


# ------------------------------------------------------------------------------ steps


def _matrices(game: Game, leader: int) -> tuple[Matrix, Matrix]:
    """Leader's and follower's exact payoffs, indexed ``[leader move][follower move]``."""
    exact = rationalised(game)
    own, other = exact.payoff_matrix(leader), exact.payoff_matrix(1 - leader)
    if leader == 1:
        own, other = own.T, other.T
    return own.tolist(), other.tolist()


def _best_responses(values: Sequence[Fraction]) -> tuple[int, ...]:
    """Indices tied with the maximum (exact values)."""
    top = max(values)
    return tuple(k for k, v in enumerate(values) if compare(v, top) == 0)


def _favourite(responses: Sequence[int], leader_values: Sequence[Fraction]) -> int:
    """The response best for the leader, lowest index on ties (strong tie-breaking)."""
    return max(responses, key=lambda k: (leader_values[k], -k))


def _pure(own: Matrix, other: Matrix) -> tuple[int, int, tuple[int, ...]]:
    """Optimal pure commitment: (leader move, follower answer, follower's best responses)."""
    best: tuple[Fraction, int, int, tuple[int, ...]] | None = None
    for i, (leader_row, follower_row) in enumerate(zip(own, other, strict=True)):
        responses = _best_responses(follower_row)
        j = _favourite(responses, leader_row)
        if best is None or leader_row[j] > best[0]:
            best = (leader_row[j], i, j, responses)
    assert best is not None
    return best[1], best[2], best[3]


def _inducing(own: Matrix, other: Matrix, j: int) -> tuple[Fraction, ...] | None:
    """Best leader mixture to which follower move ``j`` is a best response, or None.

    The linear program of the module docstring, with the lexicographic secondary objectives
    ``x_0, x_1, ...``.
    """
    m, n = len(own), len(own[0])
    column = [row[j] for row in own]
    low = min(column)
    objective = [v - low + 1 for v in column]
    constraints = [[other[i][k] - other[i][j] for i in range(m)] for k in range(n) if k != j]
    constraints.append([Fraction(1)] * m)
    rhs = [0] * (len(constraints) - 1) + [1]
    ties = [[int(k == r) for k in range(m)] for r in range(m - 1)]
    optimum = maximise(objective, constraints, rhs, then=ties)
    if sum(optimum.point) != 1:  # only x = 0 makes j a best response: no mixture does
        return None
    return optimum.point


def _mixed(own: Matrix, other: Matrix) -> tuple[tuple[Fraction, ...], int]:
    """Optimal mixed commitment (Conitzer & Sandholm 2006) and the follower's answer."""
    best: tuple[Fraction, tuple[Fraction, ...], int] | None = None
    for j in range(len(own[0])):
        x = _inducing(own, other, j)
        if x is None:
            continue
        value = sum((p * row[j] for p, row in zip(x, own, strict=True)), Fraction(0))
        if best is None or value > best[0]:
            best = (value, x, j)
    assert best is not None  # every mixture has a best response
    return best[1], best[2]


def _payoffs(game: Game, leader: int, x: Sequence[Value], j: int) -> tuple[Value, Value]:
    """Expected payoffs, in player order, of leader mixture ``x`` against follower move ``j``."""
    answer = tuple(Fraction(int(k == j)) for k in range(game.shape[1 - leader]))
    profile = (tuple(x), answer) if leader == 0 else (answer, tuple(x))
    first, second = expected_payoffs(game, profile)
    return first, second


def commitment(game: Game, leader: int | str, *, solution: Solution | None = None) -> Commitment:
    """The leader's optimal pure and mixed commitments, the follower's answers, and the gain.

    Steps (conventions and method in the module docstring): (1) arrange both players'
    exact (for float games, rationalised) payoffs as leader moves by follower moves; (2)
    pure commitment: for each leader move, the follower's best responses and, among them,
    the one best for the leader; the leader takes the move whose answer pays it most; (3)
    mixed commitment: one exact linear program per follower move, the best feasible one
    wins; (4) evaluate both on the game's payoffs; (5) the leader's worst and best payoff
    over the Nash equilibria of :func:`sim.solvers.solve`.

    Parameters
    ----------
    game : Game
        A two-player game.
    leader : int or str
        The player who commits first, by index or name.
    solution : Solution, optional
        The game's equilibria from :func:`sim.solvers.solve`, if already computed.

    Returns
    -------
    Commitment

    Raises
    ------
    SimError
        If the game does not have two players, or the leader is not one of them.

    Examples
    --------
    Conitzer & Sandholm's example: without commitment the row player gets 1 (its top row
    dominates); committing to the bottom row gets it 2; committing to play each row half of
    the time leaves the column player indifferent, it answers right, and the leader gets 5/2.

    >>> from sim.game import Game
    >>> g = Game.from_arrays([[1, 3], [0, 2]], [[1, 0], [0, 1]])
    >>> result = commitment(g, 0)
    >>> result.pure_move, result.pure_response, result.pure_payoffs
    (1, 1, (Fraction(2, 1), Fraction(1, 1)))
    >>> result.mixed_strategy, result.mixed_response, result.mixed_value
    ((Fraction(1, 2), Fraction(1, 2)), 1, Fraction(5, 2))
    >>> result.nash_leader_payoffs, result.value_of_commitment()
    ((Fraction(1, 1), Fraction(1, 1)), Fraction(3, 2))
    """
    if game.n_players != 2:
        raise SimError(
            f"commitment analysis needs a two-player game, got {game.n_players} players "
            f"({', '.join(game.players)}); it is defined for two players only"
        )
    first = game.player_index(leader)
    second = 1 - first
    own, other = _matrices(game, first)

    pure_move, pure_response, pure_responses = _pure(own, other)
    pure_answer = (pure_move, pure_response) if first == 0 else (pure_response, pure_move)
    pure_payoffs = game.payoff(pure_answer)

    x, mixed_response = _mixed(own, other)
    follower_values = [
        sum((p * row[k] for p, row in zip(x, other, strict=True)), Fraction(0))
        for k in range(len(other[0]))
    ]
    mixed_responses = _best_responses(follower_values)
    strategy: tuple[Value, ...] = x if game.is_exact else tuple(float(p) for p in x)

    if solution is None:
        solution = solve(game)
    nash = [e.payoffs[first] for e in solution.equilibria]
    return Commitment(
        leader=first,
        follower=second,
        pure_move=pure_move,
        pure_response=pure_response,
        pure_best_responses=pure_responses,
        pure_payoffs=(pure_payoffs[0], pure_payoffs[1]),
        pure_ties=len(pure_responses) > 1,
        mixed_strategy=strategy,
        mixed_response=mixed_response,
        mixed_best_responses=mixed_responses,
        mixed_payoffs=_payoffs(game, first, strategy, mixed_response),
        mixed_ties=len(mixed_responses) > 1,
        nash_leader_payoffs=(min(nash), max(nash)),
    )


def commitments(game: Game) -> tuple[Commitment, Commitment]:
    """Commitments with player 0 leading, then with player 1 leading (one equilibrium solve).

    Examples
    --------
    >>> from sim.game import Game
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [(c.pure_value, c.mixed_value) for c in commitments(pennies)]
    [(Fraction(-1, 1), Fraction(0, 1)), (Fraction(-1, 1), Fraction(0, 1))]
    """
    if game.n_players != 2:
        raise SimError(
            f"commitment analysis needs a two-player game, got {game.n_players} players "
            f"({', '.join(game.players)}); it is defined for two players only"
        )
    solution = solve(game)
    return commitment(game, 0, solution=solution), commitment(game, 1, solution=solution)
