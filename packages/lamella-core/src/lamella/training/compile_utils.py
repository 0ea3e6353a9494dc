"""What ``compile`` resolves: the losses and metrics of each model output.

Strings are looked up in the ``losses`` and ``metrics`` registries at ``compile``
time, so a misspelt name fails there, listing what is registered. For a model with
several outputs, losses and metrics are given as one (applied to every output, the
Keras 2 rule), a list (one per output) or a dict (by output name), and logs are
named ``<output>_loss`` and ``<output>_<metric>``.
"""

import jax.numpy as jnp

from lamella.plugins import get_registry
from lamella.training.loss import Loss, LossFunctionWrapper
from lamella.training.metric import Metric
from lamella.training.reduction_metrics import Mean, MeanMetricWrapper

# Names whose metric depends on the labels and predictions (Keras's rule): the
# binary, sparse or categorical variant.
_SHAPE_DEPENDENT = {
    "accuracy": ("binary_accuracy", "sparse_categorical_accuracy", "categorical_accuracy"),
    "acc": ("binary_accuracy", "sparse_categorical_accuracy", "categorical_accuracy"),
    "crossentropy": ("binary_crossentropy", "sparse_categorical_crossentropy", "categorical_crossentropy"),
    "ce": ("binary_crossentropy", "sparse_categorical_crossentropy", "categorical_crossentropy"),
}


def resolve_loss(identifier):
    """A ``Loss`` (or ``None``) from a name, a config, a ``Loss`` or a function."""
    if identifier is None:
        return None
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str | dict):
        from lamella.saving import serialization

        found = serialization.deserialize_object(identifier, kind="losses")
        if isinstance(found, type):
            return found()
        if isinstance(found, Loss):
            return found
        name = identifier if isinstance(identifier, str) else None
        return LossFunctionWrapper(found, name=name)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise TypeError(
        "A loss is a name, a Loss instance or a function (y_true, y_pred). "
        f"Received: loss={identifier!r}"
    )


def _loss_kind(loss):
    """``'binary'``, ``'sparse'``, ``'categorical'`` or ``None`` from a loss's name."""
    name = getattr(loss, "name", "") or ""
    fn = getattr(loss, "fn", None)
    names = {name, getattr(fn, "__name__", "")}
    if any("sparse_categorical" in n for n in names):
        return "sparse"
    if any("binary" in n for n in names):
        return "binary"
    if any("categorical" in n for n in names):
        return "categorical"
    return None


def _check_metric_name(name):
    variants = _SHAPE_DEPENDENT.get(name)
    registry = get_registry("metrics")
    for candidate in variants or (name,):
        registry.get(candidate)


class MetricSpec:
    """A metric as given to ``compile``, resolved once the output shapes are known."""

    def __init__(self, identifier):
        self.identifier = identifier
        if isinstance(identifier, str):
            _check_metric_name(identifier)
        elif not (isinstance(identifier, Metric | dict) or callable(identifier)):
            raise TypeError(
                "A metric is a name, a Metric instance or a function (y_true, y_pred). "
                f"Received: {identifier!r}"
            )

    def build(self, loss, y_true_shape, y_pred_shape):
        identifier = self.identifier
        if isinstance(identifier, Metric):
            return identifier
        if isinstance(identifier, dict):
            from lamella.saving import serialization

            return serialization.deserialize_object(identifier, kind="metrics")
        if isinstance(identifier, str):
            name = identifier
            if name in _SHAPE_DEPENDENT:
                binary, sparse, categorical = _SHAPE_DEPENDENT[name]
                kind = _loss_kind(loss) or _kind_from_shapes(y_true_shape, y_pred_shape)
                identifier = {"binary": binary, "sparse": sparse}.get(kind, categorical)
            found = get_registry("metrics").get(identifier)
            if isinstance(found, type):
                metric = found()
                if name in _SHAPE_DEPENDENT:
                    metric.name = name
                return metric
            if isinstance(found, Metric):
                return found
            return MeanMetricWrapper(found, name=name)
        return MeanMetricWrapper(identifier)


def _kind_from_shapes(y_true_shape, y_pred_shape):
    if y_pred_shape and y_pred_shape[-1] == 1:
        return "binary"
    if len(y_true_shape) < len(y_pred_shape) or (y_true_shape and y_true_shape[-1] == 1):
        return "sparse"
    return "categorical"


def _per_output(spec, output_names, what):
    """``spec`` as a list with one entry per output."""
    count = len(output_names)
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(output_names))
        if unknown:
            raise ValueError(
                f"{what} was given for outputs {unknown}, but the model's outputs are "
                f"{output_names}."
            )
        return [spec.get(name) for name in output_names]
    if isinstance(spec, list | tuple):
        if len(spec) != count:
            raise ValueError(
                f"{what} is a list of {len(spec)} entries, but the model has {count} "
                f"outputs ({output_names}); give one per output or a dict by name."
            )
        return list(spec)
    return [spec] * count


class CompiledLoss:
    """The losses of every output, their weights, and the trackers that log them."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = list(output_names)
        multiple = len(self.output_names) > 1
        if multiple and isinstance(loss, list | tuple | dict):
            entries = _per_output(loss, self.output_names, "loss")
        else:
            # One loss for every output: the Keras 2 form, kept on purpose.
            entries = [loss] * len(self.output_names)
        self.losses = [resolve_loss(e) for e in entries]
        if loss_weights is None:
            self.weights = [1.0] * len(self.output_names)
        else:
            weights = _per_output(loss_weights, self.output_names, "loss_weights")
            self.weights = [1.0 if w is None else float(w) for w in weights]
        self.trackers = []
        if multiple:
            self.trackers = [
                Mean(name=f"{name}_loss") if fn is not None else None
                for name, fn in zip(self.output_names, self.losses)
            ]

    @property
    def has_loss(self):
        return any(fn is not None for fn in self.losses)

    def __call__(self, y_true, y_pred, sample_weight, masks=None):
        """The weighted total and each output's loss (lists aligned with outputs).

        ``masks``: the outputs' masks (``None`` entries for unmasked outputs); as in
        Keras 3, a masked output's padded timesteps leave its loss."""
        total = jnp.zeros((), jnp.float32)
        values = []
        masks = [None] * len(y_pred) if masks is None else masks
        for fn, weight, target, prediction, sw, mask in zip(
            self.losses, self.weights, y_true, y_pred, sample_weight, masks
        ):
            if fn is None or target is None:
                values.append(None)
                continue
            if mask is None:
                value = fn(target, prediction, sample_weight=sw)
            else:
                value = fn(target, prediction, sample_weight=sw, mask=mask)
            values.append(value)
            total = total + weight * value.astype(jnp.float32)
        return total, values


class CompiledMetrics:
    """The metrics of every output, built when the output shapes are first seen."""

    def __init__(self, metrics, weighted_metrics, output_names):
        self.output_names = list(output_names)
        self._specs = self._resolve(metrics, "metrics")
        self._weighted_specs = self._resolve(weighted_metrics, "weighted_metrics")
        self.built = False
        self.metrics = []  # (output index, metric, weighted)

    def _resolve(self, metrics, what):
        if metrics is None:
            return [[] for _ in self.output_names]
        if isinstance(metrics, dict) or (
            len(self.output_names) > 1
            and isinstance(metrics, list | tuple)
            and metrics
            and all(isinstance(m, list | tuple) for m in metrics)
        ):
            per_output = _per_output(metrics, self.output_names, what)
        elif isinstance(metrics, list | tuple):
            per_output = [list(metrics)] * len(self.output_names)
        else:
            per_output = [[metrics]] * len(self.output_names)
        resolved = []
        for entry in per_output:
            if entry is None:
                entry = []
            elif not isinstance(entry, list | tuple):
                entry = [entry]
            resolved.append([MetricSpec(m) for m in entry])
        return resolved

    def build(self, losses, y_true_shapes, y_pred_shapes):
        if self.built:
            return
        multiple = len(self.output_names) > 1
        for index, name in enumerate(self.output_names):
            for specs, weighted in ((self._specs[index], False), (self._weighted_specs[index], True)):
                for spec in specs:
                    metric = spec.build(losses[index], y_true_shapes[index], y_pred_shapes[index])
                    # State shaped by the outputs (AUC's labels, F1's classes) must
                    # exist before the state of the compiled step is laid out.
                    metric.build_state(tuple(y_pred_shapes[index]))
                    if multiple and not metric.name.startswith(f"{name}_"):
                        metric.name = f"{name}_{metric.name}"
                    if weighted and not multiple:
                        metric.name = f"weighted_{metric.name}" if any(
                            m.name == metric.name for _, m, _ in self.metrics
                        ) else metric.name
                    # Two metrics of one name ('AUC' and 'auc') would share a log
                    # entry: the later ones are numbered, as Keras numbers names.
                    taken = {m.name for _, m, _ in self.metrics}
                    base, number = metric.name, 1
                    while metric.name in taken:
                        metric.name, number = f"{base}_{number}", number + 1
                    self.metrics.append((index, metric, weighted))
        self.built = True
