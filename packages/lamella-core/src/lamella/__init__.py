"""lamella: the Keras API on JAX/XLA.

``import lamella as keras`` is meant to work for code written against Keras. This
module is the facade of the ``lamella`` namespace: it is the only ``__init__.py`` of
the namespace, shipped by lamella-core, and it resolves everything lazily so that
``import lamella`` does not import jax.

The namespace spans several distributions (lamella-layers provides ``lamella.layers``,
lamella-losses ``lamella.losses`` and ``lamella.metrics``, ...). Their directories are
found through ``pkgutil.extend_path`` in every install mode (wheels merged into one
site-packages folder, or editable installs that add each ``src/`` to ``sys.path``).
"""

import importlib
import pkgutil
import sys

from lamella._version import __version__

__path__ = pkgutil.extend_path(__path__, __name__)

# Submodules of the namespace and the distribution that provides each one.
SUBMODULE_DISTRIBUTIONS = {
    "activations": "lamella-core",
    "backend": "lamella-core",
    "constraints": "lamella-core",
    "distribution": "lamella-core",
    "dtype_policies": "lamella-core",
    "initializers": "lamella-core",
    "mixed_precision": "lamella-core",
    "models": "lamella-core",
    "ops": "lamella-core",
    "plugins": "lamella-core",
    "random": "lamella-core",
    "regularizers": "lamella-core",
    "saving": "lamella-core",
    "utils": "lamella-core",
    "layers": "lamella-layers",
    "losses": "lamella-losses",
    "metrics": "lamella-losses",
    "optimizers": "lamella-optimizers",
    "callbacks": "lamella-callbacks",
    "preprocessing": "lamella-preprocessing",
    "applications": "lamella-applications",
}

# Top-level names and where they live, as in ``keras.<name>``.
_ATTRIBUTES = {
    "Sequential": "lamella.engine.sequential",
    "Model": "lamella.engine.model",
    "Input": "lamella.engine.input_layer",
    "InputSpec": "lamella.engine.input_spec",
    "Layer": "lamella.engine.layer",
    "Variable": "lamella.engine.variable",
    "KerasTensor": "lamella.engine.symbolic_tensor",
    "SymbolicTensor": "lamella.engine.symbolic_tensor",
    "DTypePolicy": "lamella.dtype_policies.dtype_policy",
    "StatelessScope": "lamella.engine.state_scope",
}

__all__ = sorted([*SUBMODULE_DISTRIBUTIONS, *_ATTRIBUTES, "__version__", "version"])


def version():
    """Returns the version of lamella-core, as ``keras.version()`` does."""
    return __version__


def __getattr__(name):
    if name in _ATTRIBUTES:
        module = importlib.import_module(_ATTRIBUTES[name])
        value = getattr(module, name)
        globals()[name] = value
        return value
    if name in SUBMODULE_DISTRIBUTIONS:
        try:
            module = importlib.import_module(f"lamella.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"lamella.{name}":
                raise
            distribution = SUBMODULE_DISTRIBUTIONS[name]
            raise AttributeError(
                f"module 'lamella' has no attribute '{name}': lamella.{name} is "
                f"provided by the {distribution} distribution, which is not "
                f"installed. Install it with: pip install {distribution}"
            ) from None
        return module
    raise AttributeError(f"module 'lamella' has no attribute '{name}'")


def __dir__():
    return __all__


class _MissingDistributionFinder:
    """Names the distribution to install when a known lamella module is absent.

    It sits last on ``sys.meta_path``, so it is consulted only after every real
    finder has failed to find ``lamella.<name>``.
    """

    @staticmethod
    def find_spec(fullname, path=None, target=None):
        prefix, _, name = fullname.partition(".")
        if prefix != "lamella" or "." in name:
            return None
        distribution = SUBMODULE_DISTRIBUTIONS.get(name)
        if distribution is None or distribution == "lamella-core":
            return None
        raise ModuleNotFoundError(
            f"No module named '{fullname}': it is provided by the {distribution} "
            f"distribution, which is not installed. Install it with: "
            f"pip install {distribution}",
            name=fullname,
        )


if not any(isinstance(f, _MissingDistributionFinder) for f in sys.meta_path):
    sys.meta_path.append(_MissingDistributionFinder())
