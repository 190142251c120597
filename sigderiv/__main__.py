"""python -m sigderiv: the command-line interface."""

from __future__ import annotations

from sigderiv.console import main

main()
