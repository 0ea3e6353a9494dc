"""``save_model`` / ``load_model`` / ``save_weights`` / ``load_weights``.

Formats are recognized by content, not by name: a zip is a lamella or Keras 3 model
file, an HDF5 file a lamella or Keras 2 ``.h5`` (whole model or weights), or Keras
3 ``.weights.h5``. Every write goes to a temporary file renamed over the
destination; every load reads and checks everything before a variable changes.
"""

import contextlib
import json
import os

from lamella.saving import keras_config, keras_weights, model_file, safe_mode, weights_file
from lamella.saving import weight_assignment as assignment
from lamella.saving.model_file import ModelFileError
from lamella.utils import file_io

_ZIP_MAGIC = b"PK\x03\x04"
_HDF5_MAGIC = b"\x89HDF\r\n\x1a\n"
H5_FORMAT = "lamella-model-h5"


def _kind_of_file(path):
    path = os.fspath(path)
    if os.path.isdir(path):
        raise ValueError(
            f"{path} is a folder. lamella reads model files (.keras zips, .h5); a "
            "TensorFlow SavedModel folder cannot be loaded."
        )
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except FileNotFoundError:
        raise FileNotFoundError(f"No such model or weight file: {path}") from None
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head == _HDF5_MAGIC:
        return "h5"
    raise ModelFileError(
        f"{path} is neither a model zip (.keras) nor an HDF5 file (.h5): its first "
        f"bytes are {head!r}. It may be truncated, corrupted, or another format."
    )


def _check_destination(filepath, overwrite, suffixes, what):
    filepath = os.fspath(filepath)
    if not any(filepath.endswith(s) for s in suffixes):
        raise ValueError(
            f"{what} needs a file name ending in {' or '.join(suffixes)}. "
            f"Received: filepath={filepath!r}"
        )
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath} exists and overwrite=False.")
    return filepath


# -- whole models ------------------------------------------------------------------


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    """Saves architecture, weights, compile arguments and optimizer state.

    Args:
        model: the model.
        filepath: ``*.keras`` (lamella's zip) or ``*.h5`` (one HDF5 file).
        overwrite: replace an existing file (else ``FileExistsError``).
        include_optimizer: save the optimizer's state too.
    """
    filepath = _check_destination(filepath, overwrite, (".keras", ".h5", ".hdf5"), "save")
    if not model.built:
        raise ValueError(
            f"Model {model.name!r} is not built yet, so it has no weights to save: call "
            "it on data or call build(input_shape) first."
        )
    with file_io.atomic_open(filepath, "wb") as f:
        if filepath.endswith(".keras"):
            model_file.write(model, f, include_optimizer)
        else:
            _write_h5_model(model, f, include_optimizer)


def _write_h5_model(model, f, include_optimizer):
    import h5py

    config = model_file.model_config(model)
    compiled = config.pop("compile_config", None)
    with h5py.File(f, "w") as h5:
        h5.attrs["format"] = H5_FORMAT
        h5.attrs["model_config"] = model_file.to_json_text(config, f"config of {model.name!r}")
        h5.attrs["metadata"] = json.dumps(model_file.metadata(config))
        if compiled is not None:
            h5.attrs["training_config"] = json.dumps(compiled)
        weights_file.write_model_weights(h5.create_group("model_weights"), model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and optimizer.built:
            weights_file.write_optimizer(h5, optimizer)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):  # noqa: A002
    """Loads a model saved by lamella (``.keras``, ``.h5``), Keras 3 (``.keras``) or
    Keras 2 (``.h5``).

    Args:
        filepath: the file.
        custom_objects: classes and functions the file names, by name.
        compile: compile the model as it was saved (lamella and Keras files record
            the loss, metrics and optimizer); lamella files and Keras 3 ``.keras``
            files restore the optimizer's state too (Keras 3's when it is the same
            optimizer built for the same weights; otherwise a warning says why not).
        safe_mode: refuse Python code in the file (a Keras ``Lambda`` saved as
            bytecode). Turn it off only for files you trust.
    """
    kind = _kind_of_file(filepath)
    if kind == "zip":
        config, meta, data = model_file.read(filepath)
        if data is None:
            raise ModelFileError(f"{filepath} has no {model_file.WEIGHTS}.")
        training = config.pop("compile_config", None)
        by_keras = "keras_version" in meta or keras_config.written_by_keras(config)
        # The architecture first: a config that cannot be built fails before the
        # weights are even opened.
        model = _model_from_config(config, custom_objects, safe_mode, keras2=False)
        h5 = model_file.open_weights(data, filepath)
        keras2 = False
    else:
        h5 = _open_h5(filepath)
        try:
            config, by_keras, keras2 = _h5_model_config(h5, filepath)
            training = None
            if "training_config" in h5.attrs:
                training = _json_attribute(h5, "training_config", filepath)
            model = _model_from_config(config, custom_objects, safe_mode, keras2)
        except BaseException:
            h5.close()
            raise
    with h5, _reading(filepath):
        if by_keras and not keras_weights.is_legacy_weights(h5):
            pairs = keras_weights.keras3_pairs(model, h5)
        else:
            stored = _stored_layers(h5, filepath)
            pairs = assignment.match_by_topology(model, stored, source="model file")
        if compile and training:
            with _scopes(custom_objects, safe_mode):
                from lamella.saving.compile_config import compile_from_config

                compile_from_config(model, keras_config.from_keras(training, keras2))
            if not by_keras:
                pairs.extend(_optimizer_pairs(model, h5, filepath))
            elif keras_weights.is_keras3_weights(h5) and model.optimizer is not None:
                pairs.extend(keras_weights.keras3_optimizer_pairs(
                    model.optimizer, h5, _optimizer_class(training), model.trainable_variables))
        assignment.assign_all(pairs)
    return model


@contextlib.contextmanager
def _reading(path):
    """HDF5 read errors (a checksum that fails, a truncated dataset) as
    ``ModelFileError``s naming the file."""
    try:
        yield
    except (OSError, RuntimeError) as error:
        raise ModelFileError(
            f"{path} is damaged: reading its weights failed ({error})."
        ) from None


def _open_h5(path):
    import h5py

    try:
        return h5py.File(path, "r")
    except (OSError, ValueError) as error:
        raise ModelFileError(
            f"{path} cannot be read as HDF5 ({error}). It may be truncated or corrupted."
        ) from None


def _json_attribute(h5, name, path):
    text = weights_file.decode(h5.attrs[name])
    try:
        value = json.loads(text)
    except (TypeError, ValueError, RecursionError) as error:
        raise ModelFileError(f"{path} is damaged: its {name} is not valid JSON ({error}).") from None
    if not isinstance(value, dict):
        raise ModelFileError(f"{path} is damaged: its {name} is not a JSON object.")
    return value


def _h5_model_config(h5, path):
    if "model_config" not in h5.attrs:
        raise ValueError(
            f"{path} holds weights only, no model: build the model and call "
            "model.load_weights(path)."
        )
    config = _json_attribute(h5, "model_config", path)
    own = weights_file.decode(h5.attrs.get("format")) == H5_FORMAT
    version = str(weights_file.decode(h5.attrs.get("keras_version", "")))
    keras2 = not own and (version.startswith("2") or keras_config._uses_keras2_nodes(config))
    return config, not own, keras2


def _scopes(custom_objects, safe):
    from lamella.saving.object_registration import custom_object_scope

    stack = contextlib.ExitStack()
    stack.enter_context(custom_object_scope(custom_objects or {}))
    stack.enter_context(safe_mode.safe_mode_scope(safe))
    return stack


def _model_from_config(config, custom_objects, safe, keras2):
    from lamella.saving import serialization

    build = (config.get("build_config") or {}).get("input_shape")
    config = keras_config.from_keras(config, keras2)
    config = safe_mode.check_config(config, custom_objects, safe)
    with _scopes(custom_objects, safe):
        model = serialization.deserialize_object(config, kind="layers", custom_objects=custom_objects)
    if not model.built and build is not None:
        model.build(_as_shape(build))
    return model


def _as_shape(value):
    if isinstance(value, list) and value and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    if isinstance(value, list):
        return [_as_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_shape(v) for k, v in value.items()}
    return value


def _stored_layers(h5, path):
    root = keras_weights.weights_root(h5)
    if weights_file.is_lamella_weights(root):
        weights_file.check_version(root)
    if not keras_weights.is_legacy_weights(h5):
        raise ModelFileError(f"{path} has no weights in a layout lamella reads.")
    return keras_weights.legacy_stored_layers(h5)


def _optimizer_class(training):
    optimizer = training.get("optimizer", training.get("optimizer_config"))
    if isinstance(optimizer, dict):
        return optimizer.get("class_name")
    return None


def _optimizer_pairs(model, h5, path):
    stored = weights_file.read_optimizer(h5)
    optimizer = model.optimizer
    if stored is None or optimizer is None:
        return []
    names, arrays = stored
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    variables = optimizer.variables
    if len(variables) != len(arrays):
        raise ModelFileError(
            f"{path}: the saved optimizer state has {len(arrays)} variables, but "
            f"{type(optimizer).__name__} built for this model has {len(variables)}."
        )
    for variable, name, array in zip(variables, names, arrays):
        if tuple(variable.shape) != tuple(array.shape):
            raise ModelFileError(
                f"{path}: optimizer variable {name!r} has shape {tuple(array.shape)}, "
                f"but {variable.path!r} has shape {variable.shape}."
            )
    return list(zip(variables, arrays))


# -- weights -----------------------------------------------------------------------


def save_weights(model, filepath, overwrite=True):
    """Saves the weights in lamella's HDF5 layout (``*.h5`` / ``*.weights.h5``)."""
    import h5py

    filepath = _check_destination(filepath, overwrite, (".h5", ".hdf5"), "save_weights")
    if not model.built:
        raise ValueError(
            f"Model {model.name!r} is not built yet, so it has no weights to save."
        )
    with file_io.atomic_open(filepath, "wb") as f, h5py.File(f, "w") as h5:
        weights_file.write_model_weights(h5, model)


def load_weights(model, filepath, skip_mismatch=False, by_name=False):
    """Loads weights saved by lamella, Keras 3 or Keras 2 into ``model``.

    Args:
        model: a built model of the same architecture (by topology) or sharing
            layer names with the file's (``by_name=True``).
        filepath: a weights file (``.h5``, ``.weights.h5``) or a model file
            (``.keras``, whose weights are used).
        skip_mismatch: skip layers whose weight count or shapes differ (a warning
            names each), instead of raising.
        by_name: match layers by name; layers the file does not name are left alone.

    Nothing is assigned unless every matched layer fits.
    """
    kind = _kind_of_file(filepath)
    if kind == "zip":
        _, _, data = model_file.read(filepath)
        if data is None:
            raise ModelFileError(f"{filepath} has no {model_file.WEIGHTS}.")
        h5 = model_file.open_weights(data, filepath)
    else:
        h5 = _open_h5(filepath)
    with h5, _reading(filepath):
        if keras_weights.is_legacy_weights(h5):
            stored = _stored_layers(h5, filepath)
            match = assignment.match_by_name if by_name else assignment.match_by_topology
            pairs = match(model, stored, skip_mismatch, source="weight file")
        elif keras_weights.is_keras3_weights(h5):
            match = keras_weights.keras3_pairs_by_name if by_name else keras_weights.keras3_pairs
            pairs = match(model, h5, skip_mismatch)
        else:
            raise ModelFileError(
                f"{filepath} is an HDF5 file, but not a weight file lamella knows "
                "(lamella's, Keras 3's .weights.h5 or Keras 2's .h5)."
            )
        assignment.assign_all(pairs)
