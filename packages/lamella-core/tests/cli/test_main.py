"""The lamella command line."""

import subprocess
import sys


def _lamella(*args):
    return subprocess.run(
        [sys.executable, "-m", "lamella.cli.main", *args], capture_output=True, text=True, timeout=120
    )


def test_plugins_lists_core_and_its_registrations():
    result = _lamella("plugins")
    assert "lamella-core  (lamella-core" in result.stdout
    assert "activations (" in result.stdout and "relu" in result.stdout


def test_version_lists_installed_distributions():
    result = _lamella("--version")
    assert result.returncode == 0
    assert any(line.startswith("lamella-core ") for line in result.stdout.splitlines())


def test_no_command_prints_help():
    result = _lamella()
    assert result.returncode == 2 and "plugins" in result.stdout
