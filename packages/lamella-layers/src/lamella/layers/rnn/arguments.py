"""Checks of the hyper-parameters recurrent layers and cells share."""


def check_units(layer_name, units, argument="units"):
    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise ValueError(
            f"{layer_name} expected a positive integer for {argument}. "
            f"Received: {argument}={units!r}"
        )
    return units


def check_rate(layer_name, argument, value):
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
        raise ValueError(
            f"{layer_name} expected a float in [0, 1) for {argument}. "
            f"Received: {argument}={value!r}"
        )
    return float(value)


def check_flag(layer_name, argument, value):
    if not isinstance(value, bool):
        raise ValueError(
            f"{layer_name} expected True or False for {argument}. "
            f"Received: {argument}={value!r}"
        )
    return value
