"""Output sizes of convolutions and poolings along one spatial axis.

``None`` (an unknown size) stays ``None``; a size that would be zero or negative is
an error naming the layer, since no output element can be computed.
"""


def conv_output_length(length, kernel_size, padding, stride, dilation=1):
    """Length after a convolution or pooling window of ``kernel_size``.

    ``valid``: ``floor((length - dilated_kernel) / stride) + 1``; ``same`` and
    ``causal``: ``ceil(length / stride)``.
    """
    if length is None:
        return None
    dilated = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        return (length - dilated) // stride + 1 if length >= dilated else 0
    return -(-length // stride)


def deconv_output_length(length, kernel_size, padding, stride, dilation=1, output_padding=None):
    """Length after a transposed convolution (the inverse of ``conv_output_length``).

    Without ``output_padding``: ``length * stride`` for ``same``, and
    ``length * stride + max(dilated_kernel - stride, 0)`` for ``valid``. With it:
    ``(length - 1) * stride + dilated_kernel - 2 * pad + output_padding``, ``pad``
    being ``dilated_kernel // 2`` for ``same`` and 0 for ``valid``.
    """
    if length is None:
        return None
    dilated = (kernel_size - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(dilated - stride, 0)
        return length * stride
    pad = dilated // 2 if padding == "same" else 0
    return (length - 1) * stride + dilated - 2 * pad + output_padding


def deconv_padding(kernel_size, padding, stride, dilation=1, output_padding=None):
    """``(before, after)`` padding of the stride-dilated input of a transposed
    convolution, so that its output has ``deconv_output_length``'s size."""
    dilated = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        extra = max(dilated, stride) - dilated if output_padding is None else output_padding
        return dilated - 1, dilated - 1 + extra
    if output_padding is None:
        total = stride + dilated - 2
    else:
        total = dilated + dilated % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, dilated - 1)
    return before, total - before


def check_positive_output(layer_name, input_shape, output_shape):
    """Raises when a spatial output size is not positive (the input is too small)."""
    if any(d is not None and d <= 0 for d in output_shape):
        raise ValueError(
            f"Layer '{layer_name}': the input is too small for the window. Input shape "
            f"{tuple(input_shape)} gives spatial output sizes {tuple(output_shape)}, not all "
            "positive."
        )
