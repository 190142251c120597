"""Rewrite the generated blocks in README.md and docs/ from the current code's output.

Two kinds of block: one after a marker line ``<!-- output: sigderiv ARGS -->`` is the output
of that command (run through typer's test runner at 80 columns, no colour); one between
``<!-- generated: NAME -->`` and ``<!-- end: NAME -->`` is what the generator NAME below
writes. Run ``python tools/refresh_docs.py`` after a change; a test fails while a page is
stale.
"""

from __future__ import annotations

import os
import re
import shlex
import sys
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"<!-- output: sigderiv (?P<args>.*?) -->\n```text\n(?P<body>.*?)```", re.S)
GENERATED = re.compile(r"<!-- generated: (?P<name>[\w-]+) -->\n.*?<!-- end: (?P=name) -->", re.S)
PAGES = ("README.md", "docs/catalogue.md", "docs/check.md")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def catalogue_table() -> str:
    """The catalogue as a Markdown table, every derivative the engine's own output."""
    from sigderiv.catalogue import catalogue
    from sigderiv.display import inline

    rows = [
        "| name | f(x) | f′(x), as derived | in terms of itself | parameters (PyTorch defaults) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in catalogue():
        shown = inline(row.named)
        if row.definition != row.named:
            shown += f" = {inline(row.definition)}"
        parameters = ", ".join(f"{inline(s)} = {inline(v)}" for s, v in row.entry.parameters)
        cells = (
            f"`{row.entry.name}`",
            _cell(shown),
            _cell(inline(row.derivative)),
            "yes" if row.in_terms_of_itself else "",
            _cell(parameters),
        )
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


GENERATORS = {"catalogue": catalogue_table}


def command_output(args: str) -> str:
    """Return what ``sigderiv ARGS`` prints at 80 columns without colour, run from the root.

    ``sigderiv check`` of a wrong derivation exits 1 by design; that output is shown too.
    """
    from sigderiv.cli import app

    here = os.getcwd()
    os.chdir(ROOT)  # file arguments are relative to the repository
    try:
        env = {"COLUMNS": "80", "NO_COLOR": "1"}
        result = CliRunner().invoke(app, shlex.split(args), env=env)
    finally:
        os.chdir(here)
    allowed = (0, 1) if args.split()[0] == "check" else (0,)
    if result.exit_code not in allowed:
        raise RuntimeError(f"sigderiv {args} exited {result.exit_code}: {result.output}")
    return result.stdout


def refreshed(text: str) -> str:
    """Return ``text`` with every generated block replaced by the current output."""

    def fill(match: re.Match[str]) -> str:
        args = match.group("args")
        return f"<!-- output: sigderiv {args} -->\n```text\n{command_output(args)}```"

    def generate(match: re.Match[str]) -> str:
        name = match.group("name")
        return f"<!-- generated: {name} -->\n{GENERATORS[name]()}<!-- end: {name} -->"

    return GENERATED.sub(generate, MARKER.sub(fill, text))


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
