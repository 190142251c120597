"""``sigderiv serve`` for real: a subprocess on a free loopback port, and its missing extra."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys

import httpx
import pytest
from typer.testing import CliRunner

from sigderiv.cli import app

from .server import ROOT, environment, serving

runner = CliRunner()


@pytest.mark.parametrize(
    "args",
    [
        ("-m", "sigderiv", "serve", "--port", "{port}", "--workers", "1"),
        ("-m", "uvicorn", "sigderiv.web:app", "--port", "{port}", "--no-access-log"),
    ],
    ids=["sigderiv serve", "uvicorn sigderiv.web:app"],
)
def test_the_server_starts_answers_and_stops_on_sigterm(args: tuple[str, ...]) -> None:
    with serving(*args) as server:
        assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok"}
        answer = httpx.get(f"{server.url}/api/derive", params={"expr": "x^3"}, timeout=30)
        assert answer.status_code == 200 and answer.json()["result"]["text"] == "3x²"
        assert "content-security-policy" in answer.headers
        assert "server" not in answer.headers or args[1] == "uvicorn"
        server.process.send_signal(signal.SIGTERM)
        # uvicorn shuts down gracefully, then ends by the signal it caught (as a shell expects)
        assert server.process.wait(timeout=15) in (0, -signal.SIGTERM)
        output = server.process.stdout.read().decode()
    assert "Uvicorn running on http://127.0.0.1:" in output
    assert "Application shutdown complete" in output and "Finished server process" in output
    assert "Traceback" not in output
    if args[1] == "sigderiv":  # its request log: one line, no user's text
        assert "GET /api/derive 200" in output and "x^3" not in output


def test_serve_logs_the_text_only_when_asked() -> None:
    with serving("-m", "sigderiv", "serve", "--port", "{port}", "--log-input") as server:
        httpx.get(f"{server.url}/api/preview", params={"expr": "x^2+marker"}, timeout=30)
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=15)
        output = server.process.stdout.read().decode()
    assert "GET /api/preview " in output and "query='expr=x%5E2%2Bmarker'" in output


def test_a_port_in_use_is_one_error_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "sigderiv", "serve", "--port", str(port), "--workers", "1"],
            cwd=ROOT,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2, done.stderr
    assert f"error: cannot serve on 127.0.0.1:{port} (is the port in use?" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_without_the_web_extra_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn raises ImportError
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == 'error: sigderiv serve needs the web extra: pip install "sigderiv[web]"'
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "--port"),
        (["--workers", "0"], "--workers"),
        (["--queue", "-1"], "--queue"),
        (["--timeout", "0"], "--timeout"),
    ],
)
def test_serve_refuses_bad_options(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["serve", *args])
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_other_commands_do_not_load_the_web_layer() -> None:
    code = (
        "import sys; from sigderiv.cli import app; "
        "names = ('fastapi', 'uvicorn', 'starlette', 'sigderiv.web'); "
        "loaded = [m for m in names if m in sys.modules]; "
        "print(loaded)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment(), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_serve_is_in_the_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert "serve" in result.stdout
