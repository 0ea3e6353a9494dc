"""``DirectoryIterator``: augmented batches of the images in a folder per class."""

import os
import warnings

import numpy as np

from lamella.preprocessing.image.file_batches import FileBatches
from lamella.preprocessing.image.iterator import Iterator

CLASS_MODES = ("categorical", "binary", "sparse", "input", None)


def list_valid_files(directory, formats, follow_links):
    """``(root, file name)`` of every image under ``directory``, in sorted order."""
    for root, _, files in sorted(os.walk(directory, followlinks=follow_links), key=lambda item: item[0]):
        for name in sorted(files):
            if name.lower().endswith(tuple("." + f for f in formats)):
                yield root, name


class DirectoryIterator(FileBatches, Iterator):
    """Reads ``directory/<class>/**/<image>`` (see ``ImageDataGenerator.flow_from_directory``).

    Attributes:
        classes: the class index of every sample.
        class_indices: ``{class name: index}``.
        filenames: the image paths relative to ``directory``.
        filepaths: the absolute paths.
        samples: the number of images.
    """

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 data_format=None, save_to_dir=None, save_prefix="", save_format="png",
                 follow_links=False, subset=None, interpolation="nearest", keep_aspect_ratio=False,
                 dtype=None):
        if class_mode not in CLASS_MODES:
            raise ValueError(f"Invalid class_mode: {class_mode!r}; expected one of {CLASS_MODES}")
        if not os.path.isdir(directory):
            raise ValueError(f"flow_from_directory: {directory!r} is not a directory.")
        self._set_file_options(image_data_generator, target_size, color_mode, data_format,
                               save_to_dir, save_prefix, save_format, subset, interpolation,
                               keep_aspect_ratio, dtype)
        self.directory = os.fspath(directory)
        self.class_mode = class_mode
        if not classes:
            classes = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        self.class_indices = {name: index for index, name in enumerate(classes)}
        filenames, labels = [], []
        for name in classes:
            folder = os.path.join(directory, name)
            found = [os.path.join(root, f) for root, f in list_valid_files(folder, self.white_list_formats, follow_links)]
            if any(f.lower().endswith(".tiff") for f in found):
                warnings.warn("Using '.tiff' files with multiple bands will cause distortion.", stacklevel=3)
            if self.split is not None:
                start, stop = int(self.split[0] * len(found)), int(self.split[1] * len(found))
                found = found[start:stop]
            filenames += [os.path.relpath(f, directory) for f in found]
            labels += [self.class_indices[name]] * len(found)
        self.filenames = filenames
        self.classes = np.array(labels, dtype="int32")
        self.samples = len(filenames)
        self.num_classes = len(classes)
        self._filepaths = [os.path.join(self.directory, f) for f in filenames]
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        super().__init__(self.samples, batch_size, shuffle, seed)

    @property
    def filepaths(self):
        return self._filepaths

    @property
    def labels(self):
        return self.classes
