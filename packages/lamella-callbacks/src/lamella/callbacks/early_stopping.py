"""``EarlyStopping``: stops training when a monitored quantity stops improving."""

import jax.numpy as jnp

from lamella.callbacks.monitor_callback import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stops ``fit`` once ``monitor`` has not improved for ``patience`` epochs.

    At the end of every epoch from ``start_from_epoch`` on, the monitored value is
    compared with the best so far: better by more than ``min_delta`` (in the
    direction given by ``mode``) resets the count of epochs without improvement,
    anything else adds one; when the count reaches ``patience``, training stops.
    With a ``baseline``, an improvement resets the count only if it also beats the
    baseline, so training stops after ``patience`` epochs that never reach it.

    With ``restore_best_weights=True`` the model ends ``fit`` with the weights of
    its best epoch (a copy kept on the device at each improvement, no host
    transfer), whether training stopped early or ran all its epochs.

    Args:
        monitor: the quantity to watch (default ``'val_loss'``).
        min_delta: the smallest change counted as an improvement.
        patience: epochs without improvement before stopping.
        verbose: 1 prints when training stops and when weights are restored.
        mode: ``'auto'``, ``'min'`` or ``'max'`` (see ``MonitorCallback``).
        baseline: a value the quantity must beat.
        restore_best_weights: restore the best epoch's weights at the end.
        start_from_epoch: epochs of warm-up before monitoring starts.

    Attributes:
        stopped_epoch: the epoch at which training stopped (0 if it did not).
        best: the best value seen; best_epoch: its epoch.

    Example:

    >>> stop = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    >>> # model.fit(x, y, validation_split=0.2, epochs=100, callbacks=[stop])
    """

    reads_model_per_batch = False

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor=monitor, mode=mode, baseline=baseline, min_delta=min_delta)
        for name, value in (("patience", patience), ("start_from_epoch", start_from_epoch)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(
                    f"EarlyStopping expected a non-negative integer for {name}. Received: {name}={value!r}"
                )
        self.patience = patience
        self.verbose = verbose
        self.restore_best_weights = bool(restore_best_weights)
        self.start_from_epoch = start_from_epoch
        self._reset()

    def _reset(self):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None

    def on_train_begin(self, logs=None):
        self._reset()  # an instance may serve several fits

    def on_epoch_end(self, epoch, logs=None):
        current = self.monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            # Until something improves, the first monitored epoch is the best one.
            self._keep_weights(epoch)
        self.wait += 1
        if self.is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self._keep_weights(epoch)
            if self.baseline is None or self.is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def _keep_weights(self, epoch):
        # The engine donates its state buffers to the next step, so a reference to
        # the current arrays would not survive: keep device-side copies.
        self.best_weights = [jnp.array(v.value, copy=True) for v in self.model.weights]
        self.best_epoch = epoch

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            for variable, value in zip(self.model.weights, self.best_weights):
                variable.assign(value)
