"""What ``compile`` was given, as plain data, so a loaded model comes back compiled.

Losses, metrics and the optimizer are written by registered name or config (a
custom loss function by its registered name: loading it then needs
``custom_objects``). Keras 3 and Keras 2 files write the same keys (``optimizer`` /
``optimizer_config``, ``loss``, ``metrics``, ...), read by the same code.
"""

from lamella.saving import serialization

# compile() arguments lamella takes from a file; Keras-only ones (jit_compile,
# auto_scale_loss) do not change what is computed and are left out.
_KEYS = ("loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly", "steps_per_execution")


def _serialize(value, kind):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        return [_serialize(v, kind) for v in value]
    if isinstance(value, dict):
        return {k: _serialize(v, kind) for k, v in value.items()}
    return serialization.serialize_object(value, kind=kind)


def get_compile_config(model):
    """The arguments ``compile`` received, serialized; ``None`` if not compiled."""
    spec = getattr(model, "_compile_spec", None)
    if not getattr(model, "compiled", False) or spec is None:
        return None
    return {
        "optimizer": serialization.serialize_object(model.optimizer, kind="optimizers"),
        "loss": _serialize(spec["loss"], "losses"),
        "loss_weights": spec["loss_weights"],
        "metrics": _serialize(spec["metrics"], "metrics"),
        "weighted_metrics": _serialize(spec["weighted_metrics"], "metrics"),
        "run_eagerly": spec["run_eagerly"],
        "steps_per_execution": spec["steps_per_execution"],
    }


def compile_from_config(model, config):
    """Compiles ``model`` as ``config`` says (custom objects must be in scope)."""
    optimizer = config.get("optimizer", config.get("optimizer_config"))
    if isinstance(optimizer, dict) and isinstance(optimizer.get("config"), dict):
        inner = dict(optimizer["config"])
        # Keras 2 wrote decay=0.0 into every optimizer config: the inactive value of
        # an argument lamella (like Keras 3) no longer takes.
        if inner.get("decay") == 0:
            del inner["decay"]
        optimizer = {**optimizer, "config": inner}
    arguments = {key: config[key] for key in _KEYS if config.get(key) is not None}
    if optimizer is not None:
        arguments["optimizer"] = optimizer
    try:
        model.compile(**arguments)
    except (ValueError, TypeError) as error:
        raise type(error)(
            f"The model was rebuilt, but compiling it as saved failed: {error}\n"
            "Pass compile=False to load it without its training configuration."
        ) from error
