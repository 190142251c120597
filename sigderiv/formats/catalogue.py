"""The catalogue as a rich table: name, definition, derivative in terms of itself.

The rows come derived (:func:`sigderiv.engine.catalogue.catalogue`); the table only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table

from sigderiv.expr.functions import CatalogueRow
from sigderiv.printing.inline import ascii_text, inline


def catalogue_table(*, rows: Sequence[CatalogueRow], ascii: bool = False) -> Table:
    """Return the catalogue's ``rows`` (derived before: engine.catalogue) as a table."""
    words = ascii_text if ascii else (lambda text: text)
    table = Table(
        title=words("The activation catalogue: every derivative derived and proven by sigderiv"),
        box=box.ASCII if ascii else box.SIMPLE_HEAD,
        show_lines=False,
    )
    table.add_column("name", style="bold cyan", no_wrap=True)
    table.add_column("f(x)", overflow="fold")
    table.add_column(words("f′(x)"), overflow="fold")
    table.add_column("parameters (PyTorch defaults)", overflow="fold")
    for row in rows:
        parameters = ", ".join(f"{inline(s)} = {inline(v)}" for s, v in row.entry.parameters)
        shown = inline(row.named)
        if row.definition != row.named:
            shown += f" = {inline(row.definition)}"
        mark = "" if not row.in_terms_of_itself else words("  ◀ own value")
        table.add_row(
            row.entry.name,
            words(shown),
            words(inline(row.derivative)) + mark,
            words(parameters),
        )
    return table
