"""``TensorBoard``: logs that TensorBoard shows, written without TensorFlow."""

import importlib
import os
import time

import jax
import numpy as np

from lamella.callbacks.tensorboard_logs import projector
from lamella.training.callbacks.callback import Callback

# Batch logs kept on the device between two reads: a read every this many writes at
# most, whatever the epoch's length.
_MAX_PENDING = 1000


class TensorBoard(Callback):
    """Writes training logs for TensorBoard: ``tensorboard --logdir logs``.

    Two runs, ``<log_dir>/train`` and ``<log_dir>/validation``:

    - ``epoch_<name>`` scalars at every epoch end (step = the epoch): the loss and
      metrics in ``train``, their ``val_`` counterparts (without the prefix) in
      ``validation``, and the optimizer's ``epoch_learning_rate`` in ``train``;
      ``evaluation_<name>_vs_iterations`` in ``validation`` against the
      optimizer's step count, also for ``evaluate(callbacks=[tb])``;
    - with ``update_freq=N``, ``batch_<name>`` scalars every N optimizer steps
      (step = the step count), the epoch's running averages as the progress bar
      shows them. They stay on the device until the epoch ends and are read in one
      transfer, and the engine cuts its device-side loops at those steps only:
      logging costs no per-batch host sync;
    - with ``histogram_freq=N``, a histogram of every weight every N epochs
      (``<layer>/<weight>/histogram``), and with ``write_images=True`` the weight
      as a grey image (``.../image``, min black, max white);
    - with ``write_graph=True``, the model's summary table as text
      (``model_summary``, Text tab);
    - with ``profile_batch``, a jax profiler trace of those batches of the first
      epoch into ``<log_dir>/train/plugins/profile`` (TensorBoard's Profile tab
      opens it when ``tensorboard-plugin-profile`` is installed);
    - with ``embeddings_freq=N``, every embedding layer's table for the Projector
      tab every N epochs: ``<log_dir>/train/projector_config.pbtxt`` and, per
      layer, ``<log_dir>/train/embeddings/<layer>/tensor.tsv`` (the latest epoch
      written) with a copy of its ``embeddings_metadata`` labels. An embedding
      layer is any layer of the model, nested models included, whose
      ``embeddings`` attribute is a 2-D ``Variable`` (``lamella.layers.Embedding``
      and layers written like it); a model without one gets a warning and no
      projector files.

    Event files use the ``tensorboard`` package's protobufs and record framing;
    TensorFlow is never imported.

    Args:
        log_dir: the folder of the runs.
        histogram_freq: epochs between weight histograms (0: none).
        write_graph: write the model summary as text.
        write_images: write weights as images too (with ``histogram_freq``).
        write_steps_per_second: log the training speed in steps per second.
        update_freq: ``'epoch'``, ``'batch'`` (every step) or an integer N (every
            N steps): how often batch scalars are written.
        profile_batch: 0 (no profiling), a batch number (1-based), or a range
            ``(start, stop)`` / ``'start,stop'`` of batches to trace.
        embeddings_freq: epochs between writes of the embedding tables (0: none);
            as with ``histogram_freq``, they are written after epochs 0, N, 2N, ...
        embeddings_metadata: the labels of the embedding rows, a TSV file (one
            label per line, or tab-separated columns under a header line): one
            file name for every embedding layer, or a dict ``{layer name: file
            name}``. Relative names are read from ``log_dir``. A name that is
            not an embedding layer of the model is an error when ``fit`` starts.

    Example:

    >>> tensorboard = TensorBoard(log_dir="logs", histogram_freq=1, update_freq=50)
    >>> projector = TensorBoard(log_dir="logs", embeddings_freq=1, embeddings_metadata="labels.tsv")
    >>> # model.fit(x, y, epochs=5, callbacks=[tensorboard]); then: tensorboard --logdir logs
    """

    reads_model_per_batch = False
    accepts_chunked_batches = True

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        try:
            self.log_dir = os.fspath(log_dir)
        except TypeError:
            raise TypeError(f"TensorBoard expected a folder for log_dir. Received: log_dir={log_dir!r}") from None
        if not _is_count(histogram_freq):
            raise ValueError(
                "TensorBoard expected a non-negative integer for histogram_freq. "
                f"Received: histogram_freq={histogram_freq!r}"
            )
        if not _is_count(embeddings_freq):
            raise ValueError(
                "TensorBoard expected a non-negative integer for embeddings_freq. "
                f"Received: embeddings_freq={embeddings_freq!r}"
            )
        self.histogram_freq = histogram_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = projector.parse_metadata(embeddings_metadata)
        self._projector = (
            projector.EmbeddingProjector(self.log_dir, self.train_dir, self.embeddings_metadata)
            if embeddings_freq else None
        )
        self.write_graph = bool(write_graph)
        self.write_images = bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        self.update_freq = _parse_update_freq(update_freq)
        self.profile_range = _parse_profile_batch(profile_batch)
        self._writers = {}
        self._steps = 0  # optimizer steps at the start of the current epoch
        self._first_step = 0  # ... at the start of fit
        self._pending = []
        self._next_write = None
        self._fit_steps = 0  # steps of this fit before the current epoch
        self._profiling = False
        self._profiled = False

    def set_params(self, params):
        super().set_params(params)
        # A new run: the engine asks uses_batch_hooks before on_train_begin.
        self._profiled = False

    @property
    def train_dir(self):
        return os.path.join(self.log_dir, "train")

    @property
    def validation_dir(self):
        return os.path.join(self.log_dir, "validation")

    def _writer(self, run):
        writer = self._writers.get(run)
        if writer is None or writer.closed:
            from lamella.callbacks.tensorboard_logs.event_writer import EventWriter

            writer = self._writers[run] = EventWriter(os.path.join(self.log_dir, run))
        return writer

    # -- what the engine needs to know ---------------------------------------------

    def uses_batch_hooks(self, mode):
        return mode == "train" and (self.update_freq is not None or self._profile_pending())

    def _profile_pending(self):
        return self.profile_range is not None and not self._profiled

    def steps_to_next_batch_hook(self, steps_done):
        steps = self._first_step + steps_done
        limits = []
        if self.update_freq is not None:
            limits.append(self.update_freq - steps % self.update_freq)
        if self._profile_pending():
            start, stop = self.profile_range
            done = steps_done  # batches of this fit, as profile_batch counts them
            if done < start - 1:
                limits.append(start - 1 - done)
            elif done < stop:
                limits.append(stop - done)
        return min(limits) if limits else None

    # -- fit -----------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._first_step = self._steps = _iterations(self.model)
        self._fit_steps = 0
        self._pending = []
        self._next_write = None
        if self.update_freq is not None:
            self._next_write = (self._steps // self.update_freq + 1) * self.update_freq
        self._profiled = False
        if self._projector is not None:
            self._projector.start(self.model)
        if self.write_graph:
            self._write_model_summary()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start_time = time.perf_counter()
        self._batch_time = (self._epoch_start_time, self._steps)

    def on_train_batch_begin(self, batch, logs=None):
        if self._profile_pending() and not self._profiling:
            start, stop = self.profile_range
            if start - 1 <= self._fit_steps + batch < stop:
                jax.profiler.start_trace(self.train_dir)
                self._profiling = True

    def on_train_batch_end(self, batch, logs=None):
        steps = self._steps + batch + 1
        if self._next_write is not None and steps >= self._next_write:
            values = logs.unread() if hasattr(logs, "unread") else dict(logs or {})
            if self.write_steps_per_second:
                then, then_steps = self._batch_time
                now = time.perf_counter()
                values["steps_per_second"] = (steps - then_steps) / max(now - then, 1e-9)
                self._batch_time = (now, steps)
            self._pending.append((steps, values))
            self._next_write = (steps // self.update_freq + 1) * self.update_freq
            if len(self._pending) >= _MAX_PENDING:
                self._write_pending()
        if self._profiling and self._fit_steps + batch + 1 >= self.profile_range[1]:
            self._stop_profile(logs)

    def _stop_profile(self, logs=None):
        # The trace must hold the traced steps' device work, not just their dispatch.
        jax.block_until_ready(logs.unread() if hasattr(logs, "unread") else None)
        jax.profiler.stop_trace()
        self._profiling = False
        self._profiled = True

    def _write_pending(self):
        if not self._pending:
            return
        fetched = jax.device_get([values for _, values in self._pending])
        writer = self._writer("train")
        for (steps, _), values in zip(self._pending, fetched):
            writer.add_summary([_summaries().scalar(f"batch_{k}", v) for k, v in values.items()], step=steps)
        self._pending = []

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        self._write_pending()
        epoch_steps = self.params.get("steps") or 0
        self._steps += epoch_steps
        self._fit_steps += epoch_steps
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        validation = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        rate = _learning_rate(self.model)
        if rate is not None:
            train.setdefault("learning_rate", rate)
        if self.write_steps_per_second:
            train["steps_per_second"] = epoch_steps / max(time.perf_counter() - self._epoch_start_time, 1e-9)
        self._write_scalars("train", train, "epoch_", epoch)
        if validation:
            self._write_scalars("validation", validation, "epoch_", epoch)
            self._write_evaluation(validation)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._write_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._projector.write()
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs=None):
        self._in_fit = False
        if self._profiling:
            self._stop_profile()
        self._write_pending()
        self._close()

    # -- evaluate ------------------------------------------------------------------

    def on_test_end(self, logs=None):
        # fit's validation is written with the epoch's logs (on_epoch_end); this
        # writes the results of evaluate().
        if getattr(self, "_in_fit", False):
            return
        self._write_evaluation(dict(logs or {}))
        self._writer("validation").flush()

    # -- writing -------------------------------------------------------------------

    def _write_scalars(self, run, values, prefix, step):
        scalars = [_summaries().scalar(prefix + k, v) for k, v in values.items() if _is_scalar(v)]
        if scalars:
            self._writer(run).add_summary(scalars, step=step)

    def _write_evaluation(self, values):
        if getattr(self.model, "optimizer", None) is None:
            return
        step = _iterations(self.model)
        scalars = [_summaries().scalar(f"evaluation_{k}_vs_iterations", v) for k, v in values.items() if _is_scalar(v)]
        if scalars:
            self._writer("validation").add_summary(scalars, step=step)

    def _write_weights(self, epoch):
        values = []
        for weight in self.model.weights:
            name = weight.path.replace(":", "_")
            array = np.asarray(weight.value)
            values.append(_summaries().histogram(f"{name}/histogram", array))
            if self.write_images:
                values.append(_summaries().image(f"{name}/image", _summaries().weights_image(array)))
        if values:
            self._writer("train").add_summary(values, step=epoch)

    def _write_model_summary(self):
        lines = []
        try:
            self.model.summary(print_fn=lines.append)
        except (ValueError, RuntimeError):  # a model not built yet has no table to show
            return
        # Indented four spaces: a Markdown code block, so the table keeps its columns.
        text = "\n".join("    " + line for line in "\n".join(lines).splitlines())
        self._writer("train").add_summary([_summaries().text("model_summary", text)], step=0)

    def _close(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def __del__(self):
        try:
            self._close()
        except Exception:  # noqa: BLE001 - interpreter shutdown: nothing left to do
            pass


def _summaries():
    # Imported on first use: the tensorboard package takes ~0.25 s to import, which
    # `import lamella.callbacks` should not pay when no TensorBoard is written.
    return importlib.import_module("lamella.callbacks.tensorboard_logs.summaries")


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_scalar(value):
    return np.ndim(value) == 0 and np.issubdtype(np.asarray(value).dtype, np.number)


def _iterations(model):
    optimizer = getattr(model, "optimizer", None)
    iterations = getattr(optimizer, "iterations", None)
    return 0 if iterations is None else int(np.asarray(iterations))


def _learning_rate(model):
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or not hasattr(optimizer, "learning_rate"):
        return None
    return float(np.asarray(optimizer.learning_rate))


def _parse_update_freq(update_freq):
    if update_freq == "epoch":
        return None
    if update_freq == "batch":
        return 1
    if isinstance(update_freq, int) and not isinstance(update_freq, bool) and update_freq > 0:
        return update_freq
    raise ValueError(
        "TensorBoard expected update_freq 'epoch', 'batch' or a positive integer. "
        f"Received: update_freq={update_freq!r}"
    )


def _parse_profile_batch(profile_batch):
    """``None`` or a ``(start, stop)`` pair of 1-based batch numbers, inclusive."""
    error = ValueError(
        "TensorBoard expected profile_batch to be 0, a positive batch number, or a "
        "range (start, stop) / 'start,stop' of positive batch numbers with start <= "
        f"stop. Received: profile_batch={profile_batch!r}"
    )
    value = profile_batch
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            raise error from None
        value = value[0] if len(value) == 1 else tuple(value)
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value == 0):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if (not isinstance(value, tuple | list) or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise error
    start, stop = value
    if start == 0 and stop == 0:
        return None
    if start < 1 or stop < start:
        raise error
    return (start, stop)
