"""``LambdaCallback``: a callback made of plain functions."""

from lamella.training.callbacks.callback import Callback

_HOOKS = (
    "on_epoch_begin", "on_epoch_end", "on_train_begin", "on_train_end",
    "on_train_batch_begin", "on_train_batch_end",
)


class LambdaCallback(Callback):
    """Calls the given functions at the matching hooks.

    Args:
        on_epoch_begin, on_epoch_end: ``fn(epoch, logs)``.
        on_train_begin, on_train_end: ``fn(logs)``.
        on_train_batch_begin, on_train_batch_end: ``fn(batch, logs)``
            (``on_batch_begin`` / ``on_batch_end`` are accepted too).
        **kwargs: any other hook by name, e.g. ``on_test_end=fn``.

    Example:

    >>> losses = []
    >>> record = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        super().__init__()
        functions = {
            "on_epoch_begin": on_epoch_begin,
            "on_epoch_end": on_epoch_end,
            "on_train_begin": on_train_begin,
            "on_train_end": on_train_end,
            "on_train_batch_begin": on_train_batch_begin or kwargs.pop("on_batch_begin", None),
            "on_train_batch_end": on_train_batch_end or kwargs.pop("on_batch_end", None),
        }
        for name, function in kwargs.items():
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise TypeError(
                    f"LambdaCallback received an unknown hook {name!r}; hooks are the "
                    "Callback methods such as on_epoch_end or on_test_batch_end."
                )
            functions[name] = function
        self._functions = {k: f for k, f in functions.items() if f is not None}
        for name, function in self._functions.items():
            setattr(self, name, function)

    def uses_batch_hooks(self, mode):
        prefix = {"train": ("on_train_batch", "on_batch"), "test": ("on_test_batch",), "predict": ("on_predict_batch",)}[mode]
        return any(name.startswith(prefix) for name in self._functions)
