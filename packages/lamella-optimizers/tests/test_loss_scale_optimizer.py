"""LossScaleOptimizer against Keras 3: unscaled steps, the scale growing after
finite steps and halving on a non-finite one (which is skipped), its variables,
config, and the wrapping compile does for mixed_float16."""

import numpy as np
import pytest

import lamella
from lamella import optimizers

pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def _gradients(helpers, scale):
    weights, gradients = helpers.make_problem(seed=13, steps=7, scale=scale)
    gradients[3] = [g.copy() for g in gradients[3]]
    gradients[3][1][0, 0] = np.inf  # a step to skip
    return weights, gradients


@pytest.mark.keras_parity
@pytest.mark.parametrize("inner", ["SGD", "Adam"])
def test_loss_scale_optimizer_matches_keras(keras, helpers, inner):
    weights, gradients = _gradients(helpers, scale=64.0)
    keras_optimizer = keras.optimizers.LossScaleOptimizer(getattr(keras.optimizers, inner)(learning_rate=0.1), initial_scale=64.0, dynamic_growth_steps=2)
    # Keras's eager apply of this optimizer fails on jax (a tracer escapes its
    # nested conds); its stateless_apply, which its trainer uses, is the oracle.
    keras_variables = [keras.Variable(w.copy()) for w in weights]
    keras_optimizer.build(keras_variables)
    keras_state = [v.value for v in keras_optimizer.variables]
    keras_weights = [v.value for v in keras_variables]
    optimizer = optimizers.LossScaleOptimizer(getattr(optimizers, inner)(learning_rate=0.1), initial_scale=64.0, dynamic_growth_steps=2)
    variables = [lamella.Variable(w.copy()) for w in weights]
    for grads in gradients:
        keras_weights, keras_state = keras_optimizer.stateless_apply(keras_state, grads, keras_weights)
        optimizer.apply(grads, variables)
        helpers.assert_weights_close([v.numpy() for v in variables], [np.asarray(v) for v in keras_weights])
        helpers.assert_weights_close([v.numpy() for v in optimizer.variables], [np.asarray(v) for v in keras_state])
    stateless, state = helpers.run_lamella_stateless(
        optimizers.LossScaleOptimizer(getattr(optimizers, inner)(learning_rate=0.1), initial_scale=64.0, dynamic_growth_steps=2),
        weights, gradients,
    )
    helpers.assert_weights_close(stateless, [v.numpy() for v in variables])


def test_scale_grows_after_finite_steps_and_halves_on_overflow(helpers):
    optimizer = optimizers.LossScaleOptimizer(optimizers.SGD(learning_rate=1.0), initial_scale=8.0, dynamic_growth_steps=3)
    variable = lamella.Variable(np.zeros(2, np.float32))
    scales = []
    for g in ([8.0, 8.0], [8.0, 8.0], [8.0, 8.0], [np.nan, 1.0], [16.0, 16.0]):
        before = variable.numpy()
        optimizer.apply([np.asarray(g, np.float32)], [variable])
        scales.append(float(optimizer.dynamic_scale.numpy()))
        if np.isnan(g[0]):
            np.testing.assert_array_equal(variable.numpy(), before)  # skipped
    assert scales == [8.0, 8.0, 16.0, 8.0, 8.0]
    # Each gradient is divided by the scale before the update that grows it: the
    # SGD saw 8/8 three times and 16/8 once, the true gradients.
    np.testing.assert_allclose(variable.numpy(), [-(1 + 1 + 1 + 2.0)] * 2)
    assert int(np.asarray(optimizer.iterations)) == 4
    assert float(optimizer.scale_loss(np.float32(0.5))) == 4.0


@pytest.mark.keras_parity
def test_variables_line_up_with_keras(keras):
    keras_optimizer = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam())
    keras_optimizer.build([keras.Variable(np.zeros(3, np.float32))])
    optimizer = optimizers.LossScaleOptimizer(optimizers.Adam())
    optimizer.build([lamella.Variable(np.zeros(3, np.float32))])
    assert [(v.shape, str(v.dtype)) for v in optimizer.variables] == [(tuple(v.shape), str(v.dtype)) for v in keras_optimizer.variables]


@pytest.mark.keras_parity
def test_config_round_trip_and_keras_config(keras):
    optimizer = optimizers.LossScaleOptimizer(optimizers.Adam(learning_rate=0.01), initial_scale=1024.0, dynamic_growth_steps=10)
    config = optimizers.serialize(optimizer)
    clone = optimizers.deserialize(config)
    assert isinstance(clone.inner_optimizer, optimizers.Adam) and clone.get_config() == optimizer.get_config()
    keras_config = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(learning_rate=0.01), initial_scale=1024.0, dynamic_growth_steps=10).get_config()
    assert {k: keras_config[k] for k in ("initial_scale", "dynamic_growth_steps")} == {"initial_scale": 1024.0, "dynamic_growth_steps": 10}
    keras_config["inner_optimizer"] = {"class_name": "Adam", "config": keras_config["inner_optimizer"]["config"]}
    assert optimizers.LossScaleOptimizer.from_config(keras_config).dynamic_growth_steps == 10


@pytest.mark.parametrize(
    "kwargs, message",
    [({"dynamic": False}, "dynamic=False"), ({"clipnorm": 1.0}, "clipnorm"), ({"initial_scale": 0.0}, "initial_scale"),
     ({"dynamic_growth_steps": 0}, "dynamic_growth_steps=0")],
)
def test_invalid_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        optimizers.LossScaleOptimizer(optimizers.SGD(), **kwargs)
    with pytest.raises(ValueError, match="inner_optimizer"):
        optimizers.LossScaleOptimizer("sgd")


def test_compile_wraps_the_optimizer_for_mixed_float16_and_trains():
    from lamella.testing import Linear, squared_error

    model = lamella.Sequential([lamella.Input((2,)), Linear(1, dtype="mixed_float16")])
    model.dtype_policy = "mixed_float16"
    model.compile(optimizer=optimizers.SGD(learning_rate=0.1), loss=squared_error)
    assert isinstance(model.optimizer, optimizers.LossScaleOptimizer)
    x = np.random.default_rng(0).normal(size=(32, 2)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0]], np.float32)
    history = model.fit(x, y, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 2
    plain = lamella.Sequential([lamella.Input((2,)), Linear(1)])
    plain.compile(optimizer="sgd", loss=squared_error, auto_scale_loss=True)
    assert isinstance(plain.optimizer, optimizers.SGD)
