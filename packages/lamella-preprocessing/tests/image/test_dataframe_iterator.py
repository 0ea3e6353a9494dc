"""flow_from_dataframe (needs pandas) over generated PNGs."""

import numpy as np
import pytest
from PIL import Image

from lamella.preprocessing.image import ImageDataGenerator


def test_flow_from_dataframe(image_folder):
    pd = pytest.importorskip("pandas")
    rows = [("bright/01.png", "b", 1.0), ("dark/01.png", "d", 2.0), ("dark/missing.png", "d", 1.0),
            ("bright/02.png", "b", 3.0)]
    frame = pd.DataFrame(rows, columns=["filename", "class", "weight"])
    with pytest.warns(UserWarning, match="Found 1 invalid image filename"):
        iterator = ImageDataGenerator().flow_from_dataframe(
            frame, directory=str(image_folder), target_size=(8, 8), weight_col="weight", shuffle=False,
            batch_size=3)
    assert iterator.class_indices == {"b": 0, "d": 1}
    x, y, w = iterator[0]
    np.testing.assert_array_equal(y, [[1, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(w, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x[1], np.asarray(Image.open(image_folder / "dark/01.png"), np.float32))
    raw = ImageDataGenerator().flow_from_dataframe(
        frame.iloc[[0, 1, 3]], directory=str(image_folder), y_col="weight", class_mode="raw", shuffle=False)
    np.testing.assert_array_equal(raw[0][1], [1.0, 2.0, 3.0])
    with pytest.raises(KeyError, match="no column 'label'"):
        ImageDataGenerator().flow_from_dataframe(frame, directory=str(image_folder), y_col="label")
