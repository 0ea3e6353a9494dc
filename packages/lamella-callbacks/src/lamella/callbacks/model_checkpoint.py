"""``ModelCheckpoint``: saves the model, or its weights, while it trains."""

import numbers
import os
import string
import warnings

from lamella.callbacks.monitor_callback import MonitorCallback

_WEIGHTS_SUFFIX = ".weights.h5"
_MODEL_SUFFIXES = (".keras", ".h5")


class _MissingLogKey(KeyError):
    # A KeyError (what Keras raises) whose message prints without repr quotes.
    def __str__(self):
        return str(self.args[0])


class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights at the end of every epoch or every N batches.

    ``filepath`` is a template filled with the epoch (counted from 1) and any
    value of the logs, with Python's format syntax:
    ``"ckpt/{epoch:02d}-{val_loss:.2f}.keras"`` writes ``ckpt/03-0.41.keras`` after
    the third epoch. With an integer ``save_freq``, ``{batch}`` is the batch
    (counted from 1) within the epoch. A name the logs do not hold is a
    ``KeyError`` naming it and the available ones.

    The file is a whole model (``model.save``: ``.keras``, or ``.h5``, the legacy
    single HDF5 file) or, with ``save_weights_only=True``, the weights
    (``model.save_weights``: the name must end in ``.weights.h5``, as in Keras 3).
    Every write goes to a temporary file in the same folder, synced and renamed
    over the destination: a process killed while saving leaves the previous
    checkpoint whole (and, at worst, a hidden ``.<name>.*.tmp`` file).

    With ``save_best_only=True`` a checkpoint is written only when ``monitor``
    improves on the best value so far (in the direction of ``mode``, see
    ``MonitorCallback``), starting from ``initial_value_threshold`` when given;
    with a fixed ``filepath`` the file then always holds the best epoch's model.

    Args:
        filepath: the file to write, a template (``str`` or path-like).
        monitor: the logged quantity ``save_best_only`` compares.
        verbose: 1 prints a line for every save (and skipped save).
        save_best_only: save only when ``monitor`` improves.
        save_weights_only: save the weights (``.weights.h5``), not the model.
        mode: ``'auto'``, ``'min'`` or ``'max'``: how ``monitor`` improves.
        save_freq: ``'epoch'``, or an integer: save every this many batches
            (counted over epochs). The engine ends its device-side chunks of
            steps at those batches, so the checkpoint holds exactly the weights
            after them. The monitored value is then the epoch's running value.
        initial_value_threshold: the value ``monitor`` must beat for the first
            save with ``save_best_only``.

    Example:

    >>> checkpoint = ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True)
    >>> # model.fit(x, y, validation_split=0.2, epochs=10, callbacks=[checkpoint])
    >>> # lamella.models.load_model("best.keras") is then the best epoch's model.
    """

    accepts_chunked_batches = True

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        if initial_value_threshold is not None and (
            not isinstance(initial_value_threshold, numbers.Real) or isinstance(initial_value_threshold, bool)
        ):
            raise ValueError(
                "ModelCheckpoint expected a number or None for initial_value_threshold. "
                f"Received: initial_value_threshold={initial_value_threshold!r}"
            )
        super().__init__(monitor=monitor, mode=mode, baseline=initial_value_threshold)
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1
        ):
            raise ValueError(
                "ModelCheckpoint expected 'epoch' or a positive integer (a number of "
                f"batches) for save_freq. Received: save_freq={save_freq!r}"
            )
        self.filepath = _checked_filepath(filepath, save_weights_only)
        self._fields = _template_fields(self.filepath)
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.save_freq = save_freq
        self.best = initial_value_threshold
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = None
        self._current_epoch = 0

    # -- when to save ----------------------------------------------------------------

    def uses_batch_hooks(self, mode):
        # Saving per epoch needs no batch hooks: epochs then run as one device loop.
        return self.save_freq != "epoch" and super().uses_batch_hooks(mode)

    def steps_to_next_batch_hook(self, steps_done):
        if self.save_freq == "epoch":
            return None
        return max(1, self.save_freq - self._batches_seen_since_last_saving)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._batch_save_due(batch):
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _batch_save_due(self, batch):
        # Hooks may come once per chunk of steps (with the chunk's last index), so
        # count the batches between calls rather than the calls.
        if self._last_batch_seen is None or batch <= self._last_batch_seen:
            added = batch + 1  # a new epoch
        else:
            added = batch - self._last_batch_seen
        self._last_batch_seen = batch
        self._batches_seen_since_last_saving += added
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    # -- saving ----------------------------------------------------------------------

    def _save(self, epoch, batch, logs):
        logs = logs if logs is not None else {}
        path = self._path_for(epoch, batch, logs)
        if not self._should_save(epoch, logs, path):
            return
        if os.path.isdir(path):
            raise IsADirectoryError(
                f"ModelCheckpoint's filepath {path!r} is an existing folder: give the "
                "name of a file to write."
            )
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {path}")

    def _should_save(self, epoch, logs, path):
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {path}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"ModelCheckpoint(save_best_only=True) monitors {self.monitor!r}, which is "
                f"not in the logs (available: {', '.join(logs) or 'none'}); saving anyway.",
                stacklevel=3,
            )
            return True
        current = float(current)
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self.is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, "
                      f"saving model to {path}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _path_for(self, epoch, batch, logs):
        values = {"epoch": epoch + 1}
        if batch is not None:
            values["batch"] = batch + 1
        for name in self._fields:
            if name in values:
                continue
            if name not in logs:
                available = ", ".join([*values, *logs])
                raise _MissingLogKey(
                    f"ModelCheckpoint cannot fill {{{name}}} in filepath {self.filepath!r}: "
                    f"the logs of epoch {epoch + 1} have no {name!r}. Available: {available}."
                )
            # Only the named values are read: batch logs stay on the device otherwise.
            values[name] = logs[name]
        try:
            return self.filepath.format(**values)
        except (ValueError, TypeError, IndexError, AttributeError) as error:
            raise ValueError(
                f"ModelCheckpoint could not fill filepath {self.filepath!r} with "
                f"{values}: {error}"
            ) from None


def _checked_filepath(filepath, save_weights_only):
    try:
        filepath = os.fspath(filepath)
    except TypeError:
        raise TypeError(
            f"ModelCheckpoint expected a file path for filepath. Received: filepath={filepath!r}"
        ) from None
    if not isinstance(filepath, str):
        filepath = os.fsdecode(filepath)
    if save_weights_only:
        if not filepath.endswith(_WEIGHTS_SUFFIX):
            raise ValueError(
                "ModelCheckpoint(save_weights_only=True) writes weights files, whose "
                f"names end in {_WEIGHTS_SUFFIX}. Received: filepath={filepath!r}"
            )
    elif filepath.endswith(_WEIGHTS_SUFFIX):
        raise ValueError(
            f"ModelCheckpoint saves the whole model, but filepath={filepath!r} ends in "
            f"{_WEIGHTS_SUFFIX}, the name of a weights file: pass save_weights_only=True, "
            "or name a model file ending in .keras."
        )
    elif not filepath.endswith(_MODEL_SUFFIXES):
        raise ValueError(
            "ModelCheckpoint saves the whole model: the file name must end in .keras "
            "(or .h5 for one HDF5 file; with save_weights_only=True, .weights.h5). "
            f"Received: filepath={filepath!r}"
        )
    return filepath


def _template_fields(filepath):
    """The names ``filepath`` formats (``{epoch:02d}`` gives ``'epoch'``)."""
    try:
        parsed = list(string.Formatter().parse(filepath))
    except ValueError as error:
        raise ValueError(
            f"ModelCheckpoint could not read filepath {filepath!r} as a template: {error}. "
            "Write fields as {epoch:02d} or {val_loss:.2f}, and a literal brace as {{ or }}."
        ) from None
    fields = []
    for _, field, _, _ in parsed:
        if field is None:
            continue
        name = field.split(".")[0].split("[")[0]
        if not name.isidentifier():
            raise ValueError(
                f"ModelCheckpoint's filepath {filepath!r} has the field {{{field}}}; fields "
                "name the epoch or a log value, such as {epoch:02d} or {val_loss:.2f}."
            )
        fields.append(name)
    return fields
