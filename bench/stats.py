"""Summaries of timing samples: medians, 95th percentiles and paired ratios (robust on a shared machine)."""

import statistics
from collections.abc import Sequence

PERCENTILE_CUTS = 100


def median(samples: Sequence[float]) -> float:
    """Median of ``samples`` (same unit); raises ``statistics.StatisticsError`` when empty."""
    return statistics.median(samples)


def p95(samples: Sequence[float]) -> float:
    """95th percentile of ``samples`` (inclusive method; the sample itself when there is only one)."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=PERCENTILE_CUTS, method="inclusive")[94]


def paired_ratio(numerators: Sequence[float], denominators: Sequence[float]) -> float:
    """Median of per-round ratios ``numerators[i] / denominators[i]``.

    Both samples come from the same interleaved rounds, so load that shifts during a run moves a pair together and
    cancels out of its ratio (A/B pairing).
    """
    if len(numerators) != len(denominators):
        raise ValueError("paired samples must come from the same rounds")
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))
