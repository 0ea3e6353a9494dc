"""Keras 3 builds each ResNet with random weights and saves them in both of its
formats; lamella loads each file and must predict what Keras predicts.

This is what guarantees that Keras's ImageNet files classify correctly in lamella:
the same names, order and shapes of weights, and the same computation. Random
batch-norm statistics (not Keras's initial zeros and ones) make the test see any
mix-up of moving mean and variance, or of gamma and beta.
"""

import h5py
import numpy as np
import pytest

from lamella import applications

pytestmark = pytest.mark.keras_parity

SHAPE = (64, 64, 3)

# Both tops for the two ResNet50s; the deeper ones repeat the same blocks more
# often, so their classifier variant suffices (and keeps the suite's time down).
CASES = [
    pytest.param("ResNet50", True, id="ResNet50-top"),
    pytest.param("ResNet50", False, id="ResNet50-notop"),
    pytest.param("ResNet50V2", True, id="ResNet50V2-top"),
    pytest.param("ResNet50V2", False, id="ResNet50V2-notop"),
    pytest.param("ResNet101", True, id="ResNet101-top", marks=pytest.mark.slow),
    pytest.param("ResNet101V2", True, id="ResNet101V2-top", marks=pytest.mark.slow),
    pytest.param("ResNet152", True, id="ResNet152-top", marks=pytest.mark.slow),
    pytest.param("ResNet152V2", False, id="ResNet152V2-notop", marks=pytest.mark.slow),
]


def _randomize(keras_model, rng):
    """Weights of a realistic scale, and batch-norm statistics away from 0 and 1,
    so that each weight matters to the output."""
    for layer in keras_model.layers:
        for variable in layer.weights:
            name = variable.path.split("/")[-1]
            shape = tuple(variable.shape)
            if name == "moving_variance":
                value = rng.uniform(0.5, 1.5, shape)
            elif name == "gamma":
                value = rng.uniform(0.6, 1.1, shape)
            elif name in ("beta", "moving_mean", "bias"):
                value = rng.normal(0.0, 0.1, shape)
            else:
                fan_in = int(np.prod(shape[:-1]))
                value = rng.normal(0.0, np.sqrt(1.0 / fan_in), shape)
            variable.assign(value.astype(np.float32))


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(7).uniform(-1.0, 1.0, size=(2, *SHAPE)).astype(np.float32)


@pytest.mark.parametrize(("architecture", "include_top"), CASES)
def test_lamella_loads_both_keras_formats_and_predicts_as_keras(
    keras, architecture, include_top, images, tmp_path
):
    from keras.src.legacy.saving import legacy_h5_format

    extra = {"classes": 7} if include_top else {"pooling": "avg"}
    reference = getattr(keras.applications, architecture)(
        weights=None, input_shape=SHAPE, include_top=include_top, **extra
    )
    _randomize(reference, np.random.default_rng(0))
    expected = np.asarray(reference.predict(images, verbose=0))
    legacy = tmp_path / "keras2.h5"
    with h5py.File(legacy, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, reference)
    keras3 = tmp_path / "keras3.weights.h5"
    reference.save_weights(keras3)

    # Keras 2 layout, through the constructor's weights=<path>.
    model = getattr(applications, architecture)(
        weights=str(legacy), input_shape=SHAPE, include_top=include_top, **extra
    )
    assert [layer.name for layer in model.layers if layer.weights] == [
        layer.name for layer in reference.layers if layer.weights
    ]
    np.testing.assert_allclose(
        np.asarray(model.predict(images, verbose=0)), expected, rtol=2e-4, atol=2e-5
    )

    # Keras 3 layout (matched by each class's position in model.layers), into the
    # same model after wiping it, so a load that did nothing cannot pass.
    for variable in model.weights:
        variable.assign(np.zeros(variable.shape, np.float32))
    model.load_weights(str(keras3))
    np.testing.assert_allclose(
        np.asarray(model.predict(images, verbose=0)), expected, rtol=2e-4, atol=2e-5
    )


def test_the_architecture_matches_keras_layer_by_layer(keras):
    reference = keras.applications.ResNet50V2(weights=None, input_shape=SHAPE, classes=5)
    model = applications.ResNet50V2(weights=None, input_shape=SHAPE, classes=5)
    ours = [(l.name, [tuple(w.shape) for w in l.weights]) for l in model.layers if l.weights]
    theirs = [(l.name, [tuple(w.shape) for w in l.weights]) for l in reference.layers if l.weights]
    assert ours == theirs
    assert model.count_params() == reference.count_params()
