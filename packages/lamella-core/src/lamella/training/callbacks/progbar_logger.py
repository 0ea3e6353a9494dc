"""``ProgbarLogger``: the progress bar behind ``verbose=1`` and ``verbose=2``."""

import sys

from lamella.training.callbacks.callback import Callback
from lamella.training.progbar import Progbar, _is_terminal


class ProgbarLogger(Callback):
    """Prints progress and logs: a live bar (``verbose=1``) or a line per epoch.

    On a terminal, ``verbose=1`` shows ``Epoch 1/3`` and a bar with the steps done,
    the ETA and the epoch's running loss and metrics, redrawn at most every 0.1 s;
    it reads the batch logs from the device only when it redraws, so between
    redraws training never waits for the host. When the output is not a terminal
    (a log file, CI), and with ``verbose=2``, it prints one line per epoch
    (``Epoch 1/3 - 13/13 - 0s - 2ms/step - loss: 0.2 - val_loss: 0.3``) and asks
    for no batch hooks at all, so the engine runs whole epochs per dispatch.

    Args:
        count_mode: ``'steps'`` (the only mode: progress counts batches).
        stream: where to write (default ``sys.stdout`` at the time of writing).

    Example:

    >>> import io
    >>> logger = ProgbarLogger(stream=io.StringIO())
    >>> # model.fit(x, y, epochs=3, callbacks=[logger])
    """

    reads_model_per_batch = False
    accepts_chunked_batches = True

    def __init__(self, count_mode="steps", stream=None):
        super().__init__()
        if count_mode != "steps":
            raise ValueError(
                "ProgbarLogger counts steps (batches). "
                f"Received: count_mode={count_mode!r}"
            )
        self.stream = stream
        self.verbose = 1
        self.epochs = 1
        self._progbar = None
        self._mode = None

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)

    def _live(self):
        return self.verbose == 1 and _is_terminal(self.stream or sys.stdout)

    def uses_batch_hooks(self, mode):
        # Without a live bar nothing is drawn between epochs: no batch hooks, so the
        # engine needs neither chunks nor syncs for this callback.
        return self._live()

    def _start(self, target, prefix=""):
        self._progbar = Progbar(
            target=target, verbose=self.verbose, stream=self.stream or sys.stdout, prefix=prefix
        )

    def on_train_begin(self, logs=None):
        self._mode = "train"

    def on_train_end(self, logs=None):
        self._mode = None

    def on_epoch_begin(self, epoch, logs=None):
        title = f"Epoch {epoch + 1}/{self.epochs}" if self.verbose and self.epochs > 1 else ""
        if title and self._live():
            (self.stream or sys.stdout).write(title + "\n")
            title = ""
        self._start(self.params.get("steps"), prefix=f"{title} - " if title else "")

    def on_train_batch_end(self, batch, logs=None):
        self._batch_update(batch, logs)

    def on_test_begin(self, logs=None):
        if self._mode != "train":
            self._mode = "test"
            self._start(self.params.get("steps"))

    def on_test_batch_end(self, batch, logs=None):
        if self._mode == "test":
            self._batch_update(batch, logs)

    def on_predict_begin(self, logs=None):
        self._mode = "predict"
        self._start(self.params.get("steps"))

    def on_predict_batch_end(self, batch, logs=None):
        if self._progbar is not None and self._progbar.due():
            self._progbar.update(batch + 1)

    def _batch_update(self, batch, logs):
        progbar = self._progbar
        if progbar is None:
            return
        if progbar.due():
            progbar.update(batch + 1, dict(logs or {}))

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    def on_test_end(self, logs=None):
        if self._mode == "test":
            self._finish(logs)

    def on_predict_end(self, logs=None):
        if self._mode == "predict":
            self._finish(None)

    def _finish(self, logs):
        if self._progbar is None:
            return
        steps = self.params.get("steps") or self._progbar._seen
        self._progbar.update(steps, dict(logs or {}), finalize=True)
        self._progbar = None
