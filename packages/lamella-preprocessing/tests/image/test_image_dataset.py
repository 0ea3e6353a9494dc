"""lamella.utils.image_dataset_from_directory (it needs Pillow, hence tested here)."""

import numpy as np
import pytest
from PIL import Image

from lamella.utils import image_dataset_from_directory


@pytest.fixture
def photos(tmp_path):
    rng = np.random.default_rng(0)
    for name, count in (("cats", 5), ("dogs", 3)):
        (tmp_path / name).mkdir()
        for i in range(count):
            Image.fromarray(rng.integers(0, 256, (10, 16, 3), dtype=np.uint8)).save(tmp_path / name / f"{i}.png")
    (tmp_path / "dogs" / "readme.txt").write_text("skip me")
    return tmp_path


def test_batches_labels_and_class_names(photos, capsys):
    ds = image_dataset_from_directory(photos, image_size=(10, 16), batch_size=4, shuffle=False)
    assert "Found 8 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["cats", "dogs"] and len(ds) == 2
    images, labels = ds[0]
    assert images.shape == (4, 10, 16, 3) and images.dtype == np.float32
    np.testing.assert_array_equal(images[0], np.asarray(Image.open(ds.file_paths[0]), np.float32))
    assert np.concatenate([ds[0][1], ds[1][1]]).tolist() == [0, 0, 0, 0, 0, 1, 1, 1]


def test_resizing_modes_and_layouts(photos):
    kwargs = {"shuffle": False, "verbose": False, "batch_size": 8}
    resized, _ = image_dataset_from_directory(photos, image_size=(5, 8), interpolation="nearest", **kwargs)[0]
    source = Image.open(sorted((photos / "cats").iterdir())[0])
    np.testing.assert_array_equal(resized[0], np.asarray(source.resize((8, 5), Image.Resampling.NEAREST), np.float32))
    padded, _ = image_dataset_from_directory(photos, image_size=(16, 16), pad_to_aspect_ratio=True, **kwargs)[0]
    assert (padded[:, :3] == 0).all() and (padded[:, -3:] == 0).all() and padded[:, 5:11].any()
    cropped, _ = image_dataset_from_directory(photos, image_size=(4, 4), crop_to_aspect_ratio=True, **kwargs)[0]
    assert cropped.shape == (8, 4, 4, 3)
    gray, onehot = image_dataset_from_directory(photos, image_size=(4, 4), color_mode="grayscale",
                                                label_mode="categorical", data_format="channels_first", **kwargs)[0]
    assert gray.shape == (8, 1, 4, 4) and onehot.shape == (8, 2)


def test_subsets_and_reshuffling(photos):
    train, val = image_dataset_from_directory(photos, image_size=(4, 4), validation_split=0.25, subset="both",
                                              seed=3, batch_size=2, verbose=False)
    assert len(train.file_paths) == 6 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    def epoch():
        return np.concatenate([train[i][0].reshape(2, -1).sum(axis=1) for i in range(len(train))])

    first = epoch()
    orders = []
    for _ in range(3):
        train.on_epoch_end()
        orders.append(epoch())
    for order in orders:  # the same samples, in a new order each epoch
        np.testing.assert_allclose(np.sort(order), np.sort(first))
    assert any(not np.array_equal(order, first) for order in orders)


def test_errors(photos):
    with pytest.raises(ValueError, match="exactly 2 class_names"):
        image_dataset_from_directory(photos, label_mode="binary", class_names=["cats"])
    with pytest.raises(ValueError, match="name folders that .* does not have: \\['birds'\\]"):
        image_dataset_from_directory(photos, class_names=["cats", "birds"])
    with pytest.raises(ValueError, match="Only one of crop_to_aspect_ratio and pad_to_aspect_ratio"):
        image_dataset_from_directory(photos, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="Invalid interpolation method 'cubic'"):
        image_dataset_from_directory(photos, interpolation="cubic")
    with pytest.raises(ValueError, match="subset='training' needs a validation_split"):
        image_dataset_from_directory(photos, subset="training")
