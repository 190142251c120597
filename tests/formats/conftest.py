"""Derivations every format is tested on: the sigmoid and functions without a named function."""

from __future__ import annotations

import pytest

from sigderiv import Derivation, derive

#: The sigmoid, a quotient with no named function, a polynomial, a parameter, a chain.
FUNCTIONS = ("sigmoid", "3/(2+e^x)", "x^2 + 3x", "1/(1+exp(-k*x))", "sin(x^2)")


@pytest.fixture(scope="session")
def derivations() -> dict[str, Derivation]:
    """Each function of FUNCTIONS, derived once for the whole session."""
    return {text: derive(text) for text in FUNCTIONS}


@pytest.fixture(scope="session")
def sigmoid(derivations: dict[str, Derivation]) -> Derivation:
    """The derivation of the sigmoid."""
    return derivations["sigmoid"]
