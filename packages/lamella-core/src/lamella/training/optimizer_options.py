"""Argument checks and Keras 2 argument names for ``Optimizer``.

Kept apart from ``optimizer.py`` so that the base class reads as the update it
performs; everything here is a plain function of its arguments.
"""

import inspect
import numbers
import warnings



def is_number(value):
    """Whether ``value`` is a real number (Python or numpy), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_number(owner, name, value, low=0.0, high=None, allow_none=False):
    """Raises a ``ValueError`` naming ``name`` unless ``low <= value <= high``."""
    if value is None and allow_none:
        return
    if not is_number(value) or value < low or (high is not None and value > high):
        bounds = f"in [{low}, {high}]" if high is not None else f">= {low}"
        none = " or None" if allow_none else ""
        raise ValueError(
            f"{owner} expected {name} to be a number {bounds}{none}. "
            f"Received: {name}={value!r}"
        )


def check_integer(owner, name, value, low):
    """Raises a ``ValueError`` naming ``name`` unless ``value`` is ``None`` or an
    integer ``>= low``."""
    if value is None:
        return
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < low:
        raise ValueError(
            f"{owner} expected {name} to be an integer >= {low} or None. "
            f"Received: {name}={value!r}"
        )


def pop_keras_2_arguments(owner, learning_rate, kwargs):
    """``learning_rate`` and ``decay`` after the Keras 2 spellings in ``kwargs``.

    ``lr=`` was Keras 2's name for the learning rate (it wins over the default, as
    it did there); ``decay=`` its time-based decay of the rate. Both are removed
    from ``kwargs``; what remains is unknown.
    """
    if "lr" in kwargs:
        warnings.warn(
            f"{owner}: the argument lr is the Keras 2 name of learning_rate; "
            "use learning_rate.",
            DeprecationWarning,
            stacklevel=3,
        )
        learning_rate = kwargs.pop("lr")
    decay = kwargs.pop("decay", None)
    check_number(owner, "decay", decay, allow_none=True)
    return learning_rate, (decay or None)


def check_base_arguments(
    owner, weight_decay, clipnorm, clipvalue, global_clipnorm, ema_momentum,
    ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
):
    """Raises a ``ValueError`` naming the first invalid argument of the base class."""
    check_number(owner, "weight_decay", weight_decay, allow_none=True)
    check_clipping(owner, clipnorm, clipvalue, global_clipnorm)
    check_number(owner, "ema_momentum", ema_momentum, 0.0, 1.0)
    check_integer(owner, "ema_overwrite_frequency", ema_overwrite_frequency, 1)
    check_integer(owner, "gradient_accumulation_steps", gradient_accumulation_steps, 2)
    if loss_scale_factor is not None and not (is_number(loss_scale_factor) and loss_scale_factor > 0):
        raise ValueError(
            f"{owner} expected a positive number or None for loss_scale_factor. "
            f"Received: loss_scale_factor={loss_scale_factor!r}"
        )


def check_clipping(owner, clipnorm, clipvalue, global_clipnorm):
    for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
        check_number(owner, arg, value, allow_none=True)
    clipping = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
    given = {k: v for k, v in clipping.items() if v is not None}
    if len(given) > 1:
        raise ValueError(
            f"{owner} accepts only one of clipnorm, clipvalue and global_clipnorm. "
            "Received: " + ", ".join(f"{k}={v}" for k, v in given.items())
        )


def takes_no_argument(fn):
    """Whether ``fn`` can be called without arguments (a plain learning-rate
    function, which Keras calls as ``fn()``) rather than with the step (a schedule)."""
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    try:
        signature.bind()
    except TypeError:
        return False
    return True
