"""What an optimizer keeps between runs: its variables and its configuration.

A mixin of ``Optimizer`` (the variables' values and the constructor arguments are
the whole of an optimizer's state), kept apart from the update code so that the
step logic reads on its own. Keras stores an optimizer's variables by index
(``"0"``, ``"1"``, ...) in the order of ``variables``; ``save_own_variables`` and
``load_own_variables`` speak that layout.
"""

import numpy as np


class OptimizerSaving:
    """``set_weights``, ``save_own_variables`` / ``load_own_variables`` and
    ``get_config`` / ``from_config`` of ``lamella.training.optimizer.Optimizer``."""

    def set_weights(self, weights):
        """Assigns ``weights`` (one array per entry of ``variables``), e.g. the state
        of a saved optimizer, after the optimizer is built."""
        owner = type(self).__name__
        if not self.built:
            raise ValueError(f"{owner}.set_weights needs the optimizer built: call build(trainable_variables) first.")
        weights = list(weights)
        if len(weights) != len(self._variables):
            raise ValueError(
                f"{owner}.set_weights expected {len(self._variables)} arrays (one per "
                f"optimizer variable). Received: {len(weights)}"
            )
        for variable, weight in zip(self._variables, weights):
            if tuple(np.shape(weight)) != variable.shape:
                raise ValueError(
                    f"{owner}.set_weights: {variable.path} has shape {variable.shape}. "
                    f"Received an array of shape {tuple(np.shape(weight))}"
                )
        for variable, weight in zip(self._variables, weights):
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes the variables into ``store`` under ``"0"``, ``"1"``, ... (Keras's
        layout of an optimizer's weights in a saved model)."""
        for index, variable in enumerate(self._variables):
            store[str(index)] = np.asarray(variable.numpy())

    def load_own_variables(self, store):
        """Reads what ``save_own_variables`` wrote (a built optimizer; a store of
        another size raises and leaves the variables as they were)."""
        self.set_weights([store[str(i)] for i in range(len(store))])

    def get_config(self):
        if self._schedule is not None:
            from lamella.saving import serialization

            learning_rate = serialization.serialize_object(self._schedule)
        else:
            learning_rate = float(np.asarray(self._learning_rate.value))
        config = {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay:
            # Only when set: Keras 3 ignores "decay" with a warning.
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            from lamella.saving import serialization

            config["learning_rate"] = serialization.deserialize_object(
                config["learning_rate"], kind="schedules", custom_objects=custom_objects
            )
        return cls(**config)
