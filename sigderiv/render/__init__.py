"""Renderers: one module per output format, all reading the same Derivation."""

from __future__ import annotations
