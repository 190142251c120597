"""The command line's batch work: derive --input FILE -o sheet.*, and list --jobs."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner
from untimed import timeless

from sigderiv.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "100", "NO_COLOR": "1"}

SHEET = """\
# a sheet of four problems and a bad line
x^2*sin(x)

1/(1 + x^2)
x +* 1
tanh(x)
"""
GOOD = {2: "x^2*sin(x)", 4: "1/(1 + x^2)", 6: "tanh(x)"}


def _sheet(tmp_path: Path, text: str = SHEET) -> Path:
    path = tmp_path / "problems.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _derive(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["derive", *args], env=ENV, input=stdin)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_one_record_per_line_and_the_bad_line_as_its_error(tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "sheet.jsonl"
    result = _derive("--input", str(_sheet(tmp_path)), "-o", str(out), "--jobs", jobs)
    assert result.exit_code == 2, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_line = {r["line"]: r for r in records}
    assert sorted(by_line) == [2, 4, 5, 6]
    assert by_line[5] == {
        "line": 5,
        "input": "x +* 1",
        "error": {"kind": "ParseError", "message": "missing operand before '*'"},
    }
    for line, text in GOOD.items():
        one = runner.invoke(app, ["derive", text, "-f", "json"], env=ENV)
        assert one.exit_code == 0
        expected = {"line": line, "input": text, **json.loads(one.stdout)}
        # the document -f json prints, line and input first (the proofs' timings aside)
        assert list(by_line[line]) == list(expected)
        assert timeless(by_line[line]) == timeless(expected)
    assert "line 5: missing operand before '*' (ParseError)" in result.stderr
    assert "1 of 4 lines could not be derived" in result.stderr


def test_every_line_good_exits_0_and_stdin_to_stdout(tmp_path: Path) -> None:
    result = _derive("--input", "-", "-o", "-", stdin="x^3\n\n# c\ncos(x)\n")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted((r["line"], r["input"]) for r in records) == [(1, "x^3"), (4, "cos(x)")]
    assert all(r["schema"] == "sigderiv.derivation" for r in records)


class _Ids(HTMLParser):
    """Collects every id on a page, and the text of its <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.ids += [value for name, value in attrs if name == "id" and value]


def test_html_sheet_is_one_page_in_input_order(tmp_path: Path) -> None:
    out = tmp_path / "sheet.html"
    result = _derive("--input", str(_sheet(tmp_path)), "-o", str(out), "-j", "2")
    assert result.exit_code == 2, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
    assert page.count("<style>") == 1 and "<script" not in page and "src=" not in page
    positions = [page.index(f'id="line{line}"') for line in (2, 4, 5, 6)]
    assert positions == sorted(positions)
    parser = _Ids()
    parser.feed(page)
    assert len(parser.ids) == len(set(parser.ids))  # every id once: each problem's own
    assert "line2-result" in parser.ids and "line6-step-1" in parser.ids
    assert "Could not derive this line: missing operand before" in page
    assert "<code>x +* 1</code>" in page


def test_latex_sheet_is_one_document_in_input_order(tmp_path: Path) -> None:
    out = tmp_path / "sheet.tex"
    result = _derive("--input", str(_sheet(tmp_path)), "-o", str(out))
    assert result.exit_code == 2, result.output
    tex = out.read_text(encoding="utf-8")
    assert tex.count(r"\begin{document}") == 1 and tex.count(r"\end{document}") == 1
    assert tex.count(r"\section*{The derivative of") == 3
    lines = [tex.index(f"Line {n}:") for n in (2, 4, 5, 6)]
    assert lines == sorted(lines)
    assert "Could not derive this line" in tex


def test_markdown_sheet_in_input_order(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    result = _derive("--input", str(_sheet(tmp_path)), "-o", str(out))
    assert result.exit_code == 2, result.output
    md = out.read_text(encoding="utf-8")
    assert md.startswith("# Exercise sheet\n")
    assert md.count("\n## The derivative of") == 3
    assert md.index("*Line 2: x^2\\*sin(x)*") < md.index("*Line 4:") < md.index("*Line 6:")
    assert "> **Could not derive this line" in md


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--input", "{sheet}"], "give -o FILE"),
        (["--input", "{sheet}", "-o", "{tmp}/s.pdf"], "cannot tell the sheet's format"),
        (["--input", "{sheet}", "-o", "{tmp}/s.md", "--order", "2"], "leave out --order"),
        (["x^2", "--input", "{sheet}", "-o", "{tmp}/s.md"], "leave out EXPR"),
        (["--input", "{tmp}/missing.txt", "-o", "{tmp}/s.md"], "cannot read"),
        (["--input", "{empty}", "-o", "{tmp}/s.md"], "no problems in"),
    ],
)
def test_what_the_sheet_cannot_be(tmp_path: Path, args: list[str], said: str) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n\n", encoding="utf-8")
    values = {"sheet": str(_sheet(tmp_path)), "tmp": str(tmp_path), "empty": str(empty)}
    result = _derive(*(a.format(**values) for a in args))
    assert result.exit_code == 2
    assert said in result.stderr
    assert not (tmp_path / "s.md").exists()


def test_list_jobs_one_prints_the_table_of_the_parallel_list(catalogue_once: None) -> None:
    env = {**ENV, "COLUMNS": "400"}
    # the session's rows, derived over the cores; --jobs 1 derives them again, one at a time
    parallel = runner.invoke(app, ["list", "--ascii"], env=env)
    sequential = runner.invoke(app, ["list", "--ascii", "--jobs", "1"], env=env)
    assert parallel.exit_code == 0 and sequential.exit_code == 0, sequential.output
    assert sequential.stdout == parallel.stdout
    assert "sigma(x)(1 - sigma(x))" in sequential.stdout
    assert sequential.stderr == ""  # no progress bar outside a terminal
