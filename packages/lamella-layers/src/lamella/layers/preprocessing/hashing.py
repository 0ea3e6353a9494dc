"""``Hashing``: strings or integers to bins by a stable hash, on the host."""

import numpy as np

from lamella.layers.preprocessing import encoding
from lamella.layers.preprocessing.fingerprint import fingerprint64, salt_pair, siphash64
from lamella.layers.preprocessing.host_layer import HostLayer


class Hashing(HostLayer):
    """Hashes each value into one of ``num_bins`` bins, the bins Keras gives.

    Each value is turned into text first (integers as their decimal digits,
    floats truncated to integers first, strings as UTF-8), then hashed as Keras
    hashes it: without a salt by FarmHash ``Fingerprint64``, with a salt by
    SipHash-2-4 keyed by the two salt integers (one integer ``s`` means
    ``[s, s]``). The bin is the hash modulo the number of bins. Both hashes are
    fixed by their specifications, so a value lands in the same bin in every
    run, on every machine, and in Keras. With ``mask_value``, that value goes to
    bin 0 and the others to ``[1, num_bins)``.

    Args:
        num_bins: the number of bins (including the mask bin).
        mask_value: a value sent to bin 0, or ``None``.
        salt: a non-negative integer (or two) keying the hash: SipHash instead of
            FarmHash.
        output_mode: ``int``, ``one_hot``, ``multi_hot`` or ``count``.

    Input shape:
        Any shape of strings or integers (at most 2-D for the vector modes).

    Output shape:
        The input's (``int``), or ``(..., num_bins)``.

    Example:

    >>> np.asarray(Hashing(num_bins=3)(np.array([["A"], ["B"], ["C"]]))).tolist()
    [[1], [0], [1]]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_bins, bool) or not isinstance(num_bins, int) or num_bins < 1:
            raise ValueError(f"Hashing expected a positive integer for num_bins. Received: num_bins={num_bins!r}")
        if mask_value is not None and num_bins < 2:
            raise ValueError(f"Hashing with a mask_value needs num_bins >= 2. Received: num_bins={num_bins}")
        encoding.check_output_mode("Hashing", output_mode, ("int", "one_hot", "multi_hot", "count"))
        if sparse:
            raise ValueError("Hashing: lamella tensors are dense. Received: sparse=True")
        self.num_bins = num_bins
        self.mask_value = mask_value
        # Stored as Keras stores it (a pair), so configs read the same both ways.
        self.salt = salt_pair(salt, "Hashing")
        self.output_mode = output_mode
        self.sparse = False
        self.built = True

    def _hash(self, value):
        if isinstance(value, bytes):
            data = value
        elif isinstance(value, float | np.floating):
            data = str(int(value)).encode()  # Keras casts floats to int64 first
        else:
            data = str(value).encode("utf-8")
        if self.salt is None:
            return fingerprint64(data)
        return siphash64(self.salt, data)

    def host_apply(self, inputs):
        array = np.asarray(inputs)
        if array.dtype.kind not in "iufUSO":
            raise ValueError(
                f"Hashing '{self.name}' expects strings, integers or floats. Received dtype {array.dtype}"
            )
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise ValueError(
                f"Hashing '{self.name}' hashes floats as the integers they truncate to; "
                "received NaN or infinite values."
            )
        flat = array.reshape(-1).tolist()
        mask = self.mask_value
        bins = self.num_bins if mask is None else self.num_bins - 1
        offset = 0 if mask is None else 1
        # Numbers are compared with a numeric mask as numbers (0.0 is 0), text as text.
        numeric = array.dtype.kind in "iuf" and isinstance(mask, int | float | np.number)
        mask_key = None if mask is None else (mask if numeric else _text(mask))
        # Categorical data repeats: hash each distinct value once.
        seen = {}
        ids = np.empty(len(flat), np.int64)
        for position, value in enumerate(flat):
            bin_index = seen.get(value)
            if bin_index is None:
                if mask is not None and (value if numeric else _text(value)) == mask_key:
                    bin_index = 0
                else:
                    bin_index = self._hash(value) % bins + offset
                seen[value] = bin_index
            ids[position] = bin_index
        ids = ids.reshape(array.shape)
        if self.output_mode == "int":
            return ids
        return encoding.encode_ids(ids, self.output_mode, self.num_bins, np.float32)

    def compute_output_shape(self, input_shape):
        return encoding.encoded_shape(input_shape, self.output_mode, self.num_bins)

    def get_config(self):
        config = super().get_config()
        config.update({"num_bins": self.num_bins, "mask_value": self.mask_value, "salt": self.salt,
                       "output_mode": self.output_mode, "sparse": False})
        return config


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
