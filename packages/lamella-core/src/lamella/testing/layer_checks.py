"""``check_layer``: the contract every lamella layer keeps, checked in one call."""

import jax
import numpy as np


def check_layer(
    layer_cls,
    init_kwargs=None,
    *,
    input_shape=None,
    input_data=None,
    expected_output_shape=None,
    expected_output=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    registered_as=None,
    rtol=1e-6,
    atol=1e-6,
    seed=0,
):
    """Builds ``layer_cls(**init_kwargs)`` and checks what every layer must do.

    1. ``from_config(get_config())`` rebuilds a layer with the same config which,
       given the same weights, computes the same outputs.
    2. Called on arrays, its output has ``compute_output_shape``'s shape (and
       ``expected_output_shape`` / ``expected_output`` when given).
    3. Called on a symbolic ``Input`` with an unknown batch size, it gives the same
       shape with ``None`` for the batch.
    4. Its ``stateless_call`` under ``jax.jit`` computes what the eager call does.
    5. With ``registered_as``: it serializes under that registered name, and the
       copy rebuilt from the serialized form, given the same weights, computes the
       same outputs.

    Args:
        layer_cls: the layer class.
        init_kwargs: the constructor's keyword arguments.
        input_shape: the shape of a random float32 input batch (batch axis included);
            or give ``input_data``.
        input_data: the input batch itself.
        expected_output_shape: the output's full shape, if known.
        expected_output: the output itself, if known.
        expected_num_trainable_weights: the number of trainable weights after build.
        expected_num_non_trainable_weights: the number of non-trainable weights.
        registered_as: the name the layer is registered under in the plugin registry.
        rtol, atol: tolerances of the numeric comparisons.
        seed: the seed of the random input.

    Returns:
        The eager output, as a numpy array.

    Raises:
        AssertionError: naming the check that failed and the values compared.
    """
    from lamella.engine.input_layer import Input
    from lamella.saving import serialization

    init_kwargs = dict(init_kwargs or {})
    if input_data is None:
        if input_shape is None:
            raise ValueError("check_layer needs input_shape or input_data.")
        input_data = np.random.default_rng(seed).normal(size=input_shape).astype(np.float32)
    input_data = np.asarray(input_data)
    name = layer_cls.__name__

    layer = layer_cls(**init_kwargs)
    config = layer.get_config()
    rebuilt = layer_cls.from_config(config)
    _expect(rebuilt.get_config() == config, f"{name}: from_config(get_config()) changed the config",
            config, rebuilt.get_config())

    output = np.asarray(layer(input_data))
    computed = tuple(layer.compute_output_shape(input_data.shape))
    _expect(computed == output.shape, f"{name}: compute_output_shape disagrees with the output",
            computed, output.shape)
    if expected_output_shape is not None:
        _expect(tuple(expected_output_shape) == output.shape, f"{name}: unexpected output shape",
                tuple(expected_output_shape), output.shape)
    if expected_output is not None:
        np.testing.assert_allclose(output, expected_output, rtol=rtol, atol=atol,
                                   err_msg=f"{name}: unexpected output values")
    if expected_num_trainable_weights is not None:
        _expect(len(layer.trainable_weights) == expected_num_trainable_weights,
                f"{name}: unexpected number of trainable weights",
                expected_num_trainable_weights, len(layer.trainable_weights))
    if expected_num_non_trainable_weights is not None:
        _expect(len(layer.non_trainable_weights) == expected_num_non_trainable_weights,
                f"{name}: unexpected number of non-trainable weights",
                expected_num_non_trainable_weights, len(layer.non_trainable_weights))

    rebuilt.build_from_shape(input_data.shape)
    rebuilt.set_weights(layer.get_weights())
    np.testing.assert_allclose(np.asarray(rebuilt(input_data)), output, rtol=rtol, atol=atol,
                               err_msg=f"{name}: the layer rebuilt by from_config(get_config()) "
                               "computes other values")

    symbolic = layer_cls.from_config(config)(Input(batch_shape=(None, *input_data.shape[1:])))
    _expect(tuple(symbolic.shape) == (None, *output.shape[1:]),
            f"{name}: the symbolic call gives another shape", (None, *output.shape[1:]),
            tuple(symbolic.shape))

    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    compiled = jax.jit(lambda t, n, x: layer.stateless_call(t, n, x)[0])
    np.testing.assert_allclose(np.asarray(compiled(trainable, non_trainable, input_data)), output,
                               rtol=rtol, atol=atol,
                               err_msg=f"{name}: the jitted stateless_call differs from the eager call")

    if registered_as is not None:
        serialized = serialization.serialize_object(layer, kind="layers")
        _expect(serialized["class_name"] == registered_as, f"{name}: serialized under another name",
                registered_as, serialized["class_name"])
        copy = serialization.deserialize_object(serialized, kind="layers")
        _expect(type(copy) is layer_cls, f"{name}: the registered name rebuilds another class",
                layer_cls, type(copy))
        copy.build_from_shape(input_data.shape)
        copy.set_weights(layer.get_weights())
        np.testing.assert_allclose(np.asarray(copy(input_data)), output, rtol=rtol, atol=atol,
                                   err_msg=f"{name}: the deserialized copy computes other values")
    return output


def _expect(condition, message, expected, received):
    if not condition:
        raise AssertionError(f"{message}. Expected: {expected!r}. Received: {received!r}")
