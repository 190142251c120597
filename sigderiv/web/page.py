"""The page: GET / (with ?expr=&var=&order= to open a derivation), its static assets, practice."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
