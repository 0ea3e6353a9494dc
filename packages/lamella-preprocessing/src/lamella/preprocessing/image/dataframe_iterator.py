"""``DataFrameIterator``: augmented batches of the images listed in a pandas DataFrame."""

import os
import warnings

import numpy as np

from lamella.preprocessing.image.file_batches import FileBatches
from lamella.preprocessing.image.iterator import Iterator

CLASS_MODES = ("binary", "categorical", "input", "multi_output", "raw", "sparse", None)


class DataFrameIterator(FileBatches, Iterator):
    """Reads the files named in ``dataframe[x_col]`` (relative to ``directory``, or
    absolute), labelled by ``dataframe[y_col]`` (see
    ``ImageDataGenerator.flow_from_dataframe``). Needs pandas.

    ``class_mode``: ``categorical`` / ``binary`` / ``sparse`` (class names, or
    lists of names for ``categorical``), ``raw`` (the column's values as they
    are; ``y_col`` may be a list of columns), ``multi_output`` (one array per
    column of ``y_col``), ``input`` or ``None``.
    """

    def __init__(self, dataframe, directory=None, image_data_generator=None, x_col="filename",
                 y_col="class", weight_col=None, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png", subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, dtype=None, validate_filenames=True):
        if class_mode not in CLASS_MODES:
            raise ValueError(f"Invalid class_mode: {class_mode!r}; expected one of {CLASS_MODES}")
        self._set_file_options(image_data_generator, target_size, color_mode, data_format,
                               save_to_dir, save_prefix, save_format, subset, interpolation,
                               keep_aspect_ratio, dtype)
        df = dataframe.copy()
        y_columns = [] if class_mode in ("input", None) else [y_col] if isinstance(y_col, str) else list(y_col)
        for column in [x_col, *y_columns]:
            if column not in df.columns:
                raise KeyError(f"flow_from_dataframe: the dataframe has no column {column!r}.")
        self.directory = directory or ""
        self.class_mode = class_mode
        self.x_col = x_col
        if validate_filenames:
            exists = df[x_col].map(lambda f: self._is_valid(os.path.join(self.directory, str(f))))
            dropped = int((~exists).sum())
            if dropped:
                warnings.warn(f"Found {dropped} invalid image filename(s) in x_col={x_col!r}. "
                              "These filename(s) will be ignored.", stacklevel=3)
            df = df[exists]
        if class_mode in ("binary", "categorical", "sparse"):
            values = df[y_col]
            if class_mode != "categorical" and values.map(lambda v: isinstance(v, list | tuple)).any():
                raise TypeError(f"If class_mode={class_mode!r}, y_col={y_col!r} must hold strings, not lists.")
            names = sorted({c for v in values for c in (v if isinstance(v, list | tuple) else [v])})
            classes = list(classes) if classes else names
            if class_mode == "binary" and len(classes) != 2:
                raise ValueError(f"If class_mode='binary' there must be 2 classes. Found {len(classes)}: {classes}")
            keep = values.map(lambda v: all(c in classes for c in (v if isinstance(v, list | tuple) else [v])))
            df = df[keep]
            self.class_indices = {name: index for index, name in enumerate(classes)}
        else:
            self.class_indices = {}
        if self.split is not None:
            start, stop = int(self.split[0] * len(df)), int(self.split[1] * len(df))
            df = df.iloc[start:stop]
        self.filenames = [str(f) for f in df[x_col]]
        self._filepaths = [os.path.join(self.directory, f) for f in self.filenames]
        self.samples = len(self.filenames)
        if class_mode in ("binary", "sparse"):
            self.classes = np.array([self.class_indices[v] for v in df[y_col]], dtype="int32")
        elif class_mode == "categorical":
            self._label_lists = [[self.class_indices[c] for c in (v if isinstance(v, list | tuple) else [v])]
                                 for v in df[y_col]]
            self.classes = np.array([labels[0] for labels in self._label_lists], dtype="int32")
        elif class_mode == "raw":
            self.classes = np.asarray(df[y_col].values)
        elif class_mode == "multi_output":
            self.labels = [np.asarray(df[column].values) for column in y_col]
        self._sample_weight = np.asarray(df[weight_col].values) if weight_col else None
        self.num_classes = len(self.class_indices)
        if class_mode in ("binary", "categorical", "sparse"):
            print(f"Found {self.samples} validated image filenames belonging to {self.num_classes} classes.")
        else:
            print(f"Found {self.samples} validated image filenames.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    def _is_valid(self, path):
        return os.path.isfile(path) and path.lower().endswith(tuple("." + f for f in self.white_list_formats))

    @property
    def filepaths(self):
        return self._filepaths

    def _get_batches_of_transformed_samples(self, index_array, rng):
        if self.class_mode != "categorical" or all(len(labels) == 1 for labels in self._label_lists):
            return super()._get_batches_of_transformed_samples(index_array, rng)
        # Several classes per image: a multi-hot target.
        batch = super()._get_batches_of_transformed_samples(index_array, rng)
        targets = np.zeros_like(batch[1])
        for row, j in enumerate(index_array):
            targets[row, self._label_lists[j]] = 1.0
        return (batch[0], targets, *batch[2:])
