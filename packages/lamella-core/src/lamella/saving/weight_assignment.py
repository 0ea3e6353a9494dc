"""Matching stored weights to a model's variables, then assigning them all at once.

Every weight file lamella reads (its own, Keras 3's, Keras 2's) is first read into
``StoredLayer`` records, then matched to the model's layers by topology (the order of
the layers that have weights) or by name. Nothing is assigned until every pair has
been checked, so a file that does not fit leaves the model exactly as it was.
"""

import dataclasses
import warnings

import numpy as np


@dataclasses.dataclass
class StoredLayer:
    """One layer's weights as read from a file."""

    name: str
    weights: list
    weight_names: list = dataclasses.field(default_factory=list)
    class_name: str = None
    seed_states: list = dataclasses.field(default_factory=list)


class WeightsMismatchError(ValueError):
    """A weight file does not fit the model it is loaded into."""


def weighted_layers(model):
    """The model's top-level layers that own weights, in order."""
    return [layer for layer in model.layers if layer.weights]


def _check_built(model):
    if not model.built:
        raise ValueError(
            f"Model {model.name!r} is not built, so it has no weights to load into yet. "
            "Build it first: call it on data, call model.build(input_shape), or give "
            "it an Input."
        )


def pairs_for_layer(layer, stored, skip_mismatch, source):
    """``[(variable, array)]`` for one layer, or ``None`` when skipped."""
    variables = layer.weights
    if len(variables) != len(stored.weights):
        message = (
            f"Layer {layer.name!r} ({type(layer).__name__}) has {len(variables)} "
            f"weights {[v.name for v in variables]}, but the {source} has "
            f"{len(stored.weights)} for layer {stored.name!r}"
            + (f" {stored.weight_names}" if stored.weight_names else "")
            + "."
        )
        if skip_mismatch:
            warnings.warn(f"Skipping layer {layer.name!r}: {message}", stacklevel=3)
            return None
        raise WeightsMismatchError(message)
    pairs = []
    for index, (variable, value) in enumerate(zip(variables, stored.weights)):
        value = np.asarray(value)
        if tuple(value.shape) != tuple(variable.shape):
            name = stored.weight_names[index] if index < len(stored.weight_names) else index
            message = (
                f"Layer {layer.name!r}: weight {variable.name!r} has shape "
                f"{tuple(variable.shape)}, but the {source} holds shape "
                f"{tuple(value.shape)} (weight {name!r} of layer {stored.name!r})."
            )
            if skip_mismatch:
                warnings.warn(f"Skipping layer {layer.name!r}: {message}", stacklevel=3)
                return None
            raise WeightsMismatchError(message)
        pairs.append((variable, value))
    pairs.extend(_seed_pairs(layer, stored))
    return pairs


def _seed_pairs(layer, stored):
    # Random-number states travel with the weights when both sides have them in the
    # same shapes (a whole-model file), so training resumes with the same draws.
    seeds = [v for v in layer.variables if getattr(v, "_is_seed_state", False)]
    if len(seeds) != len(stored.seed_states):
        return []
    if any(tuple(v.shape) != np.shape(s) for v, s in zip(seeds, stored.seed_states)):
        return []
    return [(v, np.asarray(s)) for v, s in zip(seeds, stored.seed_states)]


def match_by_topology(model, stored_layers, skip_mismatch=False, source="file"):
    """Pairs the model's weighted layers with the file's, in order."""
    _check_built(model)
    layers = weighted_layers(model)
    stored = [s for s in stored_layers if s.weights]
    if len(layers) != len(stored):
        raise WeightsMismatchError(
            f"The {source} holds weights for {len(stored)} layers "
            f"{[s.name for s in stored]}, but model {model.name!r} has "
            f"{len(layers)} layers with weights {[l.name for l in layers]}. Load by "
            "name (by_name=True) to match layers by name instead."
        )
    pairs = []
    for layer, entry in zip(layers, stored):
        found = pairs_for_layer(layer, entry, skip_mismatch, source)
        if found:
            pairs.extend(found)
    return pairs + _weightless_seed_pairs(model, stored_layers)


def _weightless_seed_pairs(model, stored_layers):
    # Layers without weights (a Dropout) take no part in matching by topology, but
    # their random states are restored by name when the file has them.
    by_name = {s.name: s for s in stored_layers if s.seed_states}
    pairs = []
    for layer in model.layers:
        if not layer.weights and layer.name in by_name:
            pairs.extend(_seed_pairs(layer, by_name[layer.name]))
    return pairs


def match_by_name(model, stored_layers, skip_mismatch=False, source="file"):
    """Pairs layers with the file's layers of the same name; others are left alone."""
    _check_built(model)
    by_name = {s.name: s for s in stored_layers}
    pairs = []
    for layer in weighted_layers(model):
        entry = by_name.get(layer.name)
        if entry is None:
            continue
        found = pairs_for_layer(layer, entry, skip_mismatch, source)
        if found:
            pairs.extend(found)
    return pairs + _weightless_seed_pairs(model, stored_layers)


def assign_all(pairs):
    """Assigns every ``(variable, array)`` pair; call only after matching succeeded."""
    import jax.numpy as jnp

    # Converted first: a value that cannot become the variable's dtype fails before
    # any variable has changed.
    converted = []
    for variable, value in pairs:
        try:
            converted.append((variable, jnp.asarray(value, dtype=variable.dtype)))
        except (TypeError, ValueError) as error:
            raise WeightsMismatchError(
                f"The value stored for weight {variable.path!r} cannot be read as "
                f"{variable.dtype}: {error}"
            ) from None
    for variable, value in converted:
        variable.assign(value)
