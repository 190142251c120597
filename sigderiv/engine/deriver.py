"""derive(): run the strategies, build the step tree and check every step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

import sympy as sp
from sympy.core.function import AppliedUndef

from sigderiv.engine.checker import Checker
from sigderiv.engine.implicit import on_curve
from sigderiv.engine.layers import layered_steps
from sigderiv.engine.strategies import Applied, derivative_passes, in_sequence
from sigderiv.errors import LimitError, ParseError, UnsupportedError, raised_in_sympy
from sigderiv.expr import build, memory, walk
from sigderiv.expr.functions import Defined, NamedFunction, defined, lookup, write_out
from sigderiv.expr.letters import PRIME, equation, function_named, letters, problem
from sigderiv.input import guard
from sigderiv.input.equations import Given, curve_of, read_equations
from sigderiv.input.guard import Layers
from sigderiv.input.limits import (
    CHECK_TIMEOUT,
    MEMORY,
    TIMEOUT,
    check_expression,
    check_memory,
    check_order,
    check_seconds,
)
from sigderiv.model.steps import Derivation, Rule, Step
from sigderiv.model.words import Words, listed, words
from sigderiv.printing.inline import inline
from sigderiv.rules import first_rewrite
from sigderiv.rules.algebra import add_subtract_constant, cancel, factor_out, reduce, split_fraction
from sigderiv.rules.base import Rewrite
from sigderiv.rules.before import base_power_rule, min_max_rule
from sigderiv.rules.logistic import exp_ratio, sigma_complement
from sigderiv.rules.own_value import own_value
from sigderiv.rules.registry import info as rule_info
from sigderiv.rules.simplify import roots_first, simplify_once
from sigderiv.rules.substitute import solve_for_named, substitute_named
from sigderiv.sandbox.bound import Pending, prestart, submit


def _as_function(
    expr: Given, x: sp.Symbol
) -> tuple[sp.Expr, str | None, sp.Expr | None, tuple[str, ...]]:
    """Return (function, name, own value, one names) for a catalogue name, text or SymPy expr.

    The own value is the function applied as a named function, σ(x) or ELU(x), for a
    catalogue name; None otherwise. The one names are the words of the text read as one
    symbol each (xy when its letters are not known symbols).
    """
    if isinstance(expr, str):
        entry = lookup(expr.strip())
        if entry is not None:
            return entry.definition(x), entry.name, entry.apply(x), ()
        from sigderiv.input.parse import read

        reading = read(expr, (x.name,))
        return reading.expr, None, None, reading.one_names
    if isinstance(expr, sp.Basic) and isinstance(expr, sp.Expr):
        return expr, None, None, ()
    raise ParseError(f"expected text, a SymPy expression or an Eq, not {type(expr).__name__}")


def _to_expand(start: sp.Expr, whole: sp.Expr | None) -> list[sp.Expr]:
    """Named functions to write out: every Defined one, and σ(u) when it is the whole input."""
    found = [
        f
        for f in start.atoms(Defined, NamedFunction)
        if (isinstance(f, Defined) and f.known_derivative is None) or f == whole
    ]
    return sorted(found, key=sp.default_sort_key)


def _definition_step(checker: Checker, start: sp.Expr, whole: sp.Expr | None) -> Step | None:
    """σ(u) -> 1/(1 + e^(−u)): write named functions in the input by their definitions."""
    named = _to_expand(start, whole)
    if not named:
        return None
    after = start.xreplace({f: f.expand_definition() for f in named})
    said = listed([equation(f, f.expand_definition()) for f in named], "; ", "definition")
    return checker.step(
        Rule.DEFINITION,
        Words.plain("Write out the definition"),
        words("To differentiate, write each named function by its definition: {said}.", said=said),
        start,
        after,
    )


def _title(names: list[str]) -> Words:
    title = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return Words.plain(title[0].upper() + title[1:])


def _differentiation_steps(checker: Checker, start: sp.Expr, x: sp.Symbol) -> list[Step]:
    steps: list[Step] = []
    left: set[sp.Expr] = set()  # the inner derivatives the previous pass's chain rules left
    for number, applied in enumerate(derivative_passes(start, x, first_rewrite)):
        substeps = [checker.applied(a) for a in applied]
        before, after = applied[0].before, applied[-1].after
        if number == 0:
            used: list[Rule] = [r.rule for r in substeps if r.rule is not Rule.CONSTANT_RULE] or [
                Rule.CONSTANT_RULE
            ]
            names = list(dict.fromkeys(rule_info(r).name for r in used))
            title = _title(names)
            rule = Rule.DIFFERENTIATE
            explanation = (
                substeps[0].explanation
                if len(substeps) == 1
                else Words.plain(
                    f"Differentiate from the outside in, using {', then '.join(names)}."
                )
            )
        else:
            # the inner functions are what the chain rule left, not the terms of their sums
            # nor the constants in them: 1 + x², never 1 + x², 1, x²
            inner = [a.local[0].expr for a in applied if a.local is not None and a.local[0] in left]
            inner = list(dict.fromkeys(u for u in inner if u.has(x)))
            title = words(
                "Differentiate the inner function{s} {inner}",
                s="s" if len(inner) > 1 else "",
                inner=listed(inner, role="inner"),
            )
            rule = Rule.INNER_DERIVATIVE
            explanation = (
                substeps[0].explanation
                if len(substeps) == 1
                else Words.plain(
                    "Differentiate what the chain rule left: the derivative of the inner function."
                )
            )
        steps.append(checker.step(rule, title, explanation, before, after, substeps))
        left = {d for a in applied for d in a.rewrite.inner}
    return steps


def _over_a_sum(function: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """Return D when the function is c/D with c constant and D a sum depending on x."""
    num, den = sp.fraction(function, exact=True)
    if num.has(x) or not isinstance(den, sp.Add) or not den.has(x):
        return None
    return den


def _in_terms_step(checker: Checker, expr: sp.Expr, function: sp.Expr, x: sp.Symbol) -> Step | None:
    """Rewrite N/D**n through 1/D when the function is c/D: add and subtract, split, ..."""
    base = _over_a_sum(function, x)
    if base is None:
        return None
    rules = [partial(r, x=x) for r in (add_subtract_constant, split_fraction, cancel, factor_out)]
    applied = in_sequence(expr, rules)
    if not applied or applied[0].rewrite.rule is not Rule.ADD_SUBTRACT_ONE:
        return None
    substeps = [checker.applied(a) for a in applied]
    unit = 1 / base
    return checker.step(
        Rule.REWRITE_IN_TERMS,
        words("Rewrite in terms of {unit}", unit=unit),
        words(
            "The function itself is {function}, so any {unit} in the derivative is the function "
            "again. Add and subtract a constant to make the denominator appear in the "
            "numerator, split the fraction, cancel, and factor: what remains is written with "
            "{unit} only.",
            function=function,
            unit=unit,
        ),
        applied[0].before,
        applied[-1].after,
        substeps,
    )


#: How many named simplifications may follow one another at most.
MAX_SIMPLIFICATIONS = 4


def _one_order(
    checker: Checker,
    start: sp.Expr,
    whole: sp.Expr,
    x: sp.Symbol,
    own: sp.Expr | None,
    allowed: set[type],
    write_whole: bool = True,
) -> list[Step]:
    """The steps from d/dx(whole) to its compact form, in terms of ``own`` where possible.

    ``write_whole=False`` keeps a named function that is the whole input (σ(z)) by its name:
    its derivative is then the table's σ′ = σ(1 − σ), as a layer of a network uses it.
    """
    steps: list[Step] = []

    def add_rewrite(rewrite: Rewrite | None) -> bool:
        if rewrite is None:
            return False
        current = steps[-1].after if steps else start
        steps.append(checker.applied(Applied(rewrite, current, rewrite.after)))
        return True

    def simplify_all() -> None:
        for _ in range(MAX_SIMPLIFICATIONS):
            if not add_rewrite(simplify_once(steps[-1].after, x, allowed)):
                break

    written_out = whole
    for first in (base_power_rule, min_max_rule, roots_first):
        if add_rewrite(first(start)):
            start = steps[-1].after
    definition = _definition_step(checker, start, whole if write_whole else None)
    if definition is not None:
        steps.append(definition)
        written_out = definition.after.expr
    steps.extend(_differentiation_steps(checker, steps[-1].after if steps else start, x))
    unknown = _unknown_function(whole, x)
    if not steps and unknown is not None:
        applied, count = unknown
        f = applied.func
        derivative = sp.Derivative(applied, (x, count + 1))
        steps.append(
            checker.step(
                Rule.UNDEFINED_FUNCTION,
                words("{f} is an unknown function", f=str(f)),
                words(
                    "Nothing is known about {f} but its name, so its derivative stays as it is: "
                    "{prime}, written {derivative}.",
                    f=str(f),
                    prime=function_named(
                        sp.Symbol(str(f) + PRIME * count), *applied.args, prime=True
                    ),
                    derivative=derivative,
                ),
                start,
                derivative,
            )
        )
        return steps
    if not steps:
        raise UnsupportedError(f"nothing to derive in {inline(whole)}")
    add_rewrite(reduce(steps[-1].after))
    if not isinstance(steps[-1].after, sp.Atom):  # none of these rewrites a number or a letter
        bridge = _in_terms_step(checker, steps[-1].after, written_out, x)
        if bridge is not None:
            steps.append(bridge)
        add_rewrite(substitute_named(steps[-1].after))
        # ratios of exponentials as σ, then one σ for each argument: σ(z)·σ(−z) = σ(z)(1 − σ(z))
        add_rewrite(exp_ratio(steps[-1].after))
        add_rewrite(sigma_complement(steps[-1].after))
        if bridge is None:
            simplify_all()
            add_rewrite(substitute_named(steps[-1].after))
            if add_rewrite(solve_for_named(steps[-1].after)):
                simplify_all()
            add_rewrite(exp_ratio(steps[-1].after))
            if add_rewrite(sigma_complement(steps[-1].after)):
                simplify_all()
    if own is not None and not steps[-1].after.has(own):
        rewrite = own_value(steps[-1].after, own, written_out_value(own), x)
        if rewrite is not None:
            # Optional: a form in terms of f that SymPy cannot prove (it may hold for some x
            # only) is not made; the derivative stays in terms of x.
            step = checker.applied(Applied(rewrite, steps[-1].after, rewrite.after))
            if step.verified:
                steps.append(step)
    return steps


def _unknown_function(whole: sp.Expr, x: sp.Symbol) -> tuple[AppliedUndef, int] | None:
    """Return f(x) and n when ``whole`` is f(x) or its n-th derivative in x (nothing to apply)."""
    if isinstance(whole, AppliedUndef):
        return whole, 0
    if isinstance(whole, sp.Derivative) and isinstance(whole.expr, AppliedUndef):
        counts = dict(whole.variable_count)
        if set(counts) == {x}:
            return whole.expr, int(counts[x])
    return None


def written_out_value(own: sp.Expr) -> sp.Expr:
    """Return the definition of the named value ``own`` (σ(x) -> 1/(1 + e^(−x)))."""
    if isinstance(own, (Defined, NamedFunction)):
        return own.expand_definition()
    return own


def _order_step(
    checker: Checker,
    function: sp.Expr,
    previous: sp.Expr,
    order: int,
    x: sp.Symbol,
    own: sp.Expr | None,
    allowed: set[type],
) -> Step:
    """One order of a higher derivative: d^n f = d/dx(f^(n-1)) = ... with its steps."""
    before = sp.Derivative(function, (x, order), evaluate=False)
    start = build.derivative(previous, x)
    lift = checker.step(
        Rule.HIGHER_ORDER,
        Words.plain("Differentiate the previous derivative"),
        words(
            "The {order} derivative is the derivative of the {previous_order}: start from its "
            "compact form {previous}.",
            order=_ordinal(order),
            previous_order=_ordinal(order - 1),
            previous=previous,
        ),
        before,
        start,
    )
    inner = _one_order(checker, start, previous, x, own, allowed)
    return checker.step(
        Rule.ORDER,
        Words.plain(f"The {_ordinal(order)} derivative"),
        words("Differentiate {previous} once more.", previous=previous),
        before,
        inner[-1].after,
        [lift, *inner],
    )


def _ordinal(n: int) -> str:
    words = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    return words.get(n, f"{n}th")


def _with_known_derivative(own: sp.Expr | None, result: sp.Expr) -> sp.Expr | None:
    if isinstance(own, Defined):
        return own.knowing(result)
    return own


def derive(
    expr: str | sp.Expr | sp.Equality | tuple[sp.Equality, sp.Equality],
    var: str | sp.Symbol = "x",
    *,
    name: str | None = None,
    order: int = 1,
    timeout: float | None = TIMEOUT,
    check_timeout: float = CHECK_TIMEOUT,
    memory: int | None = MEMORY,
    bounded: bool = True,
    partial: bool = False,
    layers: bool | Sequence[tuple[str, str | sp.Expr]] | None = None,
) -> Derivation:
    """Derive d/dvar(expr) step by step, checking every step; return the Derivation.

    ``expr`` is a catalogue name (``"sigmoid"``), expression text (``"1/(1+exp(-x))"``)
    or a SymPy expression. ``name`` names the function, so that the result is written in
    terms of its own value where a closed form exists (a catalogue name does this by
    itself). ``order`` asks for the n-th derivative; ``partial`` writes it ∂/∂var, a partial
    derivative of a function of several variables (every other name stays a constant either
    way; only the notation differs). ``layers`` derives it the way backpropagation does, layer
    by layer through named quantities: ``[("z", "w*x + b"), ("a", "sigmoid(z)")]`` names
    them (each value may use the names before it), ``True`` finds them (the part the function
    repeats, or an activation applied, and its argument); see docs/backprop.md. Raises a
    :class:`~sigderiv.errors.SigderivError` for input it cannot read or derive, and
    :class:`~sigderiv.errors.VerificationError` if a step fails its check.

    Bounds (see docs/security.md): the whole derivation, reading the text included, runs in
    a forked worker process that is killed after ``timeout`` seconds (TimeoutError) and may
    allocate ``memory`` bytes (LimitError past it); None lifts either bound. Each step's
    proof may take ``check_timeout`` seconds, never more than what is left of ``timeout``;
    a proof that runs out of time leaves its step unverified and the derivation goes on.
    ``bounded=False`` runs in this process without the whole-derivation bound (each proof
    is still bounded), for callers that cannot fork. Expressions past the limits of
    :mod:`sigderiv.input.limits` raise LimitError; ``warnings`` on the result say when the
    derivative is probably not the one meant (the variable does not occur, ...).
    """
    if not bounded:
        derived = _work(expr, var, name, order, timeout, check_timeout, layers)()
    else:
        derived = start(
            expr,
            var,
            name=name,
            order=order,
            timeout=timeout,
            check_timeout=check_timeout,
            memory=memory,
            layers=layers,
        ).result()
    return replace(derived, partial=True) if partial else derived


def start(
    expr: str | sp.Expr | sp.Equality | tuple[sp.Equality, sp.Equality],
    var: str | sp.Symbol = "x",
    *,
    name: str | None = None,
    order: int = 1,
    timeout: float | None = TIMEOUT,
    check_timeout: float = CHECK_TIMEOUT,
    memory: int | None = MEMORY,
    layers: bool | Sequence[tuple[str, str | sp.Expr]] | None = None,
) -> Pending[Derivation]:
    """Start :func:`derive` in its bounded worker; ``.result()`` waits for the Derivation.

    The caller works on meanwhile: the command line imports its renderers while the
    derivation runs. Bad arguments raise here; everything else from ``.result()``.
    """
    work = _work(expr, var, name, order, timeout, check_timeout, layers)
    return submit(work, timeout, memory=check_memory(memory), what="the derivation")


def derivation_call(
    expr: str | sp.Expr,
    var: str | sp.Symbol = "x",
    *,
    timeout: float | None = TIMEOUT,
    check_timeout: float = CHECK_TIMEOUT,
) -> Callable[[], Derivation]:
    """Check derive()'s arguments; return the call that derives, to run in a bounded worker."""
    return _work(expr, var, None, 1, timeout, check_timeout)


#: What the kept worker derives to warm up: a quotient, a sum, a power and the chain rule.
WARM_UP = "1/(1 + x^2)"


def prepare(
    memory: int | None = MEMORY,
    then: Callable[[], object] | None = None,
    count: int = 1,
    *,
    warm: bool = True,
) -> None:
    """Fork ``count`` derivation workers; each derives :data:`WARM_UP` first (unless not
    ``warm``), then runs ``then``. Never needed, only faster: calls start from a cleared cache.
    """
    prestart(memory, partial(_warm_up, then, warm), count)


def _warm_up(then: Callable[[], object] | None = None, warm: bool = True) -> None:
    x = sp.Symbol("x")
    if warm:
        _derive(WARM_UP, x, name=None, order=1, check_timeout=CHECK_TIMEOUT, layers=None)
    if then is not None:
        then()


def _work(
    expr: Given,
    var: str | sp.Symbol,
    name: str | None,
    order: int,
    timeout: float | None,
    check_timeout: float,
    layers: Layers = None,
) -> Callable[[], Derivation]:
    """Check derive()'s arguments; return the derivation to run, in a worker or here.

    A SymPy ``expr`` is measured first, here in the caller: its size and depth over its DAG
    (see check_expression), before anything walks it as a tree or pickles it.
    """
    if isinstance(expr, sp.Basic):
        check_expression(expr)
        guard.check_defined(expr)
    x = guard.variable(var, expr)
    name = guard.function_name(name, x)
    order = check_order(order)
    check_seconds(timeout, "timeout")
    if check_seconds(check_timeout, "check_timeout") is None:
        raise LimitError("check_timeout= must be a number of seconds, not None")
    layers = guard.layers(layers)
    if layers is not None and order != 1:
        raise UnsupportedError("layers= derives a first derivative: leave order= at 1")
    return partial(
        _derive, expr, x, name=name, order=order, check_timeout=check_timeout, layers=layers
    )


def _derive(
    expr: Given,
    x: sp.Symbol,
    *,
    name: str | None,
    order: int,
    check_timeout: float,
    layers: Layers,
) -> Derivation:
    """derive() in this process, its arguments already checked: parse, derive, check."""
    with memory.fresh():  # the derivation owns what it remembers, from an empty start
        try:
            return _derive_steps(
                expr, x, name=name, order=order, check_timeout=check_timeout, layers=layers
            )
        except (ValueError, TypeError, AttributeError, IndexError, NotImplementedError) as exc:
            if not raised_in_sympy(exc):
                raise  # a bug of ours: the command line asks for a report
            raise UnsupportedError(
                f"SymPy failed on {inline(expr) if isinstance(expr, sp.Basic) else expr}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc


def _derive_steps(
    expr: Given,
    x: sp.Symbol,
    *,
    name: str | None,
    order: int,
    check_timeout: float,
    layers: Layers = None,
) -> Derivation:
    """The derivation itself, inside its own memory (see :func:`_derive`)."""
    curve = read_equations(expr, x) if isinstance(expr, str) else curve_of(expr, x)
    if curve is not None:  # an implicit or a parametric curve: dy/dx (engine/implicit.py)
        given = (("name", name), ("layers", layers))
        options = tuple(o for o, value in given if value is not None)
        return on_curve(curve, x, order, check_timeout, _one_order, options=options)
    function, catalogue_name, own, one_names = _as_function(expr, x)
    with problem(function):  # template letters avoid every name of the problem
        return _derived(
            function, catalogue_name, own, x, name, order, check_timeout, layers, one_names
        )


def _derived(
    function: sp.Expr,
    catalogue_name: str | None,
    own: sp.Expr | None,
    x: sp.Symbol,
    name: str | None,
    order: int,
    check_timeout: float,
    layers: Layers,
    one_names: tuple[str, ...] = (),
) -> Derivation:
    check_expression(function)
    guard.check_name(name, function)
    entry = lookup(catalogue_name) if catalogue_name is not None else None
    parameters = tuple(p for p, _ in entry.parameters) if entry else ()
    warned = guard.warnings(function, x, parameters, one_names)
    if name is not None:
        own = defined(name, lambda y: function.xreplace({x: y}))(x)
    name = name or catalogue_name
    allowed = {type(f) for f in write_out(function).atoms(sp.Function)}
    checker = Checker(check_timeout)
    start = build.derivative(function, x)

    def differentiate(expr: sp.Expr, var: sp.Symbol) -> list[Step]:
        return _one_order(checker, build.derivative(expr, var), expr, var, None, allowed, False)

    through_layers = layered_steps(checker.step, function, x, layers, differentiate)
    steps = through_layers or _one_order(checker, start, function, x, own, allowed)
    if order > 1:
        first = checker.step(
            Rule.ORDER,
            Words.plain("The first derivative"),
            words("Differentiate {function} once.", function=function),
            start,
            steps[-1].after,
            steps,
        )
        steps = [first]
        for n in range(2, order + 1):
            previous = build.tidy(walk.evaluated(steps[-1].after))
            known = _with_known_derivative(own, walk.evaluated(first.after))
            step = _order_step(
                checker,
                function,
                walk.replace(previous, own, known) if own is not None else previous,
                n,
                x,
                known,
                allowed,
            )
            steps.append(step)
    final = steps[-1].after
    # Names enter through a few rules only; looking there is enough, and cheap.
    naming = {Rule.DEFINITION, Rule.SUBSTITUTE, Rule.SOLVE_SUBSTITUTE, Rule.OWN_VALUE}
    sources = [function, final, *(s.after for st in steps for s in st.walk() if s.rule in naming)]
    named = {f for e in sources for f in walk.atoms_of(e, (Defined, NamedFunction))}
    if isinstance(own, (Defined, NamedFunction)):
        named.add(own)
    partial = bool(through_layers) and len(function.free_symbols) > 1
    # σ(x) = … at the variable; through a network's layers at a letter of its own: σ(u), not σ(w)
    (at,) = letters(function, "u") if partial else (x,)
    defined_at = {f.at(at) if isinstance(f, Defined) else f.func(at) for f in named}
    definitions = tuple(
        (f, f.expand_definition()) for f in sorted(defined_at, key=sp.default_sort_key)
    )
    return Derivation(
        function=function,
        variable=x,
        result=walk.evaluated(final),
        steps=tuple(steps),
        name=name,
        definitions=definitions,
        warnings=warned,
        order=order,
        # through layers, the function is one of several variables, as a network's loss is
        partial=partial,
    )
