"""LaTeX: a document pdflatex compiles, an align* fragment, and math that parses back."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import sympy as sp
from hostile import with_words
from sympy.core.function import AppliedUndef

from sigderiv import Derivation, derive, explicit, render
from sigderiv.expr.functions import CATALOGUE, NamedFunction
from sigderiv.formats.latex import text
from sigderiv.printing.latex import latex

from .conftest import FUNCTIONS

ALIGN = re.compile(r"\\begin\{align\*\}(.*?)\\end\{align\*\}", re.S)


def _equations(document: str) -> Iterator[list[str]]:
    """Yield the sides of each chain of equalities in the document's align* blocks."""
    for block in ALIGN.findall(document):
        block = re.sub(r"%[^\n]*", "", block)  # comments
        block = re.sub(r"\\tag\*\{.*?\}(?= *(\\\\)?$)", "", block, flags=re.M)  # step labels
        block = re.sub(r"\\q?quad|\{\}", "", block)  # the indent of a row carried on
        chain = " ".join(block.replace("&", "").split("\\\\"))
        yield [side.strip() for side in chain.split("=")]


def _parse_back(tex: str) -> sp.Expr:
    """Return SymPy's reading of our LaTeX, mapped onto our names: e is E, σ(x) is sigma(x)."""
    from sympy.parsing.latex import parse_latex

    parsed = parse_latex(tex, backend="antlr")
    named = {cls.__name__: cls for cls in NamedFunction.__subclasses__()}
    parsed = parsed.replace(
        lambda e: isinstance(e, AppliedUndef) and e.func.__name__ in named,
        lambda e: named[e.func.__name__](*e.args),
    )
    return parsed.xreplace({sp.Symbol("e"): sp.E})


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    """True when SymPy proves a = b once both are explicit (symbols compared by name)."""

    def plain(expr: sp.Expr) -> sp.Expr:
        expr = explicit(expr)
        return expr.xreplace({s: sp.Symbol(s.name) for s in expr.free_symbols})

    return sp.simplify(plain(a) - plain(b)) == 0


@pytest.fixture(scope="module")
def antlr() -> None:
    pytest.importorskip("antlr4", reason="the LaTeX round trip needs antlr4-python3-runtime 4.11")


@pytest.mark.usefixtures("antlr")
@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_step_parses_back_to_its_own_expressions(name: str, derivations) -> None:
    derivation: Derivation = derivations[name]
    for step in derivation.walk():
        for side in (step.before, step.after):
            assert _same(_parse_back(latex(side)), side), latex(side)


@pytest.mark.usefixtures("antlr")
@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_equation_of_the_document_parses_back_and_holds(name: str, derivations) -> None:
    derivation: Derivation = derivations[name]
    chains = list(_equations(render(derivation, "latex")))
    shown = {latex(e) for step in derivation.walk() for e in (step.before, step.after)}
    assert len(chains) >= len(derivation.steps) + 2  # start, definitions, steps, result
    for sides in chains:
        first = _parse_back(sides[0])
        for other in sides[1:]:
            assert _same(_parse_back(other), first), sides
    fragment = next(_equations(render(derivation, "latex", fragment=True)))
    assert len(fragment) == len(derivation.steps) + 1
    assert all(side in shown for side in fragment)


def test_the_document_uses_amsmath_only(sigmoid: Derivation) -> None:
    document = render(sigmoid, "latex")
    assert document.startswith("% Made by sigderiv")
    assert re.findall(r"\\usepackage(?:\[.*?\])?\{(.*?)\}", document) == ["amsmath"]
    assert r"\documentclass[11pt]{article}" in document
    assert document.rstrip().endswith(r"\end{document}")
    assert document.count(r"\subsection*{Step ") == 5
    assert r"\subsection*{Result}" in document
    assert r"\frac{d}{d x} \sigma\left(x\right) &= \sigma\left(x\right) \left(1 - " in document
    assert document.isascii()


def test_the_fragment_is_one_align_block(sigmoid: Derivation) -> None:
    fragment = render(sigmoid, "latex", fragment=True)
    code = [line for line in fragment.splitlines() if not line.lstrip().startswith("%")]
    assert code[0] == r"\begin{align*}" and code[-1] == r"\end{align*}"
    assert r"\documentclass" not in fragment
    assert fragment.count(r"\tag*{Step ") == len(sigmoid.steps)
    # a tag too long to stand beside its row is the step's number; the title is the comment
    assert r"\tag*{Step 1 (proven)} \\" in fragment
    assert "% Step 1. The quotient rule and the chain rule [proven" in fragment
    assert "% Differentiate from the outside in" in fragment


@pytest.mark.parametrize(
    ("words", "tex"),
    [
        ("1/(1 + e^(−x))", r"1/(1 + e\^{}($-$x))"),
        ("σ(x)(1 − σ(x))", r"$\sigma$(x)(1 $-$ $\sigma$(x))"),
        ("50% & #1 {a_b} $5 ~ \\", r"50\% \& \#1 \{a\_b\} \$5 \~{} \textbackslash{}"),
        ("α, β, λ, Λ and Α", r"$\alpha$, $\beta$, $\lambda$, $\Lambda$ and $A$"),
        ("x ≠ 0, y ≤ 1, f′", r"x $\neq$ 0, y $\leq$ 1, f$'$"),
        ("naïve 😀", "naive "),
    ],
)
def test_prose_is_escaped_for_pdflatex(words: str, tex: str) -> None:
    assert text(words) == tex


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("name", ["sigmoid", "1/(1+exp(-k*x))"])
def test_pdflatex_compiles_the_document(name: str, derivations, tmp_path: Path) -> None:
    (tmp_path / "d.tex").write_text(render(derivations[name], "latex"), encoding="utf-8")
    done = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "d.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "d.pdf").stat().st_size > 1000
    assert "Undefined control sequence" not in done.stdout


def _pdflatex(source: str, folder: Path) -> subprocess.CompletedProcess[str]:
    (folder / "d.tex").write_text(source, encoding="utf-8")
    return subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "d.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


HOSTILE = (
    "x\n\\immediate\\write18{touch pwned}\n\n\\input{/etc/hostname}\r\\def\\x{}\x1b[31m%&$#_^~"
)


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_hostile_words_compile_as_words(sigmoid: Derivation, tmp_path: Path) -> None:
    """Newlines, commands and specials in every text field: the page compiles, nothing runs."""
    hostile = with_words(sigmoid, HOSTILE)
    fragment = render(hostile, "latex", fragment=True)
    for source in (
        render(hostile, "latex"),
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        f"{fragment}\\end{{document}}\n",
    ):
        done = _pdflatex(source, tmp_path)
        assert done.returncode == 0, done.stdout[-2000:]
        assert "Undefined control sequence" not in done.stdout
        assert not (tmp_path / "pwned").exists()
        assert "(/etc/hostname" not in done.stdout  # never opened (TeX logs "(file" on input)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_no_align_block_has_an_empty_row(
    name: str, catalogue_derivations: dict[str, Derivation]
) -> None:
    """A blank line inside align* ends the paragraph (pdflatex stops); so does a last \\\\."""
    document = render(catalogue_derivations[name], "latex")
    for block in ALIGN.findall(document):
        assert not re.search(r"\n\s*\n", block), block
        assert not re.search(r"\\\\\s*$", block), block


def _special_names() -> list[str]:
    """Every name SymPy's LaTeX printer spells as a command: Greek, Hebrew, modifiers."""
    import importlib

    tables = importlib.import_module("sympy.printing.latex")
    names = {*tables.other_symbols, *tables.tex_greek_dictionary, *tables.greek_letters_set}
    names |= {f"x{modifier}" for modifier in tables.modifier_dict}
    return sorted(names | {"alpha_beth", "gimel2", "varkappa_mho"})


def test_every_name_is_spelt_with_commands_amsmath_defines() -> None:
    from sigderiv.printing.latex_names import DEFINED

    for name in _special_names():
        commands = set(re.findall(r"\\([A-Za-z]+)", latex(sp.Symbol(name))))
        assert commands <= DEFINED, (name, commands - DEFINED)
    assert latex(sp.Symbol("beth")) == r"\mathrm{beth}"
    assert latex(sp.Symbol("alpha_beth")) == r"\alpha_{\mathrm{beth}}"
    assert latex(sp.Symbol("alpha")) == r"\alpha"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_pdflatex_compiles_hardswish_and_every_special_name(tmp_path: Path) -> None:
    x = sp.Symbol("x")
    names = sp.Add(*(sp.Symbol(n) for n in _special_names()), evaluate=False)
    for derivation in (derive("hardswish"), derive(names * x)):
        done = _pdflatex(render(derivation, "latex"), tmp_path)
        assert done.returncode == 0, done.stdout[-2000:]
        assert "Undefined control sequence" not in done.stdout


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
@pytest.mark.parametrize("key", ["(3x+2)^5 (x-1)^2", "sigmoid (order 2)"])
def test_long_equations_fit_the_page(key: str, long_derivations, tmp_path: Path) -> None:
    """TeX reports every line wider than the page (Overfull \\hbox): the document has none."""
    document = render(long_derivations[key], "latex")
    assert r"&\quad" in document or r"\\" in document.split(r"\begin{align*}", 2)[2]
    done = _pdflatex(document, tmp_path)
    assert done.returncode == 0, done.stdout
    assert "Overfull \\hbox" not in (tmp_path / "d.log").read_text(errors="replace")


def test_a_long_step_keeps_its_tag_on_its_first_row(long_derivations) -> None:
    fragment = render(long_derivations["x*sin(x)*exp(x)*log(x)*cos(x)"], "latex", fragment=True)
    lines = fragment.splitlines()
    assert all("&=" in line for line in lines if r"\tag*" in line)  # the tag: on a step's row
    carried = [line for line in lines if line.lstrip().startswith(r"&\quad {} ")]
    assert carried and not any(r"\tag" in line for line in carried), fragment
