"""A derivation's JSON document without its timings, for comparing two runs."""

from __future__ import annotations

from typing import Any


def timeless(data: Any) -> Any:
    """``data`` without the seconds each proof took (the only field two runs differ in)."""
    if isinstance(data, dict):
        return {k: timeless(v) for k, v in data.items() if k != "seconds"}
    if isinstance(data, list):
        return [timeless(v) for v in data]
    return data
