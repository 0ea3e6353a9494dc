"""Global configuration: ``lamella.json``, environment overrides and setters.

The configuration file lives in ``$LAMELLA_HOME`` (default ``~/.lamella``). It is read
once, on first use; environment variables override it; the ``set_*`` functions
override both for the current process. A missing or unreadable file means defaults,
never an error: a read-only home directory must not stop a model from training.
"""

import json
import os

_VALID_FLOATX = ("float16", "bfloat16", "float32", "float64")
_VALID_FORMATS = ("channels_last", "channels_first")

_DEFAULTS = {
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
    "backend": "jax",
    "compile_cache": True,
    "compile_cache_dir": None,
    "malloc_tuning": True,
}

# Environment variable for each key; values are parsed like the JSON file's.
_ENV = {
    "floatx": "LAMELLA_FLOATX",
    "epsilon": "LAMELLA_EPSILON",
    "image_data_format": "LAMELLA_IMAGE_DATA_FORMAT",
    "compile_cache": "LAMELLA_COMPILE_CACHE",
    "compile_cache_dir": "LAMELLA_COMPILE_CACHE_DIR",
    "malloc_tuning": "LAMELLA_MALLOC_TUNING",
}

_config = None


def lamella_home():
    """Returns the folder holding ``lamella.json``, weights and caches."""
    return os.path.expanduser(os.environ.get("LAMELLA_HOME") or "~/.lamella")


def config_path():
    return os.path.join(lamella_home(), "lamella.json")


def _parse_env(key, raw):
    if key == "epsilon":
        return float(raw)
    if key in ("compile_cache", "malloc_tuning"):
        return raw.strip().lower() not in ("0", "false", "no", "off", "")
    return raw


def _load():
    config = dict(_DEFAULTS)
    path = config_path()
    try:
        with open(path, encoding="utf-8") as f:
            stored = json.load(f)
        if isinstance(stored, dict):
            config.update({k: v for k, v in stored.items() if k in _DEFAULTS})
    except FileNotFoundError:
        _write_default_file(path)
    except (OSError, ValueError):
        pass
    for key, name in _ENV.items():
        if os.environ.get(name) is not None:
            config[key] = _parse_env(key, os.environ[name])
    _validate_floatx(config["floatx"])
    _validate_format(config["image_data_format"])
    return config


def _write_default_file(path):
    # Keras users expect the file to appear so they can edit it; failing to write it
    # (read-only home, sandbox) is not an error.
    from lamella.utils.file_io import atomic_write_text

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        defaults = {k: v for k, v in _DEFAULTS.items() if v is not None}
        atomic_write_text(path, json.dumps(defaults, indent=4) + "\n")
    except OSError:
        pass


def get_config():
    global _config
    if _config is None:
        _config = _load()
    return _config


def reload_config():
    """Re-reads the file and the environment (tests, or after editing the file)."""
    global _config
    _config = None
    return get_config()


def _validate_floatx(value):
    if value not in _VALID_FLOATX:
        raise ValueError(
            f"Unknown floatx. Expected one of {_VALID_FLOATX}. Received: floatx={value!r}"
        )


def _validate_format(value):
    if value not in _VALID_FORMATS:
        raise ValueError(
            "Unknown image_data_format. Expected one of "
            f"{_VALID_FORMATS}. Received: image_data_format={value!r}"
        )


def floatx():
    """Returns the default float type, as a string (``'float32'`` unless changed)."""
    return get_config()["floatx"]


def set_floatx(value):
    """Sets the default float type (``'float16'``, ``'bfloat16'``, ``'float32'``, ...)."""
    value = str(value)
    _validate_floatx(value)
    get_config()["floatx"] = value


def epsilon():
    """Returns the fuzz factor used to avoid divisions by zero (default 1e-7)."""
    return get_config()["epsilon"]


def set_epsilon(value):
    get_config()["epsilon"] = float(value)


def image_data_format():
    """Returns ``'channels_last'`` or ``'channels_first'``."""
    return get_config()["image_data_format"]


def set_image_data_format(data_format):
    data_format = str(data_format).lower()
    _validate_format(data_format)
    get_config()["image_data_format"] = data_format


def standardize_data_format(data_format):
    """Returns ``data_format`` or, when ``None``, the configured default."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    _validate_format(data_format)
    return data_format


def backend():
    """The name of the backend: lamella runs on jax, always."""
    return "jax"
