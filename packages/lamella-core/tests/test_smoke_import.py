"""``import lamella`` is cheap and the facade resolves submodules lazily."""

import subprocess
import sys


def test_import_lamella_does_not_import_jax():
    code = "import sys, lamella; print('jax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_facade_resolves_core_names():
    import lamella

    assert lamella.Sequential.__name__ == "Sequential"
    assert lamella.ops.add([1, 2], [3, 4]).tolist() == [4, 6]
    assert lamella.backend.floatx() == "float32"
