"""``LearningRateScheduler``: sets the learning rate at the start of every epoch."""

import inspect

import numpy as np

from lamella.callbacks._learning_rate import current_learning_rate, set_learning_rate
from lamella.training.callbacks.callback import Callback


class LearningRateScheduler(Callback):
    """Sets the optimizer's learning rate to ``schedule(epoch, lr)`` before each epoch.

    ``schedule`` receives the epoch index (from 0) and the current rate, and returns
    the new rate; a function of the epoch alone works too. The rate is a variable of
    the training state, so changing it compiles nothing. Each epoch's rate is logged
    as ``learning_rate``.

    Args:
        schedule: ``fn(epoch, lr) -> float`` or ``fn(epoch) -> float``.
        verbose: 1 prints the rate set at each epoch.

    Raises:
        TypeError: when ``schedule`` is not callable.
        ValueError: (during ``fit``) when it returns something other than a finite
            non-negative number.

    Example:

    >>> def schedule(epoch, lr):
    ...     return lr if epoch < 10 else lr * 0.9
    >>> scheduler = LearningRateScheduler(schedule)
    """

    reads_model_per_batch = False

    def __init__(self, schedule, verbose=0):
        super().__init__()
        if not callable(schedule):
            raise TypeError(
                f"LearningRateScheduler expected a callable schedule. Received: schedule={schedule!r}"
            )
        self.schedule = schedule
        self.verbose = verbose
        self._with_rate = _accepts_two_arguments(schedule)

    def on_epoch_begin(self, epoch, logs=None):
        rate = current_learning_rate(self)
        new = self.schedule(epoch, rate) if self._with_rate else self.schedule(epoch)
        new = _as_rate(new)
        set_learning_rate(self, new)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {new}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = current_learning_rate(self)


def _accepts_two_arguments(function):
    try:
        inspect.signature(function).bind(0, 0.0)
    except TypeError:
        return False
    except ValueError:  # builtins without a signature: assume Keras's (epoch, lr)
        return True
    return True


def _as_rate(value):
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - any unconvertible object gets the message below
        array = None
    if array is None or array.shape != () or not np.issubdtype(array.dtype, np.number) or isinstance(value, bool):
        raise ValueError(
            "The schedule of LearningRateScheduler must return a number (a float). "
            f"Received: {value!r}"
        )
    rate = float(array)
    if not (rate >= 0 and rate < float("inf")):
        raise ValueError(
            "The schedule of LearningRateScheduler must return a finite non-negative "
            f"learning rate. Received: {rate!r}"
        )
    return rate
