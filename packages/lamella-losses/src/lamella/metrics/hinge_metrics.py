"""Hinge metrics: the means of the hinge, squared hinge and categorical hinge
losses over every sample seen."""

from lamella.losses.hinge import categorical_hinge, hinge, squared_hinge
from lamella.training.reduction_metrics import MeanMetricWrapper


class Hinge(MeanMetricWrapper):
    """The mean hinge loss (see ``lamella.losses.hinge``)."""

    def __init__(self, name="hinge", dtype=None):
        super().__init__(hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """The mean squared hinge loss (see ``lamella.losses.squared_hinge``)."""

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """The mean categorical hinge loss (see ``lamella.losses.categorical_hinge``)."""

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, dtype=dtype)
