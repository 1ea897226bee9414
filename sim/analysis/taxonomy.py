"""Ordinal game types of 2x2 games: the Robinson–Goforth table with Bruns' names.

A 2x2 game's *ordinal type* forgets how much each player prefers one outcome to another
and keeps only the order. Robinson and Goforth showed that the strict ordinal 2x2 games
fall into 144 types and arranged them in a "periodic table"; Bruns named each type by the
pair of symmetric games its two players' preferences come from (the 12 names and
two-letter codes below are his).

* D. Robinson and D. Goforth, *The Topology of the 2x2 Games: A New Periodic Table*,
  Routledge, 2005.
* B. R. Bruns, "Names for games: locating 2 × 2 games", *Games* 6 (2015) 495–520,
  doi:10.3390/g6040495.

Conventions (written once here):

* **Ranks.** Each player's four payoffs are ranked from 1 (worst) to 4 (best) by exact
  comparisons (:func:`sim.certificate.compare`; in a float game payoffs within the tolerance
  of :meth:`sim.game.Game.scale` tie). Tied payoffs share the lowest rank of their group
  (competition ranking: 1, 2, 2, 4). A game is *strict* when neither player has a tie.
* **The 144.** Relabelling a player's moves (swapping rows, or columns) does not change a
  game, so the 24 × 24 = 576 strict ordinal games form 576 / 4 = 144 classes
  (:data:`ALL_TYPES`). Swapping the players can change the type: a type is an ordered
  pair (row player, column player).
* **Orientation.** Bruns locates a game by "converting payoffs to standard ordinal values,
  orienting highest payoffs, and finding symmetric games with the equivalent payoff
  structures". Here each player's moves are put in the order that makes the *other*
  player's best outcome lie under its first move: columns are swapped if the row player's
  4 is in the second column, rows if the column player's 4 is in the second row
  (:attr:`OrdinalType.row_order` and :attr:`OrdinalType.column_order` record the order
  applied). Call the first move *cooperate* (C) and the second *defect* (D). Each player's
  payoffs then read, from its own point of view, ``R`` (both cooperate), ``S`` (it
  cooperates alone), ``T`` (it defects alone) and ``P`` (both defect), with its 4 at ``R``
  or ``T``: row payoffs ``[[R, S], [T, P]]``, column payoffs ``[[R, T], [S, P]]``. Of the
  24 orders of ``R, S, T, P`` the 12 with ``R`` or ``T`` on top are the 12 *patterns*
  (:data:`SYMMETRIC_TYPES`), each named after the symmetric game in which both players
  have it. The type of a game is (row pattern, column pattern), 12 × 12 = 144; it is
  symmetric when both patterns are equal. (The published tables may draw the matrices
  with the moves in another order; that is a layout choice. The classes and the names do
  not depend on it, as long as the two players' moves are matched by one rule, here: the
  move under which the other player's best outcome lies.)
* **Codes.** A symmetric type has its pattern's two-letter code (``"Pd"``); an asymmetric
  one is written row|column (``"Pd|Ch"``: the row player has Prisoner's Dilemma
  preferences, the column player Chicken's). Swapping the players gives the *mirror* type
  (``"Ch|Pd"``).
* **Ties.** A game with tied payoffs is not one of the 144. Bruns extends the names to
  games with ties; that nomenclature is not reproduced here. Instead a tied game reports
  which payoffs tie and the strict types it *borders*: those obtained by breaking every
  tie either way (every small perturbation of the payoffs lands in one of them),
  :attr:`OrdinalType.borders`. Its label lists them: ``"ties (Hr, Hr|Ba, Ba|Hr, Ba)"`` for
  the Battle of the Sexes with both players indifferent between the two ways of failing
  to meet.

The 12 patterns (each player's order of ``R, S, T, P``, best first), grouped by the
player's best responses:

========  ===========================  ===================================================
group     patterns                     best responses
========  ===========================  ===================================================
C wins    Concord ``Nc`` R>T>S>P,      cooperate is dominant (R > T and S > P)
          Harmony ``Ha`` R>S>T>P,
          Peace ``Pc`` R>S>P>T
match     Coordination ``Co`` R>P>S>T, cooperate against C, defect against D
          Assurance ``As`` R>P>T>S,    (R > T, P > S)
          Stag Hunt ``Sh`` R>T>P>S
D wins    Prisoner's Dilemma ``Pd``    defect is dominant (T > R and P > S)
          T>R>P>S, Deadlock ``Dl``
          T>P>R>S, Compromise ``Cm``
          T>P>S>R
differ    Hero ``Hr`` T>S>P>R,         defect against C, cooperate against D
          Battle ``Ba`` T>S>R>P,       (T > R, S > P)
          Chicken ``Ch`` T>R>S>P
========  ===========================  ===================================================

**Relation to the coarse families** of :mod:`sim.analysis.structure` (used by sweeps and
Monte Carlo): every strict game is non-degenerate, and the family is a function of the
ordinal type, with one exception. Stag hunt and coordination differ by risk dominance,
which compares products of payoff *differences*, a cardinal property: a type with two
Pareto-ranked equilibria can be either, unless each player's deviation loss at the better
equilibrium is ordinally forced to exceed its loss at the other (then it is always
coordination). :attr:`GameType.families` lists the families a type can have. For the
symmetric types: Pd → prisoner's dilemma; Dl, Cm, Nc, Ha, Pc → harmony; Co → coordination;
Sh, As → stag hunt or coordination; Ba, Ch → chicken; Hr → battle of the sexes (mutual
cooperation, the "concession", is its worst outcome). Asymmetric types mix these and add
one-sided dominance (one player's pattern has a dominant move, the other's does not) and
matching pennies (best responses cycle: no pure equilibrium).

>>> from sim.game import Game
>>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> found = ordinal_type(pd)
>>> found.code, found.name, found.symmetric, found.family
('Pd', "Prisoner's Dilemma", True, "prisoner's dilemma")
>>> len(ALL_TYPES), type_by_code("Pd|Ch").mirror.code
(144, 'Ch|Pd')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import permutations, product
from typing import Any

import numpy as np

from sim.analysis.structure import GAME_TYPES, classify_2x2, game_type
from sim.certificate import TOLERANCE, compare
from sim.errors import SimError
from sim.game import Game, payoff_scale

__all__ = [
    "ALL_TYPES",
    "SYMMETRIC_TYPES",
    "GameType",
    "OrdinalType",
    "SymmetricType",
    "label_text",
    "ordinal_codes",
    "ordinal_labels",
    "ordinal_type",
    "type_by_code",
]

Ranks = tuple[tuple[int, int], tuple[int, int]]
"""A player's ranks ``[row][column]``, 1 (worst) to 4 (best)."""

_CELLS = ((0, 0), (0, 1), (1, 0), (1, 1))
_LETTERS = "RSTP"


@dataclass(frozen=True)
class SymmetricType:
    """One of the 12 preference patterns, named after its symmetric game (Bruns 2015).

    ``ranks`` are the player's ranks of ``(R, S, T, P)`` (module docstring), ``index`` its
    position in :data:`SYMMETRIC_TYPES`.
    """

    index: int
    code: str
    name: str
    ranks: tuple[int, int, int, int]
    description: str

    @property
    def order(self) -> str:
        """The pattern as an order of ``R, S, T, P``, best first, e.g. ``"T > R > P > S"``.

        >>> SYMMETRIC_TYPES[6].order
        'T > R > P > S'
        """
        ranked = sorted(zip(self.ranks, _LETTERS, strict=True), reverse=True)
        return " > ".join(letter for _, letter in ranked)


SYMMETRIC_TYPES: tuple[SymmetricType, ...] = tuple(
    SymmetricType(k, code, name, ranks, description)
    for k, (code, name, ranks, description) in enumerate(
        (
            (
                "Nc",
                "Concord",
                (4, 2, 3, 1),
                "cooperating is dominant for both and mutual cooperation is the best outcome "
                "for both; each would rather defect on a cooperator than be defected on, and "
                "mutual defection is worst (many textbooks call this ordering Harmony)",
            ),
            (
                "Ha",
                "Harmony",
                (4, 3, 2, 1),
                "cooperating is dominant for both and mutual cooperation is the best outcome "
                "for both; mutual defection is each side's worst outcome",
            ),
            (
                "Pc",
                "Peace",
                (4, 3, 1, 2),
                "cooperating is dominant for both and mutual cooperation is the best outcome "
                "for both; defecting alone is each side's worst outcome",
            ),
            (
                "Co",
                "Coordination",
                (4, 2, 1, 3),
                "each side wants to match the other: mutual cooperation and mutual defection "
                "are both equilibria, cooperation the better one for both, and failing to "
                "match is worse for both than either",
            ),
            (
                "As",
                "Assurance",
                (4, 1, 2, 3),
                "each side wants to match the other: mutual cooperation (best for both) and "
                "mutual defection (second best) are both equilibria, and cooperating alone "
                "is worst",
            ),
            (
                "Sh",
                "Stag Hunt",
                (4, 1, 3, 2),
                "mutual cooperation (best for both) and mutual defection are both "
                "equilibria; cooperating alone is each side's worst outcome, and defecting "
                "pays more against a cooperator than against a defector",
            ),
            (
                "Pd",
                "Prisoner's Dilemma",
                (3, 1, 4, 2),
                "each side has a dominant move, and the resulting equilibrium is worse for "
                "both than mutual cooperation",
            ),
            (
                "Dl",
                "Deadlock",
                (2, 1, 4, 3),
                "each side has a dominant move, defecting, and both prefer the resulting "
                "mutual defection to mutual cooperation: there is no dilemma",
            ),
            (
                "Cm",
                "Compromise",
                (1, 2, 4, 3),
                "each side has a dominant move, defecting; mutual cooperation is the worst "
                "outcome for both, and the equilibrium is Pareto-optimal",
            ),
            (
                "Hr",
                "Hero",
                (1, 3, 4, 2),
                "in each equilibrium one side cooperates and the other defects, and each "
                "wants to be the one who defects; mutual cooperation is worst for both",
            ),
            (
                "Ba",
                "Battle",
                (2, 3, 4, 1),
                "in each equilibrium one side cooperates and the other defects, and each "
                "wants to be the one who defects; mutual defection is worst for both, "
                "mutual cooperation next worst",
            ),
            (
                "Ch",
                "Chicken",
                (3, 2, 4, 1),
                "in each equilibrium one side gives way (cooperates) and the other holds "
                "firm; mutual defection is worst for both, and mutual cooperation is each "
                "side's second best",
            ),
        )
    )
)
"""The 12 patterns in Bruns' order (module docstring table)."""

_PATTERN_BY_RANKS = {p.ranks: p for p in SYMMETRIC_TYPES}


def _key(r: int, s: int, t: int, p: int) -> int:
    return (r - 1) * 64 + (s - 1) * 16 + (t - 1) * 4 + (p - 1)


_PATTERN_LOOKUP = np.full(256, -1, dtype=np.int16)
for _p in SYMMETRIC_TYPES:
    _PATTERN_LOOKUP[_key(*_p.ranks)] = _p.index


def _canonical_ranks(row: SymmetricType, column: SymmetricType) -> tuple[Ranks, Ranks]:
    r, s, t, p = row.ranks
    cr, cs, ct, cp = column.ranks
    return ((r, s), (t, p)), ((cr, ct), (cs, cp))


def _families(a: Ranks, b: Ranks, found: str) -> tuple[str, ...]:
    """The families of :mod:`sim.analysis.structure` that games of this type can have;
    ``found`` is the family :func:`~sim.analysis.structure.classify_2x2` gives the ranks."""
    if found not in ("stag hunt", "coordination"):
        return (found,)
    equilibria = [
        (i, j)
        for i, j in _CELLS
        if a[i][j] > a[1 - i][j] and b[i][j] > b[i][1 - j]  # strict: no ties here
    ]
    better, worse = sorted(equilibria, key=lambda e: -a[e[0]][e[1]])
    # Each player's deviation loss at the better equilibrium is forced to exceed its loss at
    # the worse one when the payoff it falls to there is below the one at the worse one.
    row_forced = a[1 - better[0]][better[1]] < a[1 - worse[0]][worse[1]]
    column_forced = b[better[0]][1 - better[1]] < b[worse[0]][1 - worse[1]]
    return ("coordination",) if row_forced and column_forced else ("stag hunt", "coordination")


@dataclass(frozen=True)
class GameType:
    """One of the 144 strict ordinal types (module docstring).

    Attributes
    ----------
    index : int
        Position in :data:`ALL_TYPES`: ``12 * row.index + column.index``.
    row, column : SymmetricType
        The row and the column player's preference patterns.
    row_ranks, column_ranks : tuple
        The canonical ordinal game: ranks ``[row][column]`` with both players' moves in
        the canonical order (cooperate first).
    pure_equilibria : tuple of (int, int)
        Its pure equilibria, in canonical move indices.
    families : tuple of str
        The :data:`~sim.analysis.structure.GAME_TYPES` its games can have.
    """

    index: int
    row: SymmetricType
    column: SymmetricType
    row_ranks: Ranks = field(repr=False)
    column_ranks: Ranks = field(repr=False)
    pure_equilibria: tuple[tuple[int, int], ...] = field(repr=False)
    families: tuple[str, ...] = field(repr=False)

    @property
    def symmetric(self) -> bool:
        """Both players have the same pattern."""
        return self.row is self.column

    @property
    def code(self) -> str:
        """Bruns-style code: ``"Pd"`` for a symmetric type, ``"Pd|Ch"`` (row|column) else."""
        return self.row.code if self.symmetric else f"{self.row.code}|{self.column.code}"

    @property
    def name(self) -> str:
        """``"Prisoner's Dilemma"``, or ``"Prisoner's Dilemma (row) × Chicken (column)"``."""
        if self.symmetric:
            return self.row.name
        return f"{self.row.name} (row) × {self.column.name} (column)"

    @property
    def mirror(self) -> GameType:
        """The type with the players swapped.

        >>> type_by_code("Sh|Pd").mirror.code, type_by_code("Ch").mirror.code
        ('Pd|Sh', 'Ch')
        """
        return ALL_TYPES[12 * self.column.index + self.row.index]


_PAIRS = tuple(product(SYMMETRIC_TYPES, SYMMETRIC_TYPES))
_RANKS = tuple(_canonical_ranks(row, column) for row, column in _PAIRS)
_FAMILY = classify_2x2(np.array([a for a, _ in _RANKS]), np.array([b for _, b in _RANKS]))

ALL_TYPES: tuple[GameType, ...] = tuple(
    GameType(
        12 * row.index + column.index,
        row,
        column,
        *ranks,
        tuple(
            (i, j)
            for i, j in _CELLS
            if ranks[0][i][j] > ranks[0][1 - i][j] and ranks[1][i][j] > ranks[1][i][1 - j]
        ),
        _families(*ranks, GAME_TYPES[int(family)]),
    )
    for (row, column), ranks, family in zip(_PAIRS, _RANKS, _FAMILY, strict=True)
)
"""The 144 strict ordinal types; ``ALL_TYPES[k].index == k``."""

_BY_CODE = {t.code: t for t in ALL_TYPES}


def type_by_code(code: str) -> GameType:
    """The type with a code such as ``"Pd"`` or ``"Pd|Ch"``.

    >>> type_by_code("Sh").name, type_by_code("Pd|Ch").column.name
    ('Stag Hunt', 'Chicken')
    >>> type_by_code("Xx")
    Traceback (most recent call last):
    ...
    sim.errors.SimError: unknown game type code 'Xx'; codes are two letters from Nc, Ha, \
Pc, Co, As, Sh, Pd, Dl, Cm, Hr, Ba, Ch, or two of them as row|column (e.g. Pd|Ch)
    """
    found = _BY_CODE.get(code)
    if found is None:
        letters = ", ".join(p.code for p in SYMMETRIC_TYPES)
        raise SimError(
            f"unknown game type code {code!r}; codes are two letters from {letters}, "
            "or two of them as row|column (e.g. Pd|Ch)"
        )
    return found


# ----------------------------------------------------------------------------- kernel
def _strict_type(a: Ranks, b: Ranks) -> tuple[GameType, tuple[int, int], tuple[int, int]]:
    """The type of a strict game given by ranks, and the row and column order applied."""
    column_swap = int(a[0][1] == 4 or a[1][1] == 4)
    row_swap = int(b[1][0] == 4 or b[1][1] == 4)
    rows = (row_swap, 1 - row_swap)
    columns = (column_swap, 1 - column_swap)
    ca = [[a[i][j] for j in columns] for i in rows]
    cb = [[b[i][j] for j in columns] for i in rows]
    row = _PATTERN_BY_RANKS[(ca[0][0], ca[0][1], ca[1][0], ca[1][1])]
    column = _PATTERN_BY_RANKS[(cb[0][0], cb[1][0], cb[0][1], cb[1][1])]
    return ALL_TYPES[12 * row.index + column.index], rows, columns


def _ranks_of(values: Sequence[Any], scale: float) -> tuple[int, ...]:
    """Competition ranks (1 worst) of four payoffs under :func:`compare`."""
    return tuple(1 + sum(compare(v, w, scale) > 0 for w in values) for v in values)


def _as_ranks(flat: Sequence[int]) -> Ranks:
    return ((flat[0], flat[1]), (flat[2], flat[3]))


def _tie_breaks(ranks: Ranks) -> list[Ranks]:
    """Every strict ranking consistent with a weak one (ties broken every way)."""
    flat = [ranks[i][j] for i, j in _CELLS]
    out = []
    for order in permutations(range(4)):
        strict = [0] * 4
        for rank, cell in enumerate(order, start=1):
            strict[cell] = rank
        if all(strict[k] < strict[m] for k in range(4) for m in range(4) if flat[k] < flat[m]):
            out.append(_as_ranks(strict))
    return out


MAX_LISTED = 8
"""Most bordering strict types a sentence names (``to_dict`` lists them all)."""


def _label(found: GameType | None, borders: Sequence[GameType]) -> str:
    if found is not None:
        return found.code
    if len(borders) <= 4:
        return f"ties ({', '.join(t.code for t in borders)})"
    return f"ties ({len(borders)} strict types)"


# ----------------------------------------------------------------------------- result
@dataclass(frozen=True)
class OrdinalType:
    """The ordinal type of a 2x2 game (conventions in the module docstring).

    Attributes
    ----------
    players, moves : tuple
        The game's player and move names.
    ranks : tuple of Ranks
        ``ranks[p][row][column]``: player ``p``'s rank of each outcome, 1 (worst) to 4
        (best), ties sharing the lowest rank of their group, in the game's own layout.
    row_order, column_order : tuple of int
        The row and column player's move indices in canonical order (cooperate first):
        ``(0, 1)`` when kept, ``(1, 0)`` when swapped. For a game with ties each player's
        moves are ordered as in the tie-break that gives ``borders[0]``.
    game_type : GameType or None
        The type of a strict game; None when some payoffs tie.
    borders : tuple of GameType
        For a game with ties, the strict types its tie-breaks give (by index); empty for a
        strict game.
    pure_equilibria : tuple of (int, int)
        Pure equilibria (weak best responses), in the game's move indices.
    pareto_optimal : tuple of bool
        For each pure equilibrium, whether no other outcome is at least as good for both
        players and better for one.
    family : str
        The coarse family of :func:`sim.analysis.structure.game_type`.
    """

    players: tuple[str, ...]
    moves: tuple[tuple[str, ...], ...]
    ranks: tuple[Ranks, Ranks]
    row_order: tuple[int, int]
    column_order: tuple[int, int]
    game_type: GameType | None
    borders: tuple[GameType, ...]
    pure_equilibria: tuple[tuple[int, int], ...]
    pareto_optimal: tuple[bool, ...]
    family: str

    @property
    def strict(self) -> bool:
        """True when neither player has tied payoffs (one of the 144)."""
        return self.game_type is not None

    @property
    def code(self) -> str | None:
        """The type's code (``"Pd"``, ``"Pd|Ch"``), None for a game with ties."""
        return None if self.game_type is None else self.game_type.code

    @property
    def name(self) -> str | None:
        """The type's name, None for a game with ties."""
        return None if self.game_type is None else self.game_type.name

    @property
    def label(self) -> str:
        """The code, or for a game with ties ``"ties (Hr, Ba)"`` (``"ties (n strict types)"``
        when it borders more than four)."""
        return _label(self.game_type, self.borders)

    @property
    def symmetric(self) -> bool:
        """True when the game is ordinally symmetric: some relabelling of the moves makes
        the column player's ranks the transpose of the row player's."""
        a, b = self.ranks
        return any(
            all(b[i ^ r][j ^ c] == a[j ^ r][i ^ c] for i, j in _CELLS)
            for r, c in product((0, 1), (0, 1))
        )

    def ties(self, player: int) -> tuple[tuple[tuple[int, int], ...], ...]:
        """Groups of outcomes (``(row, column)``) that ``player`` ranks equally.

        >>> from sim.game import Game
        >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
        >>> ordinal_type(pennies).ties(0)
        (((0, 1), (1, 0)), ((0, 0), (1, 1)))
        """
        own = self.ranks[player]
        groups: dict[int, list[tuple[int, int]]] = {}
        for i, j in _CELLS:
            groups.setdefault(own[i][j], []).append((i, j))
        return tuple(tuple(g) for _, g in sorted(groups.items()) if len(g) > 1)

    def _outcome(self, cell: tuple[int, int]) -> str:
        return f"({self.moves[0][cell[0]]}, {self.moves[1][cell[1]]})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: code, name, patterns, ranks, ties, orientation, borders, equilibria.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
        >>> data = ordinal_type(pd).to_dict()
        >>> data["code"], data["row_pattern"]["order"], data["ranks"]["P1"]
        ('Pd', 'T > R > P > S', [[3, 1], [4, 2]])
        """
        found = self.game_type

        def pattern(p: SymmetricType | None) -> dict[str, Any] | None:
            if p is None:
                return None
            return {"code": p.code, "name": p.name, "order": p.order}

        return {
            "label": self.label,
            "strict": self.strict,
            "code": self.code,
            "name": self.name,
            "symmetric": self.symmetric,
            "row_pattern": pattern(found.row if found else None),
            "column_pattern": pattern(found.column if found else None),
            "description": found.row.description if found and found.symmetric else None,
            "mirror": found.mirror.code if found else None,
            "families": list(found.families) if found else None,
            "family": self.family,
            "ranks": {
                name: [list(row) for row in self.ranks[p]] for p, name in enumerate(self.players)
            },
            "ties": {
                name: [[list(self.moves_of(cell)) for cell in group] for group in self.ties(p)]
                for p, name in enumerate(self.players)
            },
            "canonical_order": {
                self.players[0]: [self.moves[0][i] for i in self.row_order],
                self.players[1]: [self.moves[1][j] for j in self.column_order],
            },
            "borders": [t.code for t in self.borders],
            "pure_equilibria": [list(self.moves_of(e)) for e in self.pure_equilibria],
            "pareto_optimal": list(self.pareto_optimal),
        }

    def moves_of(self, cell: tuple[int, int]) -> tuple[str, str]:
        """The move names of an outcome ``(row, column)``."""
        return self.moves[0][cell[0]], self.moves[1][cell[1]]

    def sentences(self) -> tuple[str, ...]:
        """The ordinal type in plain language, for the report.

        >>> from sim.game import Game
        >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], players=("A", "B"),
        ...                       moves=(("c", "d"), ("c", "d")))
        >>> for line in ordinal_type(pd).sentences():
        ...     print(line)
        Ordinally, this is a Prisoner's Dilemma (Robinson–Goforth/Bruns Pd): each side has \
a dominant move, and the resulting equilibrium is worse for both than mutual cooperation.
        Cooperating here means A plays c and B plays c (the move under which the other \
side's best outcome lies); each side ranks the outcomes T > R > P > S.
        The pure equilibrium (d, d) is Pareto-dominated by (c, c).
        """
        a_name, b_name = self.players
        lines: list[str] = []
        found = self.game_type
        cooperate = (
            f"Cooperating here means {a_name} plays {self.moves[0][self.row_order[0]]} and "
            f"{b_name} plays {self.moves[1][self.column_order[0]]} (the move under which the "
            "other side's best outcome lies)"
        )
        if found is not None and found.symmetric:
            called = f"a {found.name}" if found.code in ("Pd", "Sh") else f"the game {found.name}"
            lines.append(
                f"Ordinally, this is {called} (Robinson–Goforth/Bruns {found.code}): "
                f"{found.row.description}."
            )
            lines.append(f"{cooperate}; each side ranks the outcomes {found.row.order}.")
        elif found is not None:
            lines.append(
                f"Ordinally, this is the asymmetric type {found.code} of the Robinson–Goforth "
                f"table (Bruns' names): {a_name} has {found.row.name} preferences "
                f"({found.row.order}) and {b_name} has {found.column.name} preferences "
                f"({found.column.order}); swapping the players gives {found.mirror.code}."
            )
            lines.append(f"{cooperate}.")
        else:
            tied = []
            for p, name in enumerate(self.players):
                groups = [" and ".join(self._outcome(c) for c in g) for g in self.ties(p)]
                if groups:
                    tied.append(f"{name} ranks {' equally, and '.join(groups)} equally")
            codes = ", ".join(t.code for t in self.borders[:MAX_LISTED])
            if len(self.borders) > MAX_LISTED:
                codes += f" and {len(self.borders) - MAX_LISTED} more (listed in results.json)"
            lines.append(
                "Ordinally, this is not one of the 144 strict games of the Robinson–Goforth "
                f"table, because payoffs tie: {'; '.join(tied)}."
            )
            lines.append(
                f"Breaking the ties either way gives the strict type"
                f"{'s' if len(self.borders) > 1 else ''} {codes}: "
                "any small change of the tied payoffs lands in "
                f"{'one of them' if len(self.borders) > 1 else 'it'}."
            )
        lines.append(self._equilibrium_sentence())
        return tuple(lines)

    def _equilibrium_sentence(self) -> str:
        if not self.pure_equilibria:
            return "There is no pure equilibrium: the best responses cycle."
        if all(self.pareto_optimal):
            names = " and ".join(self._outcome(e) for e in self.pure_equilibria)
            if len(self.pure_equilibria) == 1:
                return f"The pure equilibrium {names} is Pareto-optimal."
            count = len(self.pure_equilibria)
            return f"There are {count} pure equilibria, {names}, all Pareto-optimal."
        parts = []
        for e, optimal in zip(self.pure_equilibria, self.pareto_optimal, strict=True):
            if optimal:
                parts.append(f"{self._outcome(e)} is Pareto-optimal")
            else:
                better = [c for c in _CELLS if c != e and _dominates(self.ranks, c, e)]
                others = " and ".join(self._outcome(c) for c in better)
                parts.append(f"{self._outcome(e)} is Pareto-dominated by {others}")
        if len(parts) == 1:
            return f"The pure equilibrium {parts[0]}."
        return f"There are {len(parts)} pure equilibria: {'; '.join(parts)}."


def _dominates(ranks: tuple[Ranks, Ranks], c: tuple[int, int], e: tuple[int, int]) -> bool:
    a, b = ranks
    ge = a[c[0]][c[1]] >= a[e[0]][e[1]] and b[c[0]][c[1]] >= b[e[0]][e[1]]
    gt = a[c[0]][c[1]] > a[e[0]][e[1]] or b[c[0]][c[1]] > b[e[0]][e[1]]
    return ge and gt


def _check(game: Game) -> None:
    if game.shape != (2, 2):
        counts = " and ".join(str(k) for k in game.shape)
        raise SimError(
            "ordinal game types are defined for two-player 2x2 games; this game has "
            f"{game.n_players} players with {counts} moves"
        )


def _game_ranks(game: Game) -> tuple[Ranks, Ranks]:
    scale = game.scale()
    payoffs = game.payoffs
    flat = [_ranks_of([payoffs[i, j, p] for i, j in _CELLS], scale) for p in range(2)]
    return _as_ranks(flat[0]), _as_ranks(flat[1])


def _classified(
    ranks: tuple[Ranks, Ranks],
) -> tuple[GameType | None, tuple[GameType, ...], tuple[int, int], tuple[int, int]]:
    """Type (None with ties), borders, and the canonical row and column order."""
    if all(sorted(r for row in own for r in row) == [1, 2, 3, 4] for own in ranks):
        found, rows, columns = _strict_type(*ranks)
        return found, (), rows, columns
    seen: dict[int, tuple[GameType, tuple[int, int], tuple[int, int]]] = {}
    for a, b in product(_tie_breaks(ranks[0]), _tie_breaks(ranks[1])):
        kind = _strict_type(a, b)
        seen.setdefault(kind[0].index, kind)
    _, rows, columns = seen[min(seen)]
    return None, tuple(seen[k][0] for k in sorted(seen)), rows, columns


def ordinal_type(game: Game) -> OrdinalType:
    """The Robinson–Goforth/Bruns ordinal type of a two-player 2x2 game.

    Parameters
    ----------
    game : Game
        A two-player game with two moves each; exact or float payoffs.

    Returns
    -------
    OrdinalType
        Ranks, orientation, type (or, with ties, the strict types it borders), pure
        equilibria, their Pareto optimality and the coarse family.

    Raises
    ------
    SimError
        For a game that is not two-player 2x2.

    Examples
    --------
    >>> from sim.game import Game
    >>> chicken = Game.from_arrays([[0, -1], [1, -10]], [[0, 1], [-1, -10]])
    >>> found = ordinal_type(chicken)
    >>> found.code, found.row_order, len(found.pure_equilibria), found.family
    ('Ch', (0, 1), 2, 'chicken')
    >>> battle = Game.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    >>> ordinal_type(battle).label
    'ties (Hr, Hr|Ba, Ba|Hr, Ba)'
    >>> ordinal_type(Game.from_arrays([[1, 0, 2], [0, 1, 2]], [[1, 0, 2], [0, 1, 2]]))
    Traceback (most recent call last):
    ...
    sim.errors.SimError: ordinal game types are defined for two-player 2x2 games; this game \
has 2 players with 2 and 3 moves
    """
    _check(game)
    ranks = _game_ranks(game)
    found, borders, rows, columns = _classified(ranks)
    a, b = ranks
    equilibria = tuple(
        (i, j) for i, j in _CELLS if a[i][j] >= a[1 - i][j] and b[i][j] >= b[i][1 - j]
    )
    optimal = tuple(not any(_dominates(ranks, c, e) for c in _CELLS) for e in equilibria)
    family = game_type(game)
    assert family is not None  # a 2x2 game always has a family
    return OrdinalType(
        players=game.players,
        moves=game.moves,
        ranks=ranks,
        row_order=rows,
        column_order=columns,
        game_type=found,
        borders=borders,
        pure_equilibria=equilibria,
        pareto_optimal=optimal,
        family=family,
    )


def label_text(label: str, players: Sequence[str] = ("row", "column")) -> str:
    """A legend entry for an :attr:`OrdinalType.label`, with the players' names.

    >>> label_text("Pd")
    "Pd: Prisoner's Dilemma"
    >>> label_text("Pd|Ch", ("US", "China"))
    "Pd|Ch: US Prisoner's Dilemma, China Chicken"
    >>> label_text("ties (Hr, Ba)")
    'ties (Hr, Ba): tied payoffs, on the border of these types'
    """
    if label.startswith("ties"):
        return f"{label}: tied payoffs, on the border of these types"
    found = type_by_code(label)
    if found.symmetric:
        return f"{found.code}: {found.name}"
    return f"{found.code}: {players[0]} {found.row.name}, {players[1]} {found.column.name}"


def ordinal_labels(games: Sequence[Game]) -> tuple[str, ...]:
    """The :attr:`OrdinalType.label` of many two-player 2x2 games (fast: strict games go
    through :func:`ordinal_codes`; only games with ties are ranked one by one).

    >>> from sim.game import Game
    >>> pd = Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> pennies = Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> ordinal_labels([pd, pennies, pd.with_payoffs(pd.float_payoffs())])
    ('Pd', 'ties (8 strict types)', 'Pd')
    """
    for game in games:
        _check(game)
    codes = np.full(len(games), -1, dtype=np.int16)
    for exact in (True, False):
        chosen = [k for k, g in enumerate(games) if g.is_exact == exact]
        if chosen:
            stack = np.stack([games[k].payoffs for k in chosen])
            codes[chosen] = ordinal_codes(stack[..., 0], stack[..., 1])
    return tuple(
        ALL_TYPES[c].code if c >= 0 else _label(*_classified(_game_ranks(g))[:2])
        for c, g in zip(codes, games, strict=True)
    )


# ------------------------------------------------------------------------ vectorised
def ordinal_codes(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The type index (into :data:`ALL_TYPES`) of many 2x2 games at once; -1 for ties.

    Parameters
    ----------
    a, b : numpy.ndarray
        Shape ``(N, 2, 2)``: the row and column player's payoffs of each game, indexed
        ``[row, column]``. Integer arrays (any numpy integer or bool dtype) and object
        arrays (of :class:`~fractions.Fraction` or ints) are compared exactly, as
        :func:`ordinal_type` compares an exact game; when either array is a float array,
        both are compared with the project tolerance (:data:`sim.certificate.TOLERANCE`
        times each game's scale, the largest absolute payoff of both players and at least
        1), as :func:`ordinal_type` compares a float game.

    Returns
    -------
    numpy.ndarray
        Shape ``(N,)``, dtype ``int16``: ``ALL_TYPES[k].index``, or -1 where some payoffs
        of either player tie.

    Examples
    --------
    >>> pd = [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]
    >>> chicken_flipped = [[[1, -10], [0, -1]], [[-1, -10], [0, 1]]]  # moves relabelled
    >>> a = np.array([pd[0], chicken_flipped[0]])
    >>> b = np.array([pd[1], chicken_flipped[1]])
    >>> [ALL_TYPES[k].code for k in ordinal_codes(a, b)]
    ['Pd', 'Ch']
    >>> ordinal_codes(np.array([[[1, 1], [0, 2]]]), np.array([[[1, 0], [0, 1]]]))
    array([-1], dtype=int16)
    """
    a = np.asarray(a)
    b = np.asarray(b)
    if a.ndim != 3 or a.shape[1:] != (2, 2) or a.shape != b.shape:
        raise SimError(
            f"ordinal_codes takes two arrays of shape (N, 2, 2); got {a.shape} and {b.shape}"
        )
    n = a.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int16)
    exact = all(x.dtype == object or x.dtype.kind in "biu" for x in (a, b))
    if not exact:
        scale = np.maximum(payoff_scale(a, axis=(1, 2)), payoff_scale(b, axis=(1, 2)))
        tolerance = (TOLERANCE * scale)[:, None, None]
    ranks = []
    for x in (a.reshape(n, 4), b.reshape(n, 4)):
        if exact:  # compared, not subtracted: large int64 payoffs cannot overflow
            above = np.asarray(x[:, :, None] > x[:, None, :], dtype=bool)
        else:
            diff = x[:, :, None] - x[:, None, :]  # diff[:, k, m] = x_k - x_m
            above = np.asarray(diff > tolerance, dtype=bool)
        ranks.append(1 + above.sum(axis=2).astype(np.int16))
    ra, rb = (r.reshape(n, 2, 2) for r in ranks)
    strict = (ranks[0].sum(axis=1) == 10) & (ranks[1].sum(axis=1) == 10)
    column_swap = ((ra[:, 0, 1] == 4) | (ra[:, 1, 1] == 4)).astype(np.int64)
    row_swap = ((rb[:, 1, 0] == 4) | (rb[:, 1, 1] == 4)).astype(np.int64)
    rows = np.arange(2)[None, :] ^ row_swap[:, None]
    columns = np.arange(2)[None, :] ^ column_swap[:, None]
    k = np.arange(n)[:, None, None]
    ca = ra[k, rows[:, :, None], columns[:, None, :]]
    cb = rb[k, rows[:, :, None], columns[:, None, :]]

    def key(r: np.ndarray, s: np.ndarray, t: np.ndarray, p: np.ndarray) -> np.ndarray:
        raw = (r - 1) * 64 + (s - 1) * 16 + (t - 1) * 4 + (p - 1)
        return np.clip(raw, 0, 255).astype(np.int64)

    row = _PATTERN_LOOKUP[key(ca[:, 0, 0], ca[:, 0, 1], ca[:, 1, 0], ca[:, 1, 1])]
    column = _PATTERN_LOOKUP[key(cb[:, 0, 0], cb[:, 1, 0], cb[:, 0, 1], cb[:, 1, 1])]
    return np.where(strict, 12 * row + column, -1).astype(np.int16)
