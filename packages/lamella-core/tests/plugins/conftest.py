"""Fake installed distributions for plugin tests.

A distribution is a ``<name>-<version>.dist-info`` folder (METADATA and
entry_points.txt) next to its module on ``sys.path``: exactly what
``importlib.metadata`` discovers for a real ``pip install``.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest


class FakeSite:
    def __init__(self, root):
        self.root = root

    def add_distribution(self, name, module, source, version="1.0"):
        dist_info = self.root / f"{name.replace('-', '_')}-{version}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
        (dist_info / "entry_points.txt").write_text(f"[lamella]\n{name} = {module}\n")
        (self.root / f"{module}.py").write_text(textwrap.dedent(source))

    def env(self, **extra):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(self.root), env.get("PYTHONPATH", "")])
        env.update(extra)
        return env

    def run_python(self, code, **env):
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True, text=True, env=self.env(**env), timeout=120,
        )

    def plugins_report(self, **env):
        result = subprocess.run(
            [sys.executable, "-m", "lamella.cli.main", "plugins", "--json"],
            capture_output=True, text=True, env=self.env(**env), timeout=120,
        )
        return result.returncode, json.loads(result.stdout), result.stderr


@pytest.fixture
def fake_site(tmp_path):
    return FakeSite(tmp_path)
