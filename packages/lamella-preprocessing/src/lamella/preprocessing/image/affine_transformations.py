"""Affine transforms, channel and brightness shifts of single images, on numpy.

``apply_affine_transform`` computes, for each output pixel ``o``, the input point
``M @ o + offset`` (an inverse mapping, about the image centre) and samples the
input there by nearest-neighbour (``order=0``) or bilinear (``order=1``)
interpolation. Points outside the image follow ``fill_mode``, with the conventions
of ``scipy.ndimage`` that Keras 2 used (checked against it in the tests):

- ``constant``: ``cval`` outside ``[0, n - 1]``;
- ``nearest``: the edge pixel (``aaaa|abcd|dddd``);
- ``reflect``: mirrored about the pixel edges (``dcba|abcd|dcba``);
- ``wrap``: periodic with period ``n - 1`` (first and last pixel overlap).

The ``random_*`` helpers draw their parameters from numpy's global generator
(seed it with ``np.random.seed`` or ``lamella.utils.set_random_seed``), as Keras 2's.
"""

import numpy as np

FILL_MODES = ("constant", "nearest", "reflect", "wrap")


def _map_coordinates(coords, size, mode):
    """Coordinates moved inside ``[0, size - 1]`` by ``mode`` (NaN: outside, constant)."""
    last = size - 1
    if mode == "nearest" or size == 1:
        return np.clip(coords, 0, last) if mode != "constant" else np.where(
            (coords < 0) | (coords > last), np.nan, coords)
    if mode == "constant":
        return np.where((coords < 0) | (coords > last), np.nan, coords)
    if mode == "wrap":
        below = coords < 0
        above = coords > last
        coords = np.where(below, coords + last * (np.floor(-coords / last) + 1), coords)
        return np.where(above, coords - last * np.floor(coords / last), coords)
    # reflect: about -0.5 and size - 0.5, period 2 * size.
    period = 2 * size
    coords = np.mod(coords + 0.5, period) - 0.5
    return np.where(coords > size - 0.5, period - 1 - coords, coords)


def _sample(channel, rows, cols, order, mode, cval):
    height, width = channel.shape
    rows = _map_coordinates(rows, height, mode)
    cols = _map_coordinates(cols, width, mode)
    outside = np.isnan(rows) | np.isnan(cols)
    rows = np.where(outside, 0, rows)
    cols = np.where(outside, 0, cols)
    if order == 0:
        r = np.clip(np.floor(rows + 0.5).astype(np.int64), 0, height - 1)
        c = np.clip(np.floor(cols + 0.5).astype(np.int64), 0, width - 1)
        values = channel[r, c]
    else:
        r0 = np.floor(rows)
        c0 = np.floor(cols)
        dr = rows - r0
        dc = cols - c0
        r0 = r0.astype(np.int64)
        c0 = c0.astype(np.int64)
        r1 = np.clip(r0 + 1, 0, height - 1)
        c1 = np.clip(c0 + 1, 0, width - 1)
        r0 = np.clip(r0, 0, height - 1)
        c0 = np.clip(c0, 0, width - 1)
        values = ((1 - dr) * ((1 - dc) * channel[r0, c0] + dc * channel[r0, c1])
                  + dr * ((1 - dc) * channel[r1, c0] + dc * channel[r1, c1]))
    return np.where(outside, cval, values).astype(channel.dtype, copy=False)


def transform_matrix_offset_center(matrix, x, y):
    """``matrix`` (3x3, homogeneous) applied about the centre of an ``x`` by ``y`` image."""
    o_x = float(x) / 2 - 0.5
    o_y = float(y) / 2 - 0.5
    offset = np.array([[1, 0, o_x], [0, 1, o_y], [0, 0, 1]])
    reset = np.array([[1, 0, -o_x], [0, 1, -o_y], [0, 0, 1]])
    return offset @ matrix @ reset


def apply_affine_transform(x, theta=0, tx=0, ty=0, shear=0, zx=1, zy=1, row_axis=1, col_axis=2,
                           channel_axis=0, fill_mode="nearest", cval=0.0, order=1):
    """Rotates, shifts, shears and zooms one image.

    Args:
        x: a 3-D image array.
        theta: rotation angle, in degrees.
        tx, ty: shifts along the row and column axes, in pixels.
        shear: shear angle, in degrees.
        zx, zy: zoom factors along the row and column axes (``> 1`` zooms out).
        row_axis, col_axis, channel_axis: the axes of ``x``.
        fill_mode: ``constant``, ``nearest``, ``reflect`` or ``wrap`` (see the module).
        cval: the value outside the image with ``fill_mode='constant'``.
        order: 0 (nearest neighbour) or 1 (bilinear).

    Returns:
        The transformed image (same shape and dtype).
    """
    if fill_mode not in FILL_MODES:
        raise ValueError(f"fill_mode must be one of {FILL_MODES}. Received: fill_mode={fill_mode!r}")
    if order not in (0, 1):
        raise ValueError(f"order must be 0 (nearest) or 1 (bilinear). Received: order={order!r}")
    x = np.asarray(x)
    if x.ndim != 3:
        raise ValueError(f"apply_affine_transform expects one 3-D image. Received shape {x.shape}")
    matrix = None
    if theta != 0:
        angle = np.deg2rad(theta)
        matrix = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    for needed, step in (
        (tx != 0 or ty != 0, lambda: np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])),
        (shear != 0, lambda: np.array([[1, -np.sin(np.deg2rad(shear)), 0], [0, np.cos(np.deg2rad(shear)), 0], [0, 0, 1]])),
        (zx != 1 or zy != 1, lambda: np.array([[zx, 0, 0], [0, zy, 0], [0, 0, 1]])),
    ):
        if needed:
            matrix = step() if matrix is None else matrix @ step()
    if matrix is None:
        return x
    height, width = x.shape[row_axis], x.shape[col_axis]
    matrix = transform_matrix_offset_center(matrix, height, width)
    grid = np.stack(np.meshgrid(np.arange(height), np.arange(width), indexing="ij")).reshape(2, -1)
    source = matrix[:2, :2] @ grid + matrix[:2, 2:]
    rows = source[0].reshape(height, width)
    cols = source[1].reshape(height, width)
    channels = np.moveaxis(x, channel_axis, 0)
    # (row, col) of the channel-first layout, whatever the order of row_axis/col_axis.
    plane_rows_first = [a for a in range(3) if a != channel_axis].index(row_axis) == 0
    out = []
    for channel in channels:
        plane = channel if plane_rows_first else channel.T
        result = _sample(plane, rows, cols, order, fill_mode, cval)
        out.append(result if plane_rows_first else result.T)
    return np.moveaxis(np.stack(out), 0, channel_axis)


def flip_axis(x, axis):
    """``x`` reversed along ``axis``."""
    return np.flip(np.asarray(x), axis).copy()


def apply_channel_shift(x, intensity, channel_axis=0):
    """Adds ``intensity`` to every channel, clipped to the image's own range."""
    x = np.moveaxis(np.asarray(x), channel_axis, 0)
    low, high = np.min(x), np.max(x)
    shifted = np.stack([np.clip(channel + intensity, low, high) for channel in x])
    return np.moveaxis(shifted, 0, channel_axis)


def random_channel_shift(x, intensity_range, channel_axis=0):
    """``apply_channel_shift`` by a uniform draw from ``[-intensity_range, intensity_range]``."""
    intensity = np.random.uniform(-intensity_range, intensity_range)
    return apply_channel_shift(x, intensity, channel_axis)


def apply_brightness_shift(x, brightness, scale=True):
    """Multiplies the brightness by ``brightness`` (Pillow's ``ImageEnhance``,
    through an 8-bit image, as in Keras 2).

    Args:
        x: a 3-D channels-last image.
        brightness: the factor (1: unchanged, 0: black).
        scale: whether the result stays in ``[0, 255]``; if false, an image whose
            values were outside ``[0, 255]`` is mapped back to its original range.
    """
    from PIL import ImageEnhance

    from lamella.utils.image_utils import array_to_img, img_to_array

    x = np.asarray(x)
    low, high = np.min(x), np.max(x)
    local_scale = bool(low < 0 or high > 255)
    img = array_to_img(x, data_format="channels_last", scale=local_scale or scale)
    out = img_to_array(ImageEnhance.Brightness(img).enhance(brightness), data_format="channels_last")
    if not scale and local_scale:
        out = out / 255 * (high - low) + low
    return out


def random_brightness(x, brightness_range, scale=True):
    """``apply_brightness_shift`` by a uniform draw from ``brightness_range``."""
    if len(brightness_range) != 2:
        raise ValueError(
            "brightness_range should be a tuple or list of two floats. "
            f"Received: {brightness_range!r}"
        )
    return apply_brightness_shift(x, np.random.uniform(brightness_range[0], brightness_range[1]), scale)


def _transform(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order, **params):
    return apply_affine_transform(x, row_axis=row_axis, col_axis=col_axis, channel_axis=channel_axis,
                                  fill_mode=fill_mode, cval=cval, order=interpolation_order, **params)


def random_rotation(x, rg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                    interpolation_order=1):
    """Rotates by a uniform angle in ``[-rg, rg]`` degrees."""
    theta = np.random.uniform(-rg, rg)
    return _transform(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order, theta=theta)


def random_shift(x, wrg, hrg, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """Shifts by uniform fractions of the height (``hrg``) and width (``wrg``)."""
    height, width = x.shape[row_axis], x.shape[col_axis]
    tx = np.random.uniform(-hrg, hrg) * height
    ty = np.random.uniform(-wrg, wrg) * width
    return _transform(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order, tx=tx, ty=ty)


def random_shear(x, intensity, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                 interpolation_order=1):
    """Shears by a uniform angle in ``[-intensity, intensity]`` degrees."""
    shear = np.random.uniform(-intensity, intensity)
    return _transform(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order, shear=shear)


def random_zoom(x, zoom_range, row_axis=1, col_axis=2, channel_axis=0, fill_mode="nearest", cval=0.0,
                interpolation_order=1):
    """Zooms by factors drawn uniformly from ``zoom_range = (low, high)``, one per axis."""
    if len(zoom_range) != 2:
        raise ValueError(f"zoom_range should be a tuple or list of two floats. Received: {zoom_range!r}")
    if zoom_range[0] == 1 and zoom_range[1] == 1:
        zx, zy = 1, 1
    else:
        zx, zy = np.random.uniform(zoom_range[0], zoom_range[1], 2)
    return _transform(x, row_axis, col_axis, channel_axis, fill_mode, cval, interpolation_order, zx=zx, zy=zy)
