"""Masks: how a timestep mask travels from the layer that makes it to those that use it.

A mask is a boolean array (``(batch, steps)`` for sequences) that says which
timesteps are real and which are padding. ``Embedding(mask_zero=True)`` and
``Masking`` make one; recurrent and attention layers use it; layers that only
transform each timestep (``Dense``, ``Dropout``, ``Activation``) pass it on
(``supports_masking``); any other layer drops it (``compute_mask``).

jax arrays cannot carry attributes, so masks do not ride on tensors as in Keras:
the containers carry them. ``Sequential`` and functional models call each layer
through ``call_with_mask``, which hands the layer its input mask (when ``call``
takes ``mask``) and asks ``compute_mask`` for the output mask. This runs inside the
compiled step like any other computation: a mask is an array of the same trace.

A model called as a layer (a ``Sequential`` inside another, ``TimeDistributed``
over a model) propagates masks through its own layers; ``call_with_mask`` collects
the output mask it reports instead of asking its ``compute_mask``.
"""

import threading

_local = threading.local()


def _capture_stack():
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def call_with_mask(layer, inputs, mask=None, /, *args, **kwargs):
    """Calls ``layer(inputs, *args, **kwargs)`` with ``mask`` and returns
    ``(outputs, output_mask)``.

    The mask is passed only to layers whose ``call`` takes a ``mask`` argument; an
    explicit, non-``None`` ``mask=`` in ``kwargs`` wins over the propagated one
    (configs written by Keras record ``mask: null`` for every call).
    """
    from lamella.engine.layer import _call_accepts

    explicit = kwargs.pop("mask", None)
    if explicit is not None:
        mask = explicit
    if getattr(layer, "_propagates_masks", False):
        captured = {}
        stack = _capture_stack()
        stack.append(captured)
        try:
            outputs = layer(inputs, *args, mask=mask, **kwargs)
        finally:
            stack.pop()
        return outputs, captured.get(id(layer))
    if has_mask(mask) and _call_accepts(type(layer), "mask"):
        kwargs["mask"] = mask
    outputs = layer(inputs, *args, **kwargs)
    return outputs, layer.compute_mask(inputs, mask)


def report_output_mask(model, mask):
    """Called by a container at the end of its ``call``: its output mask, for the
    ``call_with_mask`` that called it (if any)."""
    stack = getattr(_local, "stack", None)
    if stack:
        stack[-1][id(model)] = mask


def has_mask(mask):
    """Whether ``mask`` (an array, ``None`` or a structure of them) holds an array."""
    if mask is None:
        return False
    if isinstance(mask, list | tuple):
        return any(has_mask(m) for m in mask)
    if isinstance(mask, dict):
        return any(has_mask(m) for m in mask.values())
    return True
