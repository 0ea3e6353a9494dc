"""XLA options lamella compiles its steps with, per backend, chosen by measurement.

CPU (measured with jax 0.10 on a 2-core AVX2 machine): XLA:CPU sends convolutions
to YNNPACK by default, which kept about 1.5 cores busy. The option
``xla_cpu_experimental_ynn_fusion_type = LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT`` keeps
YNNPACK for matrix products and sends convolutions to Eigen: the training step of
the Keras MNIST convnet (batch 128) went from 58 to 24 ms in a host loop of jitted
steps, ResNet50 inference from 0.50-0.54 to 0.73-0.84 of the float32 matmul roof
(DESIGN.md section 5), and the seed MLP's step did not change.

Training steps on CPU also send reductions to YNNPACK
(``LIBRARY_FUSION_TYPE_REDUCE``): a convolution's training step sums its output
gradient over every position for the bias, and a batch normalization its batch
statistics, which XLA's own reductions do slowly (the convnet's first bias
gradient, 128x26x26x32 values summed to 32: 3.3 ms, and 1.4 ms in YNNPACK).
Measured in-process on a 2-core AVX2 machine, ms per training step with and
without it: the Keras MNIST convnet 30.3 / 34.6, a Conv2D + BatchNormalization
net 95 / 115, a VGG-style stack 217 / 223, a Conv1D text model 30.2 / 29.2 and a
smaller one 0.63 / 0.67, the seed MLP 3.65 / 3.64, an LSTM 36.9 / 37.0.
Inference keeps the option above alone: with reductions in YNNPACK too,
ResNet50's batch-1 prediction took 99.5 ms against 80.7. Both choices held on an
Intel Xeon with AVX-512: the convnet's training step took 41.5 ms with no option,
30.2 with the first and 24.9 with both; ResNet50's batch-1 prediction 85, 55-59
and 72-74 ms.

Other backends get no options: measure there before adding any.
"""

import jax

_YNN_FUSION_TYPES = "xla_cpu_experimental_ynn_fusion_type"
_CPU_INFERENCE_FUSIONS = ("LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT",)
_CPU_TRAINING_FUSIONS = _CPU_INFERENCE_FUSIONS + ("LIBRARY_FUSION_TYPE_REDUCE",)

_OPTIONS = {"cpu": {_YNN_FUSION_TYPES: ",".join(_CPU_INFERENCE_FUSIONS)}}
_TRAINING_OPTIONS = {"cpu": {_YNN_FUSION_TYPES: ",".join(_CPU_TRAINING_FUSIONS)}}


def step_compiler_options(backend=None, training=False):
    """The ``compiler_options`` for ``jax.jit`` of inference steps (evaluation,
    prediction) or, with ``training=True``, of training steps."""
    table = _TRAINING_OPTIONS if training else _OPTIONS
    return dict(table.get(backend or jax.default_backend(), {}))


def uses_primitive(jaxpr, name):
    """Whether ``jaxpr`` (or any jaxpr nested in its equations) applies ``name``."""
    stack = [jaxpr]
    while stack:
        current = stack.pop()
        current = getattr(current, "jaxpr", current)  # ClosedJaxpr -> Jaxpr
        for eqn in getattr(current, "eqns", ()):
            if eqn.primitive.name == name:
                return True
            for value in eqn.params.values():
                values = value if isinstance(value, list | tuple) else (value,)
                stack.extend(v for v in values if hasattr(v, "eqns") or hasattr(v, "jaxpr"))
    return False


def device_loops_are_slow(jaxpr, backend=None):
    """Whether a step should not run inside a device-side loop on ``backend``.

    Measured on CPU (jax 0.10, 2 cores): the Keras MNIST convnet's training step ran
    in 24-58 ms as a jitted step called from a host loop and in 430-490 ms inside a
    ``lax.fori_loop`` (with or without the option above): XLA:CPU does not run
    convolutions in a while loop's body through its fast libraries. Steps without
    convolutions gain from the device loop (a tiny MLP: 0.13 -> 0.07 ms per step).
    """
    return (backend or jax.default_backend()) == "cpu" and uses_primitive(jaxpr, "conv_general_dilated")
