"""``fit``, ``evaluate`` and ``predict`` on data that arrives batch by batch.

The in-memory path (``trainer.py``) puts all the data on the device once. Here the
data comes from a generator, an iterable or a ``PyDataset``: a ``Prefetcher``
thread converts and checks each batch, runs the model's host stage (string layers),
stacks batches into chunks and puts the next chunk on the device while the current
one trains. Steps are compiled with the state donated, as in memory; a chunk of
``size`` batches runs in one device-side loop.

Chunk size: ``steps_per_execution`` when it is an integer; with ``'auto'``, one
batch per call when a callback must see every batch, else ``STREAM_CHUNK``
batches (enough to make the per-call cost vanish next to the steps', small enough
that the host copies stay cheap and the progress bar stays live).
"""

import warnings

import jax

from lamella.training import dispatch
from lamella.training.callbacks import CallbackList
from lamella.training.data_stream import BatchChecker, BatchSource, is_stream, unpack_batch
from lamella.training.logs import DeviceLogs, fetch
from lamella.training.prefetch import Prefetcher
from lamella.training.state import with_changes

STREAM_CHUNK = 8
PREFETCH_DEPTH = 2


def _reject_arguments(what, **given):
    for name, value in given.items():
        if value is not None:
            raise ValueError(
                f"{what} received x as a generator, iterable or PyDataset, which yields "
                f"whole batches, and also {name}={value!r}. Leave {name} out: each "
                "batch carries its own (x, y, sample_weight) and its own size."
            )


def _engine_for(model, source, inference=False):
    from lamella.training.trainer import _convert_structure

    x_sample = _convert_structure(unpack_batch(source.first_batch())[0])
    if inference:
        return model._inference_engine(x_sample)
    return model._get_engine(x_sample)


def _chunk_size(engine, callback_list):
    if engine.steps_per_execution != "auto":
        return engine.steps_per_execution
    if engine.run_eagerly or callback_list.needs_every_batch("train"):
        return 1
    return STREAM_CHUNK


def fit_stream(model, x, *, epochs, verbose, callbacks, validation_data, shuffle,
               class_weight, initial_epoch, steps_per_epoch, validation_steps,
               validation_batch_size, validation_freq):
    """``Model.fit`` for batch-by-batch ``x`` (see ``Trainer.fit``)."""
    from lamella.training.trainer import _unpack_validation, _validation_due

    source = BatchSource(x, shuffle=shuffle, steps=steps_per_epoch)
    engine = _engine_for(model, source)
    validation = None
    if validation_data is not None:
        if is_stream(validation_data):
            validation = BatchSource(validation_data, steps=validation_steps)
        else:
            vx, vy, vsw = _unpack_validation(validation_data)
            validation = model._make_data(engine, vx, vy, vsw, None)
    steps = source.num_batches
    callback_list = CallbackList(
        callbacks, add_history=True, add_progbar=verbose != 0, model=model,
        verbose=verbose, epochs=epochs, steps=steps,
    )
    chunk = _chunk_size(engine, callback_list)
    check = BatchChecker(engine, class_weight=class_weight)
    layout = engine.layout
    model.stop_training = False
    holder = _Live(layout.read(engine.initial_metric_state()))
    callback_list.on_train_begin()
    epoch_logs = {}
    try:
        for epoch in range(initial_epoch, epochs):
            callback_list.on_epoch_begin(epoch)
            # From the variables: a callback may have assigned weights meanwhile.
            holder.reset(layout.read(engine.initial_metric_state()))
            with Prefetcher(source.epoch(), check, chunk, PREFETCH_DEPTH, put=engine.placement.put_batch) as feeder:
                logs, done = _train_epoch(engine, holder, feeder, callback_list, model)
            state = holder.state()
            if done == 0:
                warnings.warn(
                    "Your input ran out of data; interrupting training. Make sure that "
                    "your generator or dataset can generate at least steps_per_epoch * "
                    "epochs batches.", stacklevel=3,
                )
                break
            epoch_logs = fetch(logs, engine.log_names)
            # Written before validating: callbacks' test hooks see (and may swap) them.
            layout.write(state)
            if validation is not None and _validation_due(epoch, validation_freq):
                val_logs = model._validate(
                    engine, state, validation, validation_batch_size, validation_steps,
                    callback_list,
                )
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            callback_list.on_epoch_end(epoch, epoch_logs)
            if steps is None:
                callback_list.set_params({**callback_list.params, "steps": done})
                steps = done
            if model.stop_training:
                break
            if source.exhausted and source.steps is None:
                # A generator that ended: one epoch was all of it (Keras does the same).
                if epoch + 1 < epochs:
                    warnings.warn(
                        "Your input ran out of data; interrupting training after "
                        f"epoch {epoch + 1} of {epochs}. Give steps_per_epoch and a "
                        "generator that repeats, or an iterable or PyDataset (both "
                        "restart every epoch).", stacklevel=3,
                    )
                break
    finally:
        layout.write(holder.state())
    callback_list.on_train_end(epoch_logs)
    model.history = callback_list.history
    return callback_list.history


class _Live:
    """The live state tuple, kept where a ``finally`` can find it."""

    def __init__(self, state):
        self.reset(state)

    def reset(self, state):
        import jax.numpy as jnp

        self.live = (*state, jnp.zeros((), jnp.int32))

    def state(self):
        return list(self.live[:4])


def _train_epoch(engine, holder, feeder, callback_list, model):
    """Runs the chunks of one epoch; returns the last (device) logs and the steps run."""
    layout = engine.layout
    batch_hooks = callback_list.uses_batch_hooks("train")
    sync = callback_list.reads_model_in_batch_hooks("train")
    single = engine.stream_train_function()
    looped = stepped = unrolled = None
    loop_ok = None
    unroll = dispatch.unroll_count(engine.steps_per_execution)
    logs, done = None, 0
    for chunk in feeder:
        if batch_hooks:
            callback_list.on_train_batch_begin(done)
        if chunk.stacked:
            if loop_ok is None:
                loop_ok = engine.stream_device_loop_is_fast(holder.live, chunk.tree)
                looped = engine.stream_train_loop_function() if loop_ok else None
                stepped = None if loop_ok else engine.stream_train_chunk_step_function()
                if not loop_ok and unroll > 1:
                    unrolled = engine.stream_train_chunk_unrolled_function(unroll)
            if loop_ok:
                holder.live, logs = looped(holder.live, chunk.tree, chunk.count)
            else:
                # Convolutions on CPU: the chunk still crossed to the device in one
                # transfer, its steps run as back-to-back jitted calls (programs of
                # `unroll` steps for an integer steps_per_execution, as in-memory).
                whole = dispatch.written_out_steps(chunk.count, unroll)
                for start in range(0, whole, unroll):
                    holder.live, logs = unrolled(holder.live, chunk.tree, start)
                for index in range(whole, chunk.count):
                    holder.live, logs = stepped(holder.live, chunk.tree, index)
        else:
            holder.live, logs = single(holder.live, chunk.tree)
        done += chunk.count
        if batch_hooks:
            if sync:
                layout.write(holder.live[:4])
            callback_list.on_train_batch_end(done - 1, DeviceLogs(logs, order=engine.log_names))
            if sync and layout.changed_since(holder.live[:4]):
                holder.live = (*layout.read(holder.live[3]), holder.live[4])
        if model.stop_training:
            break
    return logs, done


def run_stream_test(engine, params, source, callback_list):
    """Loss and metrics over the batches of ``source``, as Python values, and the
    non-trainable values after the last batch (stateful layers carry their state
    from batch to batch, as on the in-memory path)."""
    trainable, non_trainable = params
    metric_values = engine.initial_metric_state()
    test = engine.stream_test_function()
    batch_hooks = callback_list is not None and callback_list.uses_batch_hooks("test")
    logs, done = None, 0
    with Prefetcher(source.epoch(), BatchChecker(engine), 1, PREFETCH_DEPTH, put=engine.placement.put_batch) as feeder:
        for chunk in feeder:
            if batch_hooks:
                callback_list.on_test_batch_begin(done)
            changes, metric_values, logs = test(
                metric_values, (trainable, non_trainable), chunk.tree
            )
            non_trainable = with_changes(non_trainable, changes)
            if batch_hooks:
                callback_list.on_test_batch_end(done, DeviceLogs(logs, order=engine.log_names))
            done += 1
    if done == 0:
        raise ValueError("The evaluation data yielded no batch.")
    return fetch(logs, engine.log_names), non_trainable


def evaluate_stream(model, x, *, verbose, steps, callbacks, return_dict):
    """``Model.evaluate`` for batch-by-batch ``x``."""
    from lamella.training.trainer import _format_results, _write_non_trainable

    source = BatchSource(x, steps=steps)
    engine = _engine_for(model, source)
    callback_list = CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
        steps=source.num_batches,
    )
    callback_list.on_test_begin()
    # Read after on_test_begin: a callback may assign weights to evaluate with.
    params = engine.layout.read()[:2]
    logs, non_trainable = run_stream_test(engine, params, source, callback_list)
    _write_non_trainable(engine.layout, non_trainable)
    callback_list.on_test_end(logs)
    return _format_results(logs, return_dict)


def predict_stream(model, x, *, verbose, steps, callbacks):
    """``Model.predict`` for batch-by-batch ``x`` (targets in the batches are ignored)."""
    import numpy as np

    from lamella.training.trainer import _write_non_trainable

    source = BatchSource(x, steps=steps)
    engine = _engine_for(model, source, inference=True)
    callback_list = CallbackList(
        callbacks, add_progbar=verbose != 0, model=model, verbose=verbose, epochs=1,
        steps=source.num_batches,
    )
    predict = engine.stream_predict_function()
    batch_hooks = callback_list.uses_batch_hooks("predict")
    check = BatchChecker(engine, with_targets=False)
    outputs = []
    callback_list.on_predict_begin()
    # Read after on_predict_begin: a callback may assign weights to predict with.
    trainable, non_trainable = engine.layout.read()[:2]
    with Prefetcher(source.epoch(), check, 1, PREFETCH_DEPTH, put=engine.placement.put_batch) as feeder:
        for index, chunk in enumerate(feeder):
            if batch_hooks:
                callback_list.on_predict_batch_begin(index)
            batch_outputs, changes = predict((trainable, non_trainable), chunk.tree)
            non_trainable = with_changes(non_trainable, changes)
            outputs.append(batch_outputs)
            if batch_hooks:
                callback_list.on_predict_batch_end(index, {"outputs": outputs[-1]})
    if not outputs:
        raise ValueError("predict received data that yielded no batch.")
    _write_non_trainable(engine.layout, non_trainable)
    callback_list.on_predict_end()
    # With several processes, each gets the predictions of the rows it streamed.
    host = engine.placement.to_host(outputs)
    return jax.tree.map(lambda *parts: np.concatenate(parts, axis=0), *host)
