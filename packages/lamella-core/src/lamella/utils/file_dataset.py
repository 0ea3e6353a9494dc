"""Datasets of files in class folders: what ``image_dataset_from_directory`` and
``text_dataset_from_directory`` share (indexing, labels, splits, batches)."""

import os

import numpy as np

from lamella.utils.py_dataset import PyDataset

LABEL_MODES = ("int", "categorical", "binary", None)


def index_directory(directory, labels, formats, class_names=None, shuffle=True, seed=None, follow_links=False):
    """``(file_paths, labels, class_names)`` of the files under ``directory``.

    With ``labels="inferred"`` the sub-folders are the classes (sorted by name, or
    ``class_names``), files anywhere below them count; with a list of labels, the
    files are every file under ``directory`` in sorted order, labelled in order;
    with ``None``, no labels. With ``shuffle``, the files are shuffled (by ``seed``).
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise ValueError(f"{directory!r} is not a directory.")
    if labels == "inferred":
        found = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
        if class_names is not None:
            missing = sorted(set(class_names) - set(found))
            if missing:
                raise ValueError(
                    f"class_names {list(class_names)} name folders that {directory!r} does not "
                    f"have: {missing}. Its sub-folders: {found}"
                )
            found = list(class_names)
        folders = [(os.path.join(directory, name), index) for index, name in enumerate(found)]
        class_names = found
    else:
        folders = [(directory, None)]
        class_names = None
    paths, label_list = [], []
    for folder, label in folders:
        for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda item: item[0]):
            for name in sorted(files):
                if name.lower().endswith(formats):
                    paths.append(os.path.join(root, name))
                    label_list.append(label)
    if labels not in ("inferred", None):
        labels = list(labels)
        if len(labels) != len(paths):
            raise ValueError(
                f"Expected the lengths of labels to match the number of files in the target "
                f"directory. len(labels) is {len(labels)} while we found {len(paths)} files in "
                f"{directory}."
            )
        label_list = labels
    label_array = None if labels is None else np.asarray(label_list)
    if shuffle:
        order = np.random.RandomState(seed if seed is not None else np.random.randint(1_000_000)).permutation(len(paths))
        paths = [paths[i] for i in order]
        label_array = None if label_array is None else label_array[order]
    return paths, label_array, class_names


def check_split(validation_split, subset, shuffle, seed):
    if subset is not None and subset not in ("training", "validation", "both"):
        raise ValueError(f"subset must be 'training', 'validation', 'both' or None. Received: subset={subset!r}")
    if validation_split is None:
        if subset is not None:
            raise ValueError(f"subset={subset!r} needs a validation_split.")
        return
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be between 0 and 1. Received: {validation_split!r}")
    if subset is None:
        raise ValueError("validation_split needs subset='training', 'validation' or 'both'.")
    if shuffle and seed is None:
        raise ValueError(
            "If using validation_split and shuffling the data, you must provide a seed "
            "argument, to make sure that there is no overlap between the training and "
            "validation subset."
        )


def split_files(paths, labels, validation_split, subset, verbose=True):
    """The ``subset`` part of ``paths``: the last ``validation_split`` for validation."""
    if validation_split is None:
        return [(paths, labels)]
    count = int(validation_split * len(paths))
    parts = {"training": (paths[:len(paths) - count], None if labels is None else labels[:len(paths) - count]),
             "validation": (paths[len(paths) - count:], None if labels is None else labels[len(paths) - count:])}
    wanted = ["training", "validation"] if subset == "both" else [subset]
    if verbose:
        for name in wanted:
            print(f"Using {len(parts[name][0])} files for {name}.")
    return [parts[name] for name in wanted]


def encode_labels(labels, label_mode, num_classes):
    if label_mode == "int":
        return labels.astype("int32")
    if label_mode == "binary":
        return labels.astype("float32").reshape(-1, 1)
    one_hot = np.zeros((len(labels), num_classes), dtype="float32")
    one_hot[np.arange(len(labels)), labels.astype(int)] = 1.0
    return one_hot


class FileDataset(PyDataset):
    """Batches of ``load(path)`` for ``paths`` (with ``labels``), reshuffled each
    epoch when ``shuffle`` (by ``seed``). Its ``file_paths`` and ``class_names``
    say what it holds.
    """

    def __init__(self, paths, labels, load, batch_size, shuffle, seed, class_names, workers=1):
        super().__init__(workers=workers)
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
            raise ValueError(f"batch_size must be a positive integer or None. Received: batch_size={batch_size!r}")
        self.file_paths = list(paths)
        self.labels = labels
        self.class_names = class_names
        self._load = load
        self.batch_size = batch_size
        self.shuffle = shuffle
        self._rng = np.random.RandomState(seed)
        self._order = np.arange(len(self.file_paths))

    def __len__(self):
        if self.batch_size is None:
            return len(self.file_paths)
        return -(-len(self.file_paths) // self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"The dataset has {len(self)} batches. Received: index={index}")
        if self.batch_size is None:
            # Unbatched: one sample per item.
            rows = self._order[index:index + 1]
            x = self._load(self.file_paths[rows[0]])
            return x if self.labels is None else (x, self.labels[rows[0]])
        rows = self._order[index * self.batch_size:(index + 1) * self.batch_size]
        x = np.stack([self._load(self.file_paths[i]) for i in rows])
        return x if self.labels is None else (x, self.labels[rows])

    def on_epoch_end(self):
        if self.shuffle:
            self._order = self._rng.permutation(len(self.file_paths))
