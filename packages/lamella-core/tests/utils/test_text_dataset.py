"""text_dataset_from_directory."""

import numpy as np
import pytest

from lamella.utils import text_dataset_from_directory


@pytest.fixture
def reviews(tmp_path):
    for label, texts in (("neg", ["bad film", "awful", "boring plot"]), ("pos", ["great film", "loved it"])):
        (tmp_path / label).mkdir()
        for i, text in enumerate(texts):
            (tmp_path / label / f"{i}.txt").write_text(text)
    (tmp_path / "pos" / "cover.jpg").write_bytes(b"not text")
    return tmp_path


def test_text_dataset_reads_texts_and_labels(reviews, capsys):
    ds = text_dataset_from_directory(reviews, batch_size=10, shuffle=False)
    assert "Found 5 files belonging to 2 classes." in capsys.readouterr().out
    texts, labels = ds[0]
    assert ds.class_names == ["neg", "pos"]
    assert texts.tolist() == ["bad film", "awful", "boring plot", "great film", "loved it"]
    assert labels.tolist() == [0, 0, 0, 1, 1] and labels.dtype == np.int32
    short, _ = text_dataset_from_directory(reviews, max_length=3, shuffle=False, label_mode="categorical",
                                           verbose=False)[0]
    assert short.tolist()[0] == "bad"


def test_text_dataset_splits_and_modes(reviews):
    train, val = text_dataset_from_directory(reviews, batch_size=2, validation_split=0.4, subset="both", seed=7,
                                             verbose=False)
    assert len(train.file_paths) == 3 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    _, binary = text_dataset_from_directory(reviews, label_mode="binary", shuffle=False, verbose=False)[0]
    assert binary.shape == (5, 1) and binary.dtype == np.float32
    unlabeled = text_dataset_from_directory(reviews, labels=None, shuffle=False, verbose=False)[0]
    assert unlabeled.shape == (5,)
    with pytest.raises(ValueError, match="you must provide a seed"):
        text_dataset_from_directory(reviews, validation_split=0.2, subset="training")
    with pytest.raises(ValueError, match="label_mode must be one of"):
        text_dataset_from_directory(reviews, label_mode="sparse")
    with pytest.raises(ValueError, match="is not a directory"):
        text_dataset_from_directory(reviews / "missing")
    with pytest.raises(ValueError, match="lengths of labels to match"):
        text_dataset_from_directory(reviews, labels=[0, 1])
