"""What a plot shows, as data: sampled values and the curves made of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_POINTS", "Curve", "Dot", "Line", "Samples", "y_window"]

#: Points sampled across a plot's range, by default.
DEFAULT_POINTS = 200


@dataclass(frozen=True)
class Samples:
    """Values of one expression at evenly spaced points; ``None`` where not finite and real."""

    xs: tuple[float, ...]
    ys: tuple[float | None, ...]

    @property
    def finite(self) -> list[tuple[float, float]]:
        """Return the (x, y) pairs that have a value."""
        return [(x, y) for x, y in zip(self.xs, self.ys, strict=True) if y is not None]

    def clipped(self, lo: float, hi: float) -> Samples:
        """Return these samples with values far outside [lo, hi] dropped.

        A curve is drawn up to the edge and a little beyond (the plot clips it), but a jump
        across a pole, from far below to far above, becomes a gap instead of a vertical line.
        """
        margin = hi - lo
        kept = tuple(
            None if y is None or not lo - margin <= y <= hi + margin else y for y in self.ys
        )
        return Samples(self.xs, kept)


@dataclass(frozen=True)
class Dot:
    """A value at a jump: closed where the function takes it, open for a one-sided limit."""

    x: float
    y: float
    closed: bool


@dataclass(frozen=True)
class Curve:
    """One curve to draw: its label (plain text), its samples, whether dashed, its jumps' dots."""

    label: str
    samples: Samples
    dashed: bool = False
    dots: tuple[Dot, ...] = ()


@dataclass(frozen=True)
class Line:
    """One line of the matplotlib plot: its label, its samples, how it is drawn, its jumps."""

    label: str
    samples: Samples
    style: str = "-"
    dots: tuple[Dot, ...] = ()


def y_window(curves: Sequence[Samples]) -> tuple[float, float] | None:
    """Return the y-range to show: all values, unless a pole would flatten the rest."""
    ys = sorted(y for samples in curves for _, y in samples.finite)
    if not ys:
        return None
    lo, hi = ys[0], ys[-1]
    # Near a pole a few values dwarf the others: keep the middle 90% instead.
    q_lo, q_hi = ys[len(ys) // 20], ys[-1 - len(ys) // 20]
    if hi - lo > 20 * max(q_hi - q_lo, 1e-12):
        lo, hi = q_lo, q_hi
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    pad = 0.06 * (hi - lo)
    return lo - pad, hi + pad
