"""``decode_predictions`` and the shipped ImageNet class index, checked against
Keras 3 and against the facts of the ILSVRC-2012 class list."""

import hashlib
import json
import shutil
from importlib import resources

import numpy as np
import pytest

from lamella.applications import imagenet_utils, resnet, resnet_v2

KERAS_CLASS_INDEX_MD5 = "c2c37ea517e94d9795004a39431a14cb"  # what keras.applications checks


def _index_bytes():
    return resources.files("lamella.applications").joinpath("data", "imagenet_class_index.json").read_bytes()


def test_the_shipped_class_index_is_the_file_keras_downloads():
    assert hashlib.md5(_index_bytes()).hexdigest() == KERAS_CLASS_INDEX_MD5


def test_the_class_index_holds_the_1000_sorted_ilsvrc_wnids():
    index = imagenet_utils.class_index()
    assert sorted(index, key=int) == [str(i) for i in range(1000)]
    wnids = [index[str(i)][0] for i in range(1000)]
    assert wnids == sorted(wnids) and len(set(wnids)) == 1000
    assert all(len(w) == 9 and w[0] == "n" and w[1:].isdigit() for w in wnids)
    assert index["0"] == ["n01440764", "tench"]
    assert index["999"] == ["n15075141", "toilet_tissue"]
    assert imagenet_utils.class_index() is index  # read once


@pytest.fixture
def keras_with_class_index(keras, tmp_path, monkeypatch):
    """Keras reads its class index from its cache when the md5 matches; giving it
    our file there lets Keras itself vouch for it (no download in tests)."""
    from keras.src.backend import config
    from keras.src.applications import imagenet_utils as keras_imagenet_utils

    (tmp_path / "models").mkdir()
    with resources.as_file(
        resources.files("lamella.applications").joinpath("data", "imagenet_class_index.json")
    ) as path:
        shutil.copy(path, tmp_path / "models" / "imagenet_class_index.json")
    monkeypatch.setattr(config, "_KERAS_DIR", str(tmp_path))
    monkeypatch.setattr(keras_imagenet_utils, "CLASS_INDEX", None)
    return keras


@pytest.mark.keras_parity
@pytest.mark.parametrize("top", [1, 5, 17])
def test_decode_predictions_matches_keras(keras_with_class_index, top):
    keras = keras_with_class_index
    preds = np.random.default_rng(top).dirichlet(np.ones(1000), size=3).astype(np.float32)
    expected = keras.applications.resnet.decode_predictions(preds, top=top)
    for decode in (resnet.decode_predictions, resnet_v2.decode_predictions):
        got = decode(preds, top=top)
        assert [[entry[:2] for entry in row] for row in got] == [
            [entry[:2] for entry in row] for row in expected
        ]
        np.testing.assert_array_equal(
            [[entry[2] for entry in row] for row in got],
            [[entry[2] for entry in row] for row in expected],
        )


def test_decode_predictions_returns_the_best_classes_first():
    preds = np.zeros((2, 1000), np.float32)
    preds[0, [207, 3, 999]] = [0.5, 0.3, 0.2]
    preds[1, 281] = 1.0
    got = imagenet_utils.decode_predictions(preds, top=3)
    assert [name for _, name, _ in got[0]] == ["golden_retriever", "tiger_shark", "toilet_tissue"]
    assert got[1][0] == ("n02123045", "tabby", np.float32(1.0))


def test_decode_predictions_names_bad_input():
    with pytest.raises(ValueError, match=r"shape \(samples, 1000\).*\(2, 10\)"):
        imagenet_utils.decode_predictions(np.zeros((2, 10)))
    with pytest.raises(ValueError, match=r"shape \(1000,\)"):
        imagenet_utils.decode_predictions(np.zeros(1000))
    with pytest.raises(ValueError, match="top to be an integer from 1 to 1000. Received: top=0"):
        imagenet_utils.decode_predictions(np.zeros((1, 1000)), top=0)


@pytest.mark.keras_parity
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_preprocess_input_matches_keras(keras, data_format):
    pixels = np.random.default_rng(5).uniform(0, 255, size=(2, 8, 6, 3)).astype(np.float32)
    if data_format == "channels_first":
        pixels = np.moveaxis(pixels, -1, 1)
    pairs = [
        (resnet.preprocess_input, keras.applications.resnet.preprocess_input),
        (resnet_v2.preprocess_input, keras.applications.resnet_v2.preprocess_input),
    ]
    for ours, theirs in pairs:
        got = ours(pixels.copy(), data_format=data_format)
        expected = np.asarray(theirs(pixels.copy(), data_format=data_format))
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-5)


def test_the_class_index_is_package_data():
    # The wheel ships src/lamella/** (hatch), the JSON file included: it must be a
    # plain file next to the code, readable through importlib.resources.
    data = json.loads(_index_bytes())
    assert len(data) == 1000
