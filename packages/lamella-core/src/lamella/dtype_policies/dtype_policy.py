"""Dtype policies: the dtype a layer computes in and the dtype its variables keep.

``'float32'`` computes and stores in float32. ``'mixed_float16'`` and
``'mixed_bfloat16'`` compute in the low precision while variables stay float32, so
that small updates are not lost to rounding; layers read their variables cast to the
compute dtype (autocast), and cast floating inputs to it.
"""

from lamella.backend import config
from lamella.backend.dtypes import standardize_dtype

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


class DTypePolicy:
    """A named pair of dtypes: ``compute_dtype`` and ``variable_dtype``.

    Args:
        name: ``None`` (use ``floatx()``), a dtype name such as ``'float32'`` or
            ``'bfloat16'``, or ``'mixed_float16'`` / ``'mixed_bfloat16'``.

    Example:

    >>> policy = DTypePolicy("mixed_bfloat16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('bfloat16', 'float32')
    """

    def __init__(self, name=None):
        if name is None:
            name = config.floatx()
        if not isinstance(name, str):
            raise TypeError(
                f"A dtype policy is named by a string. Received: name={name!r}"
            )
        if name in _MIXED:
            self._compute_dtype = _MIXED[name]
            self._variable_dtype = "float32"
        else:
            try:
                dtype = standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    "Unknown dtype policy. Expected a dtype name or one of "
                    f"{sorted(_MIXED)}. Received: name={name!r}"
                ) from None
            self._compute_dtype = self._variable_dtype = dtype
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute_dtype

    @property
    def variable_dtype(self):
        return self._variable_dtype

    @property
    def is_mixed(self):
        return self._compute_dtype != self._variable_dtype

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def get(identifier):
    """A policy from ``None``, a name, a config dict, a ``DTypePolicy`` or a dtype."""
    if identifier is None:
        from lamella.dtype_policies import global_policy

        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    return DTypePolicy(standardize_dtype(identifier))
