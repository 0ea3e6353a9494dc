"""``compile``, ``fit``, ``evaluate`` and ``predict``: the training engine's front.

How an epoch runs (see ``docs/architecture.md`` for the measurements behind it):

1. The data is put on the device once per ``fit``.
2. The model, optimizer and metric variables are split into a state pytree once
   per ``fit`` (``StateLayout``).
3. Each dispatch runs a compiled function that gathers a batch by a permutation
   (shuffling on the device), takes ``steps_per_execution`` optimizer steps and
   returns the new state, which is donated to the next dispatch.
4. Logs stay on the device; the host reads them at the end of the epoch, when
   the progress bar redraws, or when a callback reads its batch logs.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np

from lamella.backend import compile_options
from lamella.distribution import placement as placements
from lamella.engine import call_context
from lamella.training import compile_utils, data_adapter, dispatch, stream_loop
from lamella.training.data_stream import is_stream
from lamella.training.callbacks import CallbackList
from lamella.training.logs import DeviceLogs, fetch
from lamella.training.reduction_metrics import Mean
from lamella.training.state import StateLayout, with_changes
from lamella.training.host_stage import HostStage
from lamella.training.train_step import (
    StepFunctions,
    batch_predict,
    batch_test,
    batch_train,
    chunk_step,
    chunk_train,
    chunk_unrolled,
    indexed_train,
    looped_train,
    sliced_predict,
    sliced_test,
    unrolled_train,
)

_DEFAULT_BATCH_SIZE = 32


def resolve_optimizer(identifier):
    """An optimizer from a name (``'adam'``), a config or an instance."""
    from lamella.training.optimizer import Optimizer

    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str | dict):
        from lamella.saving import serialization

        found = serialization.deserialize_object(identifier, kind="optimizers")
        return found() if isinstance(found, type) else found
    raise TypeError(
        "An optimizer is a name such as 'adam', a config dict or an Optimizer "
        f"instance. Received: optimizer={identifier!r}"
    )


def _convert_structure(x, what="x"):
    """Arrays from ``x``, keeping its structure: a dict or a list of arrays stays one
    (several inputs); a nested list of numbers becomes one array."""
    if x is None:
        return None
    if isinstance(x, dict):
        return {k: data_adapter._as_array(v, f"{what}[{k!r}]") for k, v in x.items()}
    if isinstance(x, list | tuple) and x and all(hasattr(v, "shape") for v in x):
        return [data_adapter._as_array(v, f"{what}[{i}]") for i, v in enumerate(x)]
    return data_adapter._as_array(x, what)


def _verbosity(verbose):
    return 1 if verbose == "auto" else int(verbose)


class Trainer:
    """The training API mixed into ``Model``."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_spec = None
        self._engine = None

    # -- compile -----------------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution="auto",
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures training.

        Args:
            optimizer: a name (``'adam'``), a config or an ``Optimizer``.
            loss: a name (``'categorical_crossentropy'``), a ``Loss``, a function
                ``(y_true, y_pred)``, or one per output (list or dict by name).
            loss_weights: weights of the outputs' losses (list or dict).
            metrics: metric names, ``Metric`` objects or functions; a list for every
                output, or a dict/list of lists per output. ``'accuracy'`` picks the
                binary, categorical or sparse variant from the loss and shapes.
            weighted_metrics: metrics that use ``sample_weight``.
            run_eagerly: run steps without compiling them (for debugging).
            steps_per_execution: optimizer steps per dispatch, or ``'auto'`` to let
                the engine choose from the callbacks (``training/dispatch.py``). With
                an integer, batch hooks run once per chunk; on CPU a convolutional
                step then runs up to 8 steps written out in one program (faster per
                step, slower to compile) instead of single steps; ``'auto'`` does
                that too when the fit plans at least 2,000 steps.
            jit_compile: ``'auto'`` or ``True`` compile steps with XLA; ``False`` is
                the same as ``run_eagerly=True``.
            auto_scale_loss: with the ``'mixed_float16'`` dtype policy, wrap the
                optimizer in a ``LossScaleOptimizer`` (dynamic loss scaling, so
                small float16 gradients do not underflow), as Keras 3 does.

        Unknown names fail here, listing the registered ones.
        """
        self.optimizer = resolve_optimizer(optimizer)
        if auto_scale_loss and getattr(getattr(self, "dtype_policy", None), "name", None) == "mixed_float16":
            self.optimizer = _with_loss_scaling(self.optimizer)
        for entry in (loss.values() if isinstance(loss, dict) else loss if isinstance(loss, list | tuple) else [loss]):
            compile_utils.resolve_loss(entry)
        # Metric names are checked now; the metric objects are built once the
        # output shapes are known (for 'accuracy', which depends on them).
        known = list(getattr(self, "output_names", None) or [])
        compile_utils.CompiledMetrics(metrics, None, known or _names_to_check(metrics))
        compile_utils.CompiledMetrics(None, weighted_metrics, known or _names_to_check(weighted_metrics))
        if steps_per_execution != "auto" and (
            not isinstance(steps_per_execution, int) or steps_per_execution < 1
        ):
            raise ValueError(
                "steps_per_execution must be a positive integer or 'auto'. "
                f"Received: steps_per_execution={steps_per_execution!r}"
            )
        self.loss = loss
        self._compile_spec = {
            "loss": loss,
            "loss_weights": loss_weights,
            "metrics": metrics,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": bool(run_eagerly) or jit_compile is False,
            "steps_per_execution": steps_per_execution,
        }
        self._engine = None
        self.compiled = True

    def _assert_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(
                f"You must call compile() before {what}: the model has no loss and "
                "no optimizer yet."
            )

    @property
    def metrics(self):
        """The metric objects: the loss tracker first, then the compiled metrics."""
        return [] if self._engine is None else list(self._engine.metrics)

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    # -- the engine for one model/compile configuration ---------------------------------

    def _get_engine(self, x_sample):
        from lamella.engine.model_structure import ensure_built, output_names

        ensure_built(self, x_sample)
        names = output_names(self, x_sample)
        trainable, non_trainable = self._engine_variables()
        key = (tuple(map(id, trainable)), tuple(map(id, non_trainable)), tuple(names), placements.key())
        if self._engine is not None and self._engine.key == key:
            return self._engine
        self._engine = _Engine(self, self._compile_spec, names, trainable, non_trainable, key, x_sample)
        return self._engine

    def _engine_variables(self):
        """The trainable and non-trainable variables, in one walk of the layers
        unless a subclass redefines either property."""
        from lamella.engine.layer import Layer

        cls = type(self)
        if (cls.trainable_variables is Layer.trainable_variables
                and cls.non_trainable_variables is Layer.non_trainable_variables
                and cls.trainable_weights is Layer.trainable_weights):
            return self._step_variables()
        return self.trainable_variables, self.non_trainable_variables

    def _inference_engine(self, x_sample):
        """Steps for ``predict`` (no compile needed)."""
        if self.compiled:
            return self._get_engine(x_sample)
        from lamella.engine.model_structure import ensure_built, output_names

        ensure_built(self, x_sample)
        names = output_names(self, x_sample)
        trainable, non_trainable = self._engine_variables()
        key = ("predict", tuple(map(id, trainable)), tuple(map(id, non_trainable)), placements.key())
        engine = getattr(self, "_predict_engine", None)
        if engine is None or engine.key != key:
            engine = _Engine(self, None, names, trainable, non_trainable, key, x_sample)
            self._predict_engine = engine
        return engine

    # -- data --------------------------------------------------------------------------

    def _resolve_batch_size(self, batch_size, num_samples, what):
        """The batch size of ``fit``/``evaluate``/``predict``.

        A model whose input has a fixed batch size (``Input(batch_size=...)``,
        ``batch_input_shape``: what stateful recurrent layers need) runs with that
        size by default, and only with it: every batch must be full.
        """
        inputs = getattr(self, "inputs", None) or []
        fixed = inputs[0].shape[0] if inputs and inputs[0].shape else None
        if fixed is None:
            return _batch_size(batch_size, num_samples)
        if batch_size is not None and batch_size != fixed:
            raise ValueError(
                f"Model {self.name!r} has a fixed batch size of {fixed} (from its "
                f"input's batch shape {tuple(inputs[0].shape)}), but {what} received "
                f"batch_size={batch_size!r}. Pass batch_size={fixed} or leave it out."
            )
        if num_samples % fixed:
            raise ValueError(
                f"Model {self.name!r} has a fixed batch size of {fixed} (from its "
                f"input's batch shape {tuple(inputs[0].shape)}), so {what} needs a "
                f"number of samples that is a multiple of {fixed}. Received "
                f"{num_samples} samples."
            )
        return fixed

    def _make_data(self, engine, x, y, sample_weight, class_weight):
        x = engine.host_stage.apply(_convert_structure(x))
        y_list = data_adapter.flatten_targets(engine.output_names, y)
        if sample_weight is not None:
            sw_list = data_adapter.flatten_targets(engine.output_names, sample_weight, "sample_weight")
        else:
            sw_list = [None] * len(engine.output_names)
        if class_weight is not None:
            if len(engine.output_names) > 1:
                raise ValueError(
                    "class_weight applies to models with one output; for several "
                    "outputs, pass sample_weight per output."
                )
            if y_list[0] is None:
                raise ValueError("class_weight needs targets y.")
            weights = data_adapter.class_weight_to_sample_weight(y_list[0], class_weight)
            sw_list[0] = weights if sw_list[0] is None else sw_list[0] * weights
        num = data_adapter.num_samples([*jax.tree.leaves(x), *y_list, *sw_list])
        put = engine.placement.put_data
        return data_adapter.ArrayData(put(x), put(y_list), put(sw_list), engine.placement.global_count(num))

    # -- fit ---------------------------------------------------------------------------

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for ``epochs`` epochs on arrays ``x`` and ``y``, or on the
        batches of a generator, iterable or ``PyDataset`` ``x`` (then ``y``,
        ``batch_size`` and ``sample_weight`` stay ``None``; ``steps_per_epoch``
        bounds an endless generator).

        Returns a ``History`` whose ``history`` dict holds every epoch's logs.
        """
        self._assert_compiled("fit")
        if x is None:
            raise ValueError("fit needs input data x.")
        if is_stream(x):
            stream_loop._reject_arguments("fit", y=y, batch_size=batch_size, sample_weight=sample_weight)
            if validation_split:
                raise ValueError(
                    "validation_split needs arrays to split; fit received a generator, "
                    "iterable or PyDataset. Pass validation_data instead. Received: "
                    f"validation_split={validation_split}"
                )
            return stream_loop.fit_stream(
                self, x, epochs=epochs, verbose=_verbosity(verbose), callbacks=callbacks,
                validation_data=validation_data, shuffle=shuffle, class_weight=class_weight,
                initial_epoch=initial_epoch, steps_per_epoch=steps_per_epoch,
                validation_steps=validation_steps, validation_batch_size=validation_batch_size,
                validation_freq=validation_freq,
            )
        x = _convert_structure(x)
        y = _convert_structure(y, "y")
        sample_weight = _convert_structure(sample_weight, "sample_weight")
        if validation_split and validation_data is None:
            x_list, x_def = jax.tree.flatten(x)
            (tx, ty, tsw), (vx, vy, vsw) = data_adapter.split_validation(
                x_list, jax.tree.leaves(y), jax.tree.leaves(sample_weight), validation_split
            )
            x = jax.tree.unflatten(x_def, tx)
            validation_data = (
                jax.tree.unflatten(x_def, vx),
                _restructure(y, vy),
                _restructure(sample_weight, vsw),
            )
            y = _restructure(y, ty)
            sample_weight = _restructure(sample_weight, tsw)
        engine = self._get_engine(x)
        data = self._make_data(engine, x, y, sample_weight, class_weight)
        validation = None
        if validation_data is not None and is_stream(validation_data):
            from lamella.training.data_stream import BatchSource

            validation = BatchSource(validation_data, steps=validation_steps)
        elif validation_data is not None:
            vx, vy, vsw = _unpack_validation(validation_data)
            validation = self._make_data(engine, vx, vy, vsw, None)
        batch_size = self._resolve_batch_size(batch_size, data.num_samples, "fit")
        engine.placement.check_batch_size(batch_size, "fit")
        steps = math.ceil(data.num_samples / batch_size)
        if steps_per_epoch is not None:
            steps = min(steps, int(steps_per_epoch))
        verbose = _verbosity(verbose)
        callback_list = CallbackList(
            callbacks, add_history=True, add_progbar=verbose != 0, model=self,
            verbose=verbose, epochs=epochs, steps=steps,
        )
        self.stop_training = False
        plan = engine.plan(batch_size, steps, data.num_samples, callback_list,
                           planned_steps=steps * max(epochs - initial_epoch, 0))
        layout = engine.layout
        state = layout.read(engine.initial_metric_state())
        rng = _host_rng()
        callback_list.on_train_begin()
        initial_epoch, initial_step = self._take_resume_point(initial_epoch, steps)
        epoch_logs = {}
        try:
            for epoch in range(initial_epoch, epochs):
                callback_list.on_epoch_begin(epoch)
                first_step = initial_step if epoch == initial_epoch else 0
                # on_train_begin / on_epoch_begin may assign variables (a learning
                # rate, restored weights): train from what they set. An epoch
                # resumed mid-way also keeps the running metrics it was saved with.
                if first_step:
                    state = layout.read()
                elif layout.changed_since(state):
                    state = layout.read(state[3])
                if not first_step:
                    state[3] = engine.initial_metric_state()
                local = engine.placement.local_count(data.num_samples)
                order = rng.permutation(local) if shuffle else np.arange(local)
                perm = engine.placement.put_permutation(order)
                logs = plan.run_epoch(state, data.as_tree(), perm, self, first_step=first_step)
                state = plan.take_state()
                epoch_logs = fetch(logs, engine.log_names)
                layout.write(state)
                if validation is not None and _validation_due(epoch, validation_freq):
                    val_logs = self._validate(
                        engine, state, validation, validation_batch_size or batch_size,
                        validation_steps, callback_list,
                    )
                    epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                callback_list.on_epoch_end(epoch, epoch_logs)
                if layout.changed_since(state):
                    state = layout.read(state[3])
                if self.stop_training:
                    break
        finally:
            # Whatever happens, the variables end up holding the latest weights.
            layout.write(plan.take_state() or state)
            if epochs > initial_epoch:
                # With use_ema, the weights become their moving averages (Keras 3).
                self.optimizer.finalize_variable_values(self.trainable_variables)
        callback_list.on_train_end(epoch_logs)
        self.history = callback_list.history
        return callback_list.history

    def _take_resume_point(self, initial_epoch, steps):
        """The ``(epoch, step)`` where ``fit`` starts: ``initial_epoch``, unless a
        callback's ``on_train_begin`` set ``model._initial_epoch`` (and
        ``model._initial_step``, a batch index within that epoch) to resume an
        interrupted run, as ``BackupAndRestore`` does. Read once, then cleared."""
        epoch = getattr(self, "_initial_epoch", None)
        step = getattr(self, "_initial_step", None) or 0
        self._initial_epoch = self._initial_step = None
        if epoch is None:
            if step:
                raise ValueError(
                    "model._initial_step was set without model._initial_epoch: a "
                    "resume point needs both."
                )
            return initial_epoch, 0
        for name, value in (("_initial_epoch", epoch), ("_initial_step", step)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise ValueError(
                    f"model.{name} must be a non-negative integer. Received: {name}={value!r}"
                )
        if step >= steps:
            raise ValueError(
                f"Cannot resume fit at step {step} of epoch {epoch}: an epoch of this fit "
                f"has {steps} steps (batch_size, the data or steps_per_epoch changed)."
            )
        return int(epoch), int(step)

    def _validate(self, engine, state, validation, batch_size, steps, callback_list):
        """The validation logs of one epoch, between ``on_test_begin`` and
        ``on_test_end`` as in Keras (``SwapEMAWeights`` validates with the moving
        averages by assigning them there). Changes to stateful layers are dropped:
        training goes on from ``state``."""
        callback_list.on_test_begin()
        layout = engine.layout
        params = (state[0], state[1])
        if layout.changed_since(state):
            params = ([v._value for v in layout.trainable], [v._value for v in layout.non_trainable])
        if isinstance(validation, data_adapter.ArrayData):
            val_logs, _ = self._run_test(engine, params, validation, batch_size, steps, None)
        else:  # a generator or PyDataset (stream_loop.BatchSource)
            val_logs, _ = stream_loop.run_stream_test(engine, params, validation, None)
        callback_list.on_test_end(val_logs)
        return val_logs

    # -- evaluate ----------------------------------------------------------------------

    def _run_test(self, engine, params, data, batch_size, steps, callback_list):
        """Logs over ``data``, and the non-trainable values after its last batch
        (stateful layers carry their state from batch to batch)."""
        batch_size = engine.placement.check_batch_size(_batch_size(batch_size, data.num_samples), "evaluate", must_split=False)
        full, remainder = divmod(data.num_samples, batch_size)
        if steps is not None:
            full, remainder = min(full, int(steps)), 0 if steps <= full else remainder
        eval_state = (engine.initial_metric_state(), jnp.zeros((), jnp.int32))
        tree = data.as_tree()
        logs = None
        batch_hooks = callback_list is not None and callback_list.uses_batch_hooks("test")
        sizes = [batch_size] * full + ([remainder] if remainder else [])
        trainable, non_trainable = params
        for index, size in enumerate(sizes):
            if batch_hooks:
                callback_list.on_test_batch_begin(index)
            eval_state, changes, logs = engine.test_function(size)(
                eval_state, (trainable, non_trainable), tree
            )
            non_trainable = with_changes(non_trainable, changes)
            if batch_hooks:
                callback_list.on_test_batch_end(index, DeviceLogs(logs, order=engine.log_names))
        return fetch(logs, engine.log_names), non_trainable

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
    ):
        """The loss and metrics on ``x`` and ``y``.

        Returns the loss alone when there are no metrics, else ``[loss, *metrics]``,
        or a dict with ``return_dict=True``.
        """
        self._assert_compiled("evaluate")
        if is_stream(x):
            stream_loop._reject_arguments("evaluate", y=y, batch_size=batch_size, sample_weight=sample_weight)
            return stream_loop.evaluate_stream(
                self, x, verbose=_verbosity(verbose), steps=steps, callbacks=callbacks,
                return_dict=return_dict,
            )
        x_sample = _convert_structure(x)
        engine = self._get_engine(x_sample)
        data = self._make_data(engine, x, y, sample_weight, None)
        batch_size = self._resolve_batch_size(batch_size, data.num_samples, "evaluate")
        total_steps = math.ceil(data.num_samples / batch_size)
        callback_list = CallbackList(
            callbacks, add_progbar=_verbosity(verbose) != 0, model=self,
            verbose=_verbosity(verbose), epochs=1, steps=total_steps,
        )
        callback_list.on_test_begin()
        # Read after on_test_begin: a callback may assign weights to evaluate with.
        params = engine.layout.read()[:2]
        logs, non_trainable = self._run_test(engine, params, data, batch_size, steps, callback_list)
        _write_non_trainable(engine.layout, non_trainable)
        callback_list.on_test_end(logs)
        return _format_results(logs, return_dict)

    # -- predict -----------------------------------------------------------------------

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for ``x``, as numpy arrays, computed batch by batch.

        ``x`` may also be a generator, iterable or ``PyDataset`` of batches (targets
        in them are ignored).
        """
        if is_stream(x):
            stream_loop._reject_arguments("predict", batch_size=batch_size)
            return stream_loop.predict_stream(
                self, x, verbose=_verbosity(verbose), steps=steps, callbacks=callbacks
            )
        x = _convert_structure(x)
        engine = self._inference_engine(x)
        placement = engine.placement
        num = placement.global_count(data_adapter.num_samples(jax.tree.leaves(x)))
        batch_size = placement.check_batch_size(self._resolve_batch_size(batch_size, num, "predict"), "predict", must_split=False)
        full, remainder = divmod(num, batch_size)
        if steps is not None:
            full, remainder = min(full, int(steps)), 0
        sizes = [batch_size] * full + ([remainder] if remainder else [])
        callback_list = CallbackList(
            callbacks, add_progbar=_verbosity(verbose) != 0, model=self,
            verbose=_verbosity(verbose), epochs=1, steps=len(sizes),
        )
        put = placement.put_call_data if len(sizes) == 1 else placement.put_data
        device_x = put(engine.host_stage.apply(x))
        batch_hooks = callback_list.uses_batch_hooks("predict")
        callback_list.on_predict_begin()
        # Read after on_predict_begin: a callback may assign weights to predict with.
        trainable, non_trainable = engine.layout.read()[:2]
        outputs = []
        position = 0
        for index, size in enumerate(sizes):
            if batch_hooks:
                callback_list.on_predict_batch_begin(index)
            batch_outputs, changes = engine.predict_function(size)(
                (trainable, non_trainable), device_x, np.int32(position)
            )
            non_trainable = with_changes(non_trainable, changes)
            outputs.append(batch_outputs)
            position += placement.local_count(size)
            if batch_hooks:
                callback_list.on_predict_batch_end(index, {"outputs": outputs[-1]})
        # Stateful layers keep the state the last batch left, as in Keras 2.
        _write_non_trainable(engine.layout, non_trainable)
        callback_list.on_predict_end()
        host = placement.to_host(outputs)
        return jax.tree.map(lambda *parts: np.concatenate(parts, axis=0), *host)

    # -- single batches ----------------------------------------------------------------

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False, reset_metrics=True):
        """One optimizer step on one batch; returns that batch's loss and metrics.

        ``reset_metrics=False`` accumulates the metrics over successive calls (the
        Keras 2 argument).
        """
        self._assert_compiled("train_on_batch")
        x_sample = _convert_structure(x)
        engine = self._get_engine(x_sample)
        data = self._make_data(engine, x, y, sample_weight, class_weight)
        layout = engine.layout
        metrics = engine.initial_metric_state() if reset_metrics or engine.batch_metrics is None else engine.batch_metrics
        state = layout.read(metrics)
        perm = engine.placement.put_permutation(np.arange(engine.placement.local_count(data.num_samples)))
        live = (*state, jnp.zeros((), jnp.int32))
        live, logs = engine.train_function(data.num_samples)(live, data.as_tree(), perm)
        state = list(live[:4])
        layout.write(state)
        engine.batch_metrics = state[3]
        return _format_results(fetch(logs, engine.log_names), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss and metrics of one batch, without training."""
        self._assert_compiled("test_on_batch")
        x_sample = _convert_structure(x)
        engine = self._get_engine(x_sample)
        data = self._make_data(engine, x, y, sample_weight, None)
        params = engine.layout.read()[:2]
        logs, non_trainable = self._run_test(engine, params, data, data.num_samples, None, None)
        _write_non_trainable(engine.layout, non_trainable)
        return _format_results(logs, return_dict)

    def predict_on_batch(self, x):
        """The outputs for one batch, as numpy arrays."""
        return self.predict(x, batch_size=data_adapter.num_samples(jax.tree.leaves(_convert_structure(x))), verbose=0)

    def reset_metrics(self):
        if self._engine is not None:
            self._engine.batch_metrics = None
            for metric in self._engine.metrics:
                metric.reset_state()


class _Engine:
    """The steps, state layout and compiled functions of one configuration."""

    def __init__(self, model, spec, output_names, trainable, non_trainable, key, x_sample):
        from lamella.engine.model_structure import output_shapes

        self.key = key
        self.output_names = list(output_names)
        self.batch_metrics = None
        spec = spec or {"run_eagerly": False, "steps_per_execution": "auto"}
        self.run_eagerly = spec["run_eagerly"]
        self.steps_per_execution = spec["steps_per_execution"]
        self.metrics = []
        metric_inputs = []
        compiled_loss = None
        optimizer = None
        if "loss" in spec:
            compiled_loss = compile_utils.CompiledLoss(spec["loss"], spec["loss_weights"], self.output_names)
            compiled_metrics = compile_utils.CompiledMetrics(
                spec["metrics"], spec["weighted_metrics"], self.output_names
            )
            y_pred_shapes = output_shapes(model, x_sample, self.output_names)
            y_true_shapes = [s[:-1] + (1,) if s else s for s in y_pred_shapes]
            compiled_metrics.build(compiled_loss.losses, y_true_shapes, y_pred_shapes)
            self.metrics.append(Mean(name="loss"))
            metric_inputs.append(("loss",))
            for index, tracker in enumerate(compiled_loss.trackers):
                if tracker is not None:
                    self.metrics.append(tracker)
                    metric_inputs.append(("output_loss", index))
            for index, metric, weighted in compiled_metrics.metrics:
                self.metrics.append(metric)
                metric_inputs.append(("metric", index, weighted))
            optimizer = model.optimizer
            if not optimizer.built:
                optimizer.build(trainable)
            elif [id(v) for v in optimizer._trainable_variables] != [id(v) for v in trainable]:
                raise RuntimeError(
                    f"The trainable variables of model {model.name!r} changed after its "
                    "optimizer was built (a layer was frozen, unfrozen or added). Call "
                    "compile() again so the optimizer tracks the new set."
                )
        metric_variables = [v for m in self.metrics for v in m.variables]
        self.layout = StateLayout(
            trainable, non_trainable, optimizer.variables if optimizer else [], metric_variables
        )
        # Where data and state live: one device, or the distribution's mesh.
        self.placement = self.layout.placement = placements.for_layout(self.layout)
        self.steps = StepFunctions(
            model, self.layout, compiled_loss, self.metrics, metric_inputs, optimizer,
            self.output_names, self.placement,
        )
        self.log_names = [m.name for m in self.metrics]
        self.host_stage = HostStage.of(model)
        self._functions = {}
        self._initial_metrics = [np.asarray(v) for m in self.metrics for v in m._initial_values]

    def initial_metric_state(self):
        return [jnp.asarray(v) for v in self._initial_metrics]

    def _compile(self, key, fn, donate, training=False):
        compiled = self._functions.get(key)
        if compiled is None:
            compiled = _after_host_stage(fn)
            compiled = compiled if self.run_eagerly else jax.jit(
                compiled, donate_argnums=donate,
                compiler_options=compile_options.step_compiler_options(training=training),
            )
            self._functions[key] = compiled
        return compiled

    def _loop_is_fast(self, key, loop_key, args):
        """Whether the device-loop program stored under ``loop_key`` may run (see
        ``compile_options.device_loops_are_slow``), decided once and kept under
        ``key``. The program itself is traced, by jit: when the loop is used, its
        first call finds this trace in jit's cache; when not, it is dropped."""
        if key not in self._functions:
            fast = True
            if not self.run_eagerly:
                traced = self._functions[loop_key].trace(*args)
                fast = not compile_options.device_loops_are_slow(traced.jaxpr)
                if not fast:
                    del self._functions[loop_key]
            self._functions[key] = fast
        return self._functions[key]

    def device_loop_is_fast(self, batch_size, live, data, perm):
        """Whether ``batch_size`` steps should run in the device-side loop program."""
        self.train_loop_function(batch_size)
        return self._loop_is_fast(("device-loop-ok", batch_size), ("train-loop", batch_size), (live, data, perm, 1))

    def train_function(self, batch_size):
        """``f(state, data, perm) -> (state, logs)``: one step."""
        return self._compile(("train", batch_size), indexed_train(self.steps, batch_size), (0,), training=True)

    def train_loop_function(self, batch_size):
        """``f(state, data, perm, count) -> (state, logs)``: ``count`` steps."""
        return self._compile(("train-loop", batch_size), looped_train(self.steps, batch_size), (0,), training=True)

    def train_unrolled_function(self, batch_size, count):
        """``f(state, data, perm) -> (state, logs)``: ``count`` steps written out in
        one program (``unrolled_train``)."""
        return self._compile(
            ("train-unrolled", batch_size, count), unrolled_train(self.steps, batch_size, count), (0,),
            training=True,
        )

    def test_function(self, batch_size):
        return self._compile(("test", batch_size), sliced_test(self.steps, batch_size), (0,))

    def predict_function(self, batch_size):
        return self._compile(("predict", batch_size), sliced_predict(self.steps, batch_size), ())

    def stream_train_function(self):
        """``f(state, batch) -> (state, logs)`` for a batch from the host."""
        return self._compile(("stream-train",), batch_train(self.steps), (0,), training=True)

    def stream_train_loop_function(self):
        """``f(state, chunk, count) -> (state, logs)``: ``count`` stacked batches."""
        return self._compile(("stream-train-loop",), chunk_train(self.steps), (0,), training=True)

    def stream_train_chunk_step_function(self):
        """``f(state, chunk, index) -> (state, logs)``: the step on one stacked batch."""
        return self._compile(("stream-train-chunk-step",), chunk_step(self.steps), (0,), training=True)

    def stream_train_chunk_unrolled_function(self, count):
        """``f(state, chunk, start) -> (state, logs)``: ``count`` stacked batches from
        ``start`` on, written out in one program."""
        return self._compile(("stream-train-chunk-unrolled", count), chunk_unrolled(self.steps, count), (0,),
                             training=True)

    def stream_device_loop_is_fast(self, live, chunk):
        """Whether stacked batches should run in the device-side loop program (the
        rule of ``device_loop_is_fast``, for batches streamed from the host)."""
        self.stream_train_loop_function()
        return self._loop_is_fast(("stream-device-loop-ok",), ("stream-train-loop",), (live, chunk, 1))

    def stream_test_function(self):
        return self._compile(("stream-test",), batch_test(self.steps), (0,))

    def stream_predict_function(self):
        return self._compile(("stream-predict",), batch_predict(self.steps), ())

    def plan(self, batch_size, steps, num_samples, callback_list, planned_steps=None):
        return dispatch.EpochPlan(self, batch_size, steps, num_samples, callback_list, planned_steps)


def _with_loss_scaling(optimizer):
    from lamella.plugins import get_registry

    wrapper = get_registry("optimizers").get("LossScaleOptimizer")
    if isinstance(optimizer, wrapper):
        return optimizer
    return wrapper(optimizer, name="loss_scale_optimizer")


def _after_host_stage(fn):
    """``fn`` run with the host stage marked done: host-side (string) layers pass
    their inputs through, since the data path already applied them."""

    def run(*args):
        with call_context.host_stage_done_context():
            return fn(*args)

    return run


def _names_to_check(metrics):
    """Stand-in output names to check metric names against at ``compile`` when the
    model cannot name its outputs yet (a subclassed model before its first call):
    a dict's keys (matched with the real outputs when the metrics are built), or
    one per entry of a list of lists."""
    if isinstance(metrics, dict):
        return list(metrics) or ["output"]
    if isinstance(metrics, list | tuple) and metrics and all(isinstance(m, list | tuple) for m in metrics):
        return [f"output_{i}" for i in range(len(metrics))]
    return ["output"]


def _restructure(original, parts):
    if original is None:
        return None
    _, treedef = jax.tree.flatten(original)
    return jax.tree.unflatten(treedef, parts)


def _unpack_validation(validation_data):
    if isinstance(validation_data, tuple | list) and len(validation_data) in (2, 3):
        if len(validation_data) == 2:
            return validation_data[0], validation_data[1], None
        return tuple(validation_data)
    raise ValueError(
        "validation_data must be a tuple (x_val, y_val) or (x_val, y_val, "
        f"val_sample_weight). Received: {type(validation_data).__name__}"
    )


def _batch_size(batch_size, num_samples):
    if batch_size is None:
        batch_size = _DEFAULT_BATCH_SIZE
    if not isinstance(batch_size, int | np.integer) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer. Received: batch_size={batch_size!r}")
    return int(min(batch_size, num_samples))


def _validation_due(epoch, validation_freq):
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def _format_results(logs, return_dict):
    if return_dict:
        return logs
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def _write_non_trainable(layout, values):
    """Points the non-trainable variables at ``values`` (after evaluate/predict)."""
    for variable, value in zip(layout.non_trainable, values):
        if variable._value is not value:
            variable._value = value


def _host_rng():
    from lamella.random.host_rng import host_rng

    return host_rng()
