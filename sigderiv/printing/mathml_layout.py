"""MathML equations that fit their card: ``mtable`` rows aligned at ``=``, broken between terms.

Browsers do not break display math (Chromium has no ``linebreak``), so the breaks are made
here, by the plan of :mod:`sigderiv.printing.layout`, from widths estimated in em from the
MathML itself: a character is about half an em, an operator brings its spacing, a fraction
is as wide as its wider part, a script is smaller. The estimate errs wide. A page is read at
many widths, so an equation comes in one version per width it needs (:data:`TIERS`) and the
page's style shows the one that fits its box (a container query on ``.eq``).

The pieces are the printer's own nodes, moved into rows: the terms of the sum and the
factors of a product, each with the operator before it. Nothing is printed twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from sigderiv.printing.layout import Cut, Plan, plan
from sigderiv.printing.mathml import _MathML, mathml

__all__ = ["TEXT", "TIERS", "fitted"]

#: The CSS pixels of the page's text (display math is drawn at a scale of it, by tier).
TEXT = 17
#: The widths a page is laid out for: (the smallest box, in CSS px, that shows the version,
#: the width that version is broken to fit, in CSS px, the size of its math in em of the
#: text: a little smaller on a phone). Read with the CSS in formats/html.py.
TIERS: tuple[tuple[int, int, float], ...] = (
    (0, 300, 1.15),
    (400, 395, 1.15),
    (560, 555, 1.3),
    (720, 715, 1.3),
)
#: How much wider than the estimate a piece may draw (measured in Chromium: at most 1.13).
SLACK = 1.15

_SUM = ("+", "\u2212")
_PRODUCT = ("\u00b7", "\u2062")
_SPACED = {"+": 0.45, "\u2212": 0.45, "=": 0.56, "\u00b7": 0.3, ",": 0.17}
_NARROW = set("()[]|,.:;'′ijlrtf1")


def _text(node: Any) -> str:
    return "".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE)


def _em(node: Any, scale: float = 1.0, display: bool = True) -> float:
    """Return an estimate of the width of ``node`` in em, on the wide side."""
    if node.nodeType == node.TEXT_NODE:
        return 0.0
    tag = node.tagName
    kids = [c for c in node.childNodes if c.nodeType == c.ELEMENT_NODE]
    if tag in ("mi", "mn", "mtext"):
        text = _text(node)
        return scale * sum(0.34 if c in _NARROW else 0.58 for c in text)
    if tag == "mo":
        text = _text(node)
        if text in ("\u2061", "\u2062"):
            return scale * float(node.getAttribute("rspace").removesuffix("em") or 0)
        return scale * (sum(0.38 if c in _NARROW else 0.62 for c in text) + _SPACED.get(text, 0))
    if tag == "mfrac":
        inner = scale if display else scale * 0.71
        return max(_em(k, inner, False) for k in kids) + 0.25 * scale
    if tag in ("msup", "msub"):
        return _em(kids[0], scale, display) + _em(kids[1], scale * 0.71, False) + 0.05
    if tag == "msubsup":
        scripts = max(_em(k, scale * 0.71, False) for k in kids[1:])
        return _em(kids[0], scale, display) + scripts
    if tag in ("msqrt", "mroot"):
        return sum(_em(k, scale, display) for k in kids) + 0.9 * scale
    if tag == "mspace":
        return float(node.getAttribute("width").removesuffix("em") or 0)
    return sum(_em(k, scale, display) for k in kids)


@dataclass(frozen=True)
class _Bit:
    """One piece of a side: the operator before it (None for the first) and its node."""

    lead: Any
    body: tuple[Any, ...]
    rank: int

    def cut(self) -> Cut:
        lead = _em(self.lead) if self.lead is not None else 0.0
        opening = lead if self.lead is None or _text(self.lead) != "\u2062" else 0.92
        return Cut(lead, opening, sum(_em(node) for node in self.body), self.rank)


def _unwrapped(node: Any) -> Any:
    while node.tagName == "mrow" and len(node.childNodes) == 1:
        node = node.firstChild
    return node


def _split(node: Any, ops: tuple[str, ...]) -> list[tuple[Any, Any]] | None:
    """The operands of an mrow whose every other child is one of ``ops``, with their ops."""
    kids = list(node.childNodes)
    if node.tagName != "mrow" or len(kids) < 3 or len(kids) % 2 == 0:
        return None
    if not all(k.tagName == "mo" and _text(k) in ops for k in kids[1::2]):
        return None
    return [(None, kids[0]), *zip(kids[1::2], kids[2::2], strict=True)]


#: Past this width (em), a product over a number is drawn with its coefficient in front.
WIDE = 18.0


def _over_a_number(printer: _MathML, node: Any) -> list[_Bit] | None:
    """The pieces of a wide product over a number, N/q, written (1/q)·N: ½·eˣ·(…).

    The same product with its coefficient in front, as a teacher writes it when the fraction
    would not fit, so that its factors (and the terms in their brackets) can go on in rows.
    """
    if node.tagName != "mfrac" or _em(node) <= WIDE:
        return None
    top, bottom = (k for k in node.childNodes if k.nodeType == k.ELEMENT_NODE)
    if _unwrapped(bottom).tagName != "mn":
        return None
    factors = _split(_unwrapped(top), _PRODUCT)
    if factors is None:
        return None
    coefficient = printer.dom.createElement("mfrac")
    one = printer.dom.createElement("mn")
    one.appendChild(printer.dom.createTextNode("1"))
    coefficient.appendChild(one)
    coefficient.appendChild(bottom.cloneNode(True))
    times = printer.dom.createElement("mo")
    times.appendChild(printer.dom.createTextNode("\u2062"))
    bits = [_Bit(None, (coefficient,), 0)]
    for op, factor in [(times, factors[0][1]), *factors[1:]]:
        bits += _opened(_Bit(op, (factor,), 1))
    return bits


def _bits(node: Any, printer: _MathML | None = None) -> list[_Bit]:
    """The pieces of a side: its terms, each cut into its factors where it is a product."""
    node = _unwrapped(node)
    over = _over_a_number(printer, node) if printer is not None else None
    if over is not None:
        return over
    sign = None
    kids = list(node.childNodes)
    if node.tagName == "mrow" and len(kids) == 2 and _text(kids[0]) == "\u2212":
        sign, node = kids[0], _unwrapped(kids[1])
    bits: list[_Bit] = []
    for lead, term in _split(node, _SUM) or [(None, node)]:
        factors = _split(_unwrapped(term), _PRODUCT)
        if factors is None:
            bits += _opened(_Bit(lead, (term,), 0))
            continue
        bits += _opened(_Bit(lead, (factors[0][1],), 0))
        for op, factor in factors[1:]:
            bits += _opened(_Bit(op, (factor,), 1))
    if sign is not None:
        bits[0] = _Bit(sign, bits[0].body, 0)
    return bits


def _opened(bit: _Bit) -> list[_Bit]:
    """A piece that ends in a sum in brackets (d/dx(…), a factor (…)), cut between its terms."""
    node = _unwrapped(bit.body[0]) if len(bit.body) == 1 else None
    if node is None or node.tagName != "mrow":
        return [bit]
    kids = list(node.childNodes)
    fenced = node if _fence(node) else kids[-1] if kids and _fence(kids[-1]) else None
    if fenced is None:
        return [bit]
    opening, inner, closing = fenced.childNodes
    terms = _split(_unwrapped(inner), _SUM)
    if not terms:
        return [bit]
    before = [] if fenced is node else kids[:-1]
    bits = [_Bit(bit.lead, (*before, opening, terms[0][1]), bit.rank)]
    bits += [_Bit(op, (term,), bit.rank + 2) for op, term in terms[1:]]
    bits[-1] = _Bit(bits[-1].lead, (*bits[-1].body, closing), bits[-1].rank)
    return bits


def _fence(node: Any) -> bool:
    kids = list(node.childNodes)
    return (
        node.tagName == "mrow"
        and len(kids) == 3
        and _text(kids[0]) == "("
        and _text(kids[2]) == ")"
    )


class _Table:
    """Builds the ``<math>`` of one plan from the printer's nodes."""

    def __init__(self, printer: _MathML, sides: Sequence[list[_Bit]]) -> None:
        self.printer = printer
        self.sides = sides

    def node(self, tag: str, *children: Any, **attributes: str) -> Any:
        made = self.printer._node(tag, *children)
        for name, value in attributes.items():
            made.setAttribute(name.rstrip("_").replace("_", "-"), value)
        return made

    def line(self, side: int, start: int, stop: int) -> Any:
        row = self.node("mrow")
        for i, bit in enumerate(self.sides[side][start:stop]):
            if bit.lead is not None:
                lead = bit.lead.cloneNode(True)
                if i == 0 and start and _text(lead) == "\u2062":
                    lead = self.printer._mo("\u00b7")  # a product broken: the dot is written
                row.appendChild(lead)
            for node in bit.body:
                row.appendChild(node.cloneNode(True))
        return row

    def cell(self, *children: Any, span: int = 1, side: str = "left") -> Any:
        cell = self.node("mtd", *children, columnalign=side, class_=side)
        if span > 1:
            cell.setAttribute("columnspan", str(span))
        return cell

    def table(self, laid: Plan) -> Any:
        rows: list[Any] = []
        for line in laid.lines:
            body = self.line(line.side, line.start, line.stop)
            equals = self.printer._mo("=") if line.start == 0 and line.side else None
            if laid.mode == "aligned":
                left = self.line(0, 0, len(self.sides[0])) if not rows else self.node("mrow")
                cells = [self.cell(left, side="right"), self.cell(equals or self.node("mrow"))]
                cells.append(self.cell(body))
            elif line.side == 0:
                lead = [] if line.start == 0 else [self.node("mspace", width="2em")]
                cells = [self.cell(self.node("mrow", *lead, body), span=3)]
            else:
                cells = [
                    self.cell(self.node("mspace", width="1em")),
                    self.cell(equals or self.node("mrow")),
                    self.cell(body),
                ]
            rows.append(self.node("mtr", *cells))
        return self.node("mtable", *rows, columnspacing="0", displaystyle="true")


def _math(inner: Any, classes: str) -> str:
    text = inner.toxml().encode("ascii", "xmlcharrefreplace").decode()
    return f'<math class="{classes}" display="block">{text}</math>'


#: The key under which :func:`fitted` keeps the equation written whole on one line.
_WHOLE = Plan("line", ())


def fitted(*exprs: sp.Expr) -> list[tuple[str, tuple[int, ...]]]:
    """Return ``exprs`` joined by ``=`` as one ``<math>`` per tier it needs, with its tiers.

    Tiers whose layouts are the same share one ``<math>``.
    """
    printer = _MathML()
    sides = [_bits(printer._print(e), printer) for e in exprs]
    cuts = [[bit.cut() for bit in bits] for bits in sides]
    table = _Table(printer, sides)
    shown: list[tuple[str, list[int]]] = []
    written: dict[Plan, str] = {}  # tiers that lay it out alike write it once
    for tier, (_, budget, scale) in enumerate(TIERS):
        laid = plan(cuts, budget / (TEXT * scale) / SLACK, 1.0, 0.95, 1.0)
        key = _WHOLE if laid.mode == "line" else laid
        text = written.get(key)
        if text is None and key is _WHOLE:  # as the printer writes it whole
            text = mathml(*exprs, block=True).replace("<math ", '<math class="fit" ', 1)
        elif text is None:
            text = _math(table.table(laid), "fit")
        written[key] = text
        if shown and shown[-1][0] == text:
            shown[-1][1].append(tier)
        else:
            shown.append((text, [tier]))
    return [(text, tuple(tiers)) for text, tiers in shown]
