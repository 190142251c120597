"""The steps the engine makes itself: groups of rules, orders, definitions, unknown functions."""

from __future__ import annotations

from sigderiv.rules.registry import Family, RuleInfo, declare

declare(
    RuleInfo(
        "differentiate",
        "Differentiate",
        "one pass of differentiation",
        Family.GROUPING,
        'one pass of differentiation, titled by the rules it used ("The quotient rule and the '
        'chain rule")',
        "the differentiation rules applied in the pass, outside in",
        "x sin(x)",
    )
)
declare(
    RuleInfo(
        "inner_derivative",
        "Differentiate the inner function",
        "the inner derivative",
        Family.GROUPING,
        "the next pass: the inner functions' derivatives that chain rules left pending "
        '("Differentiate the inner function −x")',
        "the rules that differentiate them",
        "sin(x^2)",
    )
)
declare(
    RuleInfo(
        "rewrite_in_terms",
        "Rewrite in terms of the function",
        "rewriting in terms of the function",
        Family.GROUPING,
        "write the derivative with 1/D only, when the function is c/D with D a sum (below)",
        "`add_subtract_one`, `split_fraction`, `cancel`, `factor`",
        "3/(2+e^x)",
    )
)
declare(
    RuleInfo(
        "order",
        "The derivative of one order",
        "one order of a higher derivative",
        Family.GROUPING,
        'one order of a higher derivative ("The second derivative")',
        "`higher_order`, then that order's own steps",
        "sigmoid",
        (("order", 2),),
    )
)
declare(
    RuleInfo(
        "higher_order",
        "Differentiate the previous derivative",
        "the previous derivative",
        Family.ALGEBRA,
        "dⁿf/dxⁿ → d/dx (f⁽ⁿ⁻¹⁾), from the previous order's compact form",
        "d²σ/dx² → d/dx(σ(1 − σ))",
        "sigmoid",
        (("order", 2),),
    )
)
declare(
    RuleInfo(
        "definition",
        "Write out the definition",
        "the definition",
        Family.ALGEBRA,
        "a named function → its definition",
        "σ(x) → 1/(1 + e⁻ˣ)",
        "softplus(x)",
    )
)
declare(
    RuleInfo(
        "undefined_function",
        "An unknown function",
        "the undefined function",
        Family.DIFFERENTIATION,
        "d/dx f(x) stays f′(x)",
        "an unknown function f(x); the chain rule goes through f(g(x))",
        "f(x)",
    )
)
