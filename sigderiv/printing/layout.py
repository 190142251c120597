"""Equations that fit a width: broken at ``=`` first, then between terms, then between factors.

A teacher who runs out of board continues on the next line: the next ``= …`` starts under
the first ``=``, and a side still too wide goes on after one of its terms (``+ …`` or
``− …``) or, inside a term too wide for a line, after one of its factors (``· …``), under
the first right-hand side. :func:`plan` makes that choice for any format from widths
alone; :func:`fit` draws it from SymPy's pretty forms for the terminal and plain text.

The pieces are cut from the printer's own forms and, joined again, must draw exactly what
the printer draws for the whole side: where they would not, the side is not cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import xsym
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from sigderiv.printing.order import (
    fraction_parts,
    is_operator,
    juxtaposes,
    ordered_factors,
    signed,
)
from sigderiv.printing.pretty import glyphs, printer

__all__ = ["Cut", "Line", "Plan", "fit", "plan"]

#: Where an equation breaks: nowhere (one line), under the first ``=`` (aligned), or with
#: the left side on a line of its own and each ``= …`` indented under it (hanging).
Mode = Literal["line", "aligned", "hanging"]


@dataclass(frozen=True)
class Cut:
    """The widths of one piece of a side, in any unit: a term, or a factor of a term."""

    lead: float  # what joins it to the piece before within a line (" + ", "⋅"), or the sign
    opening: float  # that join where the piece opens a continuation line ("+ ", "⋅")
    body: float
    rank: int  # 0 where a term of the sum starts, the place to break first; 1 before a factor
    # of a term; inside brackets, 2 more per pair


@dataclass(frozen=True)
class Line:
    """One line of one side: its pieces ``start`` to ``stop``."""

    side: int
    start: int
    stop: int


@dataclass(frozen=True)
class Plan:
    """How an equation is laid out: its mode and its lines, in order."""

    mode: Mode
    lines: tuple[Line, ...]


def _width(cuts: Sequence[Cut], start: int, stop: int) -> float:
    """The width of ``cuts[start:stop]`` on a line of their own."""
    first = cuts[start]
    head = (first.lead if start == 0 else first.opening) + first.body
    return head + sum(c.lead + c.body for c in cuts[start + 1 : stop])


def _break(cuts: Sequence[Cut], first: float, rest: float) -> list[tuple[int, int]]:
    """Return the lines of one side: as many whole terms as fit, a term too wide by factors."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    used = 0.0

    def room() -> float:
        return first if not spans else rest

    def add(start: int, stop: int) -> None:
        nonlocal open_at, used
        inside = sum(c.lead + c.body for c in cuts[start:stop])
        if open_at is not None and used + inside <= room():
            used += inside
            return
        if open_at is not None:
            spans.append((open_at, start))
        open_at, used = start, _width(cuts, start, stop)

    def place(begin: int, end: int, rank: int) -> None:
        """Place ``cuts[begin:end]`` in units cut before each piece of ``rank`` or less."""
        bounds = [begin, *(i for i in range(begin + 1, end) if cuts[i].rank <= rank), end]
        for start, stop in pairwise(bounds):
            inside = sum(c.lead + c.body for c in cuts[start:stop])
            fits_here = open_at is not None and used + inside <= room()
            fits_alone = _width(cuts, start, stop) <= (first if open_at is None else rest)
            if fits_here or fits_alone or stop - start == 1:
                add(start, stop)
            else:  # wider than a line: cut it finer
                place(start, stop, rank + 1)

    place(0, len(cuts), 0)
    if open_at is not None:
        spans.append((open_at, len(cuts)))
    return spans


def _cost(
    sides: Sequence[Sequence[Cut]], lines: Sequence[Line], widths: Sequence[float], width: float
) -> tuple[float, int, int, int]:
    """What a layout costs: how far it runs past the width, then its breaks between factors,
    then between terms (a break at ``=`` is free: the first place to break), then its lines."""
    ranks = [sides[line.side][line.start].rank for line in lines if line.start]
    over = sum(max(0.0, w - width) for w in widths)
    return (over, len(ranks) - ranks.count(0), ranks.count(0), len(lines))


def plan(
    sides: Sequence[Sequence[Cut]], width: float, equals: float, opener: float, indent: float
) -> Plan:
    """Return the layout of ``sides`` joined by ``=`` within ``width``.

    ``equals`` is the width of `` = `` between two sides, ``opener`` that of ``= `` opening
    a line, and ``indent`` how far a hanging ``=`` stands in; every continuation of a
    hanging side stands in under the first right-hand side, ``indent + opener``.
    """
    whole = [_width(cuts, 0, len(cuts)) for cuts in sides]
    if sum(whole) + equals * (len(sides) - 1) <= width:
        return Plan("line", tuple(Line(i, 0, len(c)) for i, c in enumerate(sides)))
    options: list[tuple[tuple[float, int, int, int], int, Plan]] = []
    if len(sides) > 1:  # the left side whole, each right side under the first
        room = width - whole[0] - equals
        lines: list[Line] = []
        widths: list[float] = []
        for i, cuts in enumerate(sides[1:], start=1):
            for start, stop in _break(cuts, room, room):
                lines.append(Line(i, start, stop))
                widths.append(whole[0] + equals + _width(cuts, start, stop))
        options.append((_cost(sides, lines, widths, width), 0, Plan("aligned", tuple(lines))))
    lines, widths = [], []  # the left side alone; each "= …" stands in under it
    for start, stop in _break(sides[0], width, width - indent - opener):
        lines.append(Line(0, start, stop))
        widths.append(_width(sides[0], start, stop) + (indent + opener if start else 0))
    for i, cuts in enumerate(sides[1:], start=1):
        room = width - indent - opener
        for start, stop in _break(cuts, room, room):
            lines.append(Line(i, start, stop))
            widths.append(indent + opener + _width(cuts, start, stop))
    options.append((_cost(sides, lines, widths, width), 1, Plan("hanging", tuple(lines))))
    return min(options, key=lambda option: (option[0], option[1]))[2]


# ---- the pieces of a pretty form ----------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """A piece of a side's pretty form, what joins it to the piece before, its brackets."""

    lead: str
    form: stringPict
    rank: int
    opens: int = 0  # brackets that open between the lead and the form
    closes: int = 0  # brackets that close after the form

    @property
    def opening(self) -> str:
        """The join where this piece opens a continuation line: ``+ ``, ``- ``, ``⋅``."""
        return self.lead.strip() + " " if self.lead.strip() in ("+", "-") else self.lead.strip()

    def cut(self) -> Cut:
        return Cut(
            len(self.lead) + self.opens,
            len(self.opening) + self.opens,
            self.form.width() + self.closes,
            self.rank,
        )


def _drawn(form: stringPict) -> tuple[str, int]:
    return "\n".join(form.picture), form.baseline


def _joined(pieces: Sequence[_Piece], depth: int = 0) -> stringPict:
    """Draw pieces side by side; ``depth`` brackets opened on a line before stay open.

    A bracket is as tall as what it holds on its own line, and a bracket that opens or
    closes on another line is not drawn on this one.
    """
    parts: list[stringPict | str] = []
    stack = [(0, False)] * depth  # where each open bracket's content starts; drawn here?

    def wrap(at: int, left: bool, right: bool) -> None:
        inner = stringPict(*stringPict.next(*parts[at:]))
        parts[at:] = [stringPict(*inner.parens("(" if left else "", ")" if right else ""))]

    for piece in pieces:
        if piece.lead:
            parts.append(piece.lead)
        stack += [(len(parts), True)] * piece.opens
        parts.append(piece.form)
        for _ in range(piece.closes):
            at, left = stack.pop()
            wrap(at, left, True)
    while stack:
        at, left = stack.pop()
        wrap(at, left, False)
    return stringPict(*stringPict.next(*parts))


def _bracketed(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces of a sum or product in brackets: breaks inside come after those outside."""
    first = pieces[0]
    head = stringPict(*stringPict.next(first.lead, first.form)) if first.lead else first.form
    inner = [_Piece("", head, 1, first.opens + 1, first.closes)]
    inner += [_Piece(p.lead, p.form, p.rank + 2, p.opens, p.closes) for p in pieces[1:]]
    last = inner[-1]
    inner[-1] = _Piece(last.lead, last.form, last.rank, last.opens, last.closes + 1)
    return inner


def _factors(chosen: PrettyPrinter, product: sp.Expr) -> list[_Piece] | None:
    """The factors of a product as the printer writes them, or None for a fraction.

    The printer's own rules (printing/pretty.py ``_product``): teacher order, brackets around
    a weak factor and a derivative that is not last, a dot unless the two are juxtaposed (2x).
    """
    negative, _ = signed(product)
    if negative:
        return None  # drawn with its minus in front: one piece
    numer, denom = fraction_parts(ordered_factors(product))
    if denom or len(numer) < 2:
        return None  # a fraction: drawn as one piece
    result: list[stringPict | str | list[_Piece]] = []
    for i, factor in enumerate(numer):
        form = chosen._print(factor)
        weak = form.binding > prettyForm.MUL and not (i == 0 and form.binding == prettyForm.NEG)
        last = i == len(numer) - 1
        if i and not juxtaposes(numer[i - 1], factor):
            result.append(xsym("*"))
        if weak:
            inside = _terms(chosen, factor) if isinstance(factor, sp.Add) else None
            shown: stringPict | list[_Piece] = (
                _bracketed(inside) if inside else stringPict(*form.parens())
            )
        elif is_operator(factor) and not last:
            shown = stringPict(*form.parens())
        else:
            shown = form
        previous = result[-1] if result else None
        if i and isinstance(previous, stringPict) and isinstance(shown, stringPict):
            result[-1] = stringPict(*stringPict.next(previous, shown))  # 2x: never apart
        else:
            result.append(shown)
    pieces: list[_Piece] = []
    lead = ""
    for item in result:
        if isinstance(item, str):
            lead = item
            continue
        group = item if isinstance(item, list) else [_Piece("", item, 1)]
        head = group[0]
        pieces.append(_Piece(lead, head.form, 1, head.opens, head.closes))
        pieces.extend(group[1:])
        lead = ""
    return pieces


def _terms(chosen: PrettyPrinter, total: sp.Add) -> list[_Piece] | None:
    """The terms of a sum as the printer writes them, each cut into factors where it can be."""
    pieces: list[_Piece] = []
    for i, term in enumerate(chosen._as_ordered_terms(total, order=None)):
        shown = term
        negative = False
        if term.is_Mul and term.could_extract_minus_sign():
            coeff, other = term.as_coeff_mul(rational=False)
            rest = other if coeff == -1 else (-coeff, *other)
            shown, negative = sp.Mul(*rest, evaluate=False), True
        elif term.is_Number and term.is_negative:
            shown, negative = -term, True
        elif (term.is_Rational and term.q > 1) or term.is_Relational:
            return None
        form = chosen._print(shown)
        if negative:
            lead = ("- " if form.height() > 1 else "-") if i == 0 else " - "
            wrap = form.binding > prettyForm.NEG or form.binding == prettyForm.ADD
        else:
            lead = "" if i == 0 or form.binding == prettyForm.NEG else " + "
            wrap = form.binding > prettyForm.NEG
        factors = _factors(chosen, shown) if shown.is_Mul and not wrap else None
        if not factors or factors[0].lead:
            body = stringPict(*form.parens()) if wrap else form
            pieces.append(_Piece(lead, body, 0))
        else:
            head = factors[0]
            pieces.append(_Piece(lead, head.form, 0, head.opens, head.closes))
            pieces.extend(factors[1:])
    return pieces


def _trimmed(form: stringPict) -> stringPict:
    """``form`` without its blank lines above and below."""
    rows = [i for i, row in enumerate(form.picture) if row.strip()]
    if not rows:
        return form
    kept = form.picture[rows[0] : rows[-1] + 1]
    return stringPict("\n".join(kept), form.baseline - rows[0])


def _derivative(chosen: PrettyPrinter, deriv: sp.Derivative, form: stringPict) -> list[_Piece]:
    """The d/dx of a derivative, then the pieces of the sum or product it acts on."""
    inner = deriv.expr
    found = _terms(chosen, inner) if isinstance(inner, sp.Add) else None
    found = _factors(chosen, inner) if isinstance(inner, sp.Mul) else found
    if not found:
        return []
    operator = form.width() - chosen._print(inner).width() - 2
    if operator <= 0:
        return []
    cut = stringPict("\n".join(row[:operator] for row in form.picture), form.baseline)
    return [_Piece("", _trimmed(cut), 0), *_bracketed(found)]


def _pieces(chosen: PrettyPrinter, expr: sp.Expr) -> tuple[stringPict, list[_Piece]]:
    """Return a side's form and its pieces; one piece when the pieces would draw otherwise."""
    form = chosen._print(expr)
    pieces: list[_Piece] | None = None
    if isinstance(expr, sp.Add):
        pieces = _terms(chosen, expr)
    elif isinstance(expr, sp.Mul):
        pieces = _factors(chosen, expr)
    elif isinstance(expr, sp.Derivative):
        pieces = _derivative(chosen, expr, form)
    if not pieces or _drawn(_joined(pieces)) != _drawn(form):
        pieces = [_Piece("", form, 0)]
    return form, pieces


def _coefficient_first(
    chosen: PrettyPrinter, expr: sp.Expr
) -> tuple[stringPict, list[_Piece]] | None:
    """Return c·(the rest) for a product drawn as one wide fraction over a number: ½·eˣ·(…).

    The same product, its numerical coefficient written in front (as a teacher does when the
    fraction would not fit), so that its other factors can continue on the next line.
    """
    if not isinstance(expr, sp.Mul):
        return None
    coefficient, rest = expr.as_coeff_Mul()
    if not (coefficient.is_Rational and coefficient.q != 1) or rest == 1:
        return None
    if isinstance(rest, sp.Mul):
        tail = _factors(chosen, rest)
    else:
        tail = [_Piece("", chosen._print(rest), 1)]
    if not tail:
        return None
    head = tail[0]
    pieces = [
        _Piece("", chosen._print(coefficient), 1),
        _Piece(xsym("*"), head.form, 1, head.opens, head.closes),
        *tail[1:],
    ]
    return _joined(pieces), pieces


def _line(pieces: Sequence[_Piece], start: int, stop: int) -> stringPict:
    first = pieces[start]
    lead = first.lead if start == 0 else first.opening
    head = _Piece(lead, first.form, 0, first.opens, first.closes)
    depth = sum(p.opens - p.closes for p in pieces[:start])
    return _joined([head, *pieces[start + 1 : stop]], depth)


def _stack(rows: Sequence[stringPict]) -> list[str]:
    """The lines of ``rows`` one under the other, a blank line between two tall ones."""
    out: list[str] = []
    for i, row in enumerate(rows):
        if i and row.height() > 1 and rows[i - 1].height() > 1:
            out.append("")
        out.extend(line.rstrip() for line in row.picture)
    return out


def fit(*exprs: sp.Expr, width: int, ascii: bool = False) -> str:
    """Return ``exprs`` joined by ``=`` in pretty form, broken into lines ``width`` wide.

    Nothing is wider than ``width`` unless one piece (an atom, a fraction) is.
    """
    chosen = printer(*exprs, ascii=ascii)
    with glyphs(ascii):
        sides = [_pieces(chosen, e) for e in exprs]
        for i, (form, pieces) in enumerate(sides):
            if len(pieces) == 1 and form.width() > width - 4:
                sides[i] = _coefficient_first(chosen, exprs[i]) or sides[i]
        laid = plan([[p.cut() for p in pieces] for _, pieces in sides], width, 3, 2, 2)
        first = sides[0][0]
        rows: list[stringPict] = []
        for line in laid.lines:
            pieces = sides[line.side][1]
            body = _line(pieces, line.start, line.stop)
            if laid.mode == "line":
                rows = [stringPict(*stringPict.next(rows[0], " = ", body))] if rows else [body]
            elif laid.mode == "aligned":
                opener = " = " if line.start == 0 else "   "
                left = first if not rows else " " * first.width()
                rows.append(stringPict(*stringPict.next(left, opener, body)))
            elif line.side == 0:
                rows.append(body if line.start == 0 else stringPict(*body.left(" " * 4)))
            else:
                opener = "  = " if line.start == 0 else "    "
                rows.append(stringPict(*body.left(opener)))
        return "\n".join(_stack(rows))
