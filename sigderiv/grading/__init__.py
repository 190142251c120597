"""Grading a learner's derivation: check, moves and slips."""
