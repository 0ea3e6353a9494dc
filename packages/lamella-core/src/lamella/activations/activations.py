"""The activation functions by name: what ``activation='relu'`` resolves to.

The functions themselves are operations of ``lamella.ops`` (``ops/activation_ops.py``);
their formulas are Keras's, checked against Keras 3 in the tests.
"""

from lamella.ops.activation_ops import (
    celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_swish,
    hard_tanh, leaky_relu, linear, log_sigmoid, log_softmax, mish, relu, relu6, selu,
    sigmoid, silu, soft_shrink, softmax, softplus, softsign, sparse_plus,
    sparse_sigmoid, sparsemax, squareplus, swish, tanh, tanh_shrink, threshold,
)

# Every activation by name; the aliases share the function object.
ALL_ACTIVATIONS = {
    fn.__name__: fn
    for fn in (
        linear, relu, leaky_relu, relu6, elu, selu, celu, softmax, log_softmax,
        softplus, softsign, squareplus, soft_shrink, hard_shrink, sparse_plus, silu,
        gelu, glu, tanh, tanh_shrink, hard_tanh, threshold, sigmoid, log_sigmoid,
        sparse_sigmoid, hard_sigmoid, hard_silu, exponential, mish, sparsemax,
    )
}
ALIASES = {"swish": silu, "hard_swish": hard_silu}
