"""A proportion's whole percentage and its Wilson 95% interval, the way the report and the project state them.

The one home of three small calculations every stage uses: rounding as the report does (halves up, never to even),
a count's whole percentage of its base, and the Wilson score interval of a proportion. Plain Python (``math`` and
``decimal``), so that the pages which never import numpy or pandas use the same figures as the tables.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

Z95 = 1.9599639845400545
"""The standard normal quantile of a two-sided 95% interval (``scipy.stats.norm.isf(0.025)``, as a float)."""


def round_half_up(value: float) -> int:
    """Round to a whole number the way the report does (0.5 goes up, not to even).

    The value is rounded as it is written (its shortest decimal form), so ``94.5`` is 95 and ``2.5`` is 3.

    Examples
    --------
    >>> round_half_up(2.5), round_half_up(3.5), round_half_up(94.83)
    (3, 4, 95)
    """
    return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def percent(count: float, base: float) -> int:
    """Return ``count`` as a whole percentage of ``base``, rounded as the report does.

    Examples
    --------
    >>> percent(29, 58), percent(55, 58), percent(1, 8)
    (50, 95, 13)
    """
    return round_half_up(100 * count / base)


def wilson_interval(count: float, base: float, z: float = Z95) -> tuple[float, float]:
    """Return the Wilson score interval of the proportion ``count / base``, as fractions within 0 to 1.

    Parameters
    ----------
    count, base : the councils saying yes and the councils asked; ``base`` must be positive.
    z : the normal quantile of the interval's level; 95% by default.

    Raises
    ------
    ValueError
        If the base is not positive.

    Examples
    --------
    >>> low, high = wilson_interval(52, 58)
    >>> round(100 * low, 1), round(100 * high, 1)
    (79.2, 95.2)
    >>> wilson_interval(0, 58)[0]
    0.0
    """
    if not base > 0:
        raise ValueError("the base must be positive")
    share = count / base
    z2 = z * z
    denominator = 1 + z2 / base
    centre = (share + z2 / (2 * base)) / denominator
    half = z * math.sqrt(share * (1.0 - share) / base + z2 / (4.0 * base**2)) / denominator
    return min(max(centre - half, 0.0), 1.0), min(max(centre + half, 0.0), 1.0)
