"""``split_dataset``: two parts of a dataset, by size or fraction."""

import numpy as np

from lamella.utils.py_dataset import PyDataset


def _sizes(total, left_size, right_size):
    def resolve(size, name):
        if size is None:
            return None
        if isinstance(size, bool) or not isinstance(size, int | float | np.integer | np.floating):
            raise TypeError(f"{name} must be an int, a float or None. Received: {name}={size!r}")
        if isinstance(size, float | np.floating):
            if not 0 < size < 1:
                raise ValueError(f"A float {name} must be in (0, 1) (a fraction). Received: {name}={size}")
            return int(round(size * total))
        if not 0 < size <= total:
            raise ValueError(f"An integer {name} must be in [1, {total}] (the number of samples). Received: {name}={size}")
        return int(size)

    left, right = resolve(left_size, "left_size"), resolve(right_size, "right_size")
    if left is None and right is None:
        raise ValueError("You must specify either left_size or right_size.")
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total:
        raise ValueError(
            f"The sum of left_size ({left}) and right_size ({right}) is more than the {total} samples."
        )
    if left == 0 or right == 0:
        raise ValueError(f"Both parts must hold samples; the split gives {left} and {right}.")
    return left, right


class _Subset(PyDataset):
    def __init__(self, dataset, indices):
        super().__init__()
        self.dataset, self.indices = dataset, list(indices)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits a dataset in two.

    Arrays, or a tuple/list/dict of arrays with a common first axis, are split by
    samples and returned in the same structure (ready for ``fit``); a
    ``PyDataset`` is split by batches into two ``PyDataset``s.

    Args:
        dataset: the data.
        left_size: the first part: a fraction in ``(0, 1)`` or a count; ``None``
            takes what ``right_size`` leaves.
        right_size: the second part, likewise.
        shuffle: shuffle before splitting.
        seed: the shuffling seed.

    Returns:
        ``(left, right)``.

    Example:

    >>> left, right = split_dataset(np.arange(10), left_size=0.8)
    >>> len(left), len(right)
    (8, 2)
    """
    if isinstance(dataset, PyDataset):
        total = dataset.num_batches
        if total is None:
            raise ValueError("split_dataset needs a PyDataset with a length (an endless one cannot be split).")
        left, right = _sizes(total, left_size, right_size)
        order = np.random.RandomState(seed).permutation(total) if shuffle else np.arange(total)
        return _Subset(dataset, order[:left]), _Subset(dataset, order[left:left + right])
    if isinstance(dataset, dict):
        leaves, rebuild = list(dataset.values()), lambda parts: dict(zip(dataset, parts))
    elif isinstance(dataset, tuple | list):
        leaves, rebuild = list(dataset), lambda parts: type(dataset)(parts)
    else:
        leaves, rebuild = [dataset], lambda parts: parts[0]
    arrays = [np.asarray(a) for a in leaves]
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(
            "split_dataset needs arrays with the same number of samples (first axis). "
            f"Received shapes {[a.shape for a in arrays]}."
        )
    total = lengths.pop()
    left, right = _sizes(total, left_size, right_size)
    order = np.random.RandomState(seed).permutation(total) if shuffle else np.arange(total)
    return (rebuild([a[order[:left]] for a in arrays]), rebuild([a[order[left:left + right]] for a in arrays]))
