"""Whole-model files: lamella's zip, and reading Keras 3's ``.keras`` zip.

A lamella model file is a zip holding

- ``config.json``: the model's config (classes by registered name, with the
  distribution that provided each), its build shape and its compile arguments;
- ``metadata.json``: lamella's version, the distributions the model uses and every
  installed lamella plugin with its version, the date;
- ``model.weights.h5``: the weights (``weights_file`` layout) and the optimizer's
  state (iterations, learning rate, slots), so training continues where it stopped.

A Keras 3 ``.keras`` file has the same three members, with Keras's config and
weight layouts; both are read by ``load``. The file is written to a temporary file
in the same folder and renamed over the destination (``utils.file_io``): a crash
mid-write leaves the previous file intact.
"""

import datetime
import io
import json
import zipfile

from lamella.saving import weights_file

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
FORMAT = "lamella.model"
FORMAT_VERSION = 1

# A config larger than this is not a model config (a zip bomb, a wrong file).
MAX_CONFIG_BYTES = 64 * 2**20


class ModelFileError(ValueError):
    """A model file is damaged, truncated or not a model file."""


# -- writing -----------------------------------------------------------------------


def _used_distributions(value, found):
    if isinstance(value, dict):
        provider = value.get("registered_by")
        if isinstance(provider, dict) and provider.get("distribution"):
            found[provider["distribution"]] = provider.get("version")
        for item in value.values():
            _used_distributions(item, found)
    elif isinstance(value, list):
        for item in value:
            _used_distributions(item, found)
    return found


def metadata(config):
    """What ``metadata.json`` records: versions of lamella and of the plugins."""
    import platform

    import jax

    from lamella import _version
    from lamella.plugins import get_manager

    manager = get_manager()
    manager.fill_all()
    plugins = [
        {"name": info.name, "distribution": info.distribution, "version": info.version}
        for info, _ in manager.plugins.values()
    ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "lamella_version": _version.__version__,
        "date_saved": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python_version": platform.python_version(),
        "jax_version": jax.__version__,
        "distributions_used": _used_distributions(config, {"lamella-core": _version.__version__}),
        "plugins": plugins,
    }


def model_config(model):
    """config.json's content: the model, its build shape and compile arguments."""
    from lamella.saving import compile_config, serialization

    config = serialization.serialize_object(model, kind="layers")
    shape = getattr(model, "_build_input_shape", None)
    if shape is not None:
        config["build_config"] = {"input_shape": _plain(shape)}
    compiled = compile_config.get_compile_config(model)
    if compiled is not None:
        config["compile_config"] = compiled
    return config


def _plain(value):
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def weights_bytes(model, include_optimizer):
    import h5py

    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        weights_file.write_model_weights(h5, model)
        optimizer = getattr(model, "optimizer", None)
        if include_optimizer and optimizer is not None and optimizer.built:
            weights_file.write_optimizer(h5, optimizer)
    return buffer.getvalue()


def to_json_text(config, what):
    try:
        return json.dumps(config, indent=1)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"The {what} cannot be saved: it holds a value JSON cannot represent "
            f"({error}). Give the layers whose get_config returns it a config of "
            "plain values (numbers, strings, lists, dicts)."
        ) from None


def write(model, f, include_optimizer=True):
    """Writes the model zip into the open binary file ``f``."""
    config = model_config(model)
    config_text = to_json_text(config, f"config of model {model.name!r}")
    meta_text = json.dumps(metadata(config), indent=1)
    weights = weights_bytes(model, include_optimizer)
    with zipfile.ZipFile(f, "w") as archive:
        archive.writestr(METADATA, meta_text, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(CONFIG, config_text, compress_type=zipfile.ZIP_DEFLATED)
        # Stored, not deflated: weights barely compress, and h5py reads them back
        # from memory.
        archive.writestr(WEIGHTS, weights, compress_type=zipfile.ZIP_STORED)


# -- reading -----------------------------------------------------------------------


def _read_member(archive, name, path, limit=None):
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ModelFileError(
            f"{path} is not a complete model file: it has no {name} (it holds "
            f"{archive.namelist()[:10]})."
        ) from None
    if limit is not None and info.file_size > limit:
        raise ModelFileError(
            f"{path}: {name} is {info.file_size} bytes, more than a model config can be "
            f"({limit}); the file is not a model file."
        )
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise ModelFileError(f"{path} is damaged: reading {name} failed ({error}).") from None


def _read_json(archive, name, path):
    data = _read_member(archive, name, path, MAX_CONFIG_BYTES)
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ModelFileError(f"{path} is damaged: {name} is not valid JSON ({error}).") from None
    if not isinstance(value, dict):
        raise ModelFileError(f"{path} is damaged: {name} is not a JSON object.")
    return value


def read(path):
    """``(config, metadata, weights bytes or None)`` of a lamella or Keras 3 zip."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise ModelFileError(
            f"{path} is not a readable model file: {error}. It may be truncated or "
            "corrupted."
        ) from None
    with archive:
        config = _read_json(archive, CONFIG, path)
        meta = _read_json(archive, METADATA, path) if METADATA in archive.namelist() else {}
        weights = None
        if WEIGHTS in archive.namelist():
            weights = _read_member(archive, WEIGHTS, path)
    if meta.get("format") == FORMAT and int(meta.get("format_version", 0)) > FORMAT_VERSION:
        raise ModelFileError(
            f"{path} was written by lamella {meta.get('lamella_version')} in model format "
            f"{meta['format_version']}, newer than this lamella-core reads: upgrade it."
        )
    return config, meta, weights


def open_weights(data, path):
    """An open HDF5 file over in-memory bytes, with a clear error when damaged."""
    import h5py

    try:
        return h5py.File(io.BytesIO(data), "r")
    except (OSError, ValueError) as error:
        raise ModelFileError(f"{path} is damaged: its weights cannot be read ({error}).") from None
