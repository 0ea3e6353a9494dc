"""``AdamW``: Adam with decoupled weight decay on by default."""

from lamella.optimizers.adam import Adam


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019): Adam whose weights also shrink by
    ``learning_rate * weight_decay * w`` every step, outside the adaptive moments
    (the decay of the base class, here required and 0.004 by default).

    Args:
        learning_rate: a float or a schedule (default 0.001).
        weight_decay: the decoupled decay (a number; not ``None``).
        beta_1, beta_2, epsilon, amsgrad: see ``Adam``.
        clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order).

    Example:
        >>> optimizer = AdamW(learning_rate=1e-3, weight_decay=0.01)
        >>> optimizer.exclude_from_weight_decay(var_names=["bias"])
    """

    def __init__(
        self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
        amsgrad=False, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        if weight_decay is None:
            raise ValueError("AdamW expected a number for weight_decay. Received: weight_decay=None")
        super().__init__(
            learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
