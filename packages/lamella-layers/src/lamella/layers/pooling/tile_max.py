"""The maximum over non-overlapping windows, with the gradient Keras gives it.

``MaxPooling*`` with ``strides == pool_size`` and ``padding='valid'`` reshapes its
input into tiles (each window along axes of its own) and reduces the window axes.
Differentiating ``jnp.max`` there shares the gradient among tied inputs: it
materializes a float indicator of the maxima, counts them with a second reduction
and divides, four passes over the full-size input. ``tile_max`` defines its
derivative instead: the first maximum of each window in row-major window order takes
the whole gradient, which is what ``reduce_window``'s gradient (and so Keras's)
does, and the backward pass becomes one select over the input.

It is a ``custom_jvp`` rule (not ``custom_vjp``), so forward-mode and higher-order
derivatives keep working; jax transposes the linear tangent map into that select.
"""

import functools
import itertools

import jax
import jax.numpy as jnp


@functools.partial(jax.custom_jvp, nondiff_argnums=(1,))
def tile_max(tiles, window_axes):
    """``jnp.max(tiles, axis=window_axes)``, differentiated like Keras's max pooling.

    Args:
        tiles: the reshaped input; every window spans ``window_axes``.
        window_axes: a tuple of the window axes, increasing.
    """
    return jnp.max(tiles, axis=window_axes)


@tile_max.defjvp
def _tile_max_jvp(window_axes, primals, tangents):
    (tiles,), (tiles_dot,) = primals, tangents
    # The rule's own primal goes through tile_max so that higher derivatives keep it.
    peak = tile_max(tiles, window_axes)
    winners = _first_maxima(tiles, peak, window_axes)
    return peak, jnp.sum(jnp.where(winners, tiles_dot, jnp.zeros_like(tiles_dot)), axis=window_axes)


def _first_maxima(tiles, peak, window_axes):
    """A boolean of ``tiles``'s shape: True at each window's first maximum."""
    sizes = [tiles.shape[axis] for axis in window_axes]
    taken = None
    hits = []
    # Window positions are few (4 for the usual 2x2), so one comparison per position
    # unrolled here fuses into a single pass.
    for position in itertools.product(*(range(size) for size in sizes)):
        index = [slice(None)] * tiles.ndim
        for axis, offset in zip(window_axes, position):
            index[axis] = offset
        hit = tiles[tuple(index)] == peak
        if taken is None:
            taken = hit
        else:
            hit = hit & ~taken
            taken = taken | hit
        hits.append(hit)
    # Back to the tile layout: positions stacked last, then each window axis moved
    # to where it was.
    stacked = jnp.stack(hits, axis=-1).reshape(*peak.shape, *sizes)
    kept = iter(range(peak.ndim))
    moved = iter(range(peak.ndim, stacked.ndim))
    order = [next(moved) if axis in window_axes else next(kept) for axis in range(stacked.ndim)]
    return jnp.transpose(stacked, order)
