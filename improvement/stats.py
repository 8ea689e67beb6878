"""Significance tests of the effect check (pure Python + numpy, no Django).

- Proportions (negative share, CSAT top-2-box): two-proportion z-test with a pooled standard
  error, two-sided p-value.
- NPS: percentile bootstrap of the after − before difference, resampling each window's
  promoter/passive/detractor counts (multinomial) with a seeded generator, so the same data
  always gives the same interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

ALPHA = 0.05
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 20240601


def two_proportion_z_test(x_before: int, n_before: int, x_after: int, n_after: int) -> dict:
    """z and two-sided p of p_after − p_before (proportions in 0..1); p = 1 when undefined."""
    p1, p2 = x_before / n_before, x_after / n_after
    pooled = (x_before + x_after) / (n_before + n_after)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_before + 1 / n_after))
    if se == 0:
        return {"z": 0.0, "p_value": 1.0, "difference": p2 - p1}
    z = (p2 - p1) / se
    return {"z": z, "p_value": math.erfc(abs(z) / math.sqrt(2)), "difference": p2 - p1}


def bootstrap_difference(before: list[int], after: list[int], statistic: Callable[..., float | None],
                         *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = BOOTSTRAP_SEED,
                         confidence: float = 1 - ALPHA) -> dict:
    """Percentile interval of statistic(after counts) − statistic(before counts).

    `before` / `after` are category counts (e.g. [promoters, passives, detractors]);
    `statistic(*counts)` is the metric's own formula.
    """
    rng = np.random.default_rng(seed)
    n1, n2 = sum(before), sum(after)
    draws1 = rng.multinomial(n1, np.array(before) / n1, size=resamples)
    draws2 = rng.multinomial(n2, np.array(after) / n2, size=resamples)
    diffs = np.array([statistic(*map(int, b2)) - statistic(*map(int, b1))
                      for b1, b2 in zip(draws1, draws2, strict=True)])
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return {"difference": statistic(*after) - statistic(*before), "ci_low": float(low),
            "ci_high": float(high), "confidence": confidence, "resamples": resamples, "seed": seed}


def verdict_from_p(difference: float, p_value: float, *, higher_is_better: bool) -> str:
    if p_value >= ALPHA or difference == 0:
        return "no_change"
    return "better" if (difference > 0) == higher_is_better else "worse"


def verdict_from_interval(low: float, high: float, *, higher_is_better: bool) -> str:
    if low <= 0 <= high:
        return "no_change"
    return "better" if (low > 0) == higher_is_better else "worse"
