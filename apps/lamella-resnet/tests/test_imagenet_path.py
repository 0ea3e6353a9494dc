"""The ImageNet path's wiring, with a stand-in for lamella.applications' ResNet50.

The real ResNet50 and its weights are tested in lamella-applications; here a tiny
model with 1,000 outputs checks that the app builds it with the weights asked for,
feeds it caffe-preprocessed 224x224 images and reports decode_predictions' labels.
"""

import sys
import types

import numpy as np
import pytest
from PIL import Image

from lamella_resnet import cli
from lamella_resnet.classifier import ImageClassifier


@pytest.fixture
def fake_applications(monkeypatch):
    import lamella
    from lamella import applications, layers
    from lamella.applications.imagenet_utils import preprocess_input

    calls = {}

    def resnet50(weights="imagenet", **kwargs):
        calls["weights"] = weights
        lamella.utils.set_random_seed(0)
        return lamella.Sequential([lamella.Input((224, 224, 3)), layers.GlobalAveragePooling2D(),
                                   layers.Dense(1000, activation="softmax")])

    def decode_predictions(preds, top=5):
        return [[(f"n{i:08d}", f"class_{i}", float(row[i])) for i in np.argsort(-row)[:top]] for row in preds]

    def caffe(x):
        calls["preprocessed"] = np.array(x)
        return preprocess_input(x, mode="caffe")

    resnet = types.SimpleNamespace(preprocess_input=caffe, decode_predictions=decode_predictions)
    monkeypatch.setattr(applications, "ResNet50", resnet50, raising=False)
    monkeypatch.setattr(applications, "resnet", resnet, raising=False)
    monkeypatch.setitem(sys.modules, "lamella.applications.resnet", resnet)
    return calls


def test_imagenet_weights_build_resnet50_and_decode_its_predictions(fake_applications):
    classifier = ImageClassifier.imagenet("imagenet")
    assert fake_applications["weights"] == "imagenet"
    assert classifier.input_size == (224, 224) and classifier.preprocessing == "caffe"
    image = Image.fromarray(np.random.default_rng(0).integers(0, 256, (100, 150, 3), np.uint8))
    top = classifier.classify([image], top=3)[0]
    assert fake_applications["preprocessed"].shape == (1, 224, 224, 3)
    from lamella.applications.imagenet_utils import preprocess_input

    batch = preprocess_input(classifier.prepare(image)[None], mode="caffe")
    probs = classifier.model.predict(batch, verbose=0)[0]
    assert [p["label"] for p in top] == [f"class_{i}" for i in np.argsort(-probs)[:3]]
    assert top[0]["id"] == f"n{int(np.argmax(probs)):08d}"
    assert top[0]["score"] == pytest.approx(float(probs.max()), abs=1e-5)
    assert "ImageNet" in classifier.describe() and not classifier.is_demo


def test_the_weights_option_passes_a_local_file_to_resnet50(fake_applications, tmp_path, capsys):
    weights = tmp_path / "resnet50_weights.h5"
    weights.write_bytes(b"stand-in")
    Image.new("RGB", (40, 30), (200, 10, 10)).save(tmp_path / "red.png")
    assert cli.main(["classify", str(tmp_path / "red.png"), "--weights", str(weights), "--top", "1"]) == 0
    assert fake_applications["weights"] == str(weights)
    assert capsys.readouterr().out.startswith(f"{tmp_path / 'red.png'}: class_")


def test_a_resnet50_weights_file_classifies_with_the_imagenet_class_names(tmp_path, capsys):
    # The real lamella.applications: ResNet50 (random weights, saved as a Keras 3
    # weights file) loaded through --weights, labels from the shipped class index.
    import json
    from importlib import resources

    import lamella
    from lamella import applications
    from lamella.applications import resnet

    lamella.utils.set_random_seed(1)
    reference = applications.ResNet50(weights=None)
    weights = tmp_path / "resnet50.weights.h5"
    reference.save_weights(weights)
    image = Image.fromarray(np.random.default_rng(2).integers(0, 256, (120, 160, 3), np.uint8))
    image.save(tmp_path / "photo.png")
    assert cli.main(["classify", str(tmp_path / "photo.png"), "--weights", str(weights), "--top", "2"]) == 0
    printed = capsys.readouterr().out
    classifier = ImageClassifier.imagenet(str(weights))
    batch = resnet.preprocess_input(classifier.prepare(image)[None])
    expected = resnet.decode_predictions(reference.predict(batch, verbose=0), top=2)[0]
    names = {name for _, name in json.loads(
        (resources.files("lamella.applications") / "data" / "imagenet_class_index.json").read_text()).values()}
    assert expected[0][1] in names
    assert [p["label"] for p in classifier.classify([image], top=2)[0]] == [name for _, name, _ in expected]
    assert expected[0][1] in printed
