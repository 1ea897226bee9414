"""Monte Carlo over a scenario's uncertain parameters: how likely is each outcome?

Each draw samples every parameter that has a distribution (:mod:`sim.sampling`), evaluates
the payoffs, and solves the game exactly as :func:`sim.solvers.solve` would
(:func:`sim.solvers.solve_batch`). The run reports:

* the probability of each **equilibrium structure** (which pure profiles are equilibria,
  how many mixed equilibria, continua, and for 2x2 games the game type), of each **pure
  profile** being an equilibrium, and of each **game type**, with 95% Wilson intervals;
* **histograms** of the probabilities that mixed equilibria put on each move, and of each
  player's expected payoff over all equilibria;
* a **convergence check**: the even-numbered and odd-numbered draws are two independent
  halves; the run is called stable when they agree within three standard errors on every
  outcome, and the estimates after each segment of draws are kept for a plot;
* a **sensitivity ranking** (tornado): for each uncertain parameter, the outcome
  distribution among draws in its lowest decile against its highest decile, ranked by
  their total variation distance.

Reproducibility. Draws come in blocks of :data:`~sim.sampling.BLOCK_SIZE`; block ``b`` of
seed ``s`` is the same whoever computes it. Each block is reduced to integer counts and
exactly summed floats, and blocks are combined in block order with :func:`math.fsum`, so a
seed gives identical results whatever the number of workers or the batch size. Memory is
bounded by one block per worker plus a small summary per block.

Distributed runs. With ``scheduler="tcp://host:8786"`` (or the ``SIM_SCHEDULER``
environment variable) groups of blocks run as tasks on an existing Dask cluster
(``pip install 'negotiation-sim[dist]'`` on the client, scheduler and workers).

>>> from pathlib import Path
>>> from sim.scenario import load
>>> root = Path(__file__).resolve().parents[2]
>>> london = load(root / "scenarios" / "london_talks.yaml")
>>> result = montecarlo(london, draws=20_000, seed=7)
>>> top = result.structures[0]
>>> top.label, round(top.probability, 2)
("prisoner's dilemma: (maintain_chip_controls, restrict_re)", 0.37)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from sim.analysis.structure import (
    GAME_TYPES,
    Structure,
    classify_2x2,
    classify_with_margin,
    profile_text,
)
from sim.analysis.subgame import subgame_perfect_batch
from sim.certificate import rationalise
from sim.cluster import SCHEDULER_VARIABLE
from sim.errors import SimError
from sim.game import Game, payoff_scale
from sim.sampling import BLOCK_SIZE, draw_payoffs, tree_arrays, uncertain_parameters
from sim.scenario import Scenario
from sim.solvers import BatchSolution, solve_batch
from sim.solvers.batch import MARGIN

__all__ = [
    "BINS",
    "SCHEDULER_VARIABLE",
    "Convergence",
    "Histogram",
    "MonteCarloResult",
    "Outcome",
    "Sensitivity",
    "content_hash",
    "montecarlo",
    "wilson_interval",
]

BINS = 40
"""Bins of every histogram."""
FIRST_CHECKPOINT = 256
"""The convergence curve's checkpoints double from this many draws up to one block, then
come every :data:`CHECKPOINT_STEP` draws."""
CHECKPOINT_STEP = BLOCK_SIZE // 4
PILOT = 4096
"""Draws (the first of the run) that fix the deciles of each parameter and the range of the
payoff histograms (from the pilot draws' equilibrium payoffs; later values outside it are
counted as below or above the range)."""
Z95 = 1.959963984540054
MAX_DRAWS = 10**10


# ------------------------------------------------------------------------------ results
@dataclass(frozen=True)
class Outcome:
    """An outcome's count and probability with a 95% Wilson interval."""

    label: str
    count: int
    probability: float
    low: float
    high: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "label": self.label,
            "count": self.count,
            "probability": self.probability,
            "ci95": [self.low, self.high],
        }


@dataclass(frozen=True)
class Histogram:
    """Counts in equal bins between ``edges[0]`` and ``edges[-1]``, plus what fell outside."""

    label: str
    edges: tuple[float, ...]
    counts: tuple[int, ...]
    below: int
    above: int
    mean: float
    sd: float

    @property
    def total(self) -> int:
        """Number of values counted."""
        return sum(self.counts) + self.below + self.above

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "label": self.label,
            "edges": list(self.edges),
            "counts": list(self.counts),
            "below": self.below,
            "above": self.above,
            "total": self.total,
            "mean": self.mean,
            "sd": self.sd,
        }


@dataclass(frozen=True)
class Convergence:
    """Running estimates and the split-half check.

    ``estimates[label][k]`` is the probability of outcome ``label`` after ``draws[k]``
    draws. ``stable`` is True when the even and odd draws agree within three standard
    errors on every structure; ``half_width`` is the widest 95% interval half-width.
    """

    draws: tuple[int, ...]
    estimates: Mapping[str, tuple[float, ...]]
    stable: bool
    half_width: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "draws": list(self.draws),
            "estimates": {k: list(v) for k, v in self.estimates.items()},
            "stable": self.stable,
            "max_ci95_half_width": self.half_width,
            "message": self.message,
        }


@dataclass(frozen=True)
class Sensitivity:
    """How the outcome distribution moves between a parameter's lowest and highest decile."""

    parameter: str
    low_cut: float
    high_cut: float
    low_draws: int
    high_draws: int
    distance: float
    low: Mapping[str, float]
    high: Mapping[str, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields."""
        return {
            "parameter": self.parameter,
            "low_decile_below": self.low_cut,
            "high_decile_above": self.high_cut,
            "low_draws": self.low_draws,
            "high_draws": self.high_draws,
            "total_variation_distance": self.distance,
            "low": dict(self.low),
            "high": dict(self.high),
        }


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """Everything a Monte Carlo run found; frozen, JSON-ready with :meth:`to_dict`.

    Attributes
    ----------
    title, players, moves
        The scenario's game.
    draws, seed, scenario_hash
        What was run: enough to repeat it exactly.
    varied
        The uncertain parameters and their distributions.
    complete
        ``"extreme"`` (two players: all equilibria) or ``"pure"`` (pure equilibria only).
    structures
        Each equilibrium structure seen, most likely first.
    profiles
        For each pure profile, the probability that it is an equilibrium.
    game_types
        For 2x2 games, the probability of each game type (empty otherwise).
    mixed_probabilities
        Per player and move: histogram of the probability mixed equilibria give that move.
    payoffs
        Per player: histogram of the expected payoff over all equilibria found.
    convergence, sensitivity
        See the module docstring.
    structure_keys
        The :class:`~sim.analysis.structure.Structure` of each entry of ``structures``, in
        the same order (for callers that need more than the label).
    exact_draws
        Draws decided in exact arithmetic because of ties or near-ties: solved by the exact
        single-game solver, or (2x2) classified on their rationalised payoffs.
    subgame_perfect
        For game trees with perfect information: the probability of each subgame-perfect
        outcome (the moves on the equilibrium path), by vectorised backward induction
        (:func:`sim.analysis.subgame.subgame_perfect_batch`); empty for other scenarios.
    """

    title: str
    players: tuple[str, ...]
    moves: tuple[tuple[str, ...], ...]
    draws: int
    seed: int
    scenario_hash: str
    varied: Mapping[str, Mapping[str, Any]]
    complete: str
    structures: tuple[Outcome, ...]
    profiles: tuple[Outcome, ...]
    game_types: tuple[Outcome, ...]
    mixed_probabilities: tuple[Histogram, ...]
    payoffs: tuple[Histogram, ...]
    convergence: Convergence
    sensitivity: tuple[Sensitivity, ...]
    exact_draws: int
    structure_keys: tuple[Structure, ...] = field(default=(), repr=False)
    subgame_perfect: tuple[Outcome, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``sim montecarlo`` (``montecarlo.json``)."""
        return {
            "title": self.title,
            "players": list(self.players),
            "moves": [list(m) for m in self.moves],
            "draws": self.draws,
            "seed": self.seed,
            "scenario_sha256": self.scenario_hash,
            "varied_parameters": {k: dict(v) for k, v in self.varied.items()},
            "complete": self.complete,
            "structures": [o.to_dict() for o in self.structures],
            "pure_equilibria": [o.to_dict() for o in self.profiles],
            "game_types": [o.to_dict() for o in self.game_types],
            "mixed_probabilities": [h.to_dict() for h in self.mixed_probabilities],
            "payoffs": [h.to_dict() for h in self.payoffs],
            "convergence": self.convergence.to_dict(),
            "sensitivity": [s.to_dict() for s in self.sensitivity],
            "exact_draws": self.exact_draws,
            "subgame_perfect_outcomes": [o.to_dict() for o in self.subgame_perfect],
        }

    def rows(self) -> list[dict[str, Any]]:
        """Tidy rows (one per outcome) for ``outcomes.csv``."""
        out = []
        for kind, outcomes in (
            ("structure", self.structures),
            ("pure_equilibrium", self.profiles),
            ("game_type", self.game_types),
            ("subgame_perfect_outcome", self.subgame_perfect),
        ):
            for o in outcomes:
                out.append(
                    {
                        "kind": kind,
                        "outcome": o.label,
                        "count": o.count,
                        "draws": self.draws,
                        "probability": o.probability,
                        "ci95_low": o.low,
                        "ci95_high": o.high,
                    }
                )
        return out


# ------------------------------------------------------------------------------ running
@dataclass(frozen=True, eq=False)
class _Plan:
    """What every block needs: the scenario, the seed and the fixed ranges from the pilot."""

    scenario: Scenario
    draws: int
    seed: int
    cuts: Mapping[str, tuple[float, float]]  # parameter -> (lowest decile, highest decile)
    payoff_edges: tuple[tuple[float, float], ...]  # per player


@dataclass(frozen=True)
class _Block:
    """One block reduced to counts and sums (small, picklable, order-free to combine)."""

    index: int
    draws: int
    structures: dict[Structure, int]
    halves: tuple[dict[Structure, int], dict[Structure, int]]
    segments: tuple[dict[Structure, int], ...]
    pure: np.ndarray
    mixed_counts: np.ndarray  # (players, moves, BINS)
    mixed_sums: np.ndarray  # (players, moves, 2): sum, sum of squares
    payoff_counts: np.ndarray  # (players, BINS + 2): below, bins, above
    payoff_sums: np.ndarray  # (players, 2)
    tails: dict[str, tuple[dict[Structure, int], dict[Structure, int]]]
    exact: int
    spe: dict[str, int] = field(default_factory=dict)


def montecarlo(
    scenario: Scenario,
    draws: int = 100_000,
    seed: int | None = None,
    *,
    scheduler: str | None = None,
    blocks_per_task: int = 16,
    progress: Callable[[int], None] | None = None,
) -> MonteCarloResult:
    """Sample the uncertain parameters, solve every draw, and summarise the outcomes.

    Parameters
    ----------
    scenario : Scenario
        A scenario with at least one parameter that has a distribution.
    draws : int
        Number of draws.
    seed : int, optional
        Random seed; defaults to the scenario's ``seed``, else a fresh one (recorded in the
        result, so the run can be repeated).
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``); defaults to the environment
        variable ``SIM_SCHEDULER``; without either the run is in-process.
    blocks_per_task : int
        Blocks of :data:`~sim.sampling.BLOCK_SIZE` draws per Dask task.
    progress : callable, optional
        Called with the number of draws done after each block.

    Returns
    -------
    MonteCarloResult

    Examples
    --------
    >>> from sim.scenario import parse_scenario
    >>> text = '''
    ... kind: normal_form
    ... title: Coin
    ... players: {A: {moves: [x, y]}, B: {moves: [x, y]}}
    ... parameters:
    ...   t: {value: 1, distribution: {kind: uniform, low: -1, high: 1}}
    ... payoffs:
    ...   x, x: [t, 1]
    ...   x, y: [0, 0]
    ...   y, x: [0, 0]
    ...   y, y: [1, 1]
    ... '''
    >>> result = montecarlo(parse_scenario(text), draws=10_000, seed=1)
    >>> [(o.label, round(o.probability, 1)) for o in result.profiles]
    [('(x, x)', 0.5), ('(x, y)', 0.0), ('(y, x)', 0.0), ('(y, y)', 1.0)]
    """
    if not isinstance(draws, int) or isinstance(draws, bool) or not 1 <= draws <= MAX_DRAWS:
        raise SimError(f"draws must be an integer from 1 to {MAX_DRAWS:,}; got {draws!r}")
    if not uncertain_parameters(scenario):
        raise SimError(
            "no parameter of this scenario has a distribution, so every draw is the same "
            "game; give at least one parameter a distribution (see scenarios/README.md)"
        )
    if seed is None:
        seed = scenario.seed if scenario.seed is not None else _fresh_seed()
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise SimError(f"seed must be a non-negative integer; got {seed!r}")
    if blocks_per_task < 1:
        raise SimError(f"blocks_per_task must be at least 1; got {blocks_per_task}")
    plan = _pilot(scenario, draws, seed)
    count = -(-draws // BLOCK_SIZE)
    address = scheduler or os.environ.get(SCHEDULER_VARIABLE) or None
    if address:
        blocks = _run_distributed(plan, count, address, blocks_per_task, progress)
    else:
        blocks = []
        for b in range(count):
            blocks.append(_block(plan, b))
            if progress is not None:
                progress(blocks[-1].draws)
    return _summarise(plan, sorted(blocks, key=lambda blk: blk.index))


def _fresh_seed() -> int:
    return int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]


def _pilot(scenario: Scenario, draws: int, seed: int) -> _Plan:
    """Deciles and payoff ranges from the run's own first draws (so they are reproducible)."""
    size = min(draws, PILOT, BLOCK_SIZE)
    values, payoffs = draw_payoffs(scenario, seed, 0, size)
    cuts = {}
    for p in uncertain_parameters(scenario):
        low, high = np.quantile(values[p.name], [0.1, 0.9])
        if high > low:
            cuts[p.name] = (float(low), float(high))
    # Histogram ranges from the pilot's equilibrium payoffs (its payoff entries if none).
    equilibria = solve_batch(payoffs).payoffs
    edges = []
    for i in range(scenario.game.n_players):
        own = equilibria[:, i] if len(equilibria) else payoffs[..., i]
        lo, hi = float(own.min()), float(own.max())
        pad = 0.05 * (hi - lo) if hi > lo else max(1.0, abs(lo)) * 0.5
        edges.append((lo - pad, hi + pad))
    return _Plan(scenario, draws, seed, cuts, tuple(edges))


def _run_blocks(plan: _Plan, indices: Sequence[int]) -> list[_Block]:
    """A Dask task: several blocks, each reduced to its summary."""
    return [_block(plan, b) for b in indices]


def _run_distributed(
    plan: _Plan,
    count: int,
    address: str,
    blocks_per_task: int,
    progress: Callable[[int], None] | None,
) -> list[_Block]:
    from sim.cluster import run_on_cluster

    groups = [
        list(range(s, min(s + blocks_per_task, count))) for s in range(0, count, blocks_per_task)
    ]

    def done(blocks: list[_Block]) -> None:
        if progress is not None:
            progress(sum(b.draws for b in blocks))

    results = run_on_cluster(address, _run_blocks, plan, groups, done)
    return [block for blocks in results for block in blocks]


# ------------------------------------------------------------------------- one block
def _block(plan: _Plan, index: int) -> _Block:
    scenario = plan.scenario
    game = scenario.game
    size = min(BLOCK_SIZE, plan.draws - index * BLOCK_SIZE)
    values, payoffs = draw_payoffs(scenario, plan.seed, index, size)
    result = solve_batch(payoffs)
    pure = result.pure_profiles().reshape(size, -1)
    keys, inverse, exact = _structures(game, payoffs, result, pure)
    n_keys = len(keys)

    def tally(mask: np.ndarray | slice) -> dict[Structure, int]:
        counts = np.bincount(inverse[mask], minlength=n_keys)
        return {keys[k]: int(c) for k, c in enumerate(counts) if c}

    tails = {}
    for name, (low, high) in plan.cuts.items():
        column = values[name]
        tails[name] = (tally(column <= low), tally(column >= high))
    mixed_counts, mixed_sums = _mixed_histograms(game, result)
    payoff_counts, payoff_sums = _payoff_histograms(plan, result)
    spe: dict[str, int] = {}
    tree = scenario.tree
    if tree is not None and tree.perfect_information:
        outcomes = subgame_perfect_batch(tree, *tree_arrays(scenario, values, size=size))
        counts = np.bincount(outcomes.codes, minlength=len(outcomes.labels))
        spe = {outcomes.labels[k]: int(c) for k, c in enumerate(counts) if c}
    return _Block(
        index=index,
        draws=size,
        structures=tally(slice(None)),
        halves=(tally(slice(0, None, 2)), tally(slice(1, None, 2))),
        segments=tuple(tally(slice(lo, hi)) for lo, hi in _segments(index, size)),
        pure=pure.sum(axis=0),
        mixed_counts=mixed_counts,
        mixed_sums=mixed_sums,
        payoff_counts=payoff_counts,
        payoff_sums=payoff_sums,
        tails=tails,
        exact=int(exact.sum()),
        spe=spe,
    )


def _segments(index: int, size: int) -> list[tuple[int, int]]:
    """Draw ranges within block ``index`` that end at a convergence checkpoint."""
    if index == 0:
        ends = [
            FIRST_CHECKPOINT << k
            for k in range(BLOCK_SIZE.bit_length())
            if FIRST_CHECKPOINT << k < size
        ]
    else:
        ends = list(range(CHECKPOINT_STEP, size, CHECKPOINT_STEP))
    ends.append(size)
    return list(zip([0, *ends[:-1]], ends, strict=True))


def _structures(
    game: Game, payoffs: np.ndarray, result: BatchSolution, pure_flags: np.ndarray
) -> tuple[list[Structure], np.ndarray, np.ndarray]:
    """The distinct structures of a block, per draw the index of its structure, and which
    draws were decided in exact arithmetic (solver or game type).

    Each draw's structure is a row of small integers: one flag per pure profile, the number
    of mixed equilibria plus one (0: not searched), the continuum flag and, for 2x2 games,
    the game type code plus one. When the row fits in 62 bits it is packed into one integer.
    """
    pure = pure_flags.astype(np.int64)
    columns = [pure, result.mixed[:, None] + 1, result.continuum[:, None].astype(np.int64)]
    bits = [1] * pure.shape[1] + [10, 1]
    two_by_two = game.shape == (2, 2)
    exact = result.exact_path
    if two_by_two:
        types, exact_types = _game_types(payoffs, result)
        columns.append(types[:, None] + 1)
        bits.append(4)
        exact = exact | exact_types
    table = np.concatenate(columns, axis=1)
    if sum(bits) <= 62 and int(result.mixed.max(initial=0)) < 1000:
        shifts = np.concatenate([[0], np.cumsum(bits)[:-1]]).astype(np.int64)
        codes = (table << shifts).sum(axis=1)
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        rows = table[first]
    else:
        rows, inverse = np.unique(table, axis=0, return_inverse=True)
    profiles = list(game.profiles())
    n = len(profiles)
    keys = [
        Structure(
            pure=tuple(p for p, flag in zip(profiles, row[:n], strict=True) if flag),
            mixed=int(row[n]) - 1 if row[n] > 0 else None,
            continuum=bool(row[n + 1]),
            game_type=GAME_TYPES[int(row[n + 2]) - 1] if two_by_two and row[n + 2] > 0 else None,
        )
        for row in rows
    ]
    return keys, np.asarray(inverse).reshape(-1), np.asarray(exact)


def _game_types(payoffs: np.ndarray, result: BatchSolution) -> tuple[np.ndarray, np.ndarray]:
    """Game type codes of 2x2 draws, and which draws were classified exactly.

    A draw whose classification margin is within :data:`~sim.solvers.batch.MARGIN` of a tie
    (or that the solver sent to its exact path) is classified on its rationalised payoffs,
    the exact game the solver solves, as :func:`~sim.analysis.structure.game_type` does:
    all such draws of a block in one exact call, each distinct value rationalised once.
    """
    a, b = payoffs[..., 0], payoffs[..., 1]
    codes, margin = classify_with_margin(a, b)
    codes = codes.astype(np.int64)
    flat = payoffs.reshape(len(payoffs), -1)
    scale = payoff_scale(flat, axis=1)
    doubtful = result.exact_path | (margin <= MARGIN * scale)
    rows = np.flatnonzero(doubtful)
    if len(rows):
        games, inverse = np.unique(flat[rows], axis=0, return_inverse=True)
        game_scales = payoff_scale(games, axis=1)
        cache: dict[tuple[float, float], Fraction] = {}
        values: np.ndarray = np.empty(games.shape, dtype=object)
        for k, (row, game_scale) in enumerate(zip(games.tolist(), game_scales, strict=True)):
            for j, value in enumerate(row):
                key = (value, game_scale)
                if key not in cache:
                    cache[key] = rationalise(value, float(game_scale))
                values[k, j] = cache[key]
        exact = values.reshape(len(games), 2, 2, 2)
        exact_codes = classify_2x2(exact[..., 0], exact[..., 1]).astype(np.int64)
        codes[rows] = exact_codes[np.asarray(inverse).reshape(-1)]
    return codes, doubtful


def _mixed_histograms(game: Game, result: BatchSolution) -> tuple[np.ndarray, np.ndarray]:
    players, width = game.n_players, max(game.shape)
    counts = np.zeros((players, width, BINS), dtype=np.int64)
    sums = np.zeros((players, width, 2))
    rows = np.flatnonzero(~result.is_pure)
    for i, k in enumerate(game.shape):
        p = result.strategies[i][rows]  # (equilibria, k)
        bins = np.minimum((p * BINS).astype(np.int64), BINS - 1)
        for j in range(k):
            counts[i, j] = np.bincount(bins[:, j], minlength=BINS)
        sums[i, :k, 0] = p.sum(axis=0)
        sums[i, :k, 1] = (p * p).sum(axis=0)
    return counts, sums


def _payoff_histograms(plan: _Plan, result: BatchSolution) -> tuple[np.ndarray, np.ndarray]:
    players = len(plan.payoff_edges)
    counts = np.zeros((players, BINS + 2), dtype=np.int64)
    sums = np.zeros((players, 2))
    for i, (lo, hi) in enumerate(plan.payoff_edges):
        v = result.payoffs[:, i]
        position = np.floor((v - lo) / (hi - lo) * BINS)
        slot = np.clip(position, -1, BINS).astype(np.int64) + 1
        counts[i] = np.bincount(slot, minlength=BINS + 2)
        sums[i] = (v.sum(), (v * v).sum())
    return counts, sums


# ------------------------------------------------------------------------- summaries
def wilson_interval(count: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion ``count / total``.

    >>> [round(x, 4) for x in wilson_interval(50, 100)]
    [0.4038, 0.5962]
    """
    if total == 0:
        return 0.0, 1.0
    p = count / total
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = Z95 * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def _outcome(label: str, count: int, total: int) -> Outcome:
    low, high = wilson_interval(count, total)
    return Outcome(label, count, count / total if total else 0.0, low, high)


def _merged(parts: Iterable[Mapping[Structure, int]]) -> dict[Structure, int]:
    out: dict[Structure, int] = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0) + v
    return out


def _moments(sums: Sequence[np.ndarray], n: int) -> tuple[float, float]:
    """Mean and standard deviation from per-block sums, added exactly."""
    if n == 0:
        return math.nan, math.nan
    total = math.fsum(float(s[0]) for s in sums)
    squares = math.fsum(float(s[1]) for s in sums)
    mean = total / n
    variance = max(0.0, squares / n - mean * mean)
    return mean, math.sqrt(variance * n / (n - 1)) if n > 1 else 0.0


def _summarise(plan: _Plan, blocks: list[_Block]) -> MonteCarloResult:
    scenario = plan.scenario
    game = scenario.game
    total = sum(b.draws for b in blocks)
    counts = _merged(b.structures for b in blocks)
    order = sorted(counts, key=lambda s: (-counts[s], s.label(game)))
    structures = tuple(_outcome(s.label(game), counts[s], total) for s in order)
    pure = np.sum([b.pure for b in blocks], axis=0)
    profiles = tuple(
        _outcome(profile_text(game, p), int(c), total)
        for p, c in zip(game.profiles(), pure, strict=True)
    )
    types: dict[str, int] = {}
    for s in order:
        if s.game_type is not None:
            types[s.game_type] = types.get(s.game_type, 0) + counts[s]
    game_types = tuple(
        _outcome(t, c, total) for t, c in sorted(types.items(), key=lambda tc: -tc[1])
    )
    spe: dict[str, int] = {}
    for b in blocks:
        for label, c in b.spe.items():
            spe[label] = spe.get(label, 0) + c
    subgame_perfect = tuple(
        _outcome(label, c, total)
        for label, c in sorted(spe.items(), key=lambda lc: (-lc[1], lc[0]))
    )
    return MonteCarloResult(
        title=game.title,
        players=game.players,
        moves=game.moves,
        draws=total,
        seed=plan.seed,
        scenario_hash=content_hash(scenario),
        varied=MappingProxyType(
            {
                p.name: MappingProxyType(dict(p.distribution or {}))
                for p in uncertain_parameters(scenario)
            }
        ),
        complete="extreme" if game.n_players == 2 else "pure",
        structures=structures,
        profiles=profiles,
        game_types=game_types,
        mixed_probabilities=_mixed_summary(game, blocks),
        payoffs=_payoff_summary(plan, blocks),
        convergence=_convergence(game, blocks, order, total),
        sensitivity=_sensitivity(plan, blocks, order),
        exact_draws=sum(b.exact for b in blocks),
        structure_keys=tuple(order),
        subgame_perfect=subgame_perfect,
    )


def _mixed_summary(game: Game, blocks: list[_Block]) -> tuple[Histogram, ...]:
    counts = np.sum([b.mixed_counts for b in blocks], axis=0)
    edges = tuple(float(x) for x in np.linspace(0.0, 1.0, BINS + 1))
    out = []
    for i, player in enumerate(game.players):
        for j, move in enumerate(game.moves[i]):
            n = int(counts[i, j].sum())
            mean, sd = _moments([b.mixed_sums[i, j] for b in blocks], n)
            out.append(
                Histogram(
                    f"P({player} plays {move}) in mixed equilibria",
                    edges,
                    tuple(int(c) for c in counts[i, j]),
                    0,
                    0,
                    mean,
                    sd,
                )
            )
    return tuple(out)


def _payoff_summary(plan: _Plan, blocks: list[_Block]) -> tuple[Histogram, ...]:
    counts = np.sum([b.payoff_counts for b in blocks], axis=0)
    out = []
    for i, player in enumerate(plan.scenario.game.players):
        lo, hi = plan.payoff_edges[i]
        n = int(counts[i].sum())
        mean, sd = _moments([b.payoff_sums[i] for b in blocks], n)
        out.append(
            Histogram(
                f"{player}'s expected payoff in equilibrium",
                tuple(float(x) for x in np.linspace(lo, hi, BINS + 1)),
                tuple(int(c) for c in counts[i, 1:-1]),
                int(counts[i, 0]),
                int(counts[i, -1]),
                mean,
                sd,
            )
        )
    return tuple(out)


def _convergence(
    game: Game, blocks: list[_Block], order: list[Structure], total: int
) -> Convergence:
    shown = order[:6]
    draws: list[int] = []
    running: dict[Structure, list[float]] = {s: [] for s in shown}
    seen = 0
    cumulative: dict[Structure, int] = {}
    for block in blocks:
        for part in block.segments:
            seen += sum(part.values())
            for k, v in part.items():
                cumulative[k] = cumulative.get(k, 0) + v
            draws.append(seen)
            for s in shown:
                running[s].append(cumulative.get(s, 0) / seen)
    even = _merged(b.halves[0] for b in blocks)
    odd = _merged(b.halves[1] for b in blocks)
    n_even, n_odd = sum(even.values()), sum(odd.values())
    worst = 0.0
    stable = n_odd > 0
    for s in order:
        p1 = even.get(s, 0) / n_even
        p2 = odd.get(s, 0) / n_odd if n_odd else p1
        pooled = (even.get(s, 0) + odd.get(s, 0)) / total
        se = math.sqrt(max(pooled * (1 - pooled), 1.0 / total) * (1 / n_even + 1 / max(n_odd, 1)))
        stable &= abs(p1 - p2) <= 3 * se
    for s in order:
        low, high = wilson_interval(sum(b.structures.get(s, 0) for b in blocks), total)
        worst = max(worst, (high - low) / 2)
    if stable:
        message = (
            f"stable: the even and odd draws agree within 3 standard errors on every "
            f"outcome; the widest 95% interval is ±{100 * worst:.2f} percentage points"
        )
    else:
        message = (
            "not yet stable: the even and odd draws disagree by more than 3 standard errors "
            f"on some outcome (widest 95% interval ±{100 * worst:.2f} points); "
            f"run more draws, e.g. --draws {4 * total}"
        )
    return Convergence(
        draws=tuple(draws),
        estimates=MappingProxyType({s.label(game): tuple(v) for s, v in running.items()}),
        stable=stable,
        half_width=worst,
        message=message,
    )


def _sensitivity(
    plan: _Plan, blocks: list[_Block], order: list[Structure]
) -> tuple[Sensitivity, ...]:
    game = plan.scenario.game
    out = []
    for name, (low_cut, high_cut) in plan.cuts.items():
        low = _merged(b.tails[name][0] for b in blocks)
        high = _merged(b.tails[name][1] for b in blocks)
        n_low, n_high = sum(low.values()), sum(high.values())
        if not n_low or not n_high:
            continue
        p_low = {s.label(game): low.get(s, 0) / n_low for s in order}
        p_high = {s.label(game): high.get(s, 0) / n_high for s in order}
        distance = 0.5 * math.fsum(abs(p_high[k] - p_low[k]) for k in p_low)
        out.append(
            Sensitivity(
                name,
                low_cut,
                high_cut,
                n_low,
                n_high,
                distance,
                MappingProxyType(p_low),
                MappingProxyType(p_high),
            )
        )
    return tuple(sorted(out, key=lambda s: (-s.distance, s.parameter)))


def content_hash(scenario: Scenario) -> str:
    """SHA-256 of what determines the draws: players, moves, formulas and parameters.

    >>> from sim.game import Game
    >>> len(content_hash(Scenario.from_game(Game.from_arrays([[1]], [[2]]))))
    64
    """
    game = scenario.game
    payload = {
        "players": list(game.players),
        "moves": [list(m) for m in game.moves],
        "formulas": [list(f) for f in scenario.formulas],
        "parameters": [
            [p.name, str(p.value), dict(p.distribution) if p.distribution else None]
            for p in scenario.parameters
        ],
    }
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
