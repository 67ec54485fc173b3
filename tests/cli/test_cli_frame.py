"""The command frame: every subcommand exists, has --help, and bad usage exits 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from harvester.cli.main import COMMANDS, cli


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_help(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage: " in result.output and name in result.output


def test_top_level_help_lists_every_command_without_importing_them() -> None:
    code = (
        "import sys; from harvester.cli.main import main; sys.argv=['harvester','--help'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('scrapy' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for name in COMMANDS:
        assert f"  {name} " in out
    assert out.strip().endswith("False False")


def test_unknown_command_and_option_are_usage_errors() -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["no-such-command"]).exit_code == 2
    assert runner.invoke(cli, ["schedule", "--no-such-option"]).exit_code == 2


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "harvester" in result.output
