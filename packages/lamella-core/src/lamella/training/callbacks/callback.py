"""``Callback``: hooks called by ``fit``, ``evaluate`` and ``predict``.

Override the hooks you need. Batch hooks cost something only when overridden: a
model whose callbacks have no batch hooks runs its epoch without returning to
Python between steps' results, and logs are read from the device once per epoch.
"""

_BATCH_HOOKS = {
    "train": ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"),
    "test": ("on_test_batch_begin", "on_test_batch_end"),
    "predict": ("on_predict_batch_begin", "on_predict_batch_end"),
}


class Callback:
    """Base class of callbacks.

    Attributes:
        model: the model being trained (set by ``fit``).
        params: ``{'epochs', 'steps', 'verbose'}`` of the current run.

    The ``logs`` dicts hold Python floats: ``loss``, the metrics, and at the end of
    an epoch ``val_loss`` and the validation metrics. Batch logs are read from the
    device only when a callback looks at them.
    """

    # Whether this callback may read or change the model's weights from a batch hook
    # (then the engine writes its state back into the variables before each call).
    reads_model_per_batch = True

    # Whether this callback's batch hooks are content to be called once per chunk of
    # steps (with the chunk's last batch index and logs), as Keras calls them under
    # ``steps_per_execution``. Progress bars are; a callback counting batches is not.
    # With ``steps_per_execution='auto'``, one callback that is not keeps the engine
    # at one step per dispatch.
    accepts_chunked_batches = False

    def steps_to_next_batch_hook(self, steps_done):
        """How many training steps may run, after ``steps_done`` steps of this
        ``fit``, before this callback's batch hooks must be called, or ``None`` for
        no limit.

        Only read for callbacks that accept chunked batches, under
        ``steps_per_execution='auto'``: the engine ends a chunk where any callback
        wants its hook (``TensorBoard(update_freq=N)`` asks for every N-th step),
        and otherwise sizes chunks freely.
        """
        return None

    def __init__(self):
        self.params = {}
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def uses_batch_hooks(self, mode):
        """Whether this callback overrides any batch hook of ``mode``."""
        return any(
            getattr(type(self), name) is not getattr(Callback, name)
            for name in _BATCH_HOOKS[mode]
        )

    def on_batch_begin(self, batch, logs=None):
        """A backwards-compatible alias of ``on_train_batch_begin``."""

    def on_batch_end(self, batch, logs=None):
        """A backwards-compatible alias of ``on_train_batch_end``."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of an epoch of ``fit``."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of an epoch, with the epoch's and validation's logs."""

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each batch of ``evaluate`` (and of validation in ``fit``)."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after each batch of ``evaluate``."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each batch of ``predict``."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each batch of ``predict``."""

    def on_train_begin(self, logs=None):
        """Called at the start of ``fit``."""

    def on_train_end(self, logs=None):
        """Called at the end of ``fit``."""

    def on_test_begin(self, logs=None):
        """Called at the start of ``evaluate`` or of validation."""

    def on_test_end(self, logs=None):
        """Called at the end of ``evaluate`` or of validation."""

    def on_predict_begin(self, logs=None):
        """Called at the start of ``predict``."""

    def on_predict_end(self, logs=None):
        """Called at the end of ``predict``."""
