"""Bargaining over the outcomes of a two-player game: Nash, Kalai–Smorodinsky, egalitarian, Rubinstein.

Conventions, stated once for the module:

* **Feasible set.** The players may agree on any lottery over the game's pure outcomes, so
  the feasible payoffs are the convex hull ``P`` of the outcomes' payoff points
  (:func:`sim.analysis.hull.convex_hull`). Payoff pairs are always in player order
  ``(player 0, player 1)``.
* **Disagreement point** ``d``: what each side gets if talks fail. It is the status quo
  profile's payoffs, the payoffs of one Nash equilibrium of :func:`sim.solvers.solve`, each
  player's mixed security level (:func:`sim.analysis.security.security_levels`), or a point
  given by the user. A security point need not be a feasible agreement itself, but some
  agreement always weakly beats it (every Nash equilibrium does).
* **Bargaining frontier.** Every solution here lies on the Pareto frontier ``F`` of ``P``
  (:func:`sim.analysis.hull.hull_frontier`: vertices left to right, strictly decreasing)
  and gives each player at least ``d``: the piece of ``F`` with ``u >= d``, a polyline from
  ``a`` (the most player 1 can get) to ``b`` (the most player 0 can get). When no feasible
  point weakly beats ``d`` there is *no gain from bargaining* and every solution is None.
* **Solutions as lotteries.** A frontier point lies on one frontier edge, so it is a lottery
  over the two outcomes at that edge's ends (or one outcome, at a vertex): the
  :class:`Agreement` gives those outcomes and their exact probabilities.
* **Exactness.** Everything is computed in rational arithmetic. Float games are read as
  their rationalised payoffs (:func:`sim.certificate.rationalised`, as the solvers do) and
  float parameters (disagreement point, weights, outside options, discount factors) as the
  simple fractions they stand for (:func:`sim.certificate.rationalise`: ``0.9`` is
  ``9/10``). Results are Fractions when the game and every parameter are exact, floats
  otherwise.

Methods (each exact, without search or tolerance):

* **Nash bargaining solution** (Nash 1950; weighted: Kalai 1977, Roth 1979): maximise
  ``(u0 - d0)^w0 (u1 - d1)^w1`` over the bargaining frontier. Along the frontier ``u1 =
  f(u0)`` with ``f`` concave, so ``w0 log(u0 - d0) + w1 log(f(u0) - d1)`` is concave in ``u0``;
  on an edge of slope ``s`` its derivative has the sign of ``h(u) = w0 (u1 - d1) + w1 s (u0 -
  d0)``, linear along the edge. Walking the edges left to right, the optimum is the first
  point where ``h`` reaches 0 (solved exactly on that edge), the vertex where it jumps
  from positive to negative, or the right end ``b`` if it stays positive. No powers or
  logarithms are compared, whatever the (rational) weights.
* **Kalai–Smorodinsky** (Kalai & Smorodinsky 1975): the ideal point is ``I = (b0, a1)``,
  each player's best payoff among agreements that give both at least ``d``; the solution
  is where the segment from ``d`` to ``I`` meets the frontier (it always does).
* **Egalitarian** (Kalai 1977): the frontier point with equal gains ``u0 - d0 = u1 - d1``.
  When the line of equal gains misses the bargaining frontier, the lexicographic
  egalitarian (leximin) point: the end of the frontier that maximises the smaller gain.
* **Rubinstein alternating offers** (Rubinstein 1982; Binmore 1987 for a general
  frontier): players alternate proposals, a rejected proposal costs the responder a
  discount factor ``δ_i`` in ``(0, 1)`` on its gain over ``d``, and perpetual disagreement
  gives ``d``. The unique subgame-perfect equilibrium is stationary: player 0 always
  proposes ``u``, player 1 always proposes ``v``, both on the frontier, each making the
  responder indifferent: ``u1 = d1 + δ1 (v1 - d1)`` and ``v0 = d0 + δ0 (u0 - d0)`` (or
  giving more, at the end of the frontier, when even the responder's worst frontier point
  beats that). The first proposal is accepted at once. On the pie (frontier ``u0 + u1 =
  1``, ``d = 0``) the first proposer gets ``(1 - δ1) / (1 - δ0 δ1)``.
* **Outside options**, strategic model (Binmore, Shaked & Sutton 1989; Muthoo 1999, ch. 5):
  a responder may quit after rejecting and take its option ``o_i``; its acceptance
  threshold becomes ``max(o_i, d_i + δ_i (continuation_i - d_i))``, so an option matters
  only when it beats waiting (the *outside-option principle*). The "naive" model instead
  treats the options as the disagreement point ``max(d, o)`` (both are reported, as the
  experimental literature warns they differ). With no agreement giving both at least their
  options, talks break down and a player takes its outside option
  (:attr:`AlternatingOffers.walks_away`).

  Both models are solved the same way: with ``s`` what player 0 gets as proposer, ``v0(s) =
  max(a0, o0, d0 + δ0 (s - d0))`` is player 1's proposal and ``H(s) = f(s) - max(f(b0), o1,
  d1 + δ1 (f(v0(s)) - d1))`` vanishes at the equilibrium. ``H`` is piecewise linear with
  kinks known in closed form, and strictly decreasing for ``s >= d0`` (concavity of ``f``),
  so the root is found exactly between two kinks.
* As both discount factors tend to 1 at the same rate, the Rubinstein agreement tends to
  the (unweighted) Nash bargaining solution (Binmore, Rubinstein & Wolinsky 1986); with
  outside options in the strategic model, to the Nash solution among agreements giving
  each player at least its option. :attr:`AlternatingOffers.limit` holds that point.

>>> from sim.game import Game
>>> pie = Game.from_arrays([[1, 0], [0, 0]], [[0, 1], [0, 0]], players=("A", "B"))
>>> result = bargaining(pie, disagreement=(0, 0), discount=(Fraction(1, 2), Fraction(1, 2)))
>>> result.nash.point, result.kalai_smorodinsky.point, result.egalitarian.point
((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))
>>> result.rubinstein.agreement.point  # the first proposer gets (1 - 1/2) / (1 - 1/4)
(Fraction(2, 3), Fraction(1, 3))
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

from sim.analysis.hull import convex_hull, hull_frontier
from sim.analysis.security import security_levels
from sim.analysis.structure import profile_text
from sim.certificate import rationalise, rationalised
from sim.errors import SimError
from sim.game import Game, Value, as_value, exact_text, value_text
from sim.solvers import solve

__all__ = [
    "Agreement",
    "AlternatingOffers",
    "Bargaining",
    "Disagreement",
    "Point",
    "bargaining",
]

Point = tuple[Value, Value]
"""Payoffs ``(player 0, player 1)``: Fractions for exact results, floats otherwise."""

Disagreement = Literal["status_quo", "nash", "security"] | tuple[Value, Value]
"""How the disagreement point is chosen: a rule, or the point itself."""

_P = tuple[Fraction, Fraction]
Profile = tuple[int, int]


# ------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class Agreement:
    """A point of the Pareto frontier and the lottery over pure outcomes that pays it.

    Attributes
    ----------
    point : tuple
        Payoffs ``(u0, u1)``.
    vertices : tuple of tuple
        The one or two frontier vertices (outcome payoff points) mixed, left to right.
    profiles : tuple of tuple of tuple of int
        For each vertex, the pure profiles (move indices) that pay it: several profiles may
        pay the same; any of them will do.
    probabilities : tuple
        The probability of each vertex; they sum to 1 (exactly, for exact results).
    """

    point: Point
    vertices: tuple[Point, ...]
    profiles: tuple[tuple[Profile, ...], ...]
    probabilities: tuple[Value, ...]

    def lottery_text(self, game: Game) -> str:
        """How to reach the point, e.g. ``"play (a, b) with probability 1/3 and ..."``.

        >>> from sim.game import Game
        >>> g = Game.from_arrays([[2, 0], [0, 0]], [[0, 2], [0, 0]])
        >>> bargaining(g, disagreement=(0, 0)).nash.lottery_text(g)
        'play (s1, s2) with probability 1/2 and (s1, s1) with probability 1/2'
        """
        names = []
        for profiles in self.profiles:
            text = profile_text(game, profiles[0])
            if len(profiles) > 1:
                others = " or ".join(profile_text(game, p) for p in profiles[1:])
                text += f" (or {others}, same payoffs)"
            names.append(text)
        if len(names) == 1:
            return f"play {names[0]}"
        p, q = (value_text(x) for x in self.probabilities)
        return f"play {names[0]} with probability {p} and {names[1]} with probability {q}"

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: payoffs and probabilities as floats plus exact strings (or None)."""
        exact = isinstance(self.point[0], Fraction)
        return {
            **_point_dict(game, self.point),
            "lottery": [
                {
                    "profiles": [list(game.profile_names(p)) for p in profiles],
                    "payoffs": [float(x) for x in vertex],
                    "probability": float(prob),
                    "exact_probability": exact_text(prob) if exact else None,
                }
                for profiles, vertex, prob in zip(
                    self.profiles, self.vertices, self.probabilities, strict=True
                )
            ],
        }


@dataclass(frozen=True)
class AlternatingOffers:
    """The stationary subgame-perfect equilibrium of Rubinstein's alternating-offers game.

    Attributes
    ----------
    model : {"rubinstein", "strategic", "naive"}
        ``"rubinstein"``: no outside options; ``"strategic"``: a responder may quit and take
        its outside option (Binmore, Shaked & Sutton 1989); ``"naive"``: the outside options
        are taken as the disagreement point instead.
    discount : tuple
        Discount factors ``(δ0, δ1)``, each in ``(0, 1)``.
    first : int
        The player who proposes first.
    disagreement : tuple
        The payoffs of perpetual disagreement the model uses (``max(d, o)`` when naive).
    outside_options : tuple or None
        The options a responder may quit for (strategic model only).
    offers : tuple of Agreement, or None
        What player 0 proposes and what player 1 proposes, in every period; None when no
        agreement is possible.
    binding : tuple of bool
        Whether each player's outside option binds when it responds: it is worth more than
        waiting to propose in the next period, so the proposer must offer at least the option.
    walks_away : int or None
        When there is no agreement because no frontier point gives both players their
        outside options: the first responder, who rejects and takes its option (or, if that
        option is below its disagreement payoff, the first proposer at its first turn to
        respond); None if neither option is worth its disagreement payoff.
    limit : Agreement or None
        The agreement's limit as both discount factors tend to 1 at the same rate: the
        unweighted Nash bargaining solution of the model's disagreement point (restricted to
        agreements giving each at least its outside option, in the strategic model).
    """

    model: Literal["rubinstein", "strategic", "naive"]
    discount: tuple[Value, Value]
    first: int
    disagreement: Point
    outside_options: Point | None
    offers: tuple[Agreement, Agreement] | None
    binding: tuple[bool, bool]
    walks_away: int | None
    limit: Agreement | None

    @property
    def agreement(self) -> Agreement | None:
        """The first proposer's offer, accepted at once (None if there is no agreement)."""
        return None if self.offers is None else self.offers[self.first]

    def shares(self) -> tuple[Value, Value] | None:
        """Each player's share of the total gain over :attr:`disagreement` at the agreement.

        None without agreement or when the agreement gains nothing over the disagreement point.
        """
        if self.agreement is None:
            return None
        gains = [u - d for u, d in zip(self.agreement.point, self.disagreement, strict=True)]
        total = gains[0] + gains[1]
        if total <= 0:
            return None
        return gains[0] / total, gains[1] / total

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready, with player names, floats and exact strings (or None)."""
        shares = self.shares()
        exact = isinstance(self.discount[0], Fraction) and isinstance(
            self.disagreement[0], Fraction
        )
        return {
            "model": self.model,
            "discount": [float(x) for x in self.discount],
            "exact_discount": [exact_text(x) for x in self.discount] if exact else None,
            "first": game.players[self.first],
            "disagreement": _point_dict(game, self.disagreement),
            "outside_options": (
                None if self.outside_options is None else _point_dict(game, self.outside_options)
            ),
            "agreement": None if self.agreement is None else self.agreement.to_dict(game),
            "offers": (
                None
                if self.offers is None
                else {game.players[i]: offer.to_dict(game) for i, offer in enumerate(self.offers)}
            ),
            "shares": None if shares is None else [float(x) for x in shares],
            "exact_shares": None if shares is None or not exact else [str(x) for x in shares],
            "binding": {game.players[i]: b for i, b in enumerate(self.binding)},
            "walks_away": None if self.walks_away is None else game.players[self.walks_away],
            "limit": None if self.limit is None else self.limit.to_dict(game),
        }


@dataclass(frozen=True)
class Bargaining:
    """Bargaining solutions of a two-player game (see the module docstring).

    Attributes
    ----------
    disagreement_rule : {"status_quo", "nash", "security", "point"}
        How :attr:`disagreement` was chosen.
    disagreement : tuple
        The disagreement point ``d``.
    disagreement_feasible : bool
        Whether ``d`` is itself a feasible payoff pair (a security point may not be).
    status_quo : tuple of int or None
        The status quo profile, when given.
    equilibrium : int or None
        The index in ``solve(game).equilibria`` of the equilibrium used as ``d`` (rule
        ``"nash"``).
    weights : tuple
        The bargaining weights ``(w0, w1)`` of the Nash solution.
    outside_options : tuple or None
        The players' outside options, when given.
    exact : bool
        Whether the values are exact Fractions.
    outcomes : tuple
        The distinct payoff points of the pure outcomes, each with the profiles paying it.
    hull, frontier : tuple of points
        The feasible set's vertices (counterclockwise) and its Pareto frontier (left to
        right).
    bargaining_frontier : tuple of points
        The piece of the frontier with ``u >= d``, left to right (empty: no gain).
    ideal : tuple or None
        The ideal point ``I``: each player's best payoff among agreements giving both at
        least ``d``.
    nash, kalai_smorodinsky, egalitarian : Agreement or None
        The solutions; None when there is no gain from bargaining.
    egalitarian_equal : bool
        Whether the egalitarian point has exactly equal gains (False: the leximin end point).
    nash_naive : Agreement or None
        With outside options: the Nash solution with ``max(d, o)`` as disagreement point.
    nash_outside_options : Agreement or None
        With outside options: the Nash solution (gains over ``d``) among agreements giving
        each at least its option, as the outside-option principle has it.
    rubinstein : AlternatingOffers or None
        Alternating offers (with outside options, the strategic model), when discount
        factors were given.
    rubinstein_naive : AlternatingOffers or None
        Alternating offers with the outside options as the disagreement point.
    """

    disagreement_rule: Literal["status_quo", "nash", "security", "point"]
    disagreement: Point
    disagreement_feasible: bool
    status_quo: Profile | None
    equilibrium: int | None
    weights: tuple[Value, Value]
    outside_options: Point | None
    exact: bool
    outcomes: tuple[tuple[Point, tuple[Profile, ...]], ...]
    hull: tuple[Point, ...]
    frontier: tuple[Point, ...]
    bargaining_frontier: tuple[Point, ...]
    ideal: Point | None
    nash: Agreement | None
    kalai_smorodinsky: Agreement | None
    egalitarian: Agreement | None
    egalitarian_equal: bool
    nash_naive: Agreement | None
    nash_outside_options: Agreement | None
    rubinstein: AlternatingOffers | None
    rubinstein_naive: AlternatingOffers | None

    @property
    def gain(self) -> bool:
        """Whether some agreement gives both players at least their disagreement payoffs."""
        return bool(self.bargaining_frontier)

    def check_game(self, game: Game) -> None:
        """Raise :class:`~sim.errors.SimError` unless ``game`` has this result's outcomes.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> bargaining(pd).check_game(Game.from_arrays([[1]], [[1]]))
        Traceback (most recent call last):
        ...
        sim.errors.SimError: this bargaining result is for a two-player game with 4 outcomes, not for a game of shape (1, 1); pass the game it was computed from
        """  # noqa: E501
        points = {p for _, profiles in self.outcomes for p in profiles}
        if game.n_players != 2 or len(points) != game.shape[0] * game.shape[1]:
            raise SimError(
                f"this bargaining result is for a two-player game with {len(points)} "
                f"outcomes, not for a game of shape {game.shape}; pass the game it was "
                "computed from"
            )

    def sentences(self, game: Game) -> tuple[str, ...]:
        """The solutions in plain language, naming players and moves.

        Parameters
        ----------
        game : Game
            The game this result was computed from (for names).

        Examples
        --------
        >>> from sim.game import Game
        >>> g = Game.from_arrays([[3, -3], [4, -1]], [[4, 5], [-4, -2]], players=("US", "China"),
        ...                      moves=(("ease", "maintain"), ("raise", "restrict")))
        >>> result = bargaining(g, disagreement="status_quo", status_quo=("maintain", "restrict"))
        >>> print(result.sentences(g)[1])
        With the status quo (maintain, restrict) as the disagreement point (-1, -2), the Nash bargaining solution gives US 3 and China 4: play (ease, raise).
        """  # noqa: E501
        self.check_game(game)
        p0, p1 = game.players
        out = [self._feasible_sentence(game)]
        source = self._with_disagreement(game)
        if not self.gain:
            out.append(
                f"{source}, no feasible agreement gives both {p0} and {p1} at least as much: "
                "there is no gain from bargaining."
            )
            out += self._rubinstein_sentences(game)
            return tuple(out)
        nash, ks, egal = self.nash, self.kalai_smorodinsky, self.egalitarian
        assert nash is not None and ks is not None and egal is not None
        infeasible = (
            f"The disagreement point {_pair(self.disagreement)} is not itself a feasible "
            "agreement, but agreements that give both at least as much exist."
        )
        if len(self.bargaining_frontier) == 1:
            out.append(
                f"{source}, only one agreement gives both at least as much: "
                f"{p0} {value_text(nash.point[0])}, {p1} {value_text(nash.point[1])} "
                f"({nash.lottery_text(game)}); every bargaining solution picks it."
            )
            if not self.disagreement_feasible:
                out.append(infeasible)
            out += self._option_sentences(game)
            out += self._rubinstein_sentences(game)
            return tuple(out)
        weighted = self.weights[0] != self.weights[1]
        name = "the Nash bargaining solution"
        if weighted:
            name += (
                f" with bargaining weights {value_text(self.weights[0])} ({p0}) and "
                f"{value_text(self.weights[1])} ({p1})"
            )
        out.append(f"{source}, {name} gives {_gives(game, nash)}.")
        if not self.disagreement_feasible:
            out.append(infeasible)
        assert self.ideal is not None
        ideal = (
            f"each side's best payoff when the other gets at least its disagreement payoff: "
            f"{p0} {value_text(self.ideal[0])}, {p1} {value_text(self.ideal[1])}"
        )
        if nash.point == ks.point == egal.point and self.egalitarian_equal and not weighted:
            out.append(
                "The Kalai–Smorodinsky solution (gains in proportion to the ideal point, "
                f"{ideal}) and the egalitarian solution (equal gains) coincide with it."
            )
        else:
            out.append(
                f"The Kalai–Smorodinsky solution, which gives gains in proportion to the ideal "
                f"point ({ideal}), gives {_gives(game, ks)}."
            )
            gain = egal.point[0] - self.disagreement[0]
            if self.egalitarian_equal:
                out.append(
                    f"The egalitarian solution, equal gains of {value_text(gain)} each, gives "
                    f"{_gives(game, egal)}."
                )
            else:
                out.append(
                    "No agreement gives both equal gains; the egalitarian (leximin) solution "
                    f"maximises the smaller gain and gives {_gives(game, egal)}."
                )
        out += self._option_sentences(game)
        out += self._rubinstein_sentences(game)
        return tuple(out)

    # -------------------------------------------------------------- sentence pieces
    def _feasible_sentence(self, game: Game) -> str:
        ends = [self.frontier[0], self.frontier[-1]]
        if len(self.outcomes) == 1:
            return f"Every outcome pays {_pair(ends[0])}: there is nothing to bargain over."
        if len(self.frontier) == 1:
            frontier = f"a single efficient point {_pair(ends[0])}"
        else:
            frontier = f"{len(self.frontier)} vertices, from {_pair(ends[0])} to {_pair(ends[1])}"
        return (
            f"Feasible agreements are the lotteries over the {len(self.outcomes)} distinct "
            f"outcome payoffs; their Pareto frontier has {frontier}."
        )

    def disagreement_text(self, game: Game) -> str:
        """Where the disagreement point comes from, in words.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> bargaining(pd, disagreement="status_quo", status_quo=(1, 1)).disagreement_text(pd)
        'the status quo (s2, s2)'
        """
        if self.disagreement_rule == "status_quo":
            assert self.status_quo is not None
            return f"the status quo {profile_text(game, self.status_quo)}"
        if self.disagreement_rule == "nash":
            assert self.equilibrium is not None
            return f"the payoffs of Nash equilibrium NE{self.equilibrium + 1}"
        if self.disagreement_rule == "security":
            return "the security levels (what each side can guarantee alone)"
        return f"the given point {_pair(self.disagreement)}"

    def _with_disagreement(self, game: Game) -> str:
        point = _pair(self.disagreement)
        if self.disagreement_rule == "point":
            return f"With the disagreement point {point}"
        return f"With {self.disagreement_text(game)} as the disagreement point {point}"

    def _option_sentences(self, game: Game) -> list[str]:
        if self.outside_options is None:
            return []
        p0, p1 = game.players
        options = (
            f"outside options {p0} {value_text(self.outside_options[0])} and {p1} "
            f"{value_text(self.outside_options[1])}"
        )
        if self.nash_naive is None:
            return [f"No agreement gives both at least their {options}."]
        assert self.nash_outside_options is not None
        return [
            f"With {options}: counting them as the disagreement point (naive), the Nash "
            f"solution gives {_gives(game, self.nash_naive)}; if instead an option only counts "
            f"when it binds (outside-option principle), it is {p0} "
            f"{value_text(self.nash_outside_options.point[0])} and {p1} "
            f"{value_text(self.nash_outside_options.point[1])}."
        ]

    def _rubinstein_sentences(self, game: Game) -> list[str]:
        offers = self.rubinstein
        if offers is None:
            return []
        p0, p1 = game.players
        proposer, responder = game.players[offers.first], game.players[1 - offers.first]
        setting = (
            f"If {proposer} proposes first and the discount factors are "
            f"{value_text(offers.discount[0])} ({p0}) and {value_text(offers.discount[1])} ({p1})"
        )
        if offers.outside_options is not None:
            setting += (
                f", with outside options {p0} {value_text(offers.outside_options[0])} and {p1} "
                f"{value_text(offers.outside_options[1])} for a responder who quits"
            )
        agreement = offers.agreement
        if agreement is None or offers.offers is None:
            if offers.walks_away is not None:
                return [
                    f"{setting}, no agreement gives both at least their outside options: the "
                    f"talks break down and {game.players[offers.walks_away]} walks away to its "
                    "outside option."
                ]
            return [f"{setting}, Rubinstein's model predicts no agreement (nothing to gain)."]
        out = [
            f"{setting}, Rubinstein's model predicts immediate agreement on "
            f"{_gives(game, agreement)}."
        ]
        shares = offers.shares()
        other = offers.offers[1 - offers.first].point
        if shares is not None:
            out.append(
                f"{p0} gets {_percent(shares[0])} and {p1} {_percent(shares[1])} of the gains "
                f"over the disagreement point; had {responder} proposed first, the agreement "
                f"would be {p0} {value_text(other[0])}, {p1} {value_text(other[1])}."
            )
        if offers.outside_options is not None:
            bound = [game.players[i] for i in (0, 1) if offers.binding[i]]
            if not bound:
                out.append(
                    "Neither outside option binds (each is worth less than waiting to propose), "
                    "so they leave the split unchanged: the outside-option principle."
                )
            else:
                who = " and ".join(bound)
                if len(bound) == 1:
                    text = f"The outside option of {who} binds: when responding, it is offered"
                else:
                    text = f"The outside options of {who} bind: when responding, each is offered"
                out.append(f"{text} exactly its option, no more.")
            naive = self.rubinstein_naive
            if naive is not None and naive.agreement is not None:
                out.append(
                    "Counting the outside options as the disagreement point instead (naive) "
                    f"gives {p0} {value_text(naive.agreement.point[0])} and {p1} "
                    f"{value_text(naive.agreement.point[1])}."
                )
        if offers.limit is not None:
            where = (
                "the Nash solution among agreements giving each at least its outside option"
                if offers.model == "strategic"
                else "the Nash bargaining solution"
            )
            out.append(
                f"As both discount factors approach 1 together the agreement tends to {where}: "
                f"{p0} {value_text(offers.limit.point[0])}, {p1} "
                f"{value_text(offers.limit.point[1])}."
            )
        return out

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: player and move names, floats plus exact strings (or None)."""
        self.check_game(game)

        def points(values: Sequence[Point]) -> dict[str, Any]:
            return {
                "points": [[float(x), float(y)] for x, y in values],
                "exact_points": ([[str(x), str(y)] for x, y in values] if self.exact else None),
            }

        def agreement(value: Agreement | None) -> dict[str, Any] | None:
            return None if value is None else value.to_dict(game)

        return {
            "players": list(game.players),
            "exact": self.exact,
            "disagreement": {
                "rule": self.disagreement_rule,
                "status_quo": (
                    None if self.status_quo is None else list(game.profile_names(self.status_quo))
                ),
                "equilibrium": self.equilibrium,
                "feasible": self.disagreement_feasible,
                **_point_dict(game, self.disagreement),
            },
            "weights": [float(w) for w in self.weights],
            "exact_weights": [str(w) for w in self.weights] if self.exact else None,
            "outside_options": (
                None if self.outside_options is None else _point_dict(game, self.outside_options)
            ),
            "outcomes": [
                {
                    "profiles": [list(game.profile_names(p)) for p in profiles],
                    **_point_dict(game, point),
                }
                for point, profiles in self.outcomes
            ],
            "hull": points(self.hull),
            "frontier": points(self.frontier),
            "bargaining_frontier": points(self.bargaining_frontier),
            "gain": self.gain,
            "ideal": None if self.ideal is None else _point_dict(game, self.ideal),
            "nash": agreement(self.nash),
            "kalai_smorodinsky": agreement(self.kalai_smorodinsky),
            "egalitarian": agreement(self.egalitarian),
            "egalitarian_equal": self.egalitarian_equal,
            "nash_naive": agreement(self.nash_naive),
            "nash_outside_options": agreement(self.nash_outside_options),
            "rubinstein": None if self.rubinstein is None else self.rubinstein.to_dict(game),
            "rubinstein_naive": (
                None if self.rubinstein_naive is None else self.rubinstein_naive.to_dict(game)
            ),
        }


def _point_dict(game: Game, point: Point) -> dict[str, Any]:
    exact = all(isinstance(x, Fraction) for x in point)
    return {
        "payoffs": {p: float(x) for p, x in zip(game.players, point, strict=True)},
        "exact_payoffs": (
            {p: str(x) for p, x in zip(game.players, point, strict=True)} if exact else None
        ),
    }


def _pair(point: Point) -> str:
    return f"({value_text(point[0])}, {value_text(point[1])})"


def _gives(game: Game, agreement: Agreement) -> str:
    p0, p1 = game.players
    x, y = agreement.point
    return f"{p0} {value_text(x)} and {p1} {value_text(y)}: {agreement.lottery_text(game)}"


def _percent(share: Value) -> str:
    """A share as a percentage, e.g. ``"54.5%"`` (exact shares also as a fraction)."""
    text = f"{float(share) * 100:.3g}%"
    exact = exact_text(share)
    if exact is not None and len(exact) <= 7 and "/" in exact:
        return f"{exact} ({text})"
    return text


# ------------------------------------------------------------------------ frontier maths
def _y_at(frontier: Sequence[_P], x: Fraction) -> Fraction:
    """Player 1's payoff on the frontier where player 0 gets ``x`` (within its range)."""
    if len(frontier) == 1:
        assert x == frontier[0][0]
        return frontier[0][1]
    for p, q in pairwise(frontier):
        if p[0] <= x <= q[0]:
            return p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0])
    raise AssertionError(f"{x} is outside the frontier's range")


def _x_at(frontier: Sequence[_P], y: Fraction) -> Fraction:
    """Player 0's payoff on the frontier where player 1 gets ``y`` (within its range)."""
    if len(frontier) == 1:
        assert y == frontier[0][1]
        return frontier[0][0]
    for p, q in pairwise(frontier):
        if p[1] >= y >= q[1]:
            return p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1])
    raise AssertionError(f"{y} is outside the frontier's range")


def _clip(frontier: Sequence[_P], low: _P) -> tuple[_P, ...]:
    """The piece of the frontier with ``u >= low``, left to right (empty if none).

    The frontier increases in ``u0`` and decreases in ``u1``, so ``u0 >= low0`` keeps a final
    piece and ``u1 >= low1`` an initial one; their intersection is one piece from ``a`` to
    ``b``.

    >>> F = Fraction
    >>> _clip(((F(0), F(2)), (F(2), F(0))), (F(1), F(0)))
    ((Fraction(1, 1), Fraction(1, 1)), (Fraction(2, 1), Fraction(0, 1)))
    """
    first, last = frontier[0], frontier[-1]
    if last[0] < low[0] or first[1] < low[1]:
        return ()
    a = first if first[0] >= low[0] else (low[0], _y_at(frontier, low[0]))
    b = last if last[1] >= low[1] else (_x_at(frontier, low[1]), low[1])
    if a[0] > b[0]:
        return ()
    if a == b:
        return (a,)
    return (a, *(v for v in frontier if a[0] < v[0] < b[0]), b)


def _nash_point(curve: Sequence[_P], d: _P, w: _P) -> _P:
    """The maximiser of ``(u0 - d0)^w0 (u1 - d1)^w1`` on a piece of the frontier with u >= d.

    Walk the edges left to right with ``h(u) = w0 (u1 - d1) + w1 s (u0 - d0)``, the sign of
    the derivative of the log Nash product along an edge of slope ``s``; it is linear along
    the edge and the log product is concave along the frontier, so the optimum is the first
    zero of ``h`` or the vertex where it turns negative (module docstring).

    >>> F = Fraction
    >>> _nash_point(((F(0), F(1)), (F(1), F(0))), (F(0), F(0)), (F(2), F(1)))
    (Fraction(2, 3), Fraction(1, 3))
    """
    if len(curve) == 1:
        return curve[0]
    for k, (p, q) in enumerate(pairwise(curve)):
        slope = (q[1] - p[1]) / (q[0] - p[0])

        def h(u: _P, slope: Fraction = slope) -> Fraction:
            return w[0] * (u[1] - d[1]) + w[1] * slope * (u[0] - d[0])

        hp, hq = h(p), h(q)
        if hp <= 0:
            return p
        if hq >= 0:
            if k == len(curve) - 2:
                return q
            continue
        t = hp / (hp - hq)
        return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1]))
    raise AssertionError("unreachable")


def _ray_point(curve: Sequence[_P], d: _P, r: _P) -> tuple[_P, bool]:
    """Where the ray from ``d`` in direction ``r > 0`` meets a piece of the frontier.

    Returns the point and True, or, when the ray misses the piece, its end that maximises
    the smaller of the gains scaled by ``r`` (leximin) and False. Along the piece the side
    ``r0 (u1 - d1) - r1 (u0 - d0)`` strictly decreases, so the crossing is unique.

    >>> F = Fraction
    >>> _ray_point(((F(0), F(1)), (F(2), F(0))), (F(0), F(0)), (F(1), F(1)))
    ((Fraction(2, 3), Fraction(2, 3)), True)
    """

    def side(u: _P) -> Fraction:
        return r[0] * (u[1] - d[1]) - r[1] * (u[0] - d[0])

    if side(curve[0]) <= 0:
        return curve[0], side(curve[0]) == 0
    if side(curve[-1]) >= 0:
        return curve[-1], side(curve[-1]) == 0
    for p, q in pairwise(curve):
        sp, sq = side(p), side(q)
        if sp >= 0 >= sq:
            t = sp / (sp - sq)
            return (p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])), True
    raise AssertionError("unreachable")


def _alternating_offers(
    frontier: Sequence[_P], d: _P, delta: _P, options: _P | None
) -> tuple[_P, _P] | None:
    """The stationary SPE proposals ``(u, v)`` of players 0 and 1, or None (no agreement).

    Steps (module docstring): (1) no agreement unless some frontier point gives both at
    least ``max(d, o)``; (2) with ``s`` player 0's payoff as proposer, player 1 proposes
    ``v0(s) = max(c0, d0 + δ0 (s - d0))`` with ``c0 = max(a0, o0)`` (``a0`` the frontier's
    leftmost payoff); (3) ``H(s) = f(s) - max(c1, d1 + δ1 (f(v0(s)) - d1))`` with ``c1 =
    max(f(b0), o1)``; (4) list the kinks of ``H`` in ``[max(d0, a0), b0]``: the frontier's
    vertices, and the ``s`` where ``v0(s)`` meets ``c0``, a vertex, or the point where the
    inner maximum switches; (5) ``H`` is linear between kinks, non-negative at the left end,
    non-positive at the right end and strictly decreasing: interpolate its root.

    >>> F = Fraction
    >>> pie = ((F(0), F(1)), (F(1), F(0)))
    >>> _alternating_offers(pie, (F(0), F(0)), (F(1, 2), F(1, 2)), None)
    ((Fraction(2, 3), Fraction(1, 3)), (Fraction(1, 3), Fraction(2, 3)))
    """
    low = d if options is None else (max(d[0], options[0]), max(d[1], options[1]))
    if not _clip(frontier, low):
        return None
    if len(frontier) == 1:
        return frontier[0], frontier[0]
    (x_lo, y_hi), (x_hi, y_lo) = frontier[0], frontier[-1]
    c0 = x_lo if options is None else max(x_lo, options[0])
    c1 = y_lo if options is None else max(y_lo, options[1])

    def proposal_to_0(s: Fraction) -> Fraction:
        return max(c0, d[0] + delta[0] * (s - d[0]))

    def h(s: Fraction) -> Fraction:
        v1 = _y_at(frontier, proposal_to_0(s))
        return _y_at(frontier, s) - max(c1, d[1] + delta[1] * (v1 - d[1]))

    start = max(d[0], x_lo)
    targets = [c0, *(v[0] for v in frontier)]
    switch = d[1] + (c1 - d[1]) / delta[1]  # f(v0(s)) where the maximum switches
    if y_lo <= switch <= y_hi:
        targets.append(_x_at(frontier, switch))
    knots = {start, x_hi, *(v[0] for v in frontier)}
    knots.update(d[0] + (t - d[0]) / delta[0] for t in targets)
    ordered = sorted(k for k in knots if start <= k <= x_hi)
    previous: tuple[Fraction, Fraction] | None = None
    root: Fraction | None = None
    for s in ordered:
        value = h(s)
        if value <= 0:
            if value == 0 or previous is None:
                root = s
            else:
                s_before, before = previous
                root = s_before + (s - s_before) * before / (before - value)
            break
        previous = (s, value)
    assert root is not None and h(root) == 0, "alternating offers: no exact root"
    v0 = proposal_to_0(root)
    return (root, _y_at(frontier, root)), (v0, _y_at(frontier, v0))


def _inside(hull: Sequence[_P], point: _P) -> bool:
    """Whether a point lies in a convex polygon given counterclockwise (or a segment, a point)."""

    def cross(o: _P, a: _P, b: _P) -> Fraction:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    if len(hull) == 1:
        return hull[0] == point
    if len(hull) == 2:
        a, b = hull
        return (
            cross(a, b, point) == 0
            and min(a[0], b[0]) <= point[0] <= max(a[0], b[0])
            and min(a[1], b[1]) <= point[1] <= max(a[1], b[1])
        )
    return all(cross(p, q, point) >= 0 for p, q in zip(hull, (*hull[1:], hull[0]), strict=True))


# ------------------------------------------------------------------------------ the API
def _number(value: Any, what: str, scale: float) -> tuple[Fraction, bool]:
    """A parameter as an exact value, and whether it was given exactly."""
    try:
        number = as_value(value)
    except SimError as err:
        raise SimError(f"{what} {value!r} is not a finite number") from err
    return rationalise(number, scale), isinstance(number, Fraction)


def _pair_of(value: Any, what: str, scale: float, game: Game) -> tuple[_P, bool]:
    if isinstance(value, str) or not isinstance(value, Sequence) or len(value) != 2:
        raise SimError(
            f"{what} must be a pair of numbers, one per player ({', '.join(game.players)}); "
            f"got {value!r}"
        )
    (x, ex), (y, ey) = (_number(v, what, scale) for v in value)
    return (x, y), ex and ey


def _disagreement_point(
    game: Game,
    exact_game: Game,
    disagreement: Disagreement,
    status_quo: Profile | None,
    equilibrium: int,
) -> tuple[_P, bool, Literal["status_quo", "nash", "security", "point"]]:
    """The disagreement point, whether it was given exactly, and the rule's name."""
    if isinstance(disagreement, str):
        if disagreement == "status_quo":
            if status_quo is None:
                raise SimError(
                    "disagreement='status_quo' needs the status quo profile: pass "
                    f"status_quo=({game.moves[0][0]!r}, {game.moves[1][0]!r}) or whichever "
                    "moves are being played now, or choose disagreement='security', 'nash' "
                    "or a point (d0, d1)"
                )
            u = exact_game.payoff(status_quo)
            return (Fraction(u[0]), Fraction(u[1])), True, "status_quo"
        if disagreement == "nash":
            equilibria = solve(exact_game).equilibria
            if not 0 <= equilibrium < len(equilibria):
                raise SimError(
                    f"equilibrium={equilibrium} but the game has {len(equilibria)} extreme Nash "
                    f"equilibria (numbered 0 to {len(equilibria) - 1} as in solve(game))"
                )
            u = equilibria[equilibrium].payoffs
            return (Fraction(u[0]), Fraction(u[1])), True, "nash"
        if disagreement == "security":
            levels = security_levels(exact_game).levels
            return (
                (Fraction(levels[0].mixed_value), Fraction(levels[1].mixed_value)),
                True,
                ("security"),
            )
        raise SimError(
            f"unknown disagreement rule {disagreement!r}; use 'status_quo', 'nash', "
            "'security' or a point (d0, d1)"
        )
    point, exact = _pair_of(disagreement, "the disagreement point", game.scale(), game)
    return point, exact, "point"


def bargaining(
    game: Game,
    *,
    disagreement: Disagreement = "security",
    status_quo: Sequence[int | str] | None = None,
    equilibrium: int = 0,
    weights: tuple[Value, Value] = (1, 1),
    outside_options: tuple[Value, Value] | None = None,
    discount: tuple[Value, Value] | None = None,
    first: int | str = 0,
) -> Bargaining:
    """Bargaining solutions over the lotteries of a two-player game's outcomes.

    Steps: (1) the feasible set, the convex hull of the outcomes' payoff points, and its
    Pareto frontier; (2) the disagreement point ``d``; (3) the bargaining frontier, the
    piece of the frontier with ``u >= d`` (empty: no gain from bargaining); (4) the Nash,
    Kalai–Smorodinsky and egalitarian solutions on it; (5) with outside options, the Nash
    solution with the options as disagreement point and the one constrained by them; (6) with
    discount factors, Rubinstein's alternating offers (strategic and, with options, naive).
    Each step is exact (see the module docstring for the methods and their sources).

    Parameters
    ----------
    game : Game
        A two-player game; float payoffs are read as their rationalised values.
    disagreement : {"security", "status_quo", "nash"} or pair of numbers
        What each side gets if talks fail: its mixed security level (default), the status
        quo profile's payoffs, the payoffs of Nash equilibrium number ``equilibrium`` of
        ``solve(game)``, or the given point.
    status_quo : sequence of int or str, optional
        The status quo profile (move names or indices); needed for ``"status_quo"``.
    equilibrium : int
        Which equilibrium of ``solve(game).equilibria`` is the disagreement point for
        ``"nash"`` (0 is the first).
    weights : pair of positive numbers
        Bargaining weights ``(w0, w1)`` of the Nash solution (``(1, 1)``: symmetric).
    outside_options : pair of numbers, optional
        What each side gets by walking away from the talks.
    discount : pair of numbers in (0, 1), optional
        Discount factors ``(δ0, δ1)`` per round of offers; computes Rubinstein's model.
    first : int or str
        The player who proposes first in Rubinstein's model.

    Returns
    -------
    Bargaining

    Examples
    --------
    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> result = bargaining(pd)  # security levels (1, 1) as the disagreement point
    >>> result.disagreement, result.nash.point, result.ideal
    ((Fraction(1, 1), Fraction(1, 1)), (Fraction(3, 1), Fraction(3, 1)), (Fraction(13, 3), Fraction(13, 3)))
    """  # noqa: E501
    if game.n_players != 2:
        raise SimError(
            f"bargaining needs a two-player game; this one has {game.n_players} players "
            f"({', '.join(game.players)})"
        )
    scale = game.scale()
    exact_game = rationalised(game)
    exact = game.is_exact
    quo = None
    if status_quo is not None:
        index = game.profile_index(status_quo)
        quo = (index[0], index[1])
    d, d_exact, rule = _disagreement_point(game, exact_game, disagreement, quo, equilibrium)
    exact = exact and d_exact
    w, w_exact = _pair_of(weights, "bargaining weights", 1.0, game)
    if w[0] <= 0 or w[1] <= 0:
        raise SimError(f"bargaining weights must be positive; got {tuple(weights)!r}")
    exact = exact and w_exact
    o: _P | None = None
    if outside_options is not None:
        o, o_exact = _pair_of(outside_options, "outside options", scale, game)
        exact = exact and o_exact
    delta: _P | None = None
    if discount is not None:
        delta, delta_exact = _pair_of(discount, "discount factors", 1.0, game)
        for player, value, given in zip(game.players, delta, discount, strict=True):
            if not 0 < value < 1:
                raise SimError(
                    f"discount factors must be strictly between 0 and 1 (1 would mean no cost "
                    f"of delay, where Rubinstein's model has no unique prediction); got "
                    f"{given!r} for {player}"
                )
        exact = exact and delta_exact
    proposer = game.player_index(first)

    # (1) outcomes, hull and frontier (exact)
    groups: dict[_P, list[Profile]] = {}
    for profile in exact_game.profiles():
        u = exact_game.payoff(profile)
        groups.setdefault((Fraction(u[0]), Fraction(u[1])), []).append((profile[0], profile[1]))
    points = list(groups)
    hull: tuple[_P, ...] = convex_hull(points)  # type: ignore[assignment]
    frontier: tuple[_P, ...] = hull_frontier(hull)  # type: ignore[assignment]
    conv: Callable[[Fraction], Value] = (lambda x: x) if exact else float

    def pt(p: _P) -> Point:
        return (conv(p[0]), conv(p[1]))

    def agreement(point: _P) -> Agreement:
        if point in groups:
            return Agreement(pt(point), (pt(point),), (tuple(groups[point]),), (conv(Fraction(1)),))
        for p, q in pairwise(frontier):
            if p[0] < point[0] < q[0]:
                t = (point[0] - p[0]) / (q[0] - p[0])
                assert point[1] == p[1] + t * (q[1] - p[1])
                return Agreement(
                    pt(point),
                    (pt(p), pt(q)),
                    (tuple(groups[p]), tuple(groups[q])),
                    (conv(1 - t), conv(t)),
                )
        raise AssertionError(f"{point} is not on the Pareto frontier")

    # (2)-(4) the solutions
    curve = _clip(frontier, d)
    ideal = nash = ks = egal = None
    equal = False
    if curve:
        ideal = (curve[-1][0], curve[0][1])
        nash = agreement(_nash_point(curve, d, w))
        if len(curve) == 1:
            ks = egal = nash
            equal = curve[0][0] - d[0] == curve[0][1] - d[1]
        else:
            ks_point, _ = _ray_point(curve, d, (ideal[0] - d[0], ideal[1] - d[1]))
            ks = agreement(ks_point)
            egal_point, equal = _ray_point(curve, d, (Fraction(1), Fraction(1)))
            egal = agreement(egal_point)

    # (5) outside options
    nash_naive = nash_options = None
    raised = None
    if o is not None:
        raised = (max(d[0], o[0]), max(d[1], o[1]))
        naive_curve = _clip(frontier, raised)
        if naive_curve:
            nash_naive = agreement(_nash_point(naive_curve, raised, w))
            nash_options = agreement(_nash_point(naive_curve, d, w))

    # (6) alternating offers
    rubinstein = rubinstein_naive = None
    if delta is not None:
        rubinstein = _offers(
            frontier,
            d,
            delta,
            o,
            proposer,
            "rubinstein" if o is None else "strategic",
            agreement,
            pt,
            conv,
        )
        if o is not None and raised is not None:
            rubinstein_naive = _offers(
                frontier, raised, delta, None, proposer, "naive", agreement, pt, conv
            )

    return Bargaining(
        disagreement_rule=rule,
        disagreement=pt(d),
        disagreement_feasible=_inside(hull, d),
        status_quo=quo,
        equilibrium=equilibrium if rule == "nash" else None,
        weights=pt(w),
        outside_options=None if o is None else pt(o),
        exact=exact,
        outcomes=tuple((pt(p), tuple(groups[p])) for p in points),
        hull=tuple(pt(p) for p in hull),
        frontier=tuple(pt(p) for p in frontier),
        bargaining_frontier=tuple(pt(p) for p in curve),
        ideal=None if ideal is None else pt(ideal),
        nash=nash,
        kalai_smorodinsky=ks,
        egalitarian=egal,
        egalitarian_equal=equal,
        nash_naive=nash_naive,
        nash_outside_options=nash_options,
        rubinstein=rubinstein,
        rubinstein_naive=rubinstein_naive,
    )


def _offers(
    frontier: Sequence[_P],
    d: _P,
    delta: _P,
    options: _P | None,
    first: int,
    model: Literal["rubinstein", "strategic", "naive"],
    agreement: Callable[[_P], Agreement],
    pt: Callable[[_P], Point],
    conv: Callable[[Fraction], Value],
) -> AlternatingOffers:
    """Alternating offers on the frontier, as an :class:`AlternatingOffers` result."""
    solved = _alternating_offers(frontier, d, delta, options)
    low = d if options is None else (max(d[0], options[0]), max(d[1], options[1]))
    curve = _clip(frontier, low)
    limit = agreement(_nash_point(curve, d, (Fraction(1), Fraction(1)))) if curve else None
    binding = (False, False)
    walks_away = None
    offers = None
    if solved is not None:
        u, v = solved
        offers = (agreement(u), agreement(v))
        if options is not None:
            # responder 0 answers v: waiting gives it u next period; responder 1 answers u
            binding = (
                options[0] > d[0] + delta[0] * (u[0] - d[0]),
                options[1] > d[1] + delta[1] * (v[1] - d[1]),
            )
    elif options is not None:
        # the first responder quits at once if its option is worth its disagreement payoff;
        # otherwise the first proposer does, at its first turn to respond
        walks_away = next((i for i in (1 - first, first) if options[i] >= d[i]), None)
    return AlternatingOffers(
        model=model,
        discount=(conv(delta[0]), conv(delta[1])),
        first=first,
        disagreement=pt(d),
        outside_options=None if options is None else pt(options),
        offers=offers,
        binding=binding,
        walks_away=walks_away,
        limit=limit,
    )
