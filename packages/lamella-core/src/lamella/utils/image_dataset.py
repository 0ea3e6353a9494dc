"""``image_dataset_from_directory``: a dataset of image batches from class folders."""

import numpy as np

from lamella.utils import file_dataset
from lamella.utils.image_utils import _data_format, pil_resample

FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def image_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 color_mode="rgb", batch_size=32, image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None, interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, data_format=None,
                                 verbose=True, workers=1):
    """Batches ``(images, labels)`` of the images in ``directory`` (Keras 3 API).

    ``directory/<class name>/.../*.png`` (bmp, gif, jpeg, jpg, png) with
    ``labels='inferred'``; classes are the sorted sub-folder names. Images are
    decoded by Pillow, converted to ``color_mode`` and resized to ``image_size``
    (``interpolation``), cropped (``crop_to_aspect_ratio``) or padded with zeros
    (``pad_to_aspect_ratio``) to keep their aspect ratio; values are float32 in
    ``[0, 255]``. The result is a ``PyDataset`` that ``fit`` takes (use
    ``workers=`` to decode in parallel); it has ``class_names`` and
    ``file_paths``. Pillow's resampling differs slightly from TensorFlow's, so
    pixel values are close to, not equal to, Keras 3's.

    Args:
        directory: the root folder.
        labels: ``'inferred'``, ``None``, or a list of labels for the sorted files.
        label_mode: ``'int'``, ``'categorical'`` (one-hot), ``'binary'`` (two
            classes, float ``(batch, 1)``) or ``None``.
        class_names: the classes to use, in order (sub-folder names).
        color_mode: ``'grayscale'``, ``'rgb'`` or ``'rgba'``.
        batch_size: images per batch, or ``None`` for single images.
        image_size: ``(height, width)``.
        shuffle: shuffle the files (and reshuffle the batches each epoch).
        seed: the shuffling seed (required with ``validation_split``).
        validation_split: the fraction of files for validation.
        subset: ``'training'``, ``'validation'`` or ``'both'`` (a tuple of two datasets).
        interpolation: the resampling filter.
        follow_links: follow symbolic links to folders.
        crop_to_aspect_ratio, pad_to_aspect_ratio: keep the aspect ratio.
        data_format: ``channels_last`` or ``channels_first``.
        verbose: print how many files were found and used.
        workers: threads decoding images.

    Example:

    >>> train, val = image_dataset_from_directory("photos", validation_split=0.2,  # doctest: +SKIP
    ...     subset="both", seed=1, image_size=(64, 64))
    >>> model.fit(train, validation_data=val, epochs=3)  # doctest: +SKIP
    """
    if label_mode not in file_dataset.LABEL_MODES:
        raise ValueError(f"label_mode must be one of {file_dataset.LABEL_MODES}. Received: label_mode={label_mode!r}")
    if color_mode not in ("grayscale", "rgb", "rgba"):
        raise ValueError(f"color_mode must be 'grayscale', 'rgb' or 'rgba'. Received: color_mode={color_mode!r}")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
    data_format = _data_format(data_format)
    resample = pil_resample(interpolation)
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    file_dataset.check_split(validation_split, subset, shuffle, seed)
    paths, label_values, class_names = file_dataset.index_directory(
        directory, labels, FORMATS, class_names, shuffle, seed, follow_links)
    num_classes = len(class_names) if class_names else (len(set(label_values.tolist())) if label_values is not None else 0)
    if label_mode == "binary" and num_classes != 2:
        raise ValueError(f"When passing label_mode='binary', there must be exactly 2 class_names. Received: {class_names}")
    if verbose:
        print(f"Found {len(paths)} files" + (f" belonging to {num_classes} classes." if labels is not None else "."))
    height, width = int(image_size[0]), int(image_size[1])
    mode = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[color_mode]

    def load(path):
        from PIL import Image

        with Image.open(path) as img:
            img = img.convert(mode)
            if crop_to_aspect_ratio:
                from lamella.utils.image_utils import load_img

                img = load_img(path, color_mode=color_mode, target_size=(height, width),
                               interpolation=interpolation, keep_aspect_ratio=True)
            elif pad_to_aspect_ratio:
                scale = min(width / img.width, height / img.height)
                inner = img.resize((max(1, round(img.width * scale)), max(1, round(img.height * scale))), resample)
                canvas = Image.new(mode, (width, height))
                canvas.paste(inner, ((width - inner.width) // 2, (height - inner.height) // 2))
                img = canvas
            else:
                img = img.resize((width, height), resample)
            x = np.asarray(img, dtype=np.float32)
        x = x[..., None] if x.ndim == 2 else x
        return np.moveaxis(x, -1, 0) if data_format == "channels_first" else x

    datasets = []
    for part_paths, part_labels in file_dataset.split_files(paths, label_values, validation_split, subset, verbose):
        encoded = None if part_labels is None or label_mode is None else file_dataset.encode_labels(
            part_labels, label_mode, num_classes)
        datasets.append(file_dataset.FileDataset(part_paths, encoded, load, batch_size, shuffle, seed,
                                                 class_names, workers=workers))
    return tuple(datasets) if subset == "both" else datasets[0]
