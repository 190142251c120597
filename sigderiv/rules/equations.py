"""The steps of implicit and parametric derivatives: both sides, collect, solve, the curve."""

from __future__ import annotations

from sigderiv.rules.registry import Family, RuleInfo, declare

declare(
    RuleInfo(
        "implicit_differentiation",
        "Differentiate both sides and solve for dy/dx",
        "implicit differentiation",
        Family.GROUPING,
        "dy/dx → C/A on F(x, y) = G(x, y), y = y(x): both sides differentiated, each as its own "
        "derivation, then collected (A·y′ = C) and solved",
        "each side's derivation, `collect_derivative`, `solve_derivative`",
        "x^2 + y^2 = 1",
    )
)
declare(
    RuleInfo(
        "parametric_rule",
        "Parametric derivative",
        "the parametric derivative",
        Family.GROUPING,
        "dy/dx → (dy/dt)/(dx/dt) for x = x(t), y = y(t), where dx/dt ≠ 0 (the chain rule "
        "dy/dt = dy/dx·dx/dt, proven in general)",
        "two components x = …, y = … of a parameter t",
        "x = cos(t), y = sin(t)",
        (("var", "t"),),
    )
)
declare(
    RuleInfo(
        "collect_derivative",
        "Collect dy/dx",
        "collecting dy/dx",
        Family.ALGEBRA,
        "A·y′ + B = C → (A)·y′ = C − B (checked as one expression: lhs − rhs is the same)",
        "2x + 2y·y′ = 0 → 2y·y′ = −2x",
        "x^2 + y^2 = 1",
    )
)
declare(
    RuleInfo(
        "solve_derivative",
        "Solve for dy/dx",
        "solving for dy/dx",
        Family.ALGEBRA,
        "A·y′ = C → y′ = C/A, where A ≠ 0 (checked by substituting C/A back)",
        "2y·y′ = −2x → y′ = −x/y",
        "x^2 + y^2 = 1",
    )
)
declare(
    RuleInfo(
        "substitute_derivative",
        "Substitute dy/dx",
        "substituting dy/dx",
        Family.ALGEBRA,
        "E(y′) → E(v) where y′ = v was derived before (substitution of equals)",
        "−(y − x·y′)/y² with y′ = −x/y → −(x² + y²)/y³",
        "x^2 + y^2 = 1",
        (("order", 2),),
    )
)
declare(
    RuleInfo(
        "use_equation",
        "Use the curve's equation",
        "using the curve's equation",
        Family.ALGEBRA,
        "N/D → (N mod (F − G))/D on the curve F = G (checked: N − its remainder is a multiple "
        "of F − G)",
        "−(x² + y²)/y³ on x² + y² = 1 → −1/y³",
        "x^2 + y^2 = 1",
        (("order", 2),),
    )
)
