"""Expressions: building them unevaluated, walking them, the named functions."""
