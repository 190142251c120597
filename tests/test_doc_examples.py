"""Every ```python block in README.md and docs/*.md runs, page by page, as a test.

The blocks of one page run in order in one namespace, from the repository's root, so a
later block may use what an earlier one defined, as a reader would. A block that cannot run
here (it would need a display, a network, ...) is marked on the line before it with
``<!-- no-test: why -->``; the reason is required, and such blocks should stay rare.
Failures point at the page's own line numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(
    r"(?P<skip><!-- no-test(?P<why>:[^\n]*?)? -->\n)?"
    r"^```(?P<lang>[\w+-]*)[^\n]*\n(?P<code>.*?)^```$",
    re.S | re.M,
)
PYTHON = ("python", "py", "python3")


def blocks(page: str) -> list[tuple[int, str, str | None]]:
    """Return ``(line, code, skip)`` for each Python block of a page: its first code line
    (1-based), its text, and for a skipped block the marker (None otherwise)."""
    text = (ROOT / page).read_text(encoding="utf-8")
    found = []
    for match in BLOCK.finditer(text):
        if match.group("lang") not in PYTHON:
            continue
        line = text.count("\n", 0, match.start("code")) + 1
        found.append((line, match.group("code"), match.group("skip")))
    return found


WITH_CODE = [page for page in PAGES if blocks(page)]


@pytest.mark.parametrize("page", WITH_CODE)
def test_python_blocks_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    for line, code, skip in blocks(page):
        if skip:
            continue
        # Pad with blank lines so that a traceback names the line of the page itself.
        compiled = compile("\n" * (line - 1) + code, str(ROOT / page), "exec")
        exec(compiled, namespace)


def test_skipped_blocks_say_why() -> None:
    skipped = [
        (page, line, skip) for page in PAGES for line, _, skip in blocks(page) if skip is not None
    ]
    for page, line, skip in skipped:
        assert re.search(r"no-test: \S", skip), f"{page}:{line}: say why the block cannot run"
    assert len(skipped) <= 3, f"too many blocks skipped: {skipped}"


def test_the_pages_have_examples() -> None:
    # the README, the tour, the library and the tutorial each show runnable Python
    for page in ("README.md", "docs/index.md", "docs/api.md", "docs/tutorial-sigmoid.md"):
        assert page in WITH_CODE, f"{page} has no ```python block"
