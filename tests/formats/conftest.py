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


#: Long equations (issue 14): a product of powers, nested roots, the sigmoid's second
#: derivative, a cross-entropy loss in z and a product of five factors, as (text, var, order).
LONG = (
    ("(3x+2)^5 (x-1)^2", "x", 1),
    ("sqrt(1+sqrt(1+sqrt(x)))", "x", 1),
    ("sigmoid", "x", 2),
    ("-(y*log(1/(1+exp(-z))) + (1-y)*log(1-1/(1+exp(-z))))", "z", 1),
    ("x*sin(x)*exp(x)*log(x)*cos(x)", "x", 1),
)


@pytest.fixture(scope="session")
def long_derivations() -> dict[str, Derivation]:
    """Each function of LONG, derived once for the whole session."""
    return {label(text, order): derive(text, var, order=order) for text, var, order in LONG}


def label(text: str, order: int) -> str:
    """The key of a LONG function: its text, and the order when it is not 1."""
    return text if order == 1 else f"{text} (order {order})"
