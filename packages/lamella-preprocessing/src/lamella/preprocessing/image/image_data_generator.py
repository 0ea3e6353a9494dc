"""``ImageDataGenerator``: real-time image augmentation and standardization (Keras 2 API)."""

import numbers
import warnings

import numpy as np

from lamella.backend import config
from lamella.preprocessing.image import affine_transformations as affine


def _check_range(name, value, allow_int_list=False):
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return value
    if allow_int_list and isinstance(value, list | tuple | np.ndarray):
        return value
    raise ValueError(f"ImageDataGenerator expected a number for {name}. Received: {name}={value!r}")


class ImageDataGenerator:
    """Yields batches of images with random transformations and standardization.

    Each image of a batch gets its own random transform (rotation, shifts, shear,
    zoom, channel shift, flips, brightness; see ``get_random_transform``), then
    ``standardize``: ``preprocessing_function``, ``rescale``, sample-wise then
    feature-wise centering and normalization, ZCA whitening (the feature-wise
    statistics come from ``fit``). ``flow``, ``flow_from_directory`` and
    ``flow_from_dataframe`` return iterators that ``fit`` takes directly.

    Args:
        featurewise_center: subtract the dataset mean (per channel, from ``fit``).
        samplewise_center: subtract each image's mean.
        featurewise_std_normalization: divide by the dataset std (from ``fit``).
        samplewise_std_normalization: divide each image by its std.
        zca_whitening: apply ZCA whitening (from ``fit``).
        zca_epsilon: the epsilon of the whitening.
        rotation_range: degrees of random rotation, in ``[-r, r]``.
        width_shift_range, height_shift_range: a fraction of the width/height (if
            < 1) or pixels (if >= 1) for a uniform shift in ``[-r, r]``; an int
            picks from ``range(r)`` integer pixel shifts; a list picks from it.
        brightness_range: ``(low, high)`` brightness factors.
        shear_range: degrees of random shear, in ``[-r, r]``.
        zoom_range: ``z`` for ``[1 - z, 1 + z]``, or ``(low, high)``.
        channel_shift_range: a random shift of the channel values in ``[-r, r]``.
        fill_mode: ``constant``, ``nearest``, ``reflect`` or ``wrap``.
        cval: the fill value for ``fill_mode='constant'``.
        horizontal_flip, vertical_flip: random flips.
        rescale: a factor every image is multiplied by (before the rest).
        preprocessing_function: a function of one image, applied first.
        data_format: ``channels_last`` or ``channels_first`` (default
            ``image_data_format()``).
        validation_split: the fraction kept for ``subset='validation'``.
        interpolation_order: 0 (nearest) or 1 (bilinear) for the affine transforms.
        dtype: the dtype of the batches (default ``floatx()``).

    Example:

    >>> datagen = ImageDataGenerator(rotation_range=20, horizontal_flip=True, rescale=1 / 255)
    >>> x = np.random.uniform(0, 255, (8, 16, 16, 3))
    >>> batch_x, batch_y = next(datagen.flow(x, np.arange(8), batch_size=4, seed=1))
    >>> batch_x.shape, bool(batch_x.max() <= 1)
    ((4, 16, 16, 3), True)
    """

    def __init__(self, featurewise_center=False, samplewise_center=False, featurewise_std_normalization=False,
                 samplewise_std_normalization=False, zca_whitening=False, zca_epsilon=1e-6, rotation_range=0,
                 width_shift_range=0.0, height_shift_range=0.0, brightness_range=None, shear_range=0.0,
                 zoom_range=0.0, channel_shift_range=0.0, fill_mode="nearest", cval=0.0, horizontal_flip=False,
                 vertical_flip=False, rescale=None, preprocessing_function=None, data_format=None,
                 validation_split=0.0, interpolation_order=1, dtype=None):
        self.dtype = dtype or config.floatx()
        self.featurewise_center = featurewise_center
        self.samplewise_center = samplewise_center
        self.featurewise_std_normalization = featurewise_std_normalization
        self.samplewise_std_normalization = samplewise_std_normalization
        self.zca_whitening = zca_whitening
        self.zca_epsilon = zca_epsilon
        self.rotation_range = _check_range("rotation_range", rotation_range)
        self.width_shift_range = _check_range("width_shift_range", width_shift_range, True)
        self.height_shift_range = _check_range("height_shift_range", height_shift_range, True)
        self.shear_range = _check_range("shear_range", shear_range)
        self.channel_shift_range = _check_range("channel_shift_range", channel_shift_range)
        self.fill_mode = fill_mode
        self.cval = cval
        self.horizontal_flip = horizontal_flip
        self.vertical_flip = vertical_flip
        self.rescale = rescale
        self.preprocessing_function = preprocessing_function
        self.interpolation_order = interpolation_order
        if fill_mode not in affine.FILL_MODES:
            raise ValueError(f"fill_mode must be one of {affine.FILL_MODES}. Received: fill_mode={fill_mode!r}")
        data_format = data_format or config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                "data_format should be 'channels_last' (channel after row and column) or "
                f"'channels_first' (channel before row and column). Received: {data_format!r}"
            )
        self.data_format = data_format
        self.channel_axis, self.row_axis, self.col_axis = (1, 2, 3) if data_format == "channels_first" else (3, 1, 2)
        if not 0 <= validation_split < 1:
            raise ValueError(
                f"validation_split must be strictly between 0 and 1. Received: {validation_split!r}"
            )
        self._validation_split = validation_split
        self.mean = self.std = self.principal_components = None
        if isinstance(zoom_range, numbers.Real) and not isinstance(zoom_range, bool):
            self.zoom_range = [1 - zoom_range, 1 + zoom_range]
        elif isinstance(zoom_range, list | tuple | np.ndarray) and len(zoom_range) == 2:
            self.zoom_range = [zoom_range[0], zoom_range[1]]
        else:
            raise ValueError(
                f"zoom_range should be a float or a tuple or list of two floats. Received: {zoom_range!r}"
            )
        if brightness_range is not None and not (
                isinstance(brightness_range, list | tuple | np.ndarray) and len(brightness_range) == 2):
            raise ValueError(
                f"brightness_range should be a tuple or list of two floats. Received: {brightness_range!r}"
            )
        self.brightness_range = brightness_range
        if zca_whitening:
            if not featurewise_center:
                self.featurewise_center = True
                warnings.warn("This ImageDataGenerator specifies zca_whitening, which overrides "
                              "setting of featurewise_center.", stacklevel=2)
            if featurewise_std_normalization:
                self.featurewise_std_normalization = False
                warnings.warn("This ImageDataGenerator specifies zca_whitening which overrides "
                              "setting of featurewise_std_normalization.", stacklevel=2)
        if samplewise_std_normalization and not samplewise_center:
            self.samplewise_center = True
            warnings.warn("This ImageDataGenerator specifies samplewise_std_normalization, which "
                          "overrides setting of samplewise_center.", stacklevel=2)

    # -- iterators ---------------------------------------------------------------------

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, save_to_dir=None,
             save_prefix="", save_format="png", ignore_class_split=False, subset=None):
        """Batches of augmented images from arrays: a ``NumpyArrayIterator``."""
        from lamella.preprocessing.image.numpy_array_iterator import NumpyArrayIterator

        return NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight, seed=seed,
            data_format=self.data_format, save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, ignore_class_split=ignore_class_split, subset=subset, dtype=self.dtype,
        )

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None, save_to_dir=None,
                            save_prefix="", save_format="png", follow_links=False, subset=None,
                            interpolation="nearest", keep_aspect_ratio=False):
        """Batches of augmented images from ``directory/<class name>/*.png|jpg|...``:
        a ``DirectoryIterator`` (classes are the sorted sub-folder names unless given)."""
        from lamella.preprocessing.image.directory_iterator import DirectoryIterator

        return DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            data_format=self.data_format, save_to_dir=save_to_dir, save_prefix=save_prefix,
            save_format=save_format, follow_links=follow_links, subset=subset, interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio, dtype=self.dtype,
        )

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class", weight_col=None,
                            target_size=(256, 256), color_mode="rgb", classes=None, class_mode="categorical",
                            batch_size=32, shuffle=True, seed=None, save_to_dir=None, save_prefix="",
                            save_format="png", subset=None, interpolation="nearest", validate_filenames=True,
                            keep_aspect_ratio=False):
        """Batches of augmented images listed in a pandas DataFrame: a ``DataFrameIterator``."""
        from lamella.preprocessing.image.dataframe_iterator import DataFrameIterator

        return DataFrameIterator(
            dataframe, directory, self, x_col=x_col, y_col=y_col, weight_col=weight_col,
            target_size=target_size, color_mode=color_mode, classes=classes, class_mode=class_mode,
            batch_size=batch_size, shuffle=shuffle, seed=seed, data_format=self.data_format,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format, subset=subset,
            interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio, dtype=self.dtype,
            validate_filenames=validate_filenames,
        )

    # -- standardization ---------------------------------------------------------------

    def standardize(self, x):
        """Applies the normalization settings to one image (or a batch, in place
        where possible) and returns it."""
        if self.preprocessing_function:
            x = self.preprocessing_function(x)
        if self.rescale:
            x = x * self.rescale
        if self.samplewise_center:
            x = x - np.mean(x, keepdims=True)
        if self.samplewise_std_normalization:
            x = x / (np.std(x, keepdims=True) + 1e-6)
        for enabled, value, name in ((self.featurewise_center, self.mean, "featurewise_center"),
                                     (self.featurewise_std_normalization, self.std, "featurewise_std_normalization"),
                                     (self.zca_whitening, self.principal_components, "zca_whitening")):
            if enabled and value is None:
                warnings.warn(f"This ImageDataGenerator specifies {name}, but it hasn't been fit on any "
                              "training data. Fit it first by calling .fit(numpy_data).", stacklevel=2)
        if self.featurewise_center and self.mean is not None:
            x = x - self.mean
        if self.featurewise_std_normalization and self.std is not None:
            x = x / (self.std + 1e-6)
        if self.zca_whitening and self.principal_components is not None:
            flat = np.reshape(x, (-1, int(np.prod(x.shape[-3:]))))
            x = np.reshape(flat @ self.principal_components, x.shape)
        return x

    # -- random transforms -------------------------------------------------------------

    def get_random_transform(self, img_shape, seed=None):
        """Random parameters for one image of shape ``img_shape``: a dict with
        ``theta``, ``tx``, ``ty``, ``shear``, ``zx``, ``zy``, ``flip_horizontal``,
        ``flip_vertical``, ``channel_shift_intensity``, ``brightness``."""
        rng = np.random.RandomState(seed) if seed is not None else np.random
        return self._random_transform_params(img_shape, rng)

    def _shift(self, value, size, rng):
        if not value:
            return 0
        if isinstance(value, int) and not isinstance(value, bool) or isinstance(value, list | tuple | np.ndarray):
            shift = rng.choice(value) if isinstance(value, list | tuple | np.ndarray) else rng.choice(range(value))
            shift = shift * rng.choice([-1, 1])
        else:
            shift = rng.uniform(-value, value)
        if np.max(value) < 1:
            shift *= size
        return shift

    def _random_transform_params(self, img_shape, rng):
        row_axis, col_axis = self.row_axis - 1, self.col_axis - 1
        theta = rng.uniform(-self.rotation_range, self.rotation_range) if self.rotation_range else 0
        tx = self._shift(self.height_shift_range, img_shape[row_axis], rng)
        ty = self._shift(self.width_shift_range, img_shape[col_axis], rng)
        shear = rng.uniform(-self.shear_range, self.shear_range) if self.shear_range else 0
        if self.zoom_range[0] == 1 and self.zoom_range[1] == 1:
            zx, zy = 1, 1
        else:
            zx, zy = rng.uniform(self.zoom_range[0], self.zoom_range[1], 2)
        flip_horizontal = bool(rng.random_sample() < 0.5) and self.horizontal_flip
        flip_vertical = bool(rng.random_sample() < 0.5) and self.vertical_flip
        channel_shift = None
        if self.channel_shift_range != 0:
            channel_shift = rng.uniform(-self.channel_shift_range, self.channel_shift_range)
        brightness = None
        if self.brightness_range is not None:
            brightness = rng.uniform(self.brightness_range[0], self.brightness_range[1])
        return {"theta": theta, "tx": tx, "ty": ty, "shear": shear, "zx": zx, "zy": zy,
                "flip_horizontal": flip_horizontal, "flip_vertical": flip_vertical,
                "channel_shift_intensity": channel_shift, "brightness": brightness}

    def apply_transform(self, x, transform_parameters):
        """Applies the transform of ``get_random_transform`` to one image."""
        params = transform_parameters
        row_axis, col_axis, channel_axis = self.row_axis - 1, self.col_axis - 1, self.channel_axis - 1
        x = affine.apply_affine_transform(
            x, params.get("theta", 0), params.get("tx", 0), params.get("ty", 0), params.get("shear", 0),
            params.get("zx", 1), params.get("zy", 1), row_axis=row_axis, col_axis=col_axis,
            channel_axis=channel_axis, fill_mode=self.fill_mode, cval=self.cval, order=self.interpolation_order,
        )
        if params.get("channel_shift_intensity") is not None:
            x = affine.apply_channel_shift(x, params["channel_shift_intensity"], channel_axis)
        if params.get("flip_horizontal", False):
            x = affine.flip_axis(x, col_axis)
        if params.get("flip_vertical", False):
            x = affine.flip_axis(x, row_axis)
        if params.get("brightness") is not None:
            if self.data_format == "channels_first":
                x = np.moveaxis(affine.apply_brightness_shift(np.moveaxis(x, 0, -1), params["brightness"], False), -1, 0)
            else:
                x = affine.apply_brightness_shift(x, params["brightness"], False)
        return x

    def random_transform(self, x, seed=None):
        """One image with a random transform applied."""
        return self.apply_transform(x, self.get_random_transform(x.shape, seed))

    # -- statistics --------------------------------------------------------------------

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Computes the feature-wise statistics (mean, std, ZCA) from images ``x``.

        Args:
            x: a 4-D batch of images.
            augment: compute them over randomly transformed copies.
            rounds: how many transformed copies of each image, with ``augment``.
            seed: makes the augmentation reproducible.
        """
        x = np.asarray(x, dtype=self.dtype)
        if x.ndim != 4:
            raise ValueError(f"Input to .fit() should have rank 4. Got array with shape: {x.shape}")
        if x.shape[self.channel_axis] not in {1, 3, 4}:
            warnings.warn(
                f"Expected input to be images (as a rank-4 array) with either 1, 3, or 4 channels on "
                f"axis {self.channel_axis}. Received an array of shape {x.shape}.", stacklevel=2,
            )
        x = np.copy(x)
        if self.rescale:
            x *= self.rescale
        if augment:
            rng = np.random.RandomState(seed) if seed is not None else np.random
            copies = np.zeros((rounds * x.shape[0], *x.shape[1:]), dtype=self.dtype)
            for r in range(rounds):
                for i in range(x.shape[0]):
                    copies[i + r * x.shape[0]] = self.apply_transform(x[i], self._random_transform_params(x[i].shape, rng))
            x = copies
        axes = (0, self.row_axis, self.col_axis)
        shape = [1, 1, 1]
        shape[self.channel_axis - 1] = x.shape[self.channel_axis]
        if self.featurewise_center:
            self.mean = np.reshape(np.mean(x, axis=axes), shape)
            x -= self.mean
        if self.featurewise_std_normalization:
            self.std = np.reshape(np.std(x, axis=axes), shape)
            x /= self.std + 1e-6
        if self.zca_whitening:
            n = len(x)
            flat = np.reshape(x, (n, -1)).astype(np.float64)
            u, s, _ = np.linalg.svd(flat.T / np.sqrt(n), full_matrices=False)
            s_inv = 1.0 / np.sqrt(s[np.newaxis] ** 2 + self.zca_epsilon)
            self.principal_components = ((u * s_inv) @ u.T).astype(self.dtype)
