"""The devices jax sees, named as Keras names them (``'cpu:0'``, ``'gpu:1'``)."""

import jax

_DEVICE_TYPES = ("cpu", "gpu", "tpu")


def _check_device_type(device_type):
    if device_type is None:
        return None
    kind = str(device_type).lower()
    if kind not in _DEVICE_TYPES:
        raise ValueError(
            f"device_type must be one of {_DEVICE_TYPES} or None. "
            f"Received: device_type={device_type!r}"
        )
    return kind


def jax_devices(device_type=None):
    """The ``jax.Device`` objects of every process (``device_type`` filters them)."""
    kind = _check_device_type(device_type)
    try:
        return list(jax.devices(kind))
    except RuntimeError:
        # jax raises when no backend of that kind is installed: there are none.
        return []


def list_devices(device_type=None):
    """The devices of every process, as ``'platform:id'`` strings.

    With several processes (``initialize``), the list holds every process's
    devices, in jax's global order. Without ``device_type``, jax's default
    backend is listed: the GPUs or TPUs when present, else the CPU.

    Args:
        device_type: ``'cpu'``, ``'gpu'``, ``'tpu'`` or ``None``.

    Returns:
        A list of strings such as ``['cpu:0']``.

    Example:

    >>> list_devices("cpu")[0]
    'cpu:0'
    """
    return [f"{d.platform}:{d.id}" for d in jax_devices(device_type)]


def get_device_count(device_type=None):
    """The number of devices of ``device_type`` (default backend) over every process."""
    return len(jax_devices(device_type))


def resolve_devices(devices):
    """``jax.Device`` objects from device names (``'cpu:1'``), devices or ``None``."""
    if devices is None:
        return jax_devices()
    known = {f"{d.platform}:{d.id}": d for d in jax.devices()}
    for kind in ("cpu", "gpu", "tpu"):
        if kind != jax.default_backend():
            known.update({f"{d.platform}:{d.id}": d for d in jax_devices(kind)})
    resolved = []
    for device in devices:
        if isinstance(device, jax.Device):
            resolved.append(device)
            continue
        name = str(device).lower()
        if name not in known:
            raise ValueError(
                f"Unknown device {device!r}. The devices are {sorted(known)} "
                "(see lamella.distribution.list_devices())."
            )
        resolved.append(known[name])
    if len({id(d) for d in resolved}) != len(resolved):
        raise ValueError(f"A device is listed twice. Received: devices={list(devices)!r}")
    if not resolved:
        raise ValueError("The list of devices is empty. Received: devices=[]")
    return resolved
