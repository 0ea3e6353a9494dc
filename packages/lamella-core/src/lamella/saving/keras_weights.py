"""Reading Keras weight files: Keras 3 ``.weights.h5`` and Keras 2 (legacy) ``.h5``.

Keras 3 (also the ``model.weights.h5`` inside a ``.keras`` zip) stores each object's
own variables under ``<path>/vars/<i>``. A model's layers are under ``layers/``,
keyed by their class name in snake case, numbered per class in the order of
``model.layers`` (``dense``, ``dense_1``, ...); a subclassed model's layers under
their attribute names; a layer's sublayers under their attribute names, in
alphabetical order. The ``vars`` group names the layer (attribute ``name``).

Keras 2 stores the weights of each layer of ``model.layers`` under
``[model_weights/]<layer>/<weight name>``, with the order given by the attributes
``layer_names`` (on the root) and ``weight_names`` (on each layer); ImageNet weights
of ``keras.applications`` are distributed in this layout.

A layer whose Keras weights come in another order than its own ``weights`` can
define ``from_keras_weights(self, arrays) -> arrays`` to reorder (or convert) them.
"""

import re

import numpy as np

from lamella.engine.naming import to_snake_case
from lamella.saving.weight_assignment import StoredLayer, WeightsMismatchError, pairs_for_layer
from lamella.saving.weights_file import decode

# -- Keras 3 -----------------------------------------------------------------------


def is_keras3_weights(h5):
    """Whether an open HDF5 file has Keras 3's ``<path>/vars`` layout."""
    if "vars" in h5:
        return True
    layers = h5.get("layers")
    return layers is not None and hasattr(layers, "keys") and any(
        hasattr(layers[k], "keys") and "vars" in layers[k] for k in layers
    )


def _natural_key(name):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _group_arrays(group):
    """All arrays of a Keras object group: its own ``vars`` in order, then those of
    its sub-objects, alphabetically (random-number states left out)."""
    arrays = []
    if "vars" in group:
        own = group["vars"]
        arrays.extend(own[str(i)][()] for i in range(len(own)) if str(i) in own)
    for key in sorted(group.keys(), key=_natural_key):
        if key == "vars" or key.startswith("seed_generator"):
            continue
        child = group[key]
        if hasattr(child, "keys"):
            arrays.extend(_group_arrays(child))
    return arrays


def _container_keys(layers):
    used = {}
    keys = []
    for layer in layers:
        name = to_snake_case(type(layer).__name__)
        if name in used:
            used[name] += 1
            name = f"{name}_{used[name]}"
        else:
            used[name] = 0
        keys.append(name)
    return keys


def _is_graph_model(obj):
    return hasattr(obj, "_nodes") or hasattr(obj, "_stack")


def _children(obj):
    """``[(key, layer)]`` of a subclassed model, as Keras names its groups."""
    from lamella.engine.layer import Layer

    found = []
    for attribute in sorted(vars(obj)):
        if attribute.startswith("__") or attribute in obj._untracked_attributes:
            continue
        value = vars(obj)[attribute]
        if isinstance(value, Layer):
            found.append((attribute, [value], False))
        elif isinstance(value, list | tuple | dict):
            items = list(value.values()) if isinstance(value, dict) else list(value)
            items = [v for v in items if isinstance(v, Layer)]
            if items:
                found.append((attribute, items, True))
    return found


def _leaves(obj, group, path):
    """``[(layer, keras group, path)]`` for every non-model layer under ``obj``."""
    from lamella.engine.model import Model

    if _is_graph_model(obj):
        if not obj.layers:
            return []
        if "layers" not in group:
            raise WeightsMismatchError(
                f"The Keras weight file has no group {path + 'layers'!r} for model "
                f"{obj.name!r}; it holds {sorted(group.keys())}."
            )
        container = group["layers"]
        leaves = []
        for key, layer in zip(_container_keys(obj.layers), obj.layers):
            leaves.extend(_child_leaves(layer, container, key, f"{path}layers/"))
        return leaves
    if isinstance(obj, Model):
        leaves = []
        for attribute, items, is_container in _children(obj):
            if not is_container:
                leaves.extend(_child_leaves(items[0], group, attribute, path))
                continue
            if attribute not in group:
                continue
            for key, layer in zip(_container_keys(items), items):
                leaves.extend(_child_leaves(layer, group[attribute], key, f"{path}{attribute}/"))
        return leaves
    return [(obj, group, path)]


def _child_leaves(layer, parent, key, path):
    if key not in parent:
        if not layer.variables:
            return []
        raise WeightsMismatchError(
            f"The Keras weight file has no group {path + key!r} for layer "
            f"{layer.name!r} ({type(layer).__name__}); next to it are "
            f"{sorted(parent.keys())}."
        )
    return _leaves(layer, parent[key], f"{path}{key}/")


def _stored(layer, group, path):
    arrays = _group_arrays(group)
    convert = getattr(layer, "from_keras_weights", None) if layer is not None else None
    if convert is not None:
        arrays = list(convert(arrays))
    name = decode(group["vars"].attrs.get("name")) if "vars" in group else None
    return StoredLayer(name=name or path.rstrip("/"), weights=arrays, class_name=None)


def keras3_pairs(model, h5, skip_mismatch=False):
    """``[(variable, array)]`` for ``model`` from a Keras 3 weights file (by path)."""
    from lamella.saving.weight_assignment import _check_built

    _check_built(model)
    pairs = []
    for layer, group, path in _leaves(model, h5, ""):
        found = pairs_for_layer(layer, _stored(layer, group, path), skip_mismatch, "Keras weight file")
        if found:
            pairs.extend(found)
    return pairs


def keras3_pairs_by_name(model, h5, skip_mismatch=False):
    """``[(variable, array)]`` for the layers of ``model`` whose names the file's
    top-level layers carry (attribute ``name`` of their ``vars``)."""
    from lamella.saving.weight_assignment import _check_built, weighted_layers

    _check_built(model)
    groups = {}
    for key in (h5["layers"].keys() if "layers" in h5 else ()):
        group = h5["layers"][key]
        name = decode(group["vars"].attrs.get("name")) if "vars" in group else None
        groups.setdefault(name or key, (group, key))
    pairs = []
    for layer in weighted_layers(model):
        if layer.name not in groups:
            continue
        group, key = groups[layer.name]
        found = pairs_for_layer(layer, _stored(layer, group, key), skip_mismatch, "Keras weight file")
        if found:
            pairs.extend(found)
    return pairs


def keras3_optimizer_pairs(optimizer, h5, class_name, trainable_variables):
    """``[(variable, array)]`` restoring ``optimizer`` from a Keras 3 file's
    ``optimizer/vars/<i>``, or ``[]`` with a warning when the state does not fit.

    Keras 3 keeps an optimizer's variables in one list (iteration count, learning
    rate, then the slots its ``build`` creates for each trainable variable in
    order) and stores them by index; lamella's optimizers keep Keras's order, so
    the state lines up when the optimizer is the same class built for the same
    weights. A file saved before the first step holds only the iteration count
    and the learning rate. Anything else (another optimizer, other slots, other
    shapes) is skipped with a warning, as Keras does, and training starts afresh.
    """
    import warnings

    group = h5.get("optimizer")
    if group is None or "vars" not in group:
        return []
    stored = group["vars"]
    arrays = [np.asarray(stored[str(i)][()]) for i in range(len(stored)) if str(i) in stored]
    if len(arrays) != len(stored):
        raise WeightsMismatchError(
            "The Keras weight file is damaged: its optimizer variables are not "
            f"numbered 0..{len(stored) - 1} (found {sorted(stored.keys(), key=_natural_key)})."
        )
    ours = type(optimizer).__name__

    def skip(reason):
        warnings.warn(
            f"The optimizer state in the Keras file was not restored: {reason}. "
            f"{ours} starts from fresh state.",
            stacklevel=4,
        )
        return []

    if class_name is not None and class_name != ours:
        return skip(f"it belongs to a {class_name}, the model was compiled with {ours}")
    if not optimizer.built and len(arrays) != len(optimizer.variables):
        optimizer.build(trainable_variables)
    variables = optimizer.variables
    if len(arrays) != len(variables):
        return skip(f"it has {len(arrays)} variables, {ours} built for this model has {len(variables)}")
    for index, (variable, array) in enumerate(zip(variables, arrays)):
        if tuple(array.shape) != tuple(variable.shape):
            return skip(
                f"variable {index} has shape {tuple(array.shape)} where {variable.path!r} "
                f"has shape {tuple(variable.shape)}"
            )
    return [(v, a.astype(v.dtype)) for v, a in zip(variables, arrays)]


# -- Keras 2 (legacy HDF5) --------------------------------------------------------


def read_attribute(group, name):
    """A Keras 2 list attribute, which Keras splits into ``name0``, ``name1``, ...
    when it outgrows the HDF5 header."""
    if name in group.attrs:
        return decode(group.attrs[name])
    values = []
    chunk = 0
    while f"{name}{chunk}" in group.attrs:
        values.extend(decode(group.attrs[f"{name}{chunk}"]))
        chunk += 1
    return values


def is_legacy_weights(h5):
    """Whether an open HDF5 file has the Keras 2 (and lamella) layout."""
    root = weights_root(h5)
    return "layer_names" in root.attrs or "layer_names0" in root.attrs


def weights_root(h5):
    """The group holding the layers of a Keras 2 / lamella ``.h5`` file."""
    return h5["model_weights"] if "model_weights" in h5 else h5


def _read_listed(group, names, what):
    arrays = []
    for name in names:
        if name not in group:
            raise WeightsMismatchError(
                f"The weight file is damaged: weight {name!r} of {what} is listed but "
                "missing."
            )
        arrays.append(np.asarray(group[name][()]))
    return arrays


def legacy_stored_layers(h5):
    """The layers of a Keras 2 or lamella ``.h5`` file (full model or weights only),
    in the order of the file's ``layer_names``."""
    root = weights_root(h5)
    stored = []
    for layer_name in read_attribute(root, "layer_names"):
        if layer_name not in root:
            raise WeightsMismatchError(
                f"The weight file is damaged: layer {layer_name!r} is listed but has no "
                "group."
            )
        group = root[layer_name]
        names = read_attribute(group, "weight_names")
        seed_names = read_attribute(group, "seed_state_names")
        what = f"layer {layer_name!r}"
        stored.append(StoredLayer(
            name=layer_name,
            weights=_read_listed(group, names, what),
            weight_names=list(names),
            seed_states=_read_listed(group, seed_names, what),
        ))
    return stored
