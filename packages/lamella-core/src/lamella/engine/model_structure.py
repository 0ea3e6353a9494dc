"""What the engine needs to know about a model before compiling a step.

A model is built from the data's shapes before anything is traced (variables must
exist before the state is split), its inputs are checked against the data so that a
wrong feature count fails with the layer's name and both shapes, and its outputs are
named so that losses and metrics can be matched to them.
"""

import jax

from lamella.engine.input_spec import assert_input_compatibility
from lamella.engine.symbolic_tensor import SymbolicTensor


def _symbolic(x):
    return jax.tree.map(
        lambda a: SymbolicTensor((None, *tuple(a.shape)[1:]), _dtype_name(a)), x
    )


def _dtype_name(array):
    import numpy as np

    return np.dtype(array.dtype).name


def _shape_spec(array):
    return jax.ShapeDtypeStruct(tuple(array.shape), array.dtype)


def ensure_built(model, x):
    """Builds ``model`` for data ``x`` if needed, and checks ``x`` against it."""
    inputs = getattr(model, "inputs", None)
    if not model.built or (hasattr(model, "_stack") and inputs is None):
        leaves = jax.tree.leaves(x)
        if hasattr(model, "_stack"):
            model.build((None, *tuple(leaves[0].shape)[1:]))
        else:
            shapes = jax.tree.map(lambda a: (None, *tuple(a.shape)[1:]), x)
            model.build(shapes)
        inputs = getattr(model, "inputs", None)
    if inputs:
        check_data_against_inputs(model, x)


def check_data_against_inputs(model, x):
    """Raises a ``ValueError`` naming the first layer that cannot take ``x``."""
    leaves = jax.tree.leaves(x)
    tensors = model.inputs
    if len(leaves) != len(tensors):
        raise ValueError(
            f"Model {model.name!r} expects {len(tensors)} input(s), but the data has "
            f"{len(leaves)} array(s) of shapes {[tuple(a.shape) for a in leaves]}."
        )
    if isinstance(x, dict) and hasattr(model, "input_names"):
        leaves = [x[name] for name in model.input_names] if set(x) == set(model.input_names) else leaves
    for tensor, array in zip(tensors, leaves):
        expected = tensor.shape
        shape = tuple(array.shape)
        # The batch axis is not compared: the data holds every batch (a fixed
        # batch size is checked against the sample count by fit/evaluate/predict).
        if len(shape) == len(expected) and all(
            e is None or e == s for e, s in zip(expected[1:], shape[1:])
        ):
            continue
        if tensor.dtype == "string" and expected[-1:] == (1,) and len(shape) == len(expected) - 1:
            # Text of shape (batch,) for an input of shape (batch, 1): host-side
            # layers (TextVectorization, StringLookup) take both.
            continue
        for layer in _consumers(model, tensor):
            assert_input_compatibility(layer.input_spec, _shape_spec(array), layer.name)
        raise ValueError(
            f"Input {tensor._history[0].name!r} of model {model.name!r} is incompatible "
            f"with the data: the model expects shape {expected}, but received data of "
            f"shape {shape}."
        )


def _consumers(model, tensor):
    nodes = getattr(model, "_nodes", None)
    if nodes is None and hasattr(model, "_built_nodes"):
        nodes = model._built_nodes
    for node in nodes or ():
        if any(t is tensor for t in node.input_tensors):
            yield node.layer


def _traced_outputs(model, x):
    cached = getattr(model, "_traced_output_spec", None)
    key = jax.tree.map(lambda a: tuple(a.shape)[1:], x)
    if cached is not None and cached[0] == key:
        return cached[1]
    from lamella.engine.output_spec import trace_output_spec

    spec = trace_output_spec(model.__call__, (_symbolic(x),), {})
    model._traced_output_spec = (key, spec)
    return spec


def output_names(model, x):
    """Names of the model's outputs, in the order losses and targets are matched."""
    names = getattr(model, "output_names", None)
    if names:
        return list(names)
    spec = _traced_outputs(model, x)
    if isinstance(spec, dict):
        return list(spec)
    if isinstance(spec, list | tuple):
        return [f"output_{i + 1}" for i in range(len(spec))]
    return ["output"]


def output_shapes(model, x, names):
    """The output shapes (batch axis ``None``), aligned with ``names``."""
    outputs = getattr(model, "outputs", None)
    if outputs:
        return [tuple(t.shape) for t in outputs]
    spec = _traced_outputs(model, x)
    if isinstance(spec, dict):
        return [tuple(spec[n].shape) for n in names]
    return [tuple(t.shape) for t in jax.tree.leaves(spec, is_leaf=lambda t: isinstance(t, SymbolicTensor))]
