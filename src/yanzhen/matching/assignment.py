"""Many reserves to options with capacities (host villages, mentors), maximising the total score.

The optimal plan is the assignment problem solved by scipy's `linear_sum_assignment` (a shortest augmenting
path algorithm, Crouse 2016): each option is repeated as many times as it has places, so that a column is
one place, and every reserve gets exactly one place. Pairs that are not allowed get a value so low that the
solver uses one only when no plan without it exists; then the request is infeasible and the reserves left
over are named.

`greedy` is the rule a clerk would follow by hand (take the best remaining pair first); the benchmark and a
test compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NAMES_SHOWN = 10


class Infeasible(Exception):
    """The request cannot be met; the message says why, in Chinese."""


@dataclass
class Solution:
    choice: np.ndarray  # option index per reserve; -1 when not placed (greedy only)
    total: int

    @property
    def unplaced(self) -> int:
        return int((self.choice < 0).sum())


def _names(names: list[str], indexes) -> str:
    chosen = [names[i] for i in list(indexes)[:NAMES_SHOWN]]
    more = len(list(indexes)) - len(chosen)
    return "、".join(chosen) + (f" 等 {len(chosen) + more} 人" if more > 0 else "")


def check_feasible(
    admissible: np.ndarray, capacity: np.ndarray, reserve_names: list[str], option_word: str, unit: str
) -> np.ndarray:
    """The pairs allowed with a free place; raise Infeasible when the count or a reserve's options rule
    a plan out before solving."""
    n = admissible.shape[0]
    if n == 0:
        raise Infeasible("没有待安排的后备力量")
    places = int(capacity.sum())
    if n > places:
        raise Infeasible(
            f"待安排的后备力量 {n} 人，多于可用名额合计 {places} 个"
            f"（{int((capacity > 0).sum())} 个{option_word}，每个最多{unit}），无法全部安排；"
            "请减少人数、增加名额或增加可选单位"
        )
    usable = admissible & (capacity > 0)[None, :]
    stranded = np.flatnonzero(~usable.any(axis=1))
    if stranded.size:
        raise Infeasible(
            f"{_names(reserve_names, stranded)}没有可选的{option_word}（都不符合条件或名额已满），无法安排"
        )
    return usable


def optimal(
    scores: np.ndarray,
    admissible: np.ndarray,
    capacity: np.ndarray,
    reserve_names: list[str],
    option_names: list[str],
    option_word: str = "单位",
    unit: str = "接收若干人",
) -> Solution:
    """The assignment of every reserve to one option that maximises the total score, each option taking at
    most its capacity."""
    usable = check_feasible(admissible, capacity, reserve_names, option_word, unit)
    n = scores.shape[0]
    columns = np.repeat(np.arange(scores.shape[1]), capacity)
    spread = int(np.abs(scores).max()) + 1 if scores.size else 1
    forbidden = -float(spread) * (n + 1)  # worse than any plan that uses no forbidden pair
    value = np.where(usable, scores.astype(float), forbidden)[:, columns]
    # Imported here: scipy.optimize takes a second to import, which every console command would pay.
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(value, maximize=True)
    choice = np.full(n, -1, dtype=np.int64)
    choice[rows] = columns[cols]
    bad = [i for i in range(n) if not usable[i, choice[i]]]
    if bad:
        options = sorted({int(j) for i in bad for j in np.flatnonzero(usable[i])})
        raise Infeasible(
            f"按名额上限无法为全部后备力量安排：至少 {len(bad)} 人无处安排（如{_names(reserve_names, bad)}）。"
            f"他们可选的{option_word}（{_names(option_names, options)}）名额已被更合适的人占满；"
            "请增加这些单位的名额或减少人数"
        )
    return Solution(choice, int(scores[np.arange(n), choice].sum()))


def greedy(scores: np.ndarray, admissible: np.ndarray, capacity: np.ndarray) -> Solution:
    """Best pair first: repeatedly take the highest-scoring allowed pair whose reserve is not placed and
    whose option has a place left. May leave reserves unplaced when the places run out in the wrong order."""
    n, m = scores.shape
    usable = admissible & (capacity > 0)[None, :]
    flat = np.flatnonzero(usable.ravel())
    order = flat[np.argsort(-scores.ravel()[flat], kind="stable")]
    left = capacity.astype(np.int64).copy()
    choice = np.full(n, -1, dtype=np.int64)
    placed = total = 0
    for index in order.tolist():
        i, j = divmod(index, m)
        if choice[i] < 0 and left[j] > 0:
            choice[i] = j
            left[j] -= 1
            total += int(scores[i, j])
            placed += 1
            if placed == n:
                break
    return Solution(choice, total)
