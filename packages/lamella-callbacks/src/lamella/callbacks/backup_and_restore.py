"""``BackupAndRestore``: an interrupted ``fit`` resumes where it stopped."""

import contextlib
import os

from lamella.callbacks import backup_file
from lamella.random.host_rng import host_rng
from lamella.saving.model_file import ModelFileError
from lamella.training.callbacks.callback import Callback

_LATEST = "latest.weights.h5"


class BackupAndRestore(Callback):
    """Backs the training state up during ``fit``, and resumes from the backup.

    At the end of every epoch (or every ``save_freq`` batches), the whole training
    state goes to one file in ``backup_dir``: the weights and the layers' random
    states (dropout keys), the optimizer's variables (iterations, slots, moving
    averages), the epoch's running metrics, the position in training (epoch and
    batch) and the state of the host generator that draws each epoch's shuffle.
    The file is written to a temporary file and renamed over the previous one, so
    a process killed at any moment, even while saving, leaves a complete backup.

    When ``fit`` starts and a backup is there, everything is put back and training
    resumes at the saved epoch and batch: the epoch's shuffle is drawn again from
    the saved generator state, the batches already trained are skipped. Run the
    same script again after a crash: it ends with exactly the weights an
    uninterrupted run would have (same seed, same data, same arguments). When
    ``fit`` ends normally, the backup is deleted (``delete_checkpoint``); an
    exception leaves it for the next run.

    What is not backed up: the state of other callbacks (``EarlyStopping``'s
    patience count, ``ReduceLROnPlateau``'s), and the data itself.

    Args:
        backup_dir: the folder of the backup; it must hold nothing else (no other
            run's backup, no ``ModelCheckpoint`` files).
        save_freq: ``'epoch'``, or an integer: back up every this many batches
            (counted over epochs; a backup due at an epoch's last batch is
            written at the epoch's end, after validation).
        double_checkpoint: also keep the previous backup (``*.bkp``), used when
            the latest cannot be read (a damaged disk).
        delete_checkpoint: delete the backup when ``fit`` ends normally.

    Example:

    >>> backup = BackupAndRestore(backup_dir="/tmp/backup", save_freq=100)
    >>> # model.fit(x, y, epochs=10, callbacks=[backup])
    >>> # Killed at epoch 4? The same call again resumes in epoch 4, at the last
    >>> # backup's batch.
    """

    accepts_chunked_batches = True

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError(f"BackupAndRestore needs a backup_dir. Received: backup_dir={backup_dir!r}")
        try:
            self.backup_dir = os.fsdecode(os.fspath(backup_dir))
        except TypeError:
            raise TypeError(
                f"BackupAndRestore expected a folder path for backup_dir. Received: backup_dir={backup_dir!r}"
            ) from None
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1
        ):
            raise ValueError(
                "BackupAndRestore expected 'epoch' or a positive integer (a number of "
                f"batches) for save_freq. Received: save_freq={save_freq!r}"
            )
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._weights_path = os.path.join(self.backup_dir, _LATEST)
        self._prev_weights_path = f"{self._weights_path}.bkp"
        self._reset()

    def _reset(self):
        self._epoch = 0
        self._epoch_rng_state = None
        self._batches_since_backup = 0
        self._last_batch = None
        self._backup_at_epoch_end = False

    # -- when to back up -------------------------------------------------------------

    def uses_batch_hooks(self, mode):
        return self.save_freq != "epoch" and super().uses_batch_hooks(mode)

    def steps_to_next_batch_hook(self, steps_done):
        if self.save_freq == "epoch":
            return None
        return max(1, self.save_freq - self._batches_since_backup)

    def on_train_begin(self, logs=None):
        self._reset()
        self._remove_temporaries()
        self._restore()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        # fit draws this epoch's shuffle after on_epoch_begin: a backup taken
        # mid-epoch keeps the state before the draw, to draw the same one again.
        self._epoch_rng_state = host_rng().bit_generator.state

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch" or not self._batch_backup_due(batch):
            return
        if batch + 1 >= self.params.get("steps", batch + 2):
            # The epoch's last batch: the epoch's end comes next; back up there,
            # as a fresh start of the next epoch.
            self._backup_at_epoch_end = True
        else:
            self._write(self._epoch, batch + 1, self._epoch_rng_state)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch" or self._backup_at_epoch_end:
            self._backup_at_epoch_end = False
            self._write(epoch + 1, 0, host_rng().bit_generator.state)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint:
            return
        for path in (self._weights_path, self._prev_weights_path):
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
        with contextlib.suppress(OSError):  # kept when it holds anything else
            os.rmdir(self.backup_dir)

    def _batch_backup_due(self, batch):
        # Hooks may come once per chunk of steps: count batches, not calls.
        if self._last_batch is None or batch <= self._last_batch:
            added = batch + 1
        else:
            added = batch - self._last_batch
        self._last_batch = batch
        self._batches_since_backup += added
        if self._batches_since_backup >= self.save_freq:
            self._batches_since_backup = 0
            return True
        return False

    # -- files -----------------------------------------------------------------------

    def _write(self, epoch, step, rng_state):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            # Until the new backup is renamed into place, the previous one is the
            # .bkp, which a restart falls back on.
            os.replace(self._weights_path, self._prev_weights_path)
        backup_file.write(self._weights_path, self.model, epoch, step, self.params.get("steps", 0), rng_state)

    def _remove_temporaries(self):
        # Left by a process killed while writing; the folder is this callback's own.
        if not os.path.isdir(self.backup_dir):
            return
        for name in os.listdir(self.backup_dir):
            if name.startswith(f".{_LATEST}.") and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(self.backup_dir, name))

    def _restore(self):
        candidates = [self._weights_path] + ([self._prev_weights_path] if self.double_checkpoint else [])
        failures = []
        for path in candidates:
            if not os.path.exists(path):
                continue
            try:
                backup = backup_file.read(path, self.model)
            except ModelFileError as error:
                failures.append(str(error))
                continue
            self._resume_from(backup, path)
            return
        if failures:
            raise ModelFileError(
                " ".join(failures) + " Delete the backup folder "
                f"{self.backup_dir!r} to start training from the beginning."
            )

    def _resume_from(self, backup, path):
        steps = self.params.get("steps")
        if backup.step and steps is not None and backup.steps_per_epoch != steps:
            raise ValueError(
                f"The backup {path} was taken at batch {backup.step} of an epoch of "
                f"{backup.steps_per_epoch} batches, but an epoch of this fit has {steps}: "
                "resume with the same data, batch_size and steps_per_epoch, or delete "
                f"{self.backup_dir!r} to start over."
            )
        backup.restore()
        host_rng().bit_generator.state = backup.rng_state
        self.model._initial_epoch = backup.epoch
        self.model._initial_step = backup.step
