"""Walking expressions: one memoised fold serves every tree walk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cmp_to_key
from typing import TypeVar

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.mul import Mul
from sympy.core.operations import AssocOp

from sigderiv.expr import memory
from sigderiv.expr.build import mul, plain_expressions, unevaluated

T = TypeVar("T")


def fold(
    memo: dict[sp.Basic, T],
    expr: sp.Basic,
    combine: Callable[[sp.Basic, Callable[[sp.Basic], T]], T],
) -> T:
    """Return ``combine(expr, value_of)``, ``value_of`` folding a subexpression the same way.

    Each distinct subtree is folded once and remembered in ``memo``: the derivative of sin
    nested n deep has n²/2 nodes as a tree but about 2n different ones, and a long product's
    derivative repeats each factor n times. A memo that holds :data:`MEMO_LIMIT` entries
    when a fold begins starts over.
    """
    if len(memo) >= memory.MEMO_LIMIT:
        memo.clear()
    get = memo.get

    def value_of(node: sp.Basic) -> T:
        known = get(node)
        if known is None:
            known = memo[node] = combine(node, value_of)
        return known

    return value_of(expr)


def distinct_nodes(
    expr: sp.Basic, inside: Callable[[sp.Basic], Iterable[sp.Basic]]
) -> Iterator[sp.Basic]:
    """Yield ``expr`` and each node ``inside`` leads to, each distinct subtree once.

    ``inside(node)`` names the parts of ``node`` to walk into (its args, some of them, or
    none): a search that looks only where a rule leaves what it seeks.
    """
    seen: set[sp.Basic] = set()
    stack = [expr]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        stack.extend(inside(node))


def in_print_order(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` rebuilt unevaluated with its terms and factors in SymPy's print order.

    An evaluated expression keeps its arguments in an internal order (3 + 2x); printed with
    ``order="none"`` it would show that. This is the order SymPy itself prints: 2x + 3.
    """
    ranks = _recurring_factors(expr)

    def order(node: sp.Expr, walk: Callable[[sp.Expr], sp.Expr]) -> sp.Expr:
        return _in_print_order(node, walk, ranks)

    return fold({}, expr, order)


def _in_print_order(
    expr: sp.Expr, order: Callable[[sp.Expr], sp.Expr], ranks: dict[sp.Basic, int]
) -> sp.Expr:
    if not _printed_inside(expr):
        return expr
    if isinstance(expr, sp.Add):
        return unevaluated(sp.Add, [order(t) for t in expr.as_ordered_terms()])
    if isinstance(expr, sp.Mul):
        coefficient, rest = expr.as_coeff_Mul()
        factors = [order(f) for f in _ordered_factors(rest, ranks)]
        if coefficient != 1:
            factors.insert(0, coefficient)
        return factors[0] if len(factors) == 1 else unevaluated(sp.Mul, factors)
    if isinstance(expr, sp.Pow):
        return sp.Pow(*(order(a) for a in expr.args), evaluate=False)
    return expr


def _printed_inside(expr: sp.Basic) -> bool:
    """True when :func:`in_print_order` orders the parts of ``expr`` (not a function's)."""
    return bool(expr.args) and not isinstance(expr, (sp.Derivative, sp.Function))


def _recurring_factors(expr: sp.Expr) -> dict[sp.Basic, int]:
    """Each commutative factor of the products in ``expr`` with its place in the print order,
    when factors recur: a long product's derivative has each of n factors in n − 1 terms.

    Sorting the n² factors term by term compares their sort keys, tuples of SymPy numbers,
    n² times; here the n distinct factors are sorted once and each term sorts by the places
    (equal keys share a place, so the order is the same, ties kept as they were). Empty when
    the products share few factors: then sorting term by term is as cheap.
    """
    products = [
        node
        for node in distinct_nodes(expr, lambda n: n.args if _printed_inside(n) else ())
        if isinstance(node, sp.Mul)
    ]
    factors = set().union(*(p.args for p in products))
    if sum(len(p.args) for p in products) <= 2 * len(factors):
        return {}
    ranks: dict[sp.Basic, int] = {}
    place, last = -1, None
    for factor in sorted((f for f in factors if f.is_commutative), key=_sort_key):
        key = _sort_key(factor)
        if key != last:
            place, last = place + 1, key
        ranks[factor] = place
    return ranks


def _ordered_factors(expr: sp.Expr, ranks: dict[sp.Basic, int]) -> list[sp.Expr]:
    """``expr.as_ordered_factors()``, each factor's sort key asked once per derivation."""
    if not isinstance(expr, sp.Mul):
        return expr.as_ordered_factors()
    commutative, rest = expr.args_cnc()
    if ranks and all(f in ranks for f in commutative):
        commutative.sort(key=ranks.__getitem__)  # the places of the sort keys: the same order
    else:
        commutative.sort(key=_sort_key)
    ordered: list[sp.Expr] = commutative + rest
    return ordered


@memory.remembered  # a long product's factors recur in each term of its derivative
def _sort_key(expr: sp.Expr) -> tuple[object, ...]:
    key: tuple[object, ...] = expr.sort_key()
    return key


#: Nodes that doit, evalf and SymPy's transforms may spend minutes on (a Sum to a symbolic
#: bound): rebuilt, never done, here; sampled bounded and left unsimplified elsewhere.
SLOW_TO_EVALUATE: tuple[type[sp.Basic], ...] = (sp.Sum, sp.Product, sp.Integral)


def evaluated(expr: sp.Expr) -> sp.Expr:
    """Return ``expr`` rebuilt with SymPy's normal evaluation (display wrappers removed).

    This is ``expr.doit()``, with equal subtrees evaluated once (see :func:`fold`). What
    was evaluated is remembered for the rest of the derivation: a step's rewrite and its
    proof evaluate the same expression. Equal values are one object: the print order's
    x + 1 evaluates to the 1 + x evaluated before, not to an equal copy of it, so the tables
    keyed by it (and :func:`same`) find it at once instead of comparing the two.
    """
    known = memory.current()
    values = known.values

    def one_object(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
        value = _evaluated(node, walk)
        if value is node or not value.args:
            return value
        if len(values) >= memory.MEMO_LIMIT:
            values.clear()
        return values.setdefault(value, value)

    return fold(known.evaluated, expr, one_object)


def _unknown_derivative(node: sp.Basic) -> bool:
    """True for a derivative of an unknown function of letters in one of those letters.

    Its ``doit`` gives it back (SymPy knows nothing of f but its name), after building it
    anew by SymPy's whole differentiation.
    """
    if not (isinstance(node, sp.Derivative) and isinstance(node.expr, AppliedUndef)):
        return False
    if len(node.variable_count) != 1:
        return False  # in several letters doit may order them anew
    ((variable, _count),) = node.variable_count
    args = node.expr.args
    return variable in args and all(isinstance(a, sp.Symbol) for a in args)


def _evaluated(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    if not node.args:
        return node
    if isinstance(node, sp.UnevaluatedExpr):
        return walk(node.args[0])
    if isinstance(node, sp.Subs) and isinstance(node.expr, sp.Derivative):
        # f′(w) of an unknown f, kept as the chain rule writes it (doit gives d/dw f(w))
        return sp.Subs(node.expr, node.variables, tuple(walk(p) for p in node.point))
    if isinstance(node, AssocOp) and type(node).doit is AssocOp.doit:
        args = [walk(a) for a in node.args]
        if type(node) is sp.Mul:
            product = _product_of_distinct_bases(args)
            if product is not None:
                return product
        return node.func(*args, evaluate=True)
    if type(node).doit is sp.Basic.doit:  # the same as doit: rebuild from the args
        args = [walk(a) for a in node.args]
        unchanged = all(a is b for a, b in zip(args, node.args, strict=True))
        # a function applied to what it was applied to is as SymPy built it: building
        # cos(w) again asks w's assumptions again, the whole of w, for nothing
        return node if unchanged and isinstance(node, sp.Function) else node.func(*args)
    if _unknown_derivative(node):
        return node  # d/dx f(x) of an unknown f: doit builds it again, as it is
    if isinstance(node, SLOW_TO_EVALUATE):
        # rebuilt, not done: doit would try to sum to a symbolic bound, for minutes
        return node.func(*(walk(a) for a in node.args))
    return node.doit()  # a derivative, a piecewise, ...: its own doit


def _plain_base(base: sp.Basic) -> bool:
    """True for a base Mul.flatten keeps as it is: a symbol, a sum, a function but exp."""
    return (
        isinstance(base, (sp.Symbol, sp.Add))
        or (isinstance(base, sp.Function) and not isinstance(base, sp.exp))
    ) and base.is_commutative is True


def _product_of_distinct_bases(factors: list[sp.Basic]) -> sp.Expr | None:
    """Return Mul(*factors) without Mul.flatten when flatten could only sort them, else None.

    That is when :func:`mul_only_sorts` the factors; then the product is its factors (1s
    dropped) in SymPy's canonical order. The n terms of a long product's derivative are n
    such products of n − 1 factors each.
    """
    factors = [f for f in factors if f is not sp.S.One]  # Mul drops its identity first
    if len(factors) < 2:
        return factors[0] if factors else sp.S.One
    if not mul_only_sorts(factors):
        return None
    ordered = sorted(factors, key=_CANONICAL)
    product = Mul._from_args(ordered, True)
    if plain_expressions(ordered):
        return product  # what the postprocessors would give: none applies to these classes
    return Mul._exec_constructor_postprocessors(product)


@memory.remembered  # a long product's terms compare the same neighbouring factors
def _compared(one: sp.Basic, other: sp.Basic) -> int:
    return int(one.compare(other))


#: SymPy's canonical order of a product's factors (its ``_args_sortkey``), each pair
#: compared once per derivation.
_CANONICAL = cmp_to_key(_compared)


def add_only_sorts(terms: Sequence[sp.Basic]) -> bool:
    """True when ``Add(*terms)`` (evaluated, each term already so) could only sort them.

    That is when there are two or more, all different, and each is a product that does
    not start with a number, a symbol, a function, or a power of a base that is not a
    number, and commutative: no numbers to add up, no like terms to collect, no sums to
    open, nothing infinite. Then SymPy's sum has exactly these terms.
    """
    if len(terms) < 2 or len(set(terms)) != len(terms):
        return False
    for term in terms:
        if isinstance(term, sp.Mul):
            if term.args[0].is_Number:
                return False
        elif isinstance(term, sp.Pow):
            if term.base.is_Number:
                return False
        elif not isinstance(term, (sp.Symbol, sp.Function)) or isinstance(term, sp.Order):
            return False
        if term.is_commutative is not True:
            return False
    return True


def mul_only_sorts(factors: Sequence[sp.Basic]) -> bool:
    """True when ``Mul(*factors)`` (evaluated, each factor already so) could only sort them.

    That is when each factor is a plain base (see :func:`_plain_base`) or one raised to a
    number, and no two share a base: no numbers to collect, nothing to combine or distribute,
    and no factor of 1 to drop. Then SymPy's product has exactly these factors.
    """
    bases = []
    for factor in factors:
        if isinstance(factor, sp.Pow):
            if not (factor.exp.is_Number and factor.exp.is_finite) or factor.exp.is_zero:
                return False
            factor = factor.base
        bases.append(factor)
    # no two alike, counted at once; then each base plain
    return len(set(bases)) == len(bases) and all(map(_plain_base, bases))


def rewrite(expr: sp.Expr, change: Callable[[sp.Expr], sp.Expr | None]) -> sp.Expr:
    """Return ``expr`` with each outermost node that ``change`` maps replaced, form kept.

    ``xreplace`` and ``subs`` rebuild with evaluation and would undo the displayed form, so
    this walk rebuilds each changed node with ``evaluate=False``; products stay flat. Equal
    subtrees are rewritten once (see :func:`fold`).
    """

    def combine(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
        new = change(node)
        return rebuilt(node, walk) if new is None else new

    return fold({}, expr, combine)


def rebuilt(node: sp.Basic, walk: Callable[[sp.Basic], sp.Basic]) -> sp.Basic:
    """Return ``node`` with each argument replaced by ``walk(argument)``, unevaluated."""
    if not node.args or isinstance(node, sp.Derivative):
        return node
    args = [walk(arg) for arg in node.args]
    if all(a is b for a, b in zip(args, node.args, strict=True)):
        return node
    if isinstance(node, sp.Mul):
        return mul(*args)
    if type(node) is sp.Add:
        return unevaluated(sp.Add, args)
    if isinstance(node, (sp.Add, sp.Pow, sp.Piecewise)):
        return node.func(*args, evaluate=False)
    return node.func(*args)


def replace(expr: sp.Expr, old: sp.Expr, new: sp.Expr) -> sp.Expr:
    """Return ``expr`` with every occurrence of ``old`` replaced by ``new``, form kept."""
    return rewrite(expr, lambda e: new if e == old else None)


def same(one: sp.Basic, other: sp.Basic) -> bool:
    """Return ``one == other``, each pair of distinct subtrees compared once.

    SymPy compares two equal trees node by node: a long product's derivative and an equal
    copy of it compare each shared factor again in every term. A node whose identity is its
    class and arguments is compared here through them; any other (symbols, numbers) as
    SymPy compares it, and a number among the arguments must be of the same class too.
    """
    known: set[tuple[int, int]] = set()

    def equal(a: sp.Basic, b: sp.Basic) -> bool:
        if a is b or (id(a), id(b)) in known:
            return True
        if type(a) is not type(b) or not _by_args(a) or not isinstance(b, sp.Basic):
            return bool(a == b)
        if hash(a) != hash(b) or len(a.args) != len(b.args):
            return False
        for x, y in zip(a.args, b.args, strict=True):
            if x.is_Number and type(x) is not type(y):
                return False
            if not equal(x, y):
                return False
        known.add((id(a), id(b)))
        return True

    return equal(one, other)


def _by_args(node: object) -> bool:
    """True for a SymPy node whose identity is its class and its arguments."""
    return isinstance(node, sp.Basic) and type(node)._hashable_content in _ARGS_ONLY


#: The ``_hashable_content`` of nodes that are their arguments: Basic's and Expr's.
_ARGS_ONLY = (sp.Basic._hashable_content, sp.Expr._hashable_content)


def contains(expr: sp.Basic, part: sp.Basic) -> bool:
    """True when some node of ``expr`` equals ``part``, remembered for the derivation.

    For a symbol this is ``expr.has(part)`` over the DAG; ``has`` also finds a sum's
    terms among a larger sum's, which this does not look for.
    """
    memo = memory.current().found.setdefault(("contains", part), {})
    return fold(memo, expr, lambda node, found: node == part or any(map(found, node.args)))


def has_type(expr: sp.Basic, types: type | tuple[type, ...]) -> bool:
    """True when some node of ``expr`` is an instance of ``types``: ``expr.has(cls)`` over the DAG.

    SymPy's ``has`` walks the tree, each repeated subtree again: a long product's
    derivative repeats each factor n − 1 times. Here each distinct subtree is looked at once.
    """
    memo = memory.current().found.setdefault(("type", types), {})
    return fold(
        memo, expr, lambda node, found: isinstance(node, types) or any(map(found, node.args))
    )


def atoms_of(expr: sp.Basic, types: type | tuple[type, ...]) -> set[sp.Basic]:
    """Return ``expr.atoms(*types)``, each distinct subtree looked at once."""
    found: set[sp.Basic] = set()

    def look(node: sp.Basic, inside: Callable[[sp.Basic], bool]) -> bool:
        if isinstance(node, types):
            found.add(node)
        for arg in node.args:
            inside(arg)
        return True

    fold({}, expr, look)
    return found


def larger_than(expr: sp.Basic, limit: int) -> bool:
    """True when ``expr`` has more than ``limit`` nodes as a tree."""
    return size(expr) > limit


def names_in(expr: sp.Basic) -> frozenset[str]:
    """Return the names of the symbols in ``expr``, each distinct subtree looked at once."""
    return fold(memory.current().names, expr, _names)


def _names(node: sp.Basic, names: Callable[[sp.Basic], frozenset[str]]) -> frozenset[str]:
    if isinstance(node, sp.Symbol):
        return frozenset((node.name,))
    return frozenset().union(*map(names, node.args))


def free_symbols(expr: sp.Basic) -> frozenset[sp.Basic]:
    """Return ``expr.free_symbols``, each distinct subtree looked at once.

    SymPy unites the free symbols of every node of the tree: a long product's derivative
    repeats each factor n − 1 times. A node with a rule of its own (a symbol, a derivative,
    a Subs or Lambda that binds its variables) is asked as SymPy asks it.
    """
    return fold(memory.current().free, expr, _free)


def _free(node: sp.Basic, free: Callable[[sp.Basic], frozenset[sp.Basic]]) -> frozenset[sp.Basic]:
    if type(node).free_symbols is not _UNITED or not node.args:
        return frozenset(node.free_symbols)
    return frozenset().union(*map(free, node.args))


#: The free symbols of a node without a rule of its own: its arguments' together.
_UNITED = sp.Basic.free_symbols


def fewest_operations(expr: sp.Expr) -> int:
    """Return a lower bound on SymPy's ``count_ops(expr)``, each distinct subtree counted once.

    ``count_ops`` counts one operation for every function application and one for every
    term of a sum after the first (an addition or a subtraction), and more for the rest; so
    does this, and nothing else. Counting those costs nothing for the n²/2 nodes of a long
    product's or a nested function's derivative, where ``count_ops`` walks them all.
    """
    return fold(memory.current().fewest, expr, _fewest)


def _fewest(node: sp.Basic, fewest: Callable[[sp.Basic], int]) -> int:
    own = len(node.args) - 1 if isinstance(node, sp.Add) else 0
    own += 1 if isinstance(node, sp.Function) else 0
    return own + sum(fewest(a) for a in node.args)


def size(expr: sp.Basic) -> int:
    """Return the nodes of ``expr`` as a tree, each distinct subtree measured once."""
    return fold(
        memory.current().sizes, expr, lambda node, size: 1 + sum(size(a) for a in node.args)
    )


def forget() -> None:
    """Start the memory of this context over: each derivation starts from the same state."""
    memory.forget()
