"""``NumpyArrayIterator``: augmented batches of in-memory images (``flow``)."""

import os
import warnings

import numpy as np

from lamella.backend import config
from lamella.preprocessing.image.iterator import Iterator


class NumpyArrayIterator(Iterator):
    """Batches ``(x, y[, sample_weight])`` of images ``x`` transformed by an
    ``ImageDataGenerator`` (see ``ImageDataGenerator.flow``).

    ``x`` may be a tuple ``(images, *others)``: the other arrays are sliced along
    and passed through untouched (``[images, *others]`` in each batch).
    """

    def __init__(self, x, y, image_data_generator, batch_size=32, shuffle=False, sample_weight=None,
                 seed=None, data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 subset=None, ignore_class_split=False, dtype=None):
        dtype = dtype or config.floatx()
        self.dtype = dtype
        if isinstance(x, tuple | list):
            if not isinstance(x[1], list):
                x_misc = [np.asarray(x[1])]
            else:
                x_misc = [np.asarray(xx) for xx in x[1]]
            x = x[0]
            for xx in x_misc:
                if len(x) != len(xx):
                    raise ValueError(
                        "All of the arrays in `x` should have the same length. Found a "
                        f"pair with: len(x[0]) = {len(x)}, len(x[?]) = {len(xx)}"
                    )
        else:
            x_misc = []
        if y is not None and len(x) != len(y):
            raise ValueError(
                "`x` (images tensor) and `y` (labels) should have the same length. "
                f"Found: x.shape = {np.asarray(x).shape}, y.shape = {np.asarray(y).shape}"
            )
        if sample_weight is not None and len(x) != len(sample_weight):
            raise ValueError(
                "`x` (images tensor) and `sample_weight` should have the same length. "
                f"Found: x.shape = {np.asarray(x).shape}, sample_weight.shape = "
                f"{np.asarray(sample_weight).shape}"
            )
        if subset is not None:
            if subset not in ("training", "validation"):
                raise ValueError(f"Invalid subset name: {subset!r}; expected 'training' or 'validation'")
            split = int(len(x) * image_data_generator._validation_split)
            if (y is not None and not ignore_class_split
                    and not np.array_equal(np.unique(y[:split]), np.unique(y[split:]))):
                raise ValueError(
                    "Training and validation subsets have different number of classes "
                    "after the split. If your numpy arrays are sorted by the label, you "
                    "might want to shuffle them."
                )
            part = slice(None, split) if subset == "validation" else slice(split, None)
            x = x[part]
            x_misc = [xx[part] for xx in x_misc]
            if y is not None:
                y = y[part]
            if sample_weight is not None:
                sample_weight = sample_weight[part]
        self.x = np.asarray(x, dtype=self.dtype)
        self.x_misc = x_misc
        if self.x.ndim != 4:
            raise ValueError(
                "Input data in NumpyArrayIterator should have rank 4. You passed an "
                f"array with shape {self.x.shape}"
            )
        data_format = data_format or config.image_data_format()
        channels_axis = 3 if data_format == "channels_last" else 1
        if self.x.shape[channels_axis] not in {1, 3, 4}:
            warnings.warn(
                f"NumpyArrayIterator is set to use the data format convention "
                f"{data_format!r} (channels on axis {channels_axis}), i.e. expected "
                f"either 1, 3, or 4 channels on axis {channels_axis}. However, it was "
                f"passed an array with shape {self.x.shape} ({self.x.shape[channels_axis]} "
                "channels).", stacklevel=3,
            )
        self.y = np.asarray(y) if y is not None else None
        self.sample_weight = np.asarray(sample_weight) if sample_weight is not None else None
        self.image_data_generator = image_data_generator
        self.data_format = data_format
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        super().__init__(self.x.shape[0], batch_size, shuffle, seed)

    def _get_batches_of_transformed_samples(self, index_array, rng):
        generator = self.image_data_generator
        batch_x = np.zeros((len(index_array), *self.x.shape[1:]), dtype=self.dtype)
        for i, j in enumerate(index_array):
            x = self.x[j]
            params = generator._random_transform_params(x.shape, rng)
            x = generator.apply_transform(x.astype(self.dtype), params)
            batch_x[i] = generator.standardize(x)
        if self.save_to_dir:
            _save_batch(batch_x, self, index_array, rng)
        misc = [xx[index_array] for xx in self.x_misc]
        output = (batch_x if not misc else [batch_x, *misc],)
        if self.y is None:
            return output[0]
        output += (self.y[index_array],)
        if self.sample_weight is not None:
            output += (self.sample_weight[index_array],)
        return output


def _save_batch(batch_x, iterator, index_array, rng):
    from lamella.utils.image_utils import save_img

    for i, j in enumerate(index_array):
        name = f"{iterator.save_prefix}_{j}_{rng.randint(10_000_000)}.{iterator.save_format}"
        save_img(os.path.join(iterator.save_to_dir, name), batch_x[i], data_format=iterator.data_format,
                 file_format=iterator.save_format)
