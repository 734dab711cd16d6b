"""`smarketing generate` without the `demo` extra: the warehouse installs without the generator
(package smarketing-tools), and the command then says how to get it instead of a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from smarketing.cli import _demo_extra
from smarketing.cli import main as cli

HINT = "pip install 'smarketing-warehouse[demo]'"


@pytest.fixture
def without_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if smarketing-tools were not installed: a None in sys.modules makes its import fail
    with ModuleNotFoundError, even where another test of this worker imported it already."""
    loaded = [name for name in sys.modules if name.partition(".")[0] == "smarketing_tools"]
    for name in {"smarketing_tools", *loaded}:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize(
    "arguments", [["generate"], ["generate", "--days-after", "1"]], ids=["history", "days"]
)
def test_generate_without_the_demo_extra_says_how_to_install_it(
    without_tools: None, tmp_path: Path, arguments: list[str]
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [*arguments, "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "the demo exports generator is not installed" in result.output
    assert HINT in result.output and "uv sync --extra demo" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_broken_generator_is_not_taken_for_a_missing_one() -> None:
    """Only smarketing_tools itself missing reads as the missing extra: a dependency missing
    under an installed generator keeps its own error, which names it."""
    with pytest.raises(ModuleNotFoundError) as raised, _demo_extra():
        raise ModuleNotFoundError("No module named 'faker'", name="faker")
    assert raised.value.name == "faker"
