"""Dtype policies and the global policy (``lamella.mixed_precision`` uses these)."""

from lamella.backend import global_state
from lamella.dtype_policies.dtype_policy import DTypePolicy, get

__all__ = ["DTypePolicy", "get", "global_policy", "set_global_policy"]


def global_policy():
    """The policy new layers use when they are given no ``dtype``."""
    policy = global_state.get("dtype_policy")
    return policy if policy is not None else DTypePolicy()


def set_global_policy(policy):
    """Sets the policy of layers created from now on (``None`` resets to floatx)."""
    global_state.set("dtype_policy", None if policy is None else get(policy))
