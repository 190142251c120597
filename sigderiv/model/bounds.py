"""The time and memory bounds: their defaults and the largest accepted, in one place.

Every function that takes a ``timeout`` or a ``memory`` defaults to these, and the command
line's options too; :mod:`sigderiv.input.limits` checks a given bound against the caps.
"""

from __future__ import annotations

__all__ = ["CHECK_TIMEOUT", "MAX_MEMORY", "MAX_TIMEOUT", "MEMORY", "TIMEOUT"]

#: Default wall-clock bound, in seconds, for one whole derivation (parse, derive, checks),
#: one check of a learner's working, or loading and rendering one document.
TIMEOUT = 60.0
#: Default wall-clock bound, in seconds, for the slow route of one step's (or line's) proof.
CHECK_TIMEOUT = 10.0
#: Default memory bound, in bytes, that a worker may allocate: 2 GiB.
MEMORY = 2 * 1024**3
#: Longest time bound accepted, in seconds: one day (the operating system's timers and
#: waits take no more than about 24 days; None, not a huge number, lifts a bound).
MAX_TIMEOUT = 86_400.0
#: Largest memory bound accepted, in bytes: 1 TiB (None lifts the bound).
MAX_MEMORY = 1024**4
