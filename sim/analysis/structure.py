"""The equilibrium structure of a game: which pure profiles are equilibria, how many mixed
ones, whether there is a continuum, and (for 2x2 games) the game type.

Sweeps, flip thresholds and Monte Carlo all count and compare games by their
:class:`Structure`; two games have the same structure when they have the same pure
equilibria, the same number of other extreme equilibria, the same continuum flag and the
same game type.

Game types of 2x2 two-player games (:func:`classify_2x2`), written once here. ``a`` and ``b``
are the row and column player's payoffs, indexed ``[row, column]``. Each player's
*best-response comparisons* are ``a[0, j]`` against ``a[1, j]`` for each column ``j`` and
``b[i, 0]`` against ``b[i, 1]`` for each row ``i``. A move is *dominant* when it wins both of
its player's comparisons (strictly).

1. ``"degenerate"``: some best-response comparison is a tie.
2. Both players have a dominant move, so the game has one equilibrium, the pair of dominant
   moves: ``"prisoner's dilemma"`` when another outcome Pareto-dominates it (at least as
   good for both players, strictly better for one), otherwise ``"harmony"``.
3. Exactly one player has a dominant move: ``"one-sided dominance"`` (one pure equilibrium).
4. No dominant move and no pure equilibrium (best responses cycle): ``"matching pennies"``
   (one mixed equilibrium).
5. No dominant move and two pure equilibria ``e1``, ``e2`` (plus one mixed):

   * If both players weakly prefer the same one and at least one strictly, they are
     Pareto-ranked. With the *deviation loss* of a player at an equilibrium its payoff
     there minus its payoff after switching alone, equilibrium ``e`` risk-dominates
     ``e'`` when the product of the two players' deviation losses at ``e`` is larger
     (Harsanyi and Selten). ``"stag hunt"`` when the payoff-dominant equilibrium is strictly
     risk-dominated, otherwise ``"coordination"``.
   * If the players strictly disagree about which is better, call *mutual concession* the
     outcome where each plays its move from the other's preferred equilibrium and *mutual
     aggression* the one where each plays its move from its own preferred equilibrium.
     ``"chicken"`` when concession is strictly better than aggression for both players,
     otherwise ``"battle of the sexes"``.
   * If both players are indifferent between ``e1`` and ``e2``: ``"coordination"``.

Every comparison is a sign of a payoff difference (or of a difference of products of
differences), so the type is unchanged by positive affine rescaling of a player's payoffs,
by relabelling moves and by swapping the players.

>>> from sim.game import Game
>>> from sim.solvers import solve
>>> stag = Game.from_arrays([[4, 0], [3, 2]], [[4, 3], [0, 2]],
...                         moves=(("stag", "hare"), ("stag", "hare")))
>>> found = structure(solve(stag))
>>> found.pure, found.mixed, found.game_type
(((0, 0), (1, 1)), 1, 'stag hunt')
>>> found.label(stag)
'stag hunt: (stag, stag) + (hare, hare) + 1 mixed'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.certificate import rationalised
from sim.errors import SimError
from sim.game import Game
from sim.solvers import Solution
from sim.wording import profile_text

__all__ = [
    "GAME_TYPES",
    "Structure",
    "classification_margin",
    "classify_2x2",
    "classify_with_margin",
    "game_type",
    "profile_text",
    "structure",
]

GAME_TYPES: tuple[str, ...] = (
    "prisoner's dilemma",
    "harmony",
    "one-sided dominance",
    "stag hunt",
    "coordination",
    "chicken",
    "battle of the sexes",
    "matching pennies",
    "degenerate",
)
"""The game types of 2x2 games; :func:`classify_2x2` returns indices into this tuple."""

(
    _PD,
    _HARMONY,
    _ONE_SIDED,
    _STAG_HUNT,
    _COORDINATION,
    _CHICKEN,
    _BATTLE,
    _PENNIES,
    _DEGENERATE,
) = range(len(GAME_TYPES))


@dataclass(frozen=True)
class Structure:
    """The equilibrium structure of a solved game (see the module docstring).

    Attributes
    ----------
    pure : tuple of tuple of int
        The pure equilibrium profiles (move indices), sorted.
    mixed : int or None
        The number of extreme equilibria that are not pure; None when mixed equilibria were
        not searched (games of three or more players, solved for pure equilibria only).
    continuum : bool
        True when some connected component of the equilibrium set has more than one extreme
        equilibrium (only determined for two-player games; False otherwise).
    game_type : str or None
        For 2x2 two-player games one of :data:`GAME_TYPES`, otherwise None.

    Structures compare equal exactly when all four fields are equal, and are hashable, so
    they can be counted and used as dictionary keys.
    """

    pure: tuple[tuple[int, ...], ...]
    mixed: int | None
    continuum: bool
    game_type: str | None

    def __post_init__(self) -> None:
        if self.game_type is not None and self.game_type not in GAME_TYPES:
            raise SimError(
                f"unknown game type {self.game_type!r}; use one of {', '.join(GAME_TYPES)}"
            )
        ordered = tuple(sorted(tuple(int(m) for m in p) for p in self.pure))
        object.__setattr__(self, "pure", ordered)

    def label(self, game: Game) -> str:
        """Short text for a plot legend or a table, with the game's move names.

        >>> from sim.game import Game
        >>> g = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
        >>> Structure(((1, 1), (0, 0)), 1, False, None).label(g)
        '(s1, s1) + (s2, s2) + 1 mixed'
        >>> Structure((), None, False, None).label(g)
        'no pure equilibrium'
        """
        parts = [profile_text(game, p) for p in self.pure]
        if self.mixed:
            parts.append(f"{self.mixed} mixed")
        if self.continuum:
            parts.append("continuum")
        if parts:
            body = " + ".join(parts)
        else:
            body = "no pure equilibrium" if self.mixed is None else "no equilibrium"
        return f"{self.game_type}: {body}" if self.game_type is not None else body

    def to_dict(self, game: Game) -> dict[str, Any]:
        """JSON-ready: pure equilibria as move names, the counts, the type and the label.

        >>> from sim.game import Game
        >>> g = Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
        >>> Structure(((0, 0),), 0, False, None).to_dict(g)["pure"]
        [['s1', 's1']]
        """
        return {
            "pure": [list(game.profile_names(p)) for p in self.pure],
            "mixed": self.mixed,
            "continuum": self.continuum,
            "game_type": self.game_type,
            "label": self.label(game),
        }


def structure(solution: Solution) -> Structure:
    """The equilibrium structure of a solved game.

    The game type of a float game is that of its rationalised game, the game the solver
    solved (:func:`sim.certificate.rationalised`).

    >>> from sim.game import Game
    >>> from sim.solvers import solve
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> structure(solve(pd))
    Structure(pure=((1, 1),), mixed=0, continuum=False, game_type="prisoner's dilemma")
    """
    pure = tuple(p for e in solution.equilibria if (p := e.pure_profile) is not None)
    # Only a complete enumeration counts the mixed equilibria ("pure": none searched;
    # "some": those a path reached).
    mixed = None if solution.complete != "extreme" else len(solution.equilibria) - len(pure)
    continuum = any(len(c.equilibria) > 1 for c in solution.components)
    return Structure(pure, mixed, continuum, game_type(solution.game))


def game_type(game: Game) -> str | None:
    """The game type of a 2x2 two-player game (one of :data:`GAME_TYPES`), else None.

    >>> from sim.game import Game
    >>> game_type(Game.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]]))
    'chicken'
    >>> game_type(Game.from_arrays([[1, 0, 0], [0, 1, 0]], [[1, 0, 0], [0, 1, 0]])) is None
    True
    """
    if game.shape != (2, 2):
        return None
    payoffs = rationalised(game).payoffs
    a = payoffs[np.newaxis, :, :, 0]
    b = payoffs[np.newaxis, :, :, 1]
    return GAME_TYPES[int(classify_2x2(a, b)[0])]


# ---------------------------------------------------------------------- classification
def _checked(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(a)
    b = np.asarray(b)
    if a.ndim != 3 or a.shape[1:] != (2, 2) or a.shape != b.shape:
        raise SimError(
            f"classify_2x2 takes two arrays of shape (N, 2, 2); got {a.shape} and {b.shape}"
        )
    return a, b


@dataclass(frozen=True)
class _Quantities:
    """Every difference the classification looks at, per game (see :func:`_quantities`)."""

    row_gain: np.ndarray  # (N, 2): a[0, j] - a[1, j]
    column_gain: np.ndarray  # (N, 2): b[i, 0] - b[i, 1]
    row_dominant: np.ndarray  # (N,) bool
    column_dominant: np.ndarray  # (N,) bool
    tie: np.ndarray  # (N,) bool: some best-response comparison is a tie
    pareto: tuple[np.ndarray, np.ndarray]  # opposite cell minus dominant-move equilibrium
    two_equilibria: np.ndarray  # (N,) bool, no dominant moves and best responses agree
    ranking: tuple[np.ndarray, np.ndarray]  # payoff at e1 minus payoff at e2, per player
    risk: tuple[np.ndarray, np.ndarray]  # products of deviation losses at e1 and at e2
    losses: np.ndarray  # (N,) sum of the four deviation losses
    concession: tuple[np.ndarray, np.ndarray]  # mutual concession minus mutual aggression


def _positive(x: np.ndarray) -> np.ndarray:
    return np.asarray(x > 0, dtype=bool)


def _negative(x: np.ndarray) -> np.ndarray:
    return np.asarray(x < 0, dtype=bool)


def _zero(x: np.ndarray) -> np.ndarray:
    return ~(_positive(x) | _negative(x))


def _pick(cells: tuple[np.ndarray, ...], r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``x[k, r[k], c[k]]`` for each game k, from the four cells ``x[:, 0, 0] ... x[:, 1, 1]``.

    Elementwise selection: much faster than fancy indexing with ``arange`` on large batches.
    """
    x00, x01, x10, x11 = cells
    return np.where(r == 0, np.where(c == 0, x00, x01), np.where(c == 0, x10, x11))


def _quantities(a: np.ndarray, b: np.ndarray) -> _Quantities:
    ac = (a[:, 0, 0], a[:, 0, 1], a[:, 1, 0], a[:, 1, 1])
    bc = (b[:, 0, 0], b[:, 0, 1], b[:, 1, 0], b[:, 1, 1])
    row_gain = a[:, 0, :] - a[:, 1, :]
    column_gain = b[:, :, 0] - b[:, :, 1]
    # (Elementwise over the two columns: reductions over an axis of length 2 are slow.)
    tie = np.asarray(
        _zero(row_gain[:, 0]) | _zero(row_gain[:, 1]) | _zero(column_gain[:, 0])
    ) | _zero(column_gain[:, 1])
    # best_row[:, j]: the row player's best move against column j (0 or 1); likewise columns.
    best_row = np.where(_positive(row_gain), 0, 1)
    best_column = np.where(_positive(column_gain), 0, 1)
    row_dominant = best_row[:, 0] == best_row[:, 1]
    column_dominant = best_column[:, 0] == best_column[:, 1]

    # Both dominant: compare the equilibrium with the opposite cell (the only cell that can
    # Pareto-dominate it: a unilateral deviation makes the deviator strictly worse off).
    r, c = best_row[:, 0], best_column[:, 0]
    pareto = (
        _pick(ac, 1 - r, 1 - c) - _pick(ac, r, c),
        _pick(bc, 1 - r, 1 - c) - _pick(bc, r, c),
    )

    # No dominant moves: the candidates e1 = (best_row[0], 0) and e2 = (best_row[1], 1).
    r1, r2 = best_row[:, 0], 1 - best_row[:, 0]
    zero, one = np.zeros_like(r1), np.ones_like(r1)
    two = ~row_dominant & ~column_dominant & (np.where(r1 == 0, c, best_column[:, 1]) == 0)
    a_r1_0, a_r2_1 = _pick(ac, r1, zero), _pick(ac, r2, one)
    b_r1_0, b_r2_1 = _pick(bc, r1, zero), _pick(bc, r2, one)
    a_r2_0, a_r1_1 = _pick(ac, r2, zero), _pick(ac, r1, one)
    b_r1_1, b_r2_0 = _pick(bc, r1, one), _pick(bc, r2, zero)
    ranking = (a_r1_0 - a_r2_1, b_r1_0 - b_r2_1)
    loss_row_1 = a_r1_0 - a_r2_0
    loss_column_1 = b_r1_0 - b_r1_1
    loss_row_2 = a_r2_1 - a_r1_1
    loss_column_2 = b_r2_1 - b_r2_0
    risk = (loss_row_1 * loss_column_1, loss_row_2 * loss_column_2)
    losses = np.abs(loss_row_1) + np.abs(loss_column_1) + np.abs(loss_row_2)
    losses = losses + np.abs(loss_column_2)
    # The row player prefers e1 (ranking[0] > 0): concession (r2, 0), aggression (r1, 1);
    # it prefers e2: concession (r1, 1), aggression (r2, 0).
    row_likes_e1 = _positive(ranking[0])
    concession = (
        np.where(row_likes_e1, a_r2_0 - a_r1_1, a_r1_1 - a_r2_0),
        np.where(row_likes_e1, b_r2_0 - b_r1_1, b_r1_1 - b_r2_0),
    )
    return _Quantities(
        row_gain,
        column_gain,
        row_dominant,
        column_dominant,
        tie,
        pareto,
        two,
        ranking,
        risk,
        losses,
        concession,
    )


def _weakly_better(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Both at least 0 and one above 0 (Pareto improvement), elementwise."""
    return ~_negative(x) & ~_negative(y) & (_positive(x) | _positive(y))


def classify_2x2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Classify many 2x2 games at once (definitions in the module docstring).

    Parameters
    ----------
    a, b : numpy.ndarray
        Shape ``(N, 2, 2)``: ``a[k]`` and ``b[k]`` are the row and column player's payoffs
        of game ``k``, indexed ``[row, column]``. Object arrays of
        :class:`~fractions.Fraction` are classified exactly. Float arrays are classified by
        comparing the float values as they are, with no tolerance: a game whose
        :func:`classification_margin` is within rounding error of zero may be classified
        differently from its exact counterpart, so a caller holding floats should send such
        games to the exact path.

    Returns
    -------
    numpy.ndarray
        Shape ``(N,)``, dtype ``int8``: indices into :data:`GAME_TYPES`.

    Examples
    --------
    >>> pd = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
    >>> pennies = [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]
    >>> a, b = np.array([pd[0], pennies[0]]), np.array([pd[1], pennies[1]])
    >>> [GAME_TYPES[k] for k in classify_2x2(a, b)]
    ["prisoner's dilemma", 'matching pennies']
    """
    a, b = _checked(a, b)
    return _classify(_quantities(a, b))


def _classify(q: _Quantities) -> np.ndarray:
    both = q.row_dominant & q.column_dominant
    one = q.row_dominant ^ q.column_dominant
    neither = ~q.row_dominant & ~q.column_dominant
    ra, rb = q.ranking
    ranked = _weakly_better(ra, rb) | _weakly_better(-ra, -rb)
    indifferent = _zero(ra) & _zero(rb)
    # The payoff-dominant equilibrium is e1 when e1 is weakly better for both.
    e1_dominant = ~_negative(ra) & ~_negative(rb)
    p1, p2 = q.risk
    stag = np.where(e1_dominant, _negative(p1 - p2), _negative(p2 - p1))
    chicken = _positive(q.concession[0]) & _positive(q.concession[1])
    conditions = [
        q.tie,
        both & _weakly_better(*q.pareto),
        both,
        one,
        neither & ~q.two_equilibria,
        q.two_equilibria & indifferent,
        q.two_equilibria & ranked & stag,
        q.two_equilibria & ranked,
        q.two_equilibria & chicken,
        q.two_equilibria,
    ]
    choices = [
        _DEGENERATE,
        _PD,
        _HARMONY,
        _ONE_SIDED,
        _PENNIES,
        _COORDINATION,
        _STAG_HUNT,
        _COORDINATION,
        _CHICKEN,
        _BATTLE,
    ]
    return np.select(conditions, choices, default=_DEGENERATE).astype(np.int8)


def _magnitude(x: np.ndarray) -> np.ndarray:
    return np.abs(x).astype(np.float64)


def classification_margin(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """How far each game is from a tie in any comparison that decides its type.

    The margin of a game is the smallest of these magnitudes (0 for a degenerate game):

    * the four best-response differences ``|a[0, j] - a[1, j]|`` and ``|b[i, 0] - b[i, 1]|``;
    * when both players have a dominant move, the two Pareto differences between the
      opposite outcome and the equilibrium, one per player;
    * when there are two pure equilibria, each player's payoff difference between them;
      then, if they are Pareto-ranked, the risk-dominance quantity ``|P1 - P2| / L``, where
      ``P1`` and ``P2`` are the products of deviation losses at the two equilibria and ``L``
      the sum of the four deviation losses (this puts it in payoff units); if the players
      disagree, each player's payoff difference between mutual concession and mutual
      aggression.

    Guarantee: changing every payoff by less than a quarter of the margin leaves
    :func:`classify_2x2` unchanged (up to the rounding of the margin itself). So a float
    batch solver can trust its float classification of a game whose margin exceeds four
    times its rounding error, and recompute the others exactly.

    Parameters
    ----------
    a, b : numpy.ndarray
        As for :func:`classify_2x2`.

    Returns
    -------
    numpy.ndarray
        Shape ``(N,)``, float64.

    Examples
    --------
    >>> stag = np.array([[[4, 0], [3, 2]]]), np.array([[[4, 3], [0, 2]]])
    >>> classification_margin(*stag)  # risk dominance: |1*1 - 2*2| / (1+1+2+2)
    array([0.5])
    >>> tie = np.array([[[1, 0], [1, 2]]]), np.array([[[1, 0], [0, 1]]])  # a[0, 0] = a[1, 0]
    >>> classification_margin(*tie)
    array([0.])
    """
    a, b = _checked(a, b)
    return _margin(_quantities(a, b))


def classify_with_margin(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`classify_2x2` and :func:`classification_margin` together, in one pass.

    >>> pd = np.array([[[3, 0], [5, 1]]]), np.array([[[3, 5], [0, 1]]])
    >>> codes, margin = classify_with_margin(*pd)
    >>> GAME_TYPES[codes[0]], margin.tolist()
    ("prisoner's dilemma", [1.0])
    """
    a, b = _checked(a, b)
    q = _quantities(a, b)
    return _classify(q), _margin(q)


def _margin(q: _Quantities) -> np.ndarray:
    row, column = _magnitude(q.row_gain), _magnitude(q.column_gain)
    margin = np.minimum(np.minimum(row[:, 0], row[:, 1]), np.minimum(column[:, 0], column[:, 1]))
    both = q.row_dominant & q.column_dominant
    pareto = np.minimum(_magnitude(q.pareto[0]), _magnitude(q.pareto[1]))
    margin = np.where(both, np.minimum(margin, pareto), margin)

    ra, rb = q.ranking
    two = q.two_equilibria & ~q.tie
    margin = np.where(two, np.minimum(margin, np.minimum(_magnitude(ra), _magnitude(rb))), margin)
    ranked = two & (_weakly_better(ra, rb) | _weakly_better(-ra, -rb))
    # Outside the ranked two-equilibrium case ``losses`` may be 0; divide by 1 there.
    losses = np.where(ranked, q.losses, 1)
    if losses.dtype == object:
        risk = _magnitude((q.risk[0] - q.risk[1]) / losses)
    else:
        risk = np.abs(q.risk[0] - q.risk[1]) / losses
    margin = np.where(ranked, np.minimum(margin, risk), margin)
    disagree = two & _negative(ra * rb)
    concession = np.minimum(_magnitude(q.concession[0]), _magnitude(q.concession[1]))
    margin = np.where(disagree, np.minimum(margin, concession), margin)
    return np.asarray(margin, dtype=np.float64)
