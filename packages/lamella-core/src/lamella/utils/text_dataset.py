"""``text_dataset_from_directory``: a dataset of text batches from class folders."""

import numpy as np

from lamella.utils import file_dataset


def text_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None, batch_size=32,
                                max_length=None, shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True, encoding="utf-8"):
    """Batches ``(texts, labels)`` of the ``.txt`` files in ``directory`` (Keras 3 API).

    ``directory/<class name>/.../*.txt`` with ``labels='inferred'``. Each batch's
    texts are a numpy string array of shape ``(batch,)``: feed it to a model that
    starts with ``TextVectorization`` (which runs on the host, in the input
    pipeline). See ``image_dataset_from_directory`` for the other arguments.

    Args:
        max_length: keep at most this many characters of each text.
        encoding: the files' encoding.
    """
    if label_mode not in file_dataset.LABEL_MODES:
        raise ValueError(f"label_mode must be one of {file_dataset.LABEL_MODES}. Received: label_mode={label_mode!r}")
    if max_length is not None and (isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1):
        raise ValueError(f"max_length must be a positive integer or None. Received: max_length={max_length!r}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    file_dataset.check_split(validation_split, subset, shuffle, seed)
    paths, label_values, class_names = file_dataset.index_directory(
        directory, labels, (".txt",), class_names, shuffle, seed, follow_links)
    num_classes = len(class_names) if class_names else (len(set(label_values.tolist())) if label_values is not None else 0)
    if label_mode == "binary" and num_classes != 2:
        raise ValueError(f"When passing label_mode='binary', there must be exactly 2 class_names. Received: {class_names}")
    if verbose:
        print(f"Found {len(paths)} files" + (f" belonging to {num_classes} classes." if labels is not None else "."))

    def load(path):
        with open(path, encoding=encoding) as f:
            text = f.read()
        return np.asarray(text if max_length is None else text[:max_length])

    datasets = []
    for part_paths, part_labels in file_dataset.split_files(paths, label_values, validation_split, subset, verbose):
        encoded = None if part_labels is None or label_mode is None else file_dataset.encode_labels(
            part_labels, label_mode, num_classes)
        datasets.append(file_dataset.FileDataset(part_paths, encoded, load, batch_size, shuffle, seed, class_names))
    return tuple(datasets) if subset == "both" else datasets[0]
