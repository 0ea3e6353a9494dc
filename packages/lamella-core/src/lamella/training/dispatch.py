"""How an epoch is dispatched: which compiled functions run, and how many steps each.

An epoch is a schedule of calls, each running a number of optimizer steps on the
device: ``count`` full batches in one device-side loop (one compiled program for
every count), single steps, and one call on the last, smaller batch. Between calls
the host runs the batch hooks of the callbacks, if any; with none, the schedule runs
in a tight loop and the host never waits for the device until the epoch's logs are
read.

``steps_per_execution='auto'`` (the default) picks the cut from the callbacks:

- no batch hooks: all full batches in one call (measured on a 2-core CPU with
  jax 0.10, a tiny MLP step went from ~0.13 ms with a host loop of single jitted
  steps to ~0.07 ms; an arithmetic-bound MLP gained a few percent);
- only hooks that accept chunks (the progress bar): chunks sized from the time the
  previous chunk took, so that hooks run about every ``CHUNK_SECONDS``, and cut
  where a callback wants its hook (``Callback.steps_to_next_batch_hook``);
- a hook that must see every batch: one step per call, as Keras does.

An integer ``steps_per_execution`` is taken as given: chunks of that many steps,
hooks called once per chunk with its last batch index, as in Keras.

Some steps must not run inside a device-side loop: on CPU, XLA runs convolutions in
a while loop's body an order of magnitude slower (``backend.compile_options``). For
those the engine traces the loop program once, sees the convolution, and runs the
same chunks as host loops of jitted calls, dispatched back to back: single steps
for ``'auto'``, and for an integer ``steps_per_execution`` programs of that many
steps written out one after the other (at most ``MAX_UNROLL``), as Keras's jax
backend runs them. Unrolled, a convolutional step runs faster (the Keras MNIST
convnet's, on a 2-core AVX-512 Xeon with jax 0.10.2: 5-8% with 8 steps per program),
but that program compiled in 2.6 s (4 steps: 1.9 s, 16: 4.4 s) against well under
a second for one step. With non-overlapping max pooling's own derivative
(``lamella.layers``' ``tile_max``) the 8-step program saves about 14% of that
convnet's 20 ms step, so it pays its compile back after some 800 steps. ``'auto'``
therefore writes steps out only when the fit plans at least ``AUTO_UNROLL_STEPS``
steps (epochs times steps per epoch, about 2.5 times the payback, so that a fit
that early stopping ends well before its last epoch still gains); shorter fits keep
single steps. Streamed data (generators, ``PyDataset``) keep single steps under
``'auto'``: their length is often unknown. With a progress bar, ``'auto'`` chunks
are then whole numbers of written-out programs.
"""

import time

from lamella.training.logs import DeviceLogs

# Aimed-at time between two batch-hook calls when 'auto' chunks for a progress bar:
# long enough that the call's overhead and sync vanish, short enough for a live bar.
CHUNK_SECONDS = 0.1
MAX_AUTO_CHUNK = 1024
# Most steps written out in one program when the device loop cannot be used: the
# compile time grows with the count, and 16 steps gained no more than 8.
MAX_UNROLL = 8
# Planned steps from which 'auto' writes steps out (see the module docstring).
AUTO_UNROLL_STEPS = 2000


def unroll_count(steps_per_execution, planned_steps=None):
    """Steps per program for chunks that cannot use the device loop: a count the
    user asked for, up to ``MAX_UNROLL``; for ``'auto'``, ``MAX_UNROLL`` when the
    fit plans at least ``AUTO_UNROLL_STEPS`` steps, else 1 (see the module
    docstring)."""
    if steps_per_execution != "auto":
        return min(steps_per_execution, MAX_UNROLL)
    long_fit = planned_steps is not None and planned_steps >= AUTO_UNROLL_STEPS
    return MAX_UNROLL if long_fit else 1


def written_out_steps(count, unroll):
    """How many of a chunk's ``count`` steps run in programs of ``unroll`` steps
    (the rest run as single steps)."""
    return count - count % unroll if unroll > 1 else 0


class EpochPlan:
    """The calls of one epoch, and the live state between them.

    Args:
        engine: the engine providing compiled functions.
        batch_size: the batch size.
        steps: the number of batches per epoch.
        num_samples: the number of training samples.
        callback_list: the callbacks (their batch hooks decide the loop used).
        planned_steps: the steps the whole fit plans (``None``: unknown).
    """

    def __init__(self, engine, batch_size, steps, num_samples, callback_list, planned_steps=None):
        self.engine = engine
        self.callbacks = callback_list
        self.batch_size = batch_size
        self.full = min(steps, num_samples // batch_size)
        self.remainder = num_samples - self.full * batch_size if steps > self.full else 0
        self.batch_hooks = callback_list.uses_batch_hooks("train")
        self.sync_per_batch = callback_list.reads_model_in_batch_hooks("train")
        per_execution = engine.steps_per_execution
        self.adaptive = False
        if per_execution == "auto":
            if not self.batch_hooks:
                per_execution = max(self.full, 1)
            elif callback_list.needs_every_batch("train"):
                per_execution = 1
            else:
                per_execution, self.adaptive = 1, True
        self.per_execution = per_execution
        self.unroll = unroll_count(engine.steps_per_execution, planned_steps)
        self.steps_done = 0  # optimizer steps run by this plan, over all epochs
        # Whether chunks may run in the device-side loop program; decided from the
        # step itself on the first epoch (convolutions are slow in loops on CPU).
        self.device_loop_ok = None
        self._live = None

    def take_state(self):
        """The latest ``[trainable, non_trainable, optimizer, metrics]`` (or ``None``)."""
        return None if self._live is None else list(self._live[:4])

    def _uses_loop(self):
        """Whether the epoch's chunks may run more than one step per call (adaptive
        chunks use the loop program even for one step: one compile, not two)."""
        return self.adaptive or self.per_execution > 1

    def _calls(self, first_step):
        """Yields ``(function, count)`` from batch ``first_step`` on; reads
        ``self.per_execution`` as it goes, so adaptive chunking can resize the next
        chunk."""
        engine, done = self.engine, first_step
        use_loop = self._uses_loop()
        while done < self.full:
            count = min(self.per_execution, self.full - done)
            if self.adaptive:
                limit = self.callbacks.steps_to_next_batch_hook(self.steps_done)
                count = count if limit is None else min(count, limit)
            if not use_loop:
                yield engine.train_function(self.batch_size), 1
            elif not self.device_loop_ok:
                yield self._host_chunk(count), count
            else:
                loop = engine.train_loop_function(self.batch_size)
                yield (lambda live, data, perm, _n=count: loop(live, data, perm, _n)), count
            done += count
        if self.remainder:
            yield engine.train_function(self.remainder), 1

    def _host_chunk(self, count):
        """``count`` steps as a host loop: programs of ``self.unroll`` steps, then
        single steps for what is left."""
        whole = written_out_steps(count, self.unroll)
        calls = [self.engine.train_function(self.batch_size)] * (count - whole)
        if whole:
            unrolled = self.engine.train_unrolled_function(self.batch_size, self.unroll)
            calls = [unrolled] * (whole // self.unroll) + calls
        return lambda live, data, perm: _run_calls(calls, live, data, perm)

    def run_epoch(self, state, data, perm, model, first_step=0):
        """Runs the epoch from ``state``; returns the last step's (device) logs.

        ``first_step`` > 0 resumes an interrupted epoch at that batch (the batches
        before it were trained by the run that saved ``state``): the same
        permutation gives the same batches, and every chunk runs the same compiled
        step (or, unrolled, the same programs when the run was saved at a chunk's
        end, where batch hooks run), so the result is the one of an uninterrupted
        epoch.
        """
        import jax
        import jax.numpy as jnp

        # The state's last entry is the row of ``perm`` where the next batch starts.
        live = (*state, jnp.asarray(first_step * self.batch_size, jnp.int32))
        self._live = live
        if self.device_loop_ok is None and self._uses_loop():
            self.device_loop_ok = self.engine.device_loop_is_fast(self.batch_size, live, data, perm)
        logs = None
        if not self.batch_hooks:
            for function, count in self._calls(first_step):
                live, logs = function(live, data, perm)
                self._live = live
                self.steps_done += count
            return logs
        layout = self.engine.layout
        callbacks = self.callbacks
        step = first_step
        first = True
        for function, count in self._calls(first_step):
            callbacks.on_train_batch_begin(step)
            started = time.perf_counter()
            live, logs = function(live, data, perm)
            self._live = live
            step += count
            self.steps_done += count
            if self.adaptive:
                # The hooks would read the logs anyway; waiting here times the chunk.
                jax.block_until_ready(logs)
                if not first:  # the first call's time is mostly compiling
                    self._resize(count, time.perf_counter() - started)
                first = False
            if self.sync_per_batch:
                layout.write(live[:4])
            callbacks.on_train_batch_end(step - 1, DeviceLogs(logs, order=self.engine.log_names))
            if self.sync_per_batch and layout.changed_since(live[:4]):
                live = (*layout.read(live[3]), live[4])
                self._live = live
            if model.stop_training:
                break
        return logs

    def _resize(self, count, seconds):
        per_step = max(seconds / count, 1e-6)
        wanted = int(CHUNK_SECONDS / per_step)
        # Grow at most 4x per call, in case one call was slowed by something else.
        chunk = max(1, min(wanted, 4 * count, MAX_AUTO_CHUNK))
        if self.unroll > 1 and not self.device_loop_ok:
            # Host chunks run whole written-out programs and single steps for the
            # remainder; the device loop takes any count.
            chunk = max(self.unroll, chunk - chunk % self.unroll)
        self.per_execution = chunk


def _run_calls(calls, live, data, perm):
    """The jitted ``calls``, one after the other, dispatched back to back."""
    for call in calls:
        live, logs = call(live, data, perm)
    return live, logs
