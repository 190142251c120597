"""The documentation matches the code: generated blocks are current, and nothing is missing.

``python tools/refresh_docs.py`` rewrites the generated blocks; the other tests here fail when
the code grows something (a rule, a command-line option, a public name, a page) that the
hand-written pages do not mention yet.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _refresh_module():
    spec = importlib.util.spec_from_file_location("refresh_docs", ROOT / "tools/refresh_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


refresh = _refresh_module()


def _text(page: str) -> str:
    return (ROOT / page).read_text(encoding="utf-8")


def _hand_written(page: str) -> str:
    """The page without its generated blocks: what a person wrote."""
    return refresh.GENERATED.sub("", refresh.MARKER.sub("", _text(page)))


@pytest.mark.parametrize("page", refresh.PAGES)
def test_generated_blocks_are_current(page: str, catalogue_once: None) -> None:
    text = _text(page)
    assert refresh.MARKER.search(text) or refresh.GENERATED.search(text), f"{page}: no block"
    assert refresh.refreshed(text) == text, f"{page} is stale: run python tools/refresh_docs.py"


def test_every_page_with_a_generated_block_is_refreshed() -> None:
    pages = ["README.md", *(str(p.relative_to(ROOT)) for p in sorted(DOCS.glob("*.md")))]
    marked = [p for p in pages if re.search(r"<!-- (output|generated): ", _text(p))]
    assert sorted(marked) == sorted(refresh.PAGES), "list every page with a block in PAGES"


FENCED = re.compile(
    r"(?P<marker><!-- output: [^\n]*-->\n)?^```[^\n]*\n(?P<code>.*?)^```$", re.S | re.M
)


def test_shown_command_output_is_generated() -> None:
    # a block that shows "$ sigderiv ..." with what it printed must be an output block
    pages = ["README.md", *(str(p.relative_to(ROOT)) for p in sorted(DOCS.glob("*.md")))]
    for page in pages:
        text = _text(page)
        for block in FENCED.finditer(text):
            line = text.count("\n", 0, block.start()) + 1
            shown = re.search(r"^\$ sigderiv", block.group("code"), re.M)
            assert block.group("marker") or not shown, f"{page}:{line}: generate this output"


def test_readme_opens_with_the_two_commands() -> None:
    text = _text("README.md")
    main = text.index("<!-- main-command -->")
    test = text.index("<!-- test-command -->")
    assert main < test < text.index("## What you see")
    assert "sigderiv derive" in text[main : main + 80]
    assert 'pip install ".[test,plot,fuzz,backprop,web]"' in text[test : test + 80]


def _marked_command(text: str, marker: str) -> str:
    after = text[text.index(f"<!-- {marker} -->") :]
    return after.split("```")[1]


@pytest.mark.parametrize("marker", ["main-command", "test-command"])
def test_the_docs_install_as_the_readme_does(marker: str) -> None:
    readme, index = _text("README.md"), _text("docs/index.md")
    assert _marked_command(index, marker) == _marked_command(readme, marker)


def test_the_index_links_every_page() -> None:
    index = _text("docs/index.md")
    for page in sorted(DOCS.glob("*.md")):
        if page.name != "index.md":
            assert f"]({page.name})" in index, f"docs/index.md does not link {page.name}"
    assert "](derivation.schema.json)" in index
    assert "tools/refresh_docs.py" in index and "tools/refresh_docs.py" in _text("README.md")


def test_rules_page_states_every_rule() -> None:
    from sigderiv import Rule

    tables = "".join(
        match.group(0)
        for match in refresh.GENERATED.finditer(_text("docs/rules.md"))
        if match.group("name") == "rule-table"
    )
    for rule in Rule:
        assert f"| `{rule.value}` |" in tables, (
            f"docs/rules.md does not state the rule {rule.value}"
        )


def test_the_rule_ids_are_generated_from_the_declarations() -> None:
    for source in refresh.SOURCES:
        text = _text(source)
        assert refresh.GENERATED.search(text), f"{source}: no generated block"
        assert refresh.refreshed(text) == text, f"{source} is stale: run tools/refresh_docs.py"


def _cli_sections() -> dict[str, str]:
    text = _text("docs/cli.md")
    parts = re.split(r"^## `sigderiv (\w+)`$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_cli_page_describes_every_command_and_option() -> None:
    import typer

    from sigderiv.cli import app

    group = typer.main.get_command(app)
    sections = _cli_sections()
    assert sorted(sections) == sorted(group.commands), "one ## section per command"
    for name, command in group.commands.items():
        section = sections[name]
        assert f"<!-- output: sigderiv {name} --help -->" in section, f"{name}: no --help block"
        for param in command.params:
            words = [*param.opts, *param.secondary_opts]
            if "--help" in words:
                continue
            if param.param_type_name == "argument":
                words = [str(param.name).upper()]
            for word in words:
                assert f"`{word}" in section, f"docs/cli.md, {name}: {word} is not described"


def test_cli_page_lists_exit_codes_and_environment() -> None:
    text = _text("docs/cli.md")
    assert "## Exit codes" in text and "## Environment variables" in text
    for code in ("0", "1", "2", "3", "70"):
        assert f"\n| {code} |" in text
    for variable in ("NO_COLOR", "COLUMNS"):
        assert f"`{variable}`" in text


def test_api_page_covers_the_public_names_and_members() -> None:
    import sigderiv
    from sigderiv.grading.check import Counterexample, Line

    api = _text("docs/api.md")
    for name in sigderiv.__all__:
        assert re.search(rf"(?<!\w){re.escape(name)}(?!\w)", api), f"docs/api.md: no {name}"
    classes = (
        sigderiv.Derivation,
        sigderiv.Step,
        sigderiv.Check,
        sigderiv.Report,
        Line,
        Counterexample,
    )
    for cls in classes:
        members = [f.name for f in dataclasses.fields(cls)]
        members += [
            n
            for n, v in vars(cls).items()
            if not n.startswith("_")
            and n not in members
            and (callable(v) or isinstance(v, (property, classmethod, staticmethod)))
        ]
        for member in members:
            assert re.search(rf"`{member}\b", api), f"docs/api.md: {cls.__name__}.{member}"


def test_changelog_keeps_an_unreleased_section() -> None:
    text = _text("CHANGELOG.md")
    assert "keepachangelog.com" in text
    assert re.search(r"^## \[Unreleased\]$", text, re.M)
    for heading in ("### Added",):
        assert heading in text


def _public_modules() -> list[str]:
    """sigderiv and the modules its public names come from."""
    import sigderiv

    modules = {getattr(getattr(sigderiv, n), "__module__", None) for n in sigderiv.__all__}
    return sorted({"sigderiv", "sigderiv.formats.base"} | {m for m in modules if m})


def test_public_names_have_docstrings() -> None:
    import importlib
    import inspect

    missing = []
    for module_name in _public_modules():
        module = importlib.import_module(module_name)
        if not (module.__doc__ or "").strip():
            missing.append(module_name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module_name:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if not (obj.__doc__ or "").strip():
                missing.append(f"{module_name}.{name}")
            for member, value in vars(obj).items() if inspect.isclass(obj) else ():
                function = value.fget if isinstance(value, property) else value
                function = getattr(function, "__func__", function)
                public = not member.startswith("_") and inspect.isfunction(function)
                if public and not (function.__doc__ or "").strip():
                    missing.append(f"{module_name}.{name}.{member}")
    assert not missing, f"public names without a docstring: {missing}"
