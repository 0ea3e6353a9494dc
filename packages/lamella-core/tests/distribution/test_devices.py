"""list_devices / get_device_count name jax's devices as Keras does."""

import jax
import pytest

from lamella import distribution


def test_list_devices_names_every_jax_device():
    assert distribution.list_devices() == [f"{d.platform}:{d.id}" for d in jax.devices()]
    assert distribution.list_devices("cpu") == [f"cpu:{d.id}" for d in jax.devices("cpu")]
    assert distribution.get_device_count() == jax.device_count()
    assert distribution.get_device_count("CPU") == len(jax.devices("cpu"))


def test_an_absent_device_type_has_no_devices():
    # This machine has no GPU: jax raises, lamella answers with an empty list.
    assert distribution.list_devices("gpu") == []
    assert distribution.get_device_count("gpu") == 0


def test_unknown_device_type_is_refused():
    with pytest.raises(ValueError, match="device_type must be one of .* Received: device_type='npu'"):
        distribution.list_devices("npu")


def test_devices_are_resolved_by_name_or_object():
    from lamella.distribution.devices import resolve_devices

    device = jax.devices()[0]
    assert resolve_devices(["cpu:0"]) == [device]
    assert resolve_devices([device]) == [device]
    with pytest.raises(ValueError, match="Unknown device 'cpu:99'"):
        resolve_devices(["cpu:99"])
    with pytest.raises(ValueError, match="listed twice"):
        resolve_devices(["cpu:0", device])
    with pytest.raises(ValueError, match="empty"):
        resolve_devices([])
