"""``MonitorCallback``: the base of callbacks that watch one logged quantity."""

import math
import numbers
import warnings

from lamella.training.callbacks.callback import Callback

# In mode='auto' a quantity is minimized when it is a loss or an error and maximized
# when it is a score. Keras 3 asks the metric object for its direction; lamella's
# metrics may not say, so their names decide too (as Keras 2 did with "acc").
_MINIMIZED_WORDS = (
    "loss", "error", "crossentropy", "hinge", "divergence", "logcosh", "poisson",
    "mse", "mae", "mape", "msle",
)
_MAXIMIZED_WORDS = ("acc", "auc", "precision", "recall", "f1", "iou", "r2", "fbeta")


class MonitorCallback(Callback):
    """Base class of callbacks that decide from a quantity of the epoch logs.

    The direction of improvement comes from ``mode``: ``'min'``, ``'max'``, or
    ``'auto'``, which minimizes losses and errors (``val_loss``,
    ``mean_squared_error``) and maximizes scores (``accuracy``, ``auc``), from the
    metric's ``_direction`` (``'up'``/``'down'``) when it has one, else from its
    name. A value improves on a reference when it is better by more than
    ``min_delta``.

    Args:
        monitor: the name of the quantity in the epoch logs, e.g. ``'val_loss'``.
        mode: ``'auto'``, ``'min'`` or ``'max'``.
        baseline: a value the quantity must improve on (``None``: any first value).
        min_delta: the smallest change that counts as an improvement (>= 0).

    Raises:
        ValueError: for an unknown ``mode``, a negative ``min_delta``, or a
            quantity whose direction ``'auto'`` cannot infer (at the first epoch).
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0.0):
        super().__init__()
        owner = type(self).__name__
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"{owner} expected a log name for monitor. Received: monitor={monitor!r}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{owner} expected mode 'auto', 'min' or 'max'. Received: mode={mode!r}")
        if not _is_number(min_delta) or min_delta < 0:
            raise ValueError(
                f"{owner} expected a non-negative number for min_delta. Received: min_delta={min_delta!r}"
            )
        if baseline is not None and not _is_number(baseline):
            raise ValueError(f"{owner} expected a number or None for baseline. Received: baseline={baseline!r}")
        self.monitor = monitor
        self.mode = mode
        self.baseline = baseline
        self.min_delta = float(min_delta)
        self._direction = None if mode == "auto" else mode

    def direction(self):
        """``'min'`` or ``'max'``: how the monitored quantity improves."""
        if self._direction is None:
            self._direction = self._infer_direction()
        return self._direction

    def _infer_direction(self):
        name = self.monitor.removeprefix("val_")
        for metric in getattr(self.model, "metrics", None) or ():
            if getattr(metric, "name", None) == name and getattr(metric, "_direction", None) in ("up", "down"):
                return "max" if metric._direction == "up" else "min"
        words = name.lower()
        if any(word in words for word in _MINIMIZED_WORDS):
            return "min"
        if any(word in words for word in _MAXIMIZED_WORDS):
            return "max"
        raise ValueError(
            f"{type(self).__name__} cannot tell whether monitor={self.monitor!r} should "
            "be minimized or maximized. Pass mode='min' or mode='max'."
        )

    def is_improvement(self, value, reference):
        """Whether ``value`` beats ``reference`` by more than ``min_delta``
        (anything beats ``None``; NaN beats nothing)."""
        if reference is None:
            return not math.isnan(value)
        if self.direction() == "min":
            return value < reference - self.min_delta
        return value > reference + self.min_delta

    def monitor_value(self, logs):
        """The monitored value from ``logs`` as a float, or ``None`` (with a warning
        listing the available names) when it is missing."""
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"{type(self).__name__} monitors {self.monitor!r}, which is not in the "
                f"logs. Available: {', '.join(logs) or 'none'}",
                stacklevel=3,
            )
            return None
        return float(value)


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
