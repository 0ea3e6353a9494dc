"""``ReduceLROnPlateau``: lowers the learning rate when a quantity stops improving."""

import numpy as np

from lamella.callbacks._learning_rate import current_learning_rate, set_learning_rate
from lamella.callbacks.monitor_callback import MonitorCallback


class ReduceLROnPlateau(MonitorCallback):
    """Multiplies the learning rate by ``factor`` after ``patience`` epochs without
    improvement of ``monitor``.

    At each epoch end: an improvement (by more than ``min_delta``) resets the count
    of epochs without one; otherwise, outside a cooldown, the count grows, and when
    it reaches ``patience`` the rate becomes ``max(rate * factor, min_lr)`` (if it is
    above ``min_lr``), the count restarts and ``cooldown`` epochs follow during
    which the count stays at zero. The rate of the epoch is logged as
    ``learning_rate``.

    Args:
        monitor: the quantity to watch (default ``'val_loss'``).
        factor: the multiplier of the rate, in ``[0, 1)``.
        patience: epochs without improvement before the rate is lowered.
        verbose: 1 prints each reduction.
        mode: ``'auto'``, ``'min'`` or ``'max'`` (see ``MonitorCallback``).
        min_delta: the smallest change counted as an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the lower bound of the rate.

    Example:

    >>> reduce = ReduceLROnPlateau(monitor="val_loss", factor=0.2, patience=5, min_lr=1e-3)
    >>> # model.fit(x, y, validation_split=0.2, callbacks=[reduce])
    """

    reads_model_per_batch = False

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):
        if "epsilon" in kwargs:  # the Keras 2 name of min_delta
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau received unknown arguments: {sorted(kwargs)}")
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta)
        if not isinstance(factor, int | float | np.floating) or not 0 <= factor < 1:
            raise ValueError(
                f"ReduceLROnPlateau expected a factor in [0, 1). Received: factor={factor!r}"
            )
        for name, value in (("patience", patience), ("cooldown", cooldown)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    f"ReduceLROnPlateau expected a non-negative integer for {name}. Received: {name}={value!r}"
                )
        if not isinstance(min_lr, int | float | np.floating) or min_lr < 0:
            raise ValueError(f"ReduceLROnPlateau expected a non-negative min_lr. Received: min_lr={min_lr!r}")
        self.factor = float(factor)
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = float(min_lr)
        self._reset()

    def _reset(self):
        self.best = None
        self.wait = 0
        self.cooldown_counter = 0

    def in_cooldown(self):
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["learning_rate"] = current_learning_rate(self)
        current = self.monitor_value(logs)
        if current is None:
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self.is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce(epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def _reduce(self, epoch):
        old = current_learning_rate(self)
        # The rate is stored in float32: compare there, or a rate already at min_lr
        # could look larger than it and be "reduced" forever.
        if old <= np.float32(self.min_lr):
            return False
        new = max(old * self.factor, self.min_lr)
        set_learning_rate(self, new)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
        return True
