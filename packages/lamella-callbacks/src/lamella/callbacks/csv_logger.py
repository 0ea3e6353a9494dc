"""``CSVLogger``: one CSV row of logs per epoch."""

import collections.abc
import csv
import os

import numpy as np

from lamella.training.callbacks.callback import Callback


class CSVLogger(Callback):
    """Writes the epoch index and every epoch log to a CSV file, one row per epoch.

    The columns are ``epoch`` then the log names of the first epoch, sorted
    (``loss``, the metrics, ``val_*``, ``learning_rate`` when a callback logs it);
    a value missing from a later epoch (validation that runs every few epochs) is
    written as ``NA``. Each row is flushed as soon as it is written, so the file is
    complete up to the last finished epoch even if the process dies.

    Args:
        filename: the CSV file (a path or path-like).
        separator: the field separator (one character).
        append: keep an existing file and add rows to it (its header is not
            written again); otherwise the file is overwritten at ``fit``'s start.

    Example:

    >>> logger = CSVLogger("training.csv", separator=";", append=True)
    >>> # model.fit(x, y, epochs=5, callbacks=[logger])
    """

    reads_model_per_batch = False

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        try:
            self.filename = os.fspath(filename)
        except TypeError:
            raise TypeError(f"CSVLogger expected a file path for filename. Received: filename={filename!r}") from None
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(
                f"CSVLogger expected a one-character separator. Received: separator={separator!r}"
            )
        self.sep = separator
        self.append = bool(append)
        self.keys = None
        self.writer = None
        self.csv_file = None
        self._write_header = True

    def on_train_begin(self, logs=None):
        exists = os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
        self._write_header = not (self.append and exists)
        directory = os.path.dirname(self.filename)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")  # noqa: SIM115 - kept open for the whole fit
        self.keys = None
        self.writer = None

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if self.csv_file is None:
            return
        if self.keys is None:
            self.keys = sorted(logs)
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch", *self.keys], delimiter=self.sep)
            if self._write_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update({key: _format(logs[key]) if key in logs else "NA" for key in self.keys})
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.csv_file = None
        self.writer = None


def _format(value):
    if isinstance(value, str):
        return value
    array = np.asarray(value) if not isinstance(value, collections.abc.Mapping) else None
    if array is not None and array.ndim == 0:
        return repr(array.item()) if isinstance(array.item(), float) else str(array.item())
    if array is not None:
        return "[" + ", ".join(str(v) for v in array.ravel().tolist()) + "]"
    return str(value)
