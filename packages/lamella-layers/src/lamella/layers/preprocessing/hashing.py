"""``Hashing``: strings or integers to bins by a stable hash, on the host."""

import hashlib

import numpy as np

from lamella.layers.preprocessing import encoding
from lamella.layers.preprocessing.host_layer import HostLayer


class Hashing(HostLayer):
    """Hashes each value into one of ``num_bins`` bins.

    The hash is blake2b of the value's text (integers are hashed as their decimal
    text), keyed by ``salt`` when given: stable across runs, processes and
    machines. Keras uses farmhash (siphash with a salt), so the bin a given value
    lands in differs from Keras's; the distribution over bins is as uniform.
    With ``mask_value``, that value goes to bin 0 and the others to ``[1,
    num_bins)``.

    Args:
        num_bins: the number of bins (including the mask bin).
        mask_value: a value sent to bin 0, or ``None``.
        salt: an integer (or two) keying the hash.
        output_mode: ``int``, ``one_hot``, ``multi_hot`` or ``count``.

    Input shape:
        Any shape of strings or integers (at most 2-D for the vector modes).

    Output shape:
        The input's (``int``), or ``(..., num_bins)``.

    Example:

    >>> bins = Hashing(num_bins=3)(np.array([["A"], ["B"], ["A"]]))
    >>> bins.shape, int(bins[0, 0]) == int(bins[2, 0])
    ((3, 1), True)
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
        if salt is not None and not (isinstance(salt, int) or (
                isinstance(salt, list | tuple) and len(salt) == 2 and all(isinstance(s, int) for s in salt))):
            raise ValueError(f"Hashing expected salt to be an integer or a pair of integers. Received: salt={salt!r}")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = list(salt) if isinstance(salt, tuple) else salt
        self.output_mode = output_mode
        self.sparse = False
        key = b"" if salt is None else b"".join(int(s).to_bytes(8, "little", signed=True) for s in np.atleast_1d(salt))
        self._key = key
        self.built = True

    def _hash(self, value):
        text = value if isinstance(value, bytes) else str(value).encode()
        digest = hashlib.blake2b(text, digest_size=8, key=self._key).digest()
        return int.from_bytes(digest, "little")

    def host_apply(self, inputs):
        array = np.asarray(inputs)
        if array.dtype.kind not in "iuUSO":
            raise ValueError(f"Hashing '{self.name}' expects strings or integers. Received dtype {array.dtype}")
        flat = array.reshape(-1).tolist()
        mask = self.mask_value
        bins = self.num_bins if mask is None else self.num_bins - 1
        offset = 0 if mask is None else 1
        mask_text = None if mask is None else str(mask.decode() if isinstance(mask, bytes) else mask)
        ids = np.array([
            0 if mask is not None and str(v.decode() if isinstance(v, bytes) else v) == mask_text
            else self._hash(v) % bins + offset
            for v in flat
        ], dtype=np.int64).reshape(array.shape)
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
