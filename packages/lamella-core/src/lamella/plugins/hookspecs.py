"""The hooks a lamella plugin can implement.

A plugin is a module (or any object) found through the ``lamella`` entry-point group
whose functions are marked with ``lamella.plugins.hookimpl`` and named after the hooks
below. Each registration hook receives a *registry* for one kind of object; the
plugin calls ``registry.register(...)`` for each object it provides::

    # my_package/plugin.py, named in pyproject.toml:
    #     [project.entry-points.lamella]
    #     my-distribution = "my_package.plugin"
    from lamella.plugins import hookimpl

    @hookimpl
    def lamella_register_layers(registry):
        from my_package.layers import Maxout
        registry.register(Maxout)             # under its class name
        registry.register("maxout", Maxout)   # and under an alias

Every first-party distribution (lamella-layers, lamella-losses, ...) registers this
way too; lamella-core's own activations, initializers, regularizers and constraints
are registered as a built-in plugin through the same hooks.

Registration hooks are called lazily: the first time a kind of object is looked up
by name (``Dense(activation="relu")``, ``compile(optimizer="adam")``), not at
``import lamella``. Registering a name another distribution already registered with
a different object is an error that names both distributions.
"""

import pluggy

hookspec = pluggy.HookspecMarker("lamella")


# -- Registering building blocks ----------------------------------------------------


@hookspec
def lamella_register_layers(registry):
    """Register layer classes (``registry.register(Dense)``)."""


@hookspec
def lamella_register_activations(registry):
    """Register activation functions (``registry.register("relu", relu)``)."""


@hookspec
def lamella_register_initializers(registry):
    """Register initializer classes and their aliases (``"glorot_uniform"``)."""


@hookspec
def lamella_register_regularizers(registry):
    """Register regularizer classes and their aliases (``"l2"``)."""


@hookspec
def lamella_register_constraints(registry):
    """Register constraint classes and their aliases (``"max_norm"``)."""


# -- Registering training objects ---------------------------------------------------


@hookspec
def lamella_register_losses(registry):
    """Register loss functions and classes (``"mse"``, ``MeanSquaredError``)."""


@hookspec
def lamella_register_metrics(registry):
    """Register metric functions and classes (``"accuracy"``, ``AUC``)."""


@hookspec
def lamella_register_optimizers(registry):
    """Register optimizer classes (``registry.register("adam", Adam)``)."""


@hookspec
def lamella_register_schedules(registry):
    """Register learning-rate schedule classes (``ExponentialDecay``)."""


@hookspec
def lamella_register_callbacks(registry):
    """Register callback classes (``EarlyStopping``, ``TensorBoard``)."""


# -- Registering data and models ----------------------------------------------------


@hookspec
def lamella_register_preprocessors(registry):
    """Register preprocessing objects (tokenizers, image generators, ...)."""


@hookspec
def lamella_register_applications(registry):
    """Register pretrained model builders (``registry.register(ResNet50)``)."""
