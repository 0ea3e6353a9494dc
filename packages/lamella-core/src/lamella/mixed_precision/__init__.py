"""Mixed precision: compute in float16 or bfloat16, keep the variables in float32.

A dtype policy names two dtypes: the one a layer computes in and the one its
variables are stored in. ``'mixed_float16'`` and ``'mixed_bfloat16'`` compute in
the low precision (faster on GPUs and TPUs, half the activation memory) while
the variables, and so every optimizer update, stay float32: a layer reads its
weights cast to the compute dtype and casts floating inputs to it. Losses are
computed in float32 whatever the predictions' dtype. With ``'mixed_float16'``,
``compile`` wraps the optimizer in a ``LossScaleOptimizer`` (dynamic loss
scaling on the device, so small float16 gradients do not underflow).

Set the policy for every layer created afterwards::

    from lamella import mixed_precision
    mixed_precision.set_global_policy("mixed_float16")

or per layer with ``dtype="mixed_bfloat16"``. Softmax (the activation, the layer,
attention's normalisation) and losses compute in float32, so a classifier's
probabilities are float32 under any policy; a regression head that must output
float32 takes ``dtype="float32"``. See ``docs/mixed-precision.md``.
"""

from lamella.dtype_policies import DTypePolicy, global_policy, set_global_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]

# Keras 2's name of the class.
Policy = DTypePolicy


def dtype_policy():
    """The global policy (Keras 3's name of ``global_policy``)."""
    return global_policy()


def set_dtype_policy(policy):
    """Sets the global policy (Keras 3's name of ``set_global_policy``).

    Args:
        policy: a policy name (``'float32'``, ``'mixed_float16'``,
            ``'mixed_bfloat16'``, ``'bfloat16'``, ...), a ``DTypePolicy``, or
            ``None`` to go back to ``floatx()``.
    """
    set_global_policy(policy)


def __getattr__(name):
    if name == "LossScaleOptimizer":
        # It lives with the other optimizers, in lamella-optimizers.
        try:
            from lamella.optimizers import LossScaleOptimizer
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith("lamella.optimizers"):
                raise
            raise AttributeError(
                "lamella.mixed_precision.LossScaleOptimizer is provided by the "
                "lamella-optimizers distribution, which is not installed. Install it "
                "with: pip install lamella-optimizers"
            ) from None
        return LossScaleOptimizer
    raise AttributeError(f"module 'lamella.mixed_precision' has no attribute '{name}'")
