"""Output shapes of layers that do not write ``compute_output_shape``.

The layer's ``call`` is traced with ``jax.eval_shape`` (no computation). Unknown axes
(``None``, usually the batch) must be given a size to trace, so the call is traced
twice with two different sizes: an output axis that follows them is unknown too.
"""

import jax
import numpy as np

from lamella.engine import state_scope
from lamella.engine.symbolic_tensor import SymbolicTensor

# Two sizes that no layer is likely to treat specially (not 1, not powers of two).
_PROBE_SIZES = (7, 11)


def _is_symbolic(x):
    return isinstance(x, SymbolicTensor)


def _structs(tree, size):
    def to_struct(x):
        if _is_symbolic(x):
            shape = tuple(size if d is None else d for d in x.shape)
            return jax.ShapeDtypeStruct(shape, x.dtype)
        return x

    return jax.tree.map(to_struct, tree, is_leaf=_is_symbolic)


def trace_output_spec(fn, args, kwargs):
    """Symbolic outputs of ``fn(*args, **kwargs)`` for symbolic ``args``/``kwargs``."""
    results = []
    for size in _PROBE_SIZES:
        s_args, s_kwargs = _structs((args, kwargs), size)
        # Symbolic leaves became ShapeDtypeStructs: trace with them as arguments and
        # close over everything else (flags, constants, Python objects).
        leaves, treedef = jax.tree.flatten(
            (s_args, s_kwargs), is_leaf=lambda x: isinstance(x, jax.ShapeDtypeStruct)
        )
        positions = [
            i for i, leaf in enumerate(leaves) if isinstance(leaf, jax.ShapeDtypeStruct)
        ]

        def traced(*arrays, leaves=leaves, treedef=treedef, positions=positions):
            filled = list(leaves)
            for position, array in zip(positions, arrays):
                filled[position] = array
            call_args, call_kwargs = jax.tree.unflatten(treedef, filled)
            # Assignments (batch statistics, seed counters) and added losses made
            # while tracing must not leak tracers into the real variables.
            with state_scope.StatelessScope(collect_losses=True):
                return fn(*call_args, **call_kwargs)

        results.append(jax.eval_shape(traced, *[leaves[i] for i in positions]))

    first, second = results

    def merge(a, b):
        shape = tuple(
            None if da != db else int(da) for da, db in zip(a.shape, b.shape)
        )
        return SymbolicTensor(shape, dtype=np.dtype(a.dtype).name)

    return jax.tree.map(merge, first, second)
