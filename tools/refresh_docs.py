"""Rewrite the generated blocks in README.md and docs/ from the current code's output.

Two kinds of block, both rewritten in place by ``python tools/refresh_docs.py``:

- A fenced block right after a marker line ``<!-- output: sigderiv ARGS -->`` holds what that
  command prints (run through typer's test runner at 80 columns, no colour, from the
  repository's root). In a ```` ```console ```` block the command itself comes first
  (``$ sigderiv ARGS``), then what the terminal shows, standard error included, then
  ``$ echo $?`` and the exit code when it is not 0. In a block of any other language
  (```` ```text ````, ```` ```latex ````, ```` ```markdown ```` ...) it is standard output
  alone, and the command must succeed (``check`` may also find a wrong line, exit code 1).
- The lines between ``<!-- generated: NAME ARGS -->`` and ``<!-- end: NAME ARGS -->`` are
  what the generator ``NAME`` below writes, given the words ``ARGS`` (none for most).

Text outside the blocks is never touched, so prose written around them survives a refresh.
A test (tests/test_docs.py) fails while a page differs from what the code produces now.
"""

from __future__ import annotations

import inspect
import os
import re
import shlex
import sys
from functools import cache
from pathlib import Path

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing: use its sigderiv
    sys.path.insert(0, str(ROOT))

MARKER = re.compile(
    r"<!-- output: sigderiv (?P<args>.*?) -->\n```(?P<lang>[\w-]*)\n(?P<body>.*?)^```$",
    re.S | re.M,
)
GENERATED = re.compile(
    r"<!-- generated: (?P<name>[\w-]+)(?P<args>(?: [^\n]*?)?) -->\n.*?"
    r"<!-- end: (?P=name)(?P=args) -->",
    re.S,
)
# Every page with a generated block; tests/test_docs.py checks that none is missing.
PAGES = (
    "README.md",
    "docs/api.md",
    "docs/backprop.md",
    "docs/catalogue.md",
    "docs/check.md",
    "docs/cli.md",
    "docs/formats.md",
    "docs/index.md",
    "docs/input.md",
    "docs/rules.md",
    "docs/tutorial-sigmoid.md",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


# ---- generators: NAME -> a function of the marker's words, returning the block's text ------


def catalogue_table() -> str:
    """The catalogue as a Markdown table, every derivative the engine's own output."""
    from sigderiv.engine.catalogue import catalogue
    from sigderiv.printing.inline import inline

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


@cache
def _derived(expr: str, order: int = 1, var: str = "x", layers: bool | None = None):
    from sigderiv import derive

    return derive(expr, var, order=order, layers=layers)


@cache
def _markdown_parts(expr: str) -> dict[str, str]:
    """The Markdown of ``derive(expr)``, cut at its step headings: intro, 1, 2, ..., result."""
    from sigderiv import render

    text = render(_derived(expr), "markdown", level=2)
    parts: dict[str, str] = {}
    name = "intro"
    for section in re.split(r"\n(?=### (?:Step \d+\.|Result))", text):
        heading = re.match(r"### (?:Step (\d+)\.|(Result))", section)
        if heading:
            name = heading.group(1) or "result"
        parts[name] = section.strip("\n") + "\n"
    return parts


def markdown_part(expr: str, part: str) -> str:
    """One part of the Markdown that ``sigderiv derive EXPR --format markdown`` writes.

    The title is a level-2 heading and each step a level-3 section, so the derivation sits
    inside a page with its own title. ``part`` is ``intro`` (the title, the definitions
    and the derivative to find), a step's number, or ``result``.
    """
    parts = _markdown_parts(expr)
    if part not in parts:
        raise KeyError(f"derive({expr!r}) in Markdown has no part {part!r}: {sorted(parts)}")
    return parts[part]


# Inputs the parser refuses (it knows no gamma) go in as SymPy expressions.
def _polar_lift():
    import sympy

    return sympy.polar_lift(sympy.Symbol("x") ** 2 + 1)


_SYMPY_INPUTS = {"sympy.polar_lift(x**2 + 1)": _polar_lift}


def _example(rule: str):
    from sigderiv import derive
    from sigderiv.rules.registry import info

    declared = info(rule)
    expr, options = declared.example, dict(declared.options)
    words = "".join(f", {key}={value!r}" for key, value in options.items())
    if expr in _SYMPY_INPUTS:
        derivation = derive(_SYMPY_INPUTS[expr](), **options)  # type: ignore[arg-type]
        call = f"derive({expr}{words})"
    else:
        derivation = _derived(expr, **options)  # type: ignore[arg-type]
        call = f'derive("{expr}"{words})'
    step = next((s for s in derivation.walk() if s.rule.value == rule), None)
    if step is None:
        raise LookupError(f"{call} has no {rule} step: {[r.value for r in derivation.rules()]}")
    return call, step


def rule_examples() -> str:
    """Every rule id with one step of it, as the engine derived it from a small input."""
    from sigderiv import Rule
    from sigderiv.formats.base import substep_sides
    from sigderiv.formats.markdown import said
    from sigderiv.printing.latex import latex

    lines = []
    for rule in Rule:
        call, step = _example(rule.value)
        sides = " = ".join(latex(side) for side in substep_sides(step))
        lines.append(f"- `{rule.value}` ({said(step.title)}), from `{call}`: ${sides}$")
    return "\n".join(lines) + "\n"


def _parameter(parameter: inspect.Parameter) -> str:
    """One parameter as the source writes it: ``name: type = default``, no quotes on types."""
    stars = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    text = stars.get(parameter.kind, "") + parameter.name
    if parameter.annotation is not inspect.Parameter.empty:
        annotation = parameter.annotation
        if not isinstance(annotation, str):
            annotation = inspect.formatannotation(annotation)
        text += f": {annotation}"
    if parameter.default is not inspect.Parameter.empty:
        default = parameter.default
        text += " = " + (f'"{default}"' if isinstance(default, str) else repr(default))
    return text


def signature(dotted: str) -> str:
    """The signature of a public function or method as its source declares it: ``sigderiv.derive``.

    A long signature gets one line per parameter.
    """
    import importlib

    module_name, _, attribute = dotted.rpartition(".")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
        shown = attribute
    except ModuleNotFoundError:  # a method: sigderiv.Derivation.to_json
        module_name, _, owner = module_name.rpartition(".")
        target = getattr(getattr(importlib.import_module(module_name), owner), attribute)
        shown = f"{owner}.{attribute}"
    sig = inspect.signature(target)
    parameters = [_parameter(p) for p in sig.parameters.values() if p.name not in ("self", "cls")]
    # a keyword-only marker ("*") between the positional and the keyword-only parameters
    kinds = [p.kind for p in sig.parameters.values() if p.name not in ("self", "cls")]
    if inspect.Parameter.KEYWORD_ONLY in kinds and inspect.Parameter.VAR_POSITIONAL not in kinds:
        parameters.insert(kinds.index(inspect.Parameter.KEYWORD_ONLY), "*")
    returns = "" if sig.return_annotation is inspect.Signature.empty else sig.return_annotation
    arrow = f" -> {returns}" if returns else ""
    one_line = f"{shown}({', '.join(parameters)}){arrow}"
    if len(one_line) <= 96:
        return f"```text\n{one_line}\n```\n"
    body = "".join(f"    {p},\n" for p in parameters)
    return f"```text\n{shown}(\n{body}){arrow}\n```\n"


def errors_table() -> str:
    """The error classes: what each means, its base class and the CLI's exit code for it."""
    from sigderiv import errors

    rows = ["| error | base | exit code | when |", "| --- | --- | --- | --- |"]
    classes = [errors.SigderivError]
    classes += sorted(
        (
            c
            for c in vars(errors).values()
            if isinstance(c, type)
            and c is not errors.SigderivError
            and issubclass(c, errors.SigderivError)
        ),
        key=lambda c: (c.exit_code, c.__name__),
    )
    for cls in classes:
        base = cls.__bases__[0].__name__
        when = (cls.__doc__ or "").strip().splitlines()[0]
        rows.append(f"| `{cls.__name__}` | `{base}` | {cls.exit_code} | {_cell(when)} |")
    return "\n".join(rows) + "\n"


def json_step(expr: str) -> str:
    """The first step of ``sigderiv derive EXPR --format json``, as a JSON block.

    Its substeps are left out, and so is the check's ``seconds``, which differs from run to
    run; everything else is the output as it is.
    """
    import json

    from sigderiv import render

    step = json.loads(render(_derived(expr), "json"))["steps"][0]
    del step["substeps"], step["check"]["seconds"]
    return "```json\n" + json.dumps(step, indent=2, ensure_ascii=False) + "\n```\n"


#: The columns of each family's table in docs/rules.md: the rewrite, then ``when``.
_RULE_COLUMNS = {
    "differentiation": ("rewrite", "applies when"),
    "grouping": ("the step", "its substeps"),
    "algebra": ("rewrite", "example"),
}


def rule_table(family: str) -> str:
    """The rules of one family as a Markdown table, from each rule's own declaration."""
    from sigderiv.rules.registry import declared

    first, second = _RULE_COLUMNS[family]
    rows = [f"| id | {first} | {second} |", "| --- | --- | --- |"]
    for rule in declared():
        if rule.family.value == family:
            rows.append(f"| `{rule.id}` | {_cell(rule.rewrite)} | {_cell(rule.when)} |")
    return "\n".join(rows) + "\n"


def rule_ids() -> str:
    """The members of ``sigderiv.Rule``, one per declared rule, each with its rewrite."""
    from sigderiv.rules.registry import declared

    lines = []
    for rule in declared():
        member = f'    {rule.member} = "{rule.id}"  # '
        room = 100 - len(member)
        comment = rule.rewrite
        if len(comment) > room:  # cut at a word, so that the line fits
            comment = comment[: room - 1].rsplit(" ", 1)[0] + "…"
        lines.append(member + comment)
    return "\n".join(lines) + "\n    # "


def table_functions() -> str:
    """The functions of the table of derivatives, by family, as the parser accepts them."""
    from sigderiv.expr.derivatives import TABLE
    from sigderiv.rules.registry import declared

    rows = ["| functions | derivatives (their rule) |", "| --- | --- |"]
    for rule in declared():
        names = [f"`{f.__name__}`" for f, known in TABLE.items() if known.family == rule.id]
        if names:
            rows.append(f"| {' '.join(names)} | {_cell(rule.rewrite)} (`{rule.id}`) |")
    return "\n".join(rows) + "\n"


def readings(*inputs: str) -> str:
    """What the parser reads each input as, with x the variable, and the warning or error."""
    import sympy as sp

    from sigderiv.errors import ParseError
    from sigderiv.input.guard import name_warnings
    from sigderiv.input.parse import read

    rows = ["| you type | read as | warning or error |", "| --- | --- | --- |"]
    for text in inputs:
        try:
            reading = read(text, ("x",))
        except ParseError as error:
            rows.append(f"| `{_cell(text)}` | (refused) | error: {_cell(error.message)} |")
            continue
        said = "; ".join(name_warnings(reading.one_names, sp.Symbol("x")))
        rows.append(f"| `{_cell(text)}` | `{_cell(str(reading.expr))}` | {_cell(said)} |")
    return "\n".join(rows) + "\n"


GENERATORS = {
    "catalogue": catalogue_table,
    "errors": errors_table,
    "json-step": json_step,
    "markdown-part": markdown_part,
    "readings": readings,
    "rule-examples": rule_examples,
    "rule-ids": rule_ids,
    "rule-table": rule_table,
    "signature": signature,
    "table-functions": table_functions,
}


# ---- command output --------------------------------------------------------------------------


def _run(args: str):
    """Run ``sigderiv ARGS`` at 80 columns without colour, from the repository's root."""
    from sigderiv.cli import app

    here = os.getcwd()
    os.chdir(ROOT)  # file arguments are relative to the repository
    try:
        env = {"COLUMNS": "80", "NO_COLOR": "1"}
        return CliRunner().invoke(app, shlex.split(args), env=env)
    finally:
        os.chdir(here)


def _tidy(text: str) -> str:
    """Drop trailing spaces from every line: editors strip them, and they show nothing."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def command_output(args: str) -> str:
    """Return what ``sigderiv ARGS`` prints on standard output.

    ``sigderiv check`` of a wrong derivation exits 1 by design; that output is shown too.
    """
    result = _run(args)
    allowed = (0, 1) if args.split()[0] == "check" else (0,)
    if result.exit_code not in allowed:
        raise RuntimeError(f"sigderiv {args} exited {result.exit_code}: {result.output}")
    return _tidy(result.stdout)


def console_session(args: str) -> str:
    """Return ``$ sigderiv ARGS``, what the terminal shows (stderr too) and a non-zero exit code."""
    result = _run(args)
    shown = result.output
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    if crashed or "internal error" in shown or "Traceback" in shown:
        raise RuntimeError(f"sigderiv {args} failed: {shown}{result.exception!r}")
    session = f"$ sigderiv {args}\n{_tidy(shown)}"
    if result.exit_code:
        session += f"$ echo $?\n{result.exit_code}\n"
    return session


def refreshed(text: str) -> str:
    """Return ``text`` with every generated block replaced by the current output."""

    def fill(match: re.Match[str]) -> str:
        args, lang = match.group("args"), match.group("lang")
        body = console_session(args) if lang == "console" else command_output(args)
        return f"<!-- output: sigderiv {args} -->\n```{lang}\n{body}```"

    def generate(match: re.Match[str]) -> str:
        name, args = match.group("name"), match.group("args")
        body = GENERATORS[name](*shlex.split(args))
        return f"<!-- generated: {name}{args} -->\n{body}<!-- end: {name}{args} -->"

    return GENERATED.sub(generate, MARKER.sub(fill, text))


#: Source files with a generated block (in comments): the Rule enum's members.
SOURCES = ("sigderiv/model/steps.py",)


def _refresh(names: tuple[str, ...]) -> bool:
    """Refresh the files ``names`` in place; print and return whether any changed."""
    changed = False
    for name in names:
        path = ROOT / name
        old = path.read_text(encoding="utf-8")
        new = refreshed(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            print(f"refreshed {name}", flush=True)
            changed = True
    return changed


def main() -> int:
    """Refresh the generated sources, then every page; print the files that changed.

    A source that changed (a new rule's id) is code this process has already imported: the
    pages are then refreshed by a fresh run of this script, which imports it anew.
    """
    if _refresh(SOURCES):
        os.execv(sys.executable, [sys.executable, __file__])
    _refresh(PAGES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
