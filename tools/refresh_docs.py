"""Rewrite the generated blocks in README.md and docs/ from the current code's output.

Each block follows a marker line ``<!-- output: sigderiv ARGS -->`` and is the output of
that command (run through typer's test runner at 80 columns, no colour).
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"<!-- output: sigderiv (?P<args>.*?) -->\n```text\n(?P<body>.*?)```", re.S)
PAGES = ("README.md",)


def command_output(args: str) -> str:
    """Return what ``sigderiv ARGS`` prints at 80 columns without colour."""
    from sigderiv.cli import app

    result = CliRunner().invoke(app, shlex.split(args), env={"COLUMNS": "80", "NO_COLOR": "1"})
    if result.exit_code != 0:
        raise RuntimeError(f"sigderiv {args} exited {result.exit_code}: {result.output}")
    return result.stdout


def refreshed(text: str) -> str:
    """Return ``text`` with every generated block replaced by the current output."""

    def fill(match: re.Match[str]) -> str:
        args = match.group("args")
        return f"<!-- output: sigderiv {args} -->\n```text\n{command_output(args)}```"

    return MARKER.sub(fill, text)


def main() -> int:
    """Refresh every page in place; print the ones that changed."""
    for name in PAGES:
        path = ROOT / name
        old = path.read_text(encoding="utf-8")
        new = refreshed(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"refreshed {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
