"""The ResNet constructors: shapes, Keras's layer names, and their argument checks."""

import numpy as np
import pytest

import lamella
from lamella import applications
from lamella.applications import resnet, resnet50, resnet_v2

SHAPE = (32, 32, 3)


def test_the_names_are_importable_as_keras_has_them():
    assert applications.ResNet50 is resnet.ResNet50 is resnet50.ResNet50
    assert resnet50.preprocess_input is resnet.preprocess_input
    assert applications.ResNet152V2 is resnet_v2.ResNet152V2
    assert lamella.applications.resnet_v2.decode_predictions is resnet_v2.decode_predictions


def test_resnet50_has_keras_layer_names_and_weight_count():
    model = applications.ResNet50(weights=None)
    names = [layer.name for layer in model.layers]
    assert names[:8] == ["input_layer", "conv1_pad", "conv1_conv", "conv1_bn", "conv1_relu",
                         "pool1_pad", "pool1_pool", "conv2_block1_1_conv"]
    assert names[-3:] == ["conv5_block3_out", "avg_pool", "predictions"]
    assert "conv4_block6_3_bn" in names and "conv4_block7_1_conv" not in names
    assert model.count_params() == 25_636_712  # Keras's ResNet50
    assert model.name == "resnet50" and model.output_shape == (None, 1000)
    bn = model.get_layer("conv3_block2_2_bn")
    assert bn.epsilon == pytest.approx(1.001e-5)


def test_the_v2_models_have_pre_activation_and_post_layers():
    model = applications.ResNet50V2(weights=None, include_top=False, input_shape=SHAPE)
    names = [layer.name for layer in model.layers]
    assert "conv1_bn" not in names
    assert names[-2:] == ["post_bn", "post_relu"]
    assert "conv2_block1_preact_bn" in names and "conv5_block3_2_pad" in names
    assert model.get_layer("conv2_block1_1_conv").use_bias is False
    assert model.output_shape == (None, 1, 1, 2048)


@pytest.mark.parametrize(("pooling", "shape"), [(None, (None, 2, 2, 2048)), ("avg", (None, 2048)), ("max", (None, 2048))])
def test_pooling_without_the_top(pooling, shape):
    model = applications.ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3), pooling=pooling)
    assert model.output_shape == shape
    assert model.layers[-1].name == {None: "conv5_block3_out", "avg": "avg_pool", "max": "max_pool"}[pooling]


def test_free_spatial_size_without_the_top():
    model = applications.ResNet50(weights=None, include_top=False, pooling="avg")
    assert model.input_shape == (None, None, None, 3)
    out = model.predict(np.zeros((1, 40, 48, 3), np.float32), verbose=0)
    assert out.shape == (1, 2048)


def test_classifier_activation_and_classes():
    model = applications.ResNet50(weights=None, input_shape=SHAPE, classes=4, classifier_activation=None)
    logits = model.predict(np.random.default_rng(0).uniform(size=(2, *SHAPE)).astype(np.float32), verbose=0)
    assert logits.shape == (2, 4) and not np.allclose(logits.sum(axis=1), 1.0)
    probs = applications.ResNet50(weights=None, input_shape=SHAPE, classes=4).predict(
        np.zeros((1, *SHAPE), np.float32), verbose=0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)


def test_input_tensor_is_used_and_the_source_input_becomes_the_model_input():
    inputs = lamella.Input(shape=SHAPE)
    scaled = lamella.layers.Rescaling(1 / 255.0)(inputs)
    model = applications.ResNet50(weights=None, input_tensor=scaled, include_top=False, pooling="avg")
    assert model.inputs[0] is inputs
    assert model.layers[1].name.startswith("rescaling")
    with pytest.raises(ValueError, match="input_tensor to be a symbolic tensor"):
        applications.ResNet50(weights=None, input_tensor=np.zeros((1, *SHAPE)))
    with pytest.raises(ValueError, match=r"input_tensor has shape \(None, 32, 32, 3\).*\(40, 40, 3\)"):
        applications.ResNet50(weights=None, input_tensor=lamella.Input(shape=SHAPE), input_shape=(40, 40, 3))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"weights": "imagenet", "classes": 10}, "weights='imagenet' and include_top=True has 1000 classes. Received: classes=10"),
        ({"weights": "imagenet", "input_shape": (64, 64, 3)}, r"input_shape must be \(224, 224, 3\). Received: input_shape=\(64, 64, 3\)"),
        ({"weights": "imagenet", "include_top": False, "input_shape": (64, 64, 1)}, "3 input channels"),
        ({"weights": None, "include_top": False, "input_shape": (16, 64, 3)}, "at least 32x32"),
        ({"weights": None, "input_shape": (64, 64)}, "three integers. Received: input_shape=\\(64, 64\\)"),
        ({"weights": None, "input_shape": "big"}, "three integers"),
        ({"weights": None, "include_top": True, "input_shape": (None, None, 3)}, "must be static"),
        ({"weights": None, "include_top": False, "pooling": "mean"}, r"pooling in \(None, 'avg', 'max'\). Received: pooling='mean'"),
        ({"weights": "imagenet_v2"}, "ResNet50 expected weights to be None .* Received: weights='imagenet_v2'"),
        ({"weights": "/no/such/file.h5"}, "path of an existing weight file"),
        ({"weights": "imagenet", "classifier_activation": "relu"}, "classifier_activation must be None or 'softmax'"),
        ({"weights": None, "classes": 0}, "classes to be a positive integer. Received: classes=0"),
        ({"weights": None, "include_top": "yes"}, "include_top to be True or False"),
    ],
)
def test_bad_arguments_are_named(arguments, message):
    with pytest.raises(ValueError, match=message):
        applications.ResNet50(**arguments)


def test_other_channel_counts_warn_without_imagenet_weights():
    with pytest.warns(UserWarning, match="1 or 3 input channels"):
        model = applications.ResNet50V2(weights=None, include_top=False, input_shape=(32, 32, 5))
    assert model.input_shape == (None, 32, 32, 5)


def test_channels_first_builds_and_matches_channels_last():
    from lamella.backend import set_image_data_format

    last = applications.ResNet50(weights=None, include_top=False, input_shape=SHAPE, pooling="avg")
    set_image_data_format("channels_first")
    try:
        first = applications.ResNet50(weights=None, include_top=False, input_shape=(3, 32, 32), pooling="avg")
    finally:
        set_image_data_format("channels_last")
    first.set_weights(last.get_weights())
    x = np.random.default_rng(1).uniform(-1, 1, (1, *SHAPE)).astype(np.float32)
    np.testing.assert_allclose(
        first.predict(np.moveaxis(x, -1, 1), verbose=0), last.predict(x, verbose=0), rtol=1e-4, atol=1e-5
    )
