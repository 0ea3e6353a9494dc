"""lamella's HDF5 weights layout: Keras 2's, keyed by layer name and weight path.

::

    <root>                 attrs: format="lamella-weights", format_version,
                           lamella_version, backend="jax", layer_names
    <root>/<layer name>    attrs: weight_names (the variables' paths, in
                           ``layer.weights`` order), seed_state_names
    <root>/<layer name>/<variable path>     one array per weight / random state

``<root>`` is the file itself for weights files, ``model_weights`` in a full-model
``.h5`` file; the optimizer's variables go to ``optimizer_weights`` with a
``weight_names`` attribute. A nested model is one layer here, its weights in its own
``weights`` order. This is the layout Keras 2 wrote (and Keras 3 still reads as
"legacy" weights), so the same reader serves lamella's files and Keras 2's; the
``format`` attribute tells them apart. Datasets are plain arrays: no pickle, no code.
"""

import numpy as np

FORMAT = "lamella-weights"
FORMAT_VERSION = 1


def decode(value):
    """An HDF5 string attribute (bytes or str, scalar or array) as ``str``/list."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [decode(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [decode(v) for v in value]
    return value


def string_list(values):
    import h5py

    return np.array(list(values), dtype=h5py.string_dtype("utf-8"))


def _unique_paths(variables):
    # Two sublayers may hold weights with the same path (user-named duplicates in a
    # subclassed layer); HDF5 needs distinct names.
    seen = {}
    paths = []
    for variable in variables:
        path = variable.path
        if path in seen:
            seen[path] += 1
            path = f"{path}:{seen[path]}"
        else:
            seen[path] = 0
        paths.append(path)
    return paths


def write_variables(group, variables):
    """Writes ``variables`` into ``group`` under their paths; returns the paths.

    Arrays carry HDF5's Fletcher-32 checksum, so a file damaged on disk fails to
    load instead of loading wrong weights (HDF5 can checksum only chunked data:
    scalars and empty arrays go without).
    """
    paths = _unique_paths(variables)
    for path, variable in zip(paths, variables):
        value = np.asarray(variable.value)
        checksum = value.ndim > 0 and value.size > 0
        group.create_dataset(path, data=value, fletcher32=checksum)
    return paths


def write_model_weights(root, model):
    """Writes ``model``'s weights and random-number states into an HDF5 group."""
    from lamella import _version

    root.attrs["format"] = FORMAT
    root.attrs["format_version"] = FORMAT_VERSION
    root.attrs["lamella_version"] = _version.__version__
    root.attrs["backend"] = "jax"
    names = []
    for layer in model.layers:
        group = root.create_group(layer.name)
        weights = layer.weights
        seeds = [v for v in layer.variables if getattr(v, "_is_seed_state", False)]
        paths = write_variables(group, weights + seeds)
        group.attrs["weight_names"] = string_list(paths[: len(weights)])
        group.attrs["seed_state_names"] = string_list(paths[len(weights):])
        names.append(layer.name)
    root.attrs["layer_names"] = string_list(names)


def is_lamella_weights(root):
    return decode(root.attrs.get("format")) == FORMAT


def check_version(root):
    version = int(root.attrs.get("format_version", 0))
    if version > FORMAT_VERSION:
        raise ValueError(
            f"This weight file has format version {version}, newer than this "
            f"lamella-core reads ({FORMAT_VERSION}): upgrade lamella-core."
        )


def write_optimizer(h5, optimizer):
    group = h5.create_group("optimizer_weights")
    group.attrs["class_name"] = type(optimizer).__name__
    group.attrs["weight_names"] = string_list(write_variables(group, optimizer.variables))


def read_optimizer(h5):
    """``(weight_names, arrays)`` of the stored optimizer, or ``None``."""
    if "optimizer_weights" not in h5:
        return None
    group = h5["optimizer_weights"]
    names = decode(group.attrs.get("weight_names", []))
    arrays = []
    for name in names:
        if name not in group:
            raise ValueError(
                f"The file is damaged: optimizer weight {name!r} is listed but missing."
            )
        arrays.append(np.asarray(group[name][()]))
    return names, arrays
