"""Writes are whole or nothing: a writer that fails leaves the old file and no temporary file."""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sigderiv.cli import app
from sigderiv.input.files import replacing, write_text

ROOT = Path(__file__).resolve().parent.parent
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}
OLD = "<p>the good page</p>\n"


def test_a_writer_that_fails_half_way_leaves_the_old_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(OLD)
    with pytest.raises(OSError, match="No space"), replacing(page) as temporary:
        temporary.write_text("<p>half a pa")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert page.read_text() == OLD
    assert sorted(tmp_path.iterdir()) == [page]  # no temporary file left


def test_a_complete_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    page = tmp_path / "page.tex"
    page.write_text(OLD)
    page.chmod(0o640)
    with replacing(page) as temporary:
        assert temporary.parent == tmp_path and temporary.suffix == ".tex"
        assert page.read_text() == OLD  # untouched while the new one is written
        temporary.write_text("new")
    assert page.read_text() == "new"
    assert stat.S_IMODE(page.stat().st_mode) == 0o640
    assert sorted(tmp_path.iterdir()) == [page]


def test_a_new_file_gets_the_usual_mode_and_a_link_is_written_through(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        write_text(tmp_path / "new.md", "text")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o644
    (tmp_path / "link.md").symlink_to(tmp_path / "new.md")
    write_text(tmp_path / "link.md", "through")
    assert (tmp_path / "link.md").is_symlink()
    assert (tmp_path / "new.md").read_text() == "through"


def test_a_device_is_written_directly() -> None:
    write_text("/dev/null", "nothing")  # not renamed over: /dev/null stays a device
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def _limited(limit: int):
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead

    return preexec


def test_a_file_size_limit_leaves_the_old_page(tmp_path: Path) -> None:
    """RLIMIT_FSIZE stops the write half-way: exit 2, one line, the old page intact."""
    page = tmp_path / "sigmoid.html"
    page.write_text(OLD)
    done = subprocess.run(
        [sys.executable, "-m", "sigderiv", "derive", "sigmoid", "-o", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, **ENV, "PYTHONPATH": str(ROOT)},
        preexec_fn=_limited(4096),
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: cannot write {page}: File too large")
    assert page.read_text() == OLD
    assert sorted(tmp_path.iterdir()) == [page]


def test_a_failing_plot_leaves_the_old_image(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    image = tmp_path / "plot.png"
    image.write_bytes(b"the good image")
    done = subprocess.run(
        [sys.executable, "-m", "sigderiv", "plot", "sigmoid", "-o", str(image)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
        env={**os.environ, **ENV, "PYTHONPATH": str(ROOT)},
        preexec_fn=_limited(4096),
    )
    assert done.returncode == 2, done.stderr
    assert "File too large" in done.stderr
    assert image.read_bytes() == b"the good image"
    assert sorted(tmp_path.iterdir()) == [image]


def test_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["derive", "x^2", "-f", "latex", "-o", "-"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("% Made by sigderiv")
    result = runner.invoke(app, ["derive", "x^2", "-o", "-"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert "The derivative of x^2" in result.stdout or "The derivative of x²" in result.stdout
    assert list(tmp_path.iterdir()) == []  # no file called '-'


def test_plot_dash_writes_a_png_to_standard_output(tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("matplotlib", reason="plots need matplotlib (the plot extra)")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["plot", "x^2", "-o", "-"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    assert list(tmp_path.iterdir()) == []
