"""``BaseSpatialDropout``: what SpatialDropout1D/2D/3D share."""

from lamella.engine.input_spec import InputSpec
from lamella.layers.regularization.dropout import Dropout
from lamella.layers.utils import arguments


class BaseSpatialDropout(Dropout):
    """Dropout of whole channels: in training, each channel of each sample is
    zeroed with probability ``rate`` (at every spatial position at once) and the
    others are scaled by ``1 / (1 - rate)``.

    Adjacent positions of a feature map are strongly correlated, so dropping single
    activations barely regularizes convolutions; dropping whole maps does.

    Args:
        rank: the number of spatial axes.
        rate: the fraction of channels to drop, in [0, 1].
        data_format: ``'channels_last'`` or ``'channels_first'`` (2D and 3D).
        seed: an integer for reproducible masks.
        **kwargs: base layer arguments.
    """

    def __init__(self, rank, rate, data_format=None, seed=None, has_data_format=True, **kwargs):
        super().__init__(rate=rate, seed=seed, **kwargs)
        self.rank = rank
        if not has_data_format and data_format is not None:
            raise TypeError(
                f"{type(self).__name__} takes no data_format argument: its inputs are "
                f"(batch, steps, features). Received: data_format={data_format!r}"
            )
        self._has_data_format = has_data_format
        self.data_format = (
            arguments.data_format(type(self).__name__, data_format) if has_data_format else "channels_last"
        )
        self.input_spec = InputSpec(ndim=rank + 2)

    def _mask_shape(self, shape):
        if self.data_format == "channels_last":
            return (shape[0], *(1,) * self.rank, shape[-1])
        return (shape[0], shape[1], *(1,) * self.rank)

    def get_config(self):
        config = super().get_config()
        del config["noise_shape"]
        if self._has_data_format:
            config["data_format"] = self.data_format
        return config
