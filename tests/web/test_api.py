"""The JSON API through FastAPI's TestClient: every endpoint's answers, good input and bad."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_security import (
    CODE_EXECUTION,
    FILE_AND_OS,
    MALFORMED,
    SIZE_BOMBS,
    UNICODE,
    WRONG_NAMES,
    Case,
    case_id,
)
from typer.testing import CliRunner
from untimed import timeless

from sigderiv import Derivation, ParseError, derive
from sigderiv.cli import app as cli_app
from sigderiv.input.parse import parse
from sigderiv.printing.latex import latex
from sigderiv.printing.mathml import mathml
from sigderiv.web.middleware import CSP

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

#: Every hostile or broken input of tests/test_security.py that is refused (not a time bomb).
HOSTILE = [
    case
    for table in (CODE_EXECUTION, FILE_AND_OS, SIZE_BOMBS, MALFORMED, UNICODE, WRONG_NAMES)
    for case in table
    if case.error is not None
]


def params(case: Case) -> dict[str, str]:
    """The query of /api/derive for a case."""
    given = {"expr": case.text, "var": case.var}
    return {**given, "name": case.name} if case.name else given


@pytest.fixture(scope="module")
def validator():
    """A validator of the published JSON schema."""
    import jsonschema

    schema = json.loads((ROOT / "docs" / "derivation.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_healthz(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


DERIVE = [
    ({"expr": "sigmoid"}, []),
    ({"expr": "x^2 sin(x)"}, []),
    ({"expr": "1/(1+exp(-k*t))", "var": "t"}, ["--var", "t"]),
    ({"expr": "tanh", "order": "2"}, ["--order", "2"]),
    ({"expr": "sqrt(x)", "name": "r"}, ["--name", "r"]),
    ({"expr": "y^2"}, []),  # a warning: the input does not contain x
]


@pytest.mark.parametrize(("query", "flags"), DERIVE, ids=lambda v: str(v))
def test_derive_is_the_command_lines_json(client: TestClient, validator, query, flags) -> None:
    answer = client.get("/api/derive", params=query)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    cli = runner.invoke(cli_app, ["derive", "-f", "json", *flags, "--", query["expr"]])
    assert cli.exit_code == 0, cli.output
    assert timeless(answer.json()) == timeless(json.loads(cli.stdout))
    assert list(answer.json()) == list(json.loads(cli.stdout))  # the keys in the same order
    validator.validate(answer.json())
    assert Derivation.from_json(answer.text).verified


@pytest.mark.parametrize("expr", ["sigmoid", "x^2 sin(x)", "x*exp(-x)", "atan(x)"])
def test_steps_are_the_html_renderers_steps_as_a_fragment(client: TestClient, expr: str) -> None:
    answer = client.get("/api/steps", params={"expr": expr})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    html = data["html"]
    assert data["verified"] is True and data["title"].startswith("The derivative of")
    assert html.startswith('<div class="sigderiv">') and html.count("<section") >= 2
    for absent in ("<html", "<head>", "<body", "<script", "<style", "<svg", "<main", " style="):
        assert absent not in html, absent
    assert "<math" in html and "✓" in html
    assert html.count("<details>") == html.count("</details>") == html.count("<summary>")


def test_substeps_are_collapsible(client: TestClient) -> None:
    html = client.get("/api/steps", params={"expr": "sigmoid"}).json()["html"]
    assert "<li><details>\n<summary><h3>(a) Quotient rule" in html


@pytest.mark.parametrize(
    ("expr", "series", "jumps"),
    [
        ("x^2", 2, False),
        ("sigmoid", 3, False),  # f, f′ and f′ from σ's own value
        ("sign(x)", 2, True),
        ("sign(x) + x", 2, True),
        ("log(x)", 2, False),
    ],
)
def test_plot_samples(client: TestClient, expr: str, series: int, jumps: bool) -> None:
    answer = client.get("/api/plot", params={"expr": expr})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    xs = data["x"]
    assert data["xlabel"] == "x" and xs == sorted(xs) and len(xs) >= 400
    assert xs[0] == -6.0 and xs[-1] == 6.0
    assert [s["label"] for s in data["series"]][:2] == ["f", "f′"]
    assert len(data["series"]) == series
    assert all(len(s["y"]) == len(xs) for s in data["series"])
    assert bool(data["dots"]) == jumps
    if jumps:  # the line breaks at the jump: a gap, not a vertical segment
        assert None in data["series"][0]["y"]
        assert all(isinstance(d["filled"], bool) for d in data["dots"])


def test_plot_values_are_the_functions_values(client: TestClient) -> None:
    data = client.get("/api/plot", params={"expr": "x^3 - x", "lo": "-2", "hi": "3"}).json()
    f, df = (s["y"] for s in data["series"])
    assert data["x"][0] == -2.0 and data["x"][-1] == 3.0
    for x, y, dy in zip(data["x"], f, df, strict=True):
        assert y == pytest.approx(x**3 - x) and dy == pytest.approx(3 * x**2 - 1)


def test_log_has_no_values_where_undefined(client: TestClient) -> None:
    data = client.get("/api/plot", params={"expr": "log(x)"}).json()
    for x, y in zip(data["x"], data["series"][0]["y"], strict=True):
        assert (y is None) == (x <= 0)


def test_plot_of_the_second_derivative_is_named_so(client: TestClient) -> None:
    data = client.get("/api/plot", params={"expr": "sin(x)", "order": "2"}).json()
    assert data["series"][1]["label"] == "f″"


def test_check_is_the_command_lines_report(client: TestClient, tmp_path: Path) -> None:
    lines = ["x^3", "3x^3"]
    answer = client.post("/api/check", json={"lines": lines, "var": "x"})
    assert answer.status_code == 200, answer.text
    file = tmp_path / "working.txt"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = runner.invoke(cli_app, ["check", "-f", "json", str(file)])
    assert answer.text == cli.stdout
    report = answer.json()
    assert report["status"] == "wrong" and report["first_error"] == 2
    assert report["lines"][0]["slip"] == "wrong_power"


def test_check_of_a_right_working_in_latex_and_in_t(client: TestClient) -> None:
    lines = [r"\frac{1}{1+e^{-t}}", r"\frac{e^{-t}}{(1+e^{-t})^2}", "σ(t)(1 − σ(t))"]
    report = client.post("/api/check", json={"lines": lines, "var": "t"}).json()
    assert report["status"] == "correct" and report["variable"] == "t"
    assert [line["status"] for line in report["lines"]] == ["correct", "correct"]


@pytest.mark.parametrize("expr", ["x^2 sin(x)", "1/(1+e^(-x))", "√x · 2π − x²", "sigmoid"])
def test_preview_is_parse_only_mathml_and_latex(client: TestClient, expr: str) -> None:
    answer = client.get("/api/preview", params={"expr": expr})
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["mathml"].startswith('<math display="block">') and data["mathml"].endswith(
        "</math>"
    )
    if expr != "sigmoid":
        assert data == {"mathml": mathml(parse(expr), block=True), "latex": latex(parse(expr))}
    else:
        assert "&#963;" in data["mathml"] and data["latex"].startswith(r"\sigma")


@pytest.mark.parametrize("case", MALFORMED + UNICODE[:-1], ids=case_id)
def test_a_parse_error_has_its_position(client: TestClient, case: Case) -> None:
    try:
        parse(case.text)
    except ParseError as error:
        expected = error
    for path in ("/api/preview", "/api/derive", "/api/steps", "/api/plot"):
        answer = client.get(path, params={"expr": case.text})
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json() == {
            "error": {
                "kind": "ParseError",
                "message": expected.message,
                "position": expected.position,
            }
        }


@pytest.mark.parametrize("case", HOSTILE, ids=case_id)
def test_hostile_input_is_a_4xx_with_the_librarys_error(client: TestClient, case: Case) -> None:
    answer = client.get("/api/derive", params=params(case))
    assert 400 <= answer.status_code < 500, answer.text
    error = answer.json()["error"]
    assert error["kind"] == case.error.__name__ and case.message in error["message"]
    assert "Traceback" not in answer.text and set(error) == {"kind", "message", "position"}


BAD_PARAMETERS = [
    ("/api/derive", {"expr": "x", "order": "abc"}, "order"),
    ("/api/derive", {"expr": "x", "order": "0"}, "order"),
    ("/api/derive", {"expr": "x", "order": "99"}, "order"),
    ("/api/derive", {"expr": "x", "order": "1.5"}, "order"),
    ("/api/derive", {}, "expr"),
    ("/api/steps", {"expr": "x", "order": "-1"}, "order"),
    ("/api/plot", {"expr": "x", "lo": "left"}, "lo"),
    ("/api/plot", {"expr": "x", "hi": "1e300"}, "hi"),
    ("/api/plot", {"expr": "x", "lo": "nan"}, "lo"),
    ("/api/preview", {}, "expr"),
]


@pytest.mark.parametrize(("path", "query", "named"), BAD_PARAMETERS)
def test_a_bad_parameter_is_a_422_in_the_one_shape(client, path, query, named) -> None:
    answer = client.get(path, params=query)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["kind"] == "ValidationError" and error["position"] is None
    assert error["message"].startswith(named)


BAD_BODIES = [
    ({"lines": "x^2"}, 422),
    ({"lines": []}, 422),
    ({"lines": [1, 2]}, 422),
    ({"var": "x"}, 422),
    ({"lines": ["x^2", "2x"], "var": 3}, 422),
    ({"lines": ["x^2", "2x+"]}, 400),
    ({"lines": ["x^2"] * 201}, 400),
    ({"lines": ["x+" * 1100 + "x", "1"]}, 400),
    ({"lines": ["x^2", "2x"], "var": "sin"}, 400),
]


@pytest.mark.parametrize(("sent", "status"), BAD_BODIES, ids=lambda v: str(v)[:30])
def test_a_bad_check_body(client: TestClient, sent: dict, status: int) -> None:
    answer = client.post("/api/check", json=sent)
    assert answer.status_code == status, answer.text
    assert set(answer.json()["error"]) == {"kind", "message", "position"}


def test_a_check_body_that_is_not_json(client: TestClient) -> None:
    answer = client.post("/api/check", content=b"lines=x", headers={"content-type": "text/plain"})
    assert answer.status_code == 422 and answer.json()["error"]["kind"] == "ValidationError"


def test_a_parse_error_in_a_checked_line_has_its_line_and_column(client: TestClient) -> None:
    error = client.post("/api/check", json={"lines": ["x^2", "2*x +"]}).json()["error"]
    assert error["kind"] == "ParseError" and error["message"].startswith("line 2: ")
    assert error["position"] == 4


def test_too_long_an_expression_is_refused_before_any_worker(client: TestClient) -> None:
    answer = client.get("/api/derive", params={"expr": "x+" * 1100 + "x"})
    assert answer.status_code == 400
    assert answer.json()["error"]["kind"] == "LimitError"
    assert "MAX_LENGTH = 2000" in answer.json()["error"]["message"]


def test_a_body_past_the_limit_is_413(client: TestClient) -> None:
    big = {"lines": ["x^2", "2*x" + " " * 300_000]}
    answer = client.post("/api/check", json=big)
    assert answer.status_code == 413
    assert answer.json()["error"]["kind"] == "LimitError"
    assert answer.headers["content-security-policy"] == CSP


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/api/derive?expr=x", 200),
        ("GET", "/api/derive?expr=x%2B", 400),
        ("GET", "/api/derive?expr=x&order=abc", 422),
        ("GET", "/no/such/page", 404),
        ("DELETE", "/api/derive", 405),
        ("GET", "/openapi.json", 200),
    ],
)
def test_every_answer_has_the_security_headers(client, method, path, status) -> None:
    answer = client.request(method, path)
    assert answer.status_code == status
    headers = answer.headers
    assert headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "default-src 'self'" in CSP
    assert "style-src 'self'" in CSP and "img-src 'self' data:" in CSP
    assert "frame-ancestors 'none'" in CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    if status >= 400:
        assert set(answer.json()["error"]) == {"kind", "message", "position"}


def test_a_bug_is_a_500_without_a_traceback() -> None:
    from sigderiv.web.app import create_app
    from sigderiv.web.settings import Settings

    app = create_app(Settings(workers=1))

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        answer = test_client.get("/boom")
    assert answer.status_code == 500
    assert answer.json()["error"]["kind"] == "InternalError"
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert answer.headers["content-security-policy"] == CSP


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/derive", "/api/steps", "/api/plot", "/api/preview", "/healthz"):
        assert "get" in paths[path], path
    assert "post" in paths["/api/check"]
    derive_doc = paths["/api/derive"]["get"]
    assert {"400", "422", "503", "504"} <= set(derive_doc["responses"])
    example = derive_doc["responses"]["400"]["content"]["application/json"]["example"]
    assert set(example["error"]) == {"kind", "message", "position"}
    described = {p["name"]: p.get("description", "") for p in derive_doc["parameters"]}
    assert set(described) == {"expr", "var", "order", "name"} and all(described.values())
    assert client.get("/docs").status_code == 404  # no page that loads a CDN's script


def test_the_log_has_no_users_text_by_default(client: TestClient, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="sigderiv.web.access"):
        client.get("/api/derive", params={"expr": "x^2 + secret_name*x"})
        client.post("/api/check", json={"lines": ["secret_line^2", "1"]})
    logged = " ".join(r.getMessage() for r in caplog.records if r.name == "sigderiv.web.access")
    assert "GET /api/derive 200" in logged and "POST /api/check" in logged
    assert "secret" not in logged


def test_the_log_has_the_text_when_asked() -> None:
    from sigderiv.web.app import create_app
    from sigderiv.web.settings import Settings

    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("sigderiv.web.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with TestClient(create_app(Settings(workers=1, log_input=True))) as test_client:
            test_client.get("/api/preview", params={"expr": "secret_x\x1b[31m"})
    finally:
        logger.removeHandler(handler)
    logged = " ".join(r.getMessage() for r in records)
    assert "secret_x" in logged and "\x1b" not in logged


def test_derive_answers_what_the_library_does(client: TestClient) -> None:
    data = client.get("/api/derive", params={"expr": "x*exp(-x)"}).json()
    assert Derivation.from_json(json.dumps(data)).result == derive("x*exp(-x)").result
