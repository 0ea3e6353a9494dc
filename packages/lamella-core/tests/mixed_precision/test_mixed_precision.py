"""lamella.mixed_precision: the global policy under its Keras 2 and Keras 3 names,
and LossScaleOptimizer from lamella-optimizers (named when it is missing)."""

import jax.numpy as jnp
import numpy as np
import pytest

import lamella
from lamella import mixed_precision
from lamella.testing import Linear, PlainSGD, squared_error


@pytest.fixture(autouse=True)
def _float32_afterwards():
    yield
    mixed_precision.set_global_policy(None)


@pytest.mark.parametrize("setter", [mixed_precision.set_global_policy, mixed_precision.set_dtype_policy])
@pytest.mark.parametrize(
    "name, compute, variable",
    [("mixed_float16", "float16", "float32"), ("mixed_bfloat16", "bfloat16", "float32"),
     ("bfloat16", "bfloat16", "bfloat16"), ("float32", "float32", "float32")],
)
def test_global_policy_sets_the_dtypes_of_new_layers(setter, name, compute, variable):
    setter(name)
    assert mixed_precision.global_policy().name == name == mixed_precision.dtype_policy().name
    layer = Linear(2)
    layer.build((None, 3))
    assert (layer.compute_dtype, layer.kernel.dtype) == (compute, variable)
    assert layer(np.ones((1, 3), np.float32)).dtype == jnp.dtype(compute)
    setter(None)
    assert mixed_precision.global_policy().name == "float32"


def test_policy_objects_and_clear_session():
    assert mixed_precision.Policy is mixed_precision.DTypePolicy is lamella.DTypePolicy
    mixed_precision.set_global_policy(mixed_precision.Policy("mixed_bfloat16"))
    lamella.backend.clear_session()
    assert mixed_precision.global_policy().name == "float32"
    with pytest.raises(ValueError, match="Unknown dtype policy.*Received: name='mixed_float8'"):
        mixed_precision.set_global_policy("mixed_float8")


def test_a_mixed_model_trains_float32_variables_on_core_alone():
    mixed_precision.set_global_policy("mixed_bfloat16")
    model = lamella.Sequential([lamella.Input((3,)), Linear(1)])
    model.compile(optimizer=PlainSGD(0.1), loss=squared_error)
    x = np.random.default_rng(0).normal(size=(64, 3)).astype(np.float32)
    history = model.fit(x, x @ np.array([[1.0], [-1.0], [0.5]], np.float32), epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 4
    assert {str(v.value.dtype) for v in model.weights} == {"float32"}


def test_loss_scale_optimizer_comes_from_lamella_optimizers():
    try:
        from lamella.optimizers import LossScaleOptimizer
    except ModuleNotFoundError:
        with pytest.raises(AttributeError, match="provided by the lamella-optimizers distribution.*pip install lamella-optimizers"):
            mixed_precision.LossScaleOptimizer
    else:
        assert mixed_precision.LossScaleOptimizer is LossScaleOptimizer
    with pytest.raises(AttributeError, match="has no attribute 'Scaler'"):
        mixed_precision.Scaler
