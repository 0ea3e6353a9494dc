"""``CallbackList``: calls every callback's hook, and tells the engine what they need."""

from lamella.training.callbacks.callback import Callback
from lamella.training.callbacks.history import History
from lamella.training.callbacks.progbar_logger import ProgbarLogger


class CallbackList(Callback):
    """A group of callbacks called in order.

    Args:
        callbacks: the user's callbacks.
        add_history: add a ``History`` (last) unless one is given.
        add_progbar: add a ``ProgbarLogger`` (first) unless one is given.
        model: the model, set on every callback.
        **params: ``epochs``, ``steps``, ``verbose``, set on every callback.
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None, **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for callback in self.callbacks:
            if not isinstance(callback, Callback):
                raise TypeError(
                    "callbacks must be lamella Callback instances. "
                    f"Received: {callback!r}"
                )
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.insert(0, ProgbarLogger())
        self.history = next((c for c in self.callbacks if isinstance(c, History)), None)
        if add_history and self.history is None:
            self.history = History()
            self.callbacks.append(self.history)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    def uses_batch_hooks(self, mode):
        return any(c.uses_batch_hooks(mode) for c in self.callbacks)

    def needs_every_batch(self, mode):
        """Whether some batch hook of ``mode`` must see every batch on its own."""
        return any(c.uses_batch_hooks(mode) and not c.accepts_chunked_batches for c in self.callbacks)

    def reads_model_in_batch_hooks(self, mode):
        """Whether the engine must write weights back before each batch hook."""
        return any(c.uses_batch_hooks(mode) and c.reads_model_per_batch for c in self.callbacks)

    def steps_to_next_batch_hook(self, steps_done):
        """The fewest steps any callback with train batch hooks lets run next."""
        limits = [
            c.steps_to_next_batch_hook(steps_done)
            for c in self.callbacks
            if c.uses_batch_hooks("train")
        ]
        limits = [limit for limit in limits if limit is not None]
        return max(1, min(limits)) if limits else None

    def _call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._call("on_predict_batch_end", batch, logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs)
