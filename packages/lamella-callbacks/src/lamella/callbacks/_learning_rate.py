"""Reading and setting the optimizer's learning rate from callbacks (host side, at
epoch boundaries, where the engine has written its state back)."""

import numpy as np


def _optimizer(callback):
    optimizer = getattr(callback.model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        raise ValueError(
            f"{type(callback).__name__} needs a compiled model with an optimizer that "
            f"has a learning_rate. Received: optimizer={optimizer!r}"
        )
    return optimizer


def current_learning_rate(callback):
    """The optimizer's learning rate now, as a Python float."""
    return float(np.asarray(_optimizer(callback).learning_rate))


def set_learning_rate(callback, value):
    """Assigns ``value`` as the optimizer's learning rate; a clear error names the
    callback when the optimizer follows a schedule instead."""
    optimizer = _optimizer(callback)
    try:
        optimizer.learning_rate = value
    except TypeError as error:
        raise TypeError(
            f"{type(callback).__name__} cannot change the learning rate of "
            f"{type(optimizer).__name__}: {error} Give the optimizer a number as "
            "learning_rate to use this callback."
        ) from error
