"""The pure steps: ``train_step``, ``test_step`` and ``predict_step``.

Each is a function of arrays only: the layers run inside a ``StatelessScope`` bound
to the state's values, so the same Keras-style layer code becomes a pure function
that ``jax.jit`` compiles once. Nothing here touches the host: no ``float()``, no
numpy, no printing; the logs a step returns stay on the device.
"""

import jax
import jax.numpy as jnp

from lamella.distribution.placement import OneDevice
from lamella.engine import masking, state_scope
from lamella.training.reduction_metrics import MeanMetricWrapper
from lamella.training.state import state_changes



def _masked_weight(sample_weight, mask):
    """The weights of a metric's values on a masked output: as in Keras 3, padded
    timesteps weigh 0 (times the sample weights, if any)."""
    mask = mask.astype(jnp.float32)
    if sample_weight is None:
        return mask
    sample_weight = jnp.asarray(sample_weight, jnp.float32)
    while sample_weight.ndim > mask.ndim and sample_weight.shape[-1] == 1:
        sample_weight = jnp.squeeze(sample_weight, -1)
    while sample_weight.ndim < mask.ndim:
        sample_weight = sample_weight[..., None]
    return sample_weight * mask

class StepFunctions:
    """The steps of one model, for one compiled configuration.

    Args:
        model: the model (built).
        layout: the ``StateLayout`` of the state the steps take.
        compiled_loss: a ``CompiledLoss`` (``None`` for inference only).
        metrics: the metric objects whose state is ``layout.metrics``, in order.
        metric_inputs: for each metric, how it is updated: ``("loss",)``,
            ``("output_loss", i)`` or ``("metric", i, weighted)``.
        optimizer: the optimizer (``None`` for evaluation and prediction).
        output_names: the model's outputs, in the order of ``y`` lists.
        placement: where batches and state are laid out (a
            ``lamella.distribution.placement`` object; default one device).
    """

    def __init__(self, model, layout, compiled_loss, metrics, metric_inputs, optimizer, output_names, placement=None):
        self.model = model
        self.placement = placement or OneDevice()
        self.layout = layout
        self.compiled_loss = compiled_loss
        self.metrics = metrics
        self.metric_inputs = metric_inputs
        self.optimizer = optimizer
        self.output_names = output_names
        sizes = [len(m.variables) for m in metrics]
        self._metric_slices = []
        start = 0
        for size in sizes:
            self._metric_slices.append(slice(start, start + size))
            start += size

    # -- pieces ------------------------------------------------------------------------

    def _flatten_outputs(self, y_pred):
        if isinstance(y_pred, dict):
            return [y_pred[name] for name in self.output_names]
        if isinstance(y_pred, list | tuple):
            return list(y_pred)
        return [y_pred]

    def _flatten_masks(self, masks, count):
        if isinstance(masks, dict):
            return [masks.get(name) for name in self.output_names]
        if isinstance(masks, list | tuple):
            return list(masks) + [None] * (count - len(masks))
        return [masks] + [None] * (count - 1)

    def _bindings(self, trainable, non_trainable):
        """(variable, value) pairs for a ``StatelessScope``: the model's variables
        read ``trainable`` and ``non_trainable`` (in ``layout`` order)."""
        layout = self.layout
        return [*zip(layout.trainable, trainable), *zip(layout.non_trainable, non_trainable)]

    def forward(self, trainable, non_trainable, x, training):
        """Runs the model; returns outputs (a list), new non-trainable values, the
        losses added by layers (activity regularizers, ``add_loss``) and the
        outputs' masks (a list, ``None`` for an unmasked output)."""
        layout = self.layout
        bindings = self._bindings(trainable, non_trainable)
        with state_scope.StatelessScope(bindings, collect_losses=True) as scope:
            if getattr(self.model, "_propagates_masks", False):
                # Sequential and functional models report their output masks, which
                # the losses apply as Keras 3 does (padded timesteps do not count).
                y_pred, masks = masking.call_with_mask(self.model, x, None, training=training)
            else:
                y_pred, masks = self.model(x, training=training), None
            penalties = [
                v.regularizer(v.value) for v in layout.trainable if v.regularizer is not None
            ]
        new_non_trainable = [scope.get_current_value(v) for v in layout.non_trainable]
        extra = [jnp.asarray(loss, jnp.float32) for loss in (*scope.losses, *penalties)]
        y_pred = self._flatten_outputs(y_pred)
        return y_pred, new_non_trainable, extra, self._flatten_masks(masks, len(y_pred))

    def _update_metrics(self, metric_values, loss, output_losses, y, y_pred, sample_weight, batch_size,
                        masks=None):
        masks = [None] * len(y_pred) if masks is None else masks
        new_values = []
        logs = {}
        for metric, inputs, part in zip(self.metrics, self.metric_inputs, self._metric_slices):
            values = metric_values[part]
            kind = inputs[0]
            if kind == "loss":
                values = metric.stateless_update_state(values, loss, sample_weight=batch_size)
            elif kind == "output_loss":
                values = metric.stateless_update_state(
                    values, output_losses[inputs[1]], sample_weight=batch_size
                )
            else:
                index, weighted = inputs[1], inputs[2]
                if y[index] is None:
                    new_values.extend(values)
                    logs[metric.name] = metric.stateless_result(values)
                    continue
                weight = sample_weight[index] if weighted else None
                if masks[index] is not None and isinstance(metric, MeanMetricWrapper):
                    weight = _masked_weight(weight, masks[index])
                values = metric.stateless_update_state(
                    values, y[index], y_pred[index], sample_weight=weight,
                )
            new_values.extend(values)
            logs[metric.name] = metric.stateless_result(values)
        return new_values, logs

    def _loss(self, y, y_pred, sample_weight, extra, masks=None):
        if self.compiled_loss is not None and self.compiled_loss.has_loss:
            total, output_losses = self.compiled_loss(y, y_pred, sample_weight, masks)
        else:
            total, output_losses = jnp.zeros((), jnp.float32), [None] * len(y_pred)
        for value in extra:
            total = total + value
        return total, output_losses

    # -- steps -------------------------------------------------------------------------

    def train_step(self, state, batch):
        """One optimizer step on ``batch``; returns the new state and the logs."""
        trainable, non_trainable, optimizer_values, metric_values = state
        x, y, sample_weight = batch
        batch_size = jax.tree.leaves(x)[0].shape[0]

        def loss_fn(trainable_values):
            y_pred, new_non_trainable, extra, masks = self.forward(
                trainable_values, non_trainable, x, training=True
            )
            total, output_losses = self._loss(y, y_pred, sample_weight, extra, masks)
            # The optimizer's loss scale (float16 training) multiplies what is
            # differentiated; the logs keep the unscaled loss.
            mapping = list(zip(self.layout.optimizer, optimizer_values))
            with state_scope.StatelessScope(mapping):
                scaled = self.optimizer.scale_loss(total)
            return scaled, (total, y_pred, new_non_trainable, output_losses, masks)

        (_, (loss, y_pred, new_non_trainable, output_losses, masks)), grads = jax.value_and_grad(
            loss_fn, has_aux=True
        )(trainable)
        new_trainable, new_optimizer = self.optimizer.stateless_apply(
            optimizer_values, grads, trainable
        )
        new_metrics, logs = self._update_metrics(
            metric_values, loss, output_losses, y, y_pred, sample_weight, batch_size, masks
        )
        new_state = (new_trainable, new_non_trainable, new_optimizer, new_metrics)
        return self.placement.constrain_state(new_state), logs

    def test_step(self, params, metric_values, batch):
        """Losses and metrics on ``batch`` without updating weights.

        Returns ``(non_trainable, metric_values, logs)``: the non-trainable values
        the batch changed (``state_changes``: the state of stateful recurrent
        layers moves on), the metrics' new values and the logs.
        """
        trainable, non_trainable = params
        x, y, sample_weight = batch
        batch_size = jax.tree.leaves(x)[0].shape[0]
        y_pred, new_non_trainable, extra, masks = self.forward(
            trainable, non_trainable, x, training=False
        )
        loss, output_losses = self._loss(y, y_pred, sample_weight, extra, masks)
        new_metrics, logs = self._update_metrics(
            metric_values, loss, output_losses, y, y_pred, sample_weight, batch_size, masks
        )
        changed = state_changes(non_trainable, new_non_trainable)
        _, new_non_trainable = self.placement.constrain_state(((), new_non_trainable))
        return {i: new_non_trainable[i] for i in changed}, new_metrics, logs

    def predict_step(self, params, x):
        """The outputs for ``x`` and the non-trainable values the batch changed
        (``state_changes``: a stateful layer's state, usually nothing)."""
        trainable, non_trainable = params
        with state_scope.StatelessScope(self._bindings(trainable, non_trainable)) as scope:
            outputs = self.model(x, training=False)
        new_non_trainable = [scope.get_current_value(v) for v in self.layout.non_trainable]
        return outputs, state_changes(non_trainable, new_non_trainable)


# -- batching on the device ------------------------------------------------------------


def indexed_train(steps, batch_size):
    """One train step on the batch of ``batch_size`` rows of ``data`` at
    ``perm[position:]``."""

    def run(state, data, perm):
        *core, position = state
        batch, position = steps.placement.take_batch(data, perm, position, batch_size)
        core, logs = steps.train_step(tuple(core), batch)
        return (*core, position), logs

    return run


def _traced_once(step):
    """``step`` as a nested jit: the loop programs below ask for the shape of its
    logs (``eval_shape``) and then trace it as the loop's body; through jit's cache
    the second use reuses the first's trace (tens of milliseconds for the seed MLP's
    step). XLA inlines the nested call, so the compiled loop is unchanged."""
    return jax.jit(step)


def looped_train(steps, batch_size):
    """``count`` train steps in one dispatch, ``count`` being an argument.

    The steps run in a device-side loop, not unrolled: the program compiles once,
    as fast as a single step, for every ``count``, so an epoch needs one program per
    batch shape however it is cut into chunks.
    """
    step = _traced_once(indexed_train(steps, batch_size))

    def run(state, data, perm, count):
        _, logs_shape = jax.eval_shape(step, state, data, perm)
        logs = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), logs_shape)

        def body(_, carry):
            return step(carry[0], data, perm)

        return jax.lax.fori_loop(0, count, body, (state, logs))

    return run


def unrolled_train(steps, batch_size, count):
    """``count`` train steps in one program, written out one after the other.

    For steps that must not run in a device-side loop (``compile_options.
    device_loops_are_slow``: convolutions on CPU): straight-line code keeps XLA's
    fast convolutions, and the steps of one call share a dispatch and are scheduled
    together. The step is traced once (``_traced_once``); XLA compiles it ``count``
    times over, so the caller keeps ``count`` small.
    """
    step = _traced_once(indexed_train(steps, batch_size))

    def run(state, data, perm):
        return _written_out(state, count, lambda state, _: step(state, data, perm))

    return run


def _written_out(state, count, step):
    """``step(state, offset)`` for offsets ``0 .. count - 1``, one after the other
    (traced into one program); returns the last state and logs."""
    for offset in range(count):
        state, logs = step(state, offset)
    return state, logs


def sliced_test(steps, batch_size):
    """One test step on rows ``[position, position + batch_size)`` of ``data``;
    returns ``(eval_state, non_trainable changes, logs)``."""

    def run(eval_state, params, data):
        metric_values, position = eval_state
        batch, position = steps.placement.slice_batch(data, position, batch_size)
        non_trainable, metric_values, logs = steps.test_step(params, metric_values, batch)
        return (metric_values, position), non_trainable, logs

    return run


def sliced_predict(steps, batch_size):
    """Predictions for rows ``[position, position + batch_size)`` of ``x``, and the
    non-trainable values they changed."""

    def run(params, x, position):
        batch, _ = steps.placement.slice_batch(x, position, batch_size)
        return steps.predict_step(params, batch)

    return run


# -- batches streamed from the host (generators, PyDataset) ----------------------------


def batch_train(steps):
    """One train step on a ``batch`` given as an argument (already on the device)."""

    def run(state, batch):
        *core, position = state
        core, logs = steps.train_step(tuple(core), batch)
        return (*core, position + 1), logs

    return run


def chunk_train(steps):
    """``count`` train steps on the first ``count`` batches of ``chunk`` (batches
    stacked on a leading axis), in a device-side loop: one program per chunk shape
    for every ``count``."""
    step = _traced_once(batch_train(steps))

    def run(state, chunk, count):
        first = jax.tree.map(lambda a: a[0], chunk)
        _, logs_shape = jax.eval_shape(step, state, first)
        logs = jax.tree.map(lambda s: jnp.zeros(s.shape, s.dtype), logs_shape)

        def body(i, carry):
            batch = jax.tree.map(lambda a: jax.lax.dynamic_index_in_dim(a, i, keepdims=False), chunk)
            return step(carry[0], batch)

        return jax.lax.fori_loop(0, count, body, (state, logs))

    return run


def chunk_step(steps):
    """One train step on batch ``index`` of ``chunk``, without a device-side loop
    (for steps that run slowly inside one; ``index`` is an argument, so one program
    serves every batch of every chunk)."""
    step = batch_train(steps)

    def run(state, chunk, index):
        batch = jax.tree.map(lambda a: jax.lax.dynamic_index_in_dim(a, index, keepdims=False), chunk)
        return step(state, batch)

    return run


def chunk_unrolled(steps, count):
    """``count`` train steps on batches ``start, start + 1, ...`` of ``chunk``,
    written out in one program (``unrolled_train``, for batches streamed from the
    host)."""
    step = _traced_once(chunk_step(steps))

    def run(state, chunk, start):
        return _written_out(state, count, lambda state, offset: step(state, chunk, start + offset))

    return run


def batch_test(steps):
    def run(metric_values, params, batch):
        return steps.test_step(params, metric_values, batch)

    return run


def batch_predict(steps):
    def run(params, x):
        return steps.predict_step(params, x)

    return run
