"""What the directory and dataframe iterators share: images loaded from files,
transformed, standardized, and labelled by ``class_mode``."""

import numpy as np

from lamella.backend import config
from lamella.utils.image_utils import img_to_array, load_img

COLOR_MODES = {"rgb": 3, "rgba": 4, "grayscale": 1}


class FileBatches:
    """Settings common to the iterators that read image files."""

    def _set_file_options(self, image_data_generator, target_size, color_mode, data_format,
                          save_to_dir, save_prefix, save_format, subset, interpolation,
                          keep_aspect_ratio, dtype):
        if color_mode not in COLOR_MODES:
            raise ValueError(
                f"Invalid color mode: {color_mode!r}; expected 'rgb', 'rgba', or 'grayscale'."
            )
        self.image_data_generator = image_data_generator
        self.target_size = tuple(target_size)
        self.color_mode = color_mode
        self.data_format = data_format or config.image_data_format()
        self.dtype = dtype or config.floatx()
        channels = COLOR_MODES[color_mode]
        if self.data_format == "channels_last":
            self.image_shape = (*self.target_size, channels)
        else:
            self.image_shape = (channels, *self.target_size)
        self.save_to_dir = save_to_dir
        self.save_prefix = save_prefix
        self.save_format = save_format
        self.interpolation = interpolation
        self.keep_aspect_ratio = keep_aspect_ratio
        if subset is not None:
            split = image_data_generator._validation_split
            if subset == "validation":
                self.split = (0, split)
            elif subset == "training":
                self.split = (split, 1)
            else:
                raise ValueError(f"Invalid subset name: {subset!r}; expected 'training' or 'validation'")
        else:
            self.split = None
        self.subset = subset

    def _get_batches_of_transformed_samples(self, index_array, rng):
        batch_x = np.zeros((len(index_array), *self.image_shape), dtype=self.dtype)
        generator = self.image_data_generator
        paths = self.filepaths
        for i, j in enumerate(index_array):
            img = load_img(paths[j], color_mode=self.color_mode, target_size=self.target_size,
                           interpolation=self.interpolation, keep_aspect_ratio=self.keep_aspect_ratio)
            x = img_to_array(img, data_format=self.data_format, dtype=self.dtype)
            img.close()
            if generator is not None:
                params = generator._random_transform_params(x.shape, rng)
                x = generator.standardize(generator.apply_transform(x, params))
            batch_x[i] = x
        if self.save_to_dir:
            from lamella.preprocessing.image.numpy_array_iterator import _save_batch

            _save_batch(batch_x, self, index_array, rng)
        mode = self.class_mode
        if mode == "input":
            batch_y = batch_x.copy()
        elif mode in ("sparse", "raw"):
            batch_y = self.labels_for(index_array)
        elif mode == "binary":
            batch_y = self.classes[index_array].astype(self.dtype)
        elif mode == "categorical":
            batch_y = np.zeros((len(batch_x), len(self.class_indices)), dtype=self.dtype)
            for i, label in enumerate(self.classes[index_array]):
                batch_y[i, label] = 1.0
        elif mode == "multi_output":
            batch_y = [np.asarray(column)[index_array] for column in self.labels]
        else:
            return batch_x
        weights = getattr(self, "_sample_weight", None)
        if weights is None:
            return batch_x, batch_y
        return batch_x, batch_y, weights[index_array]

    def labels_for(self, index_array):
        return self.classes[index_array]

    @property
    def filepaths(self):
        raise NotImplementedError
