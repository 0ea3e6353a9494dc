"""``SGD``: gradient descent with optional (Nesterov) momentum."""

from lamella.training.optimizer import Optimizer, check_number


class SGD(Optimizer):
    """Stochastic gradient descent.

    Without momentum: ``w = w - learning_rate * g``. With momentum ``m``:
    ``v = m * v - learning_rate * g`` and ``w = w + v``, or with Nesterov
    ``w = w + m * v - learning_rate * g``.

    Args:
        learning_rate: a float or a schedule (default 0.01).
        momentum: in ``[0, 1]``; 0 disables momentum.
        nesterov: use Nesterov momentum.
        weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps,
            name: see ``lamella.optimizers.Optimizer`` (in Keras's order, so
            positional arguments mean what they mean in Keras).
    """

    def __init__(
        self, learning_rate=0.01, momentum=0.0, nesterov=False,
        weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
        ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
        gradient_accumulation_steps=None, name=None, **kwargs,
    ):
        check_number("SGD", "momentum", momentum, 0.0, 1.0)
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = (
            [self.add_variable_from_reference(v, "momentum") for v in variables]
            if self.momentum
            else []
        )

    def update_step(self, gradient, variable, learning_rate):
        if not self.momentum:
            self.assign_sub(variable, learning_rate * gradient)
            return
        velocity = self.momentums[self._get_variable_index(variable)]
        momentum = self.momentum
        self.assign(velocity, momentum * velocity.value - learning_rate * gradient)
        if self.nesterov:
            self.assign_add(variable, momentum * velocity.value - learning_rate * gradient)
        else:
            self.assign_add(variable, velocity.value)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
