"""lamella.json, environment overrides, and the setters."""

import json
import os
import subprocess
import sys

import pytest

from lamella.backend import config


def _run(code, home, **env):
    environment = {**os.environ, "LAMELLA_HOME": str(home), **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=120
    )


def test_first_use_writes_a_default_file(tmp_path):
    result = _run("from lamella import backend; print(backend.floatx())", tmp_path)
    assert result.stdout.strip() == "float32"
    stored = json.loads((tmp_path / "lamella.json").read_text())
    assert stored["floatx"] == "float32" and stored["image_data_format"] == "channels_last"


def test_file_then_environment_override(tmp_path):
    (tmp_path / "lamella.json").write_text(json.dumps({"floatx": "bfloat16", "epsilon": 1e-5}))
    code = "from lamella import backend; print(backend.floatx(), backend.epsilon())"
    assert _run(code, tmp_path).stdout.split() == ["bfloat16", "1e-05"]
    assert _run(code, tmp_path, LAMELLA_FLOATX="float16").stdout.split() == ["float16", "1e-05"]


def test_unreadable_file_means_defaults(tmp_path):
    (tmp_path / "lamella.json").write_text("{not json")
    result = _run("from lamella import backend; print(backend.floatx())", tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "float32"


def test_setters_validate(monkeypatch):
    monkeypatch.setattr(config, "_config", dict(config.get_config()))
    config.set_image_data_format("channels_first")
    assert config.image_data_format() == "channels_first"
    with pytest.raises(ValueError, match="Received: image_data_format='channels_middle'"):
        config.set_image_data_format("channels_middle")
    with pytest.raises(ValueError, match="floatx='float8'"):
        config.set_floatx("float8")


def test_compile_cache_is_on_by_default_and_can_be_moved_or_disabled(tmp_path):
    code = "import lamella.backend, jax; print(jax.config.jax_compilation_cache_dir)"
    moved = tmp_path / "xla-cache"
    result = _run(code, tmp_path, LAMELLA_COMPILE_CACHE_DIR=str(moved))
    assert result.stdout.strip() == str(moved) and moved.is_dir()
    result = _run(code, tmp_path, LAMELLA_COMPILE_CACHE="0")
    assert result.stdout.strip() == "None"


def test_compile_cache_stores_compiled_steps(tmp_path):
    cache = tmp_path / "cache"
    code = (
        "import lamella.backend, jax, jax.numpy as jnp\n"
        "def step(x):\n"
        "    for i in range(300):\n"  # unrolled: a compile of a few tenths of a second
        "        x = jnp.tanh(x @ x.T + i)\n"
        "    return x\n"
        "jax.jit(step)(jnp.ones((8, 8))).block_until_ready()\n"
    )
    result = _run(code, tmp_path, LAMELLA_COMPILE_CACHE_DIR=str(cache))
    assert result.returncode == 0, result.stderr
    # lamella lowers jax's 1 s threshold, so even this small program is stored.
    assert any(cache.iterdir())
