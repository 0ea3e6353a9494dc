import json

import numpy as np
import pytest
from PIL import Image

from lamella_resnet.classifier import ImageClassifier, read_sidecar, sidecar_path
from lamella_resnet.shapes import SHAPES


def _tiny_model(classes=3, size=8):
    import lamella
    from lamella import layers

    lamella.utils.set_random_seed(1)
    model = lamella.Sequential([lamella.Input((size, size, 3)), layers.Flatten(),
                                layers.Dense(classes, activation="softmax")])
    return model


def test_the_demo_model_names_freshly_drawn_shapes(demo_classifier, shape_images):
    predictions = demo_classifier.classify([image for _, image in shape_images], top=2)
    assert [p[0]["label"] for p in predictions] == [shape for shape, _ in shape_images]
    for row in predictions:
        assert len(row) == 2 and row[0]["score"] >= row[1]["score"]
    assert demo_classifier.labels == list(SHAPES) and demo_classifier.is_demo
    assert "--weights imagenet" in demo_classifier.describe()


def test_demo_weights_are_small(demo_classifier):
    assert demo_classifier.model.count_params() * 4 < 1024 * 1024


def test_a_saved_classifier_loads_with_its_sidecar_and_predicts_like_its_model(tmp_path):
    model = _tiny_model()
    path = tmp_path / "tiny.keras"
    model.save(path)
    sidecar_path(path).write_text(json.dumps(
        {"labels": ["red", "green", "blue"], "preprocessing": "rescale", "input_size": [8, 8]}))
    classifier = ImageClassifier.from_model_file(path)
    assert classifier.labels == ["red", "green", "blue"] and classifier.input_size == (8, 8)

    rng = np.random.default_rng(0)
    images = [Image.fromarray(rng.integers(0, 256, (16, 12, 3), np.uint8)) for _ in range(3)]
    prepared = np.stack([classifier.prepare(im) for im in images])
    assert prepared.shape == (3, 8, 8, 3)
    expected = np.asarray(model.predict(prepared / 255.0, verbose=0))
    np.testing.assert_allclose(classifier.predict(prepared), expected, rtol=1e-5, atol=1e-6)
    top = classifier.classify(images, top=3)
    for row, probs in zip(top, expected):
        assert [p["index"] for p in row] == list(np.argsort(-probs))
        assert row[0]["label"] == ["red", "green", "blue"][int(np.argmax(probs))]
        assert row[0]["score"] == pytest.approx(float(probs.max()), abs=1e-5)


def test_a_plain_labels_json_list_beside_the_model_is_enough(tmp_path):
    model = _tiny_model(classes=2, size=4)
    model.save(tmp_path / "m.keras")
    (tmp_path / "labels.json").write_text('["cat", "dog"]')
    classifier = ImageClassifier.from_model_file(tmp_path / "m.keras")
    assert classifier.labels == ["cat", "dog"]
    assert classifier.input_size == (4, 4) and classifier.preprocessing == "none"


def test_a_model_without_labels_is_refused_with_the_file_to_write(tmp_path):
    _tiny_model().save(tmp_path / "nolabels.keras")
    with pytest.raises(FileNotFoundError, match="nolabels.labels.json"):
        ImageClassifier.from_model_file(tmp_path / "nolabels.keras")


def test_a_label_list_of_the_wrong_length_is_refused(tmp_path):
    _tiny_model().save(tmp_path / "m.keras")
    (tmp_path / "m.labels.json").write_text('["only", "two"]')
    with pytest.raises(ValueError, match="3 outputs but its label list has 2 names"):
        ImageClassifier.from_model_file(tmp_path / "m.keras")


def test_a_sidecar_that_is_not_a_label_list_is_refused(tmp_path):
    (tmp_path / "m.labels.json").write_text('{"classes": 3}')
    with pytest.raises(ValueError, match="'labels' list"):
        read_sidecar(tmp_path / "m.keras")


def test_unknown_preprocessing_is_refused():
    with pytest.raises(ValueError, match="preprocessing in .* Received: preprocessing='bgr'"):
        ImageClassifier(_tiny_model(), ["a", "b", "c"], (8, 8), preprocessing="bgr")


def test_batches_are_padded_to_a_bucket_and_trimmed(demo_classifier, shape_images):
    images = [image for _, image in shape_images[:3]]
    batch = np.stack([demo_classifier.prepare(im) for im in images])
    together = demo_classifier.predict(batch)
    alone = np.concatenate([demo_classifier.predict(batch[i:i + 1]) for i in range(3)])
    assert together.shape == (3, len(SHAPES))
    np.testing.assert_allclose(together, alone, rtol=1e-4, atol=1e-5)
