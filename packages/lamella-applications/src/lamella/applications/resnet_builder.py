"""``build_resnet``: the stem, the stacks and the top shared by every ResNet.

The stem is a 7x7/2 convolution on a 3-pixel zero padding, then a 3x3/2 max pooling
on a 1-pixel padding; ResNet v1 normalizes and activates after the stem convolution,
ResNetV2 (pre-activation) once after the last stack (``post_bn``/``post_relu``).
The top is a global average pooling and a ``Dense`` classifier named
``predictions``; without it, ``pooling`` picks the feature vector.
"""

from lamella import backend, layers
from lamella.applications import imagenet_utils, pretrained_weights
from lamella.applications.resnet_blocks import BN_EPSILON, channel_axis

DEFAULT_SIZE = 224
MIN_SIZE = 32
POOLINGS = (None, "avg", "max")


def source_inputs(tensor):
    """The ``Input`` tensors a symbolic tensor was computed from."""
    found, seen, stack = [], set(), [tensor]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        layer, node_index, _ = current._history
        node = layer._inbound_nodes[node_index]
        if not node.input_tensors:
            found.append(current)
        else:
            stack.extend(reversed(node.input_tensors))
    return found[0] if len(found) == 1 else found


def _check_arguments(model_name, include_top, weights, pooling, classes):
    pretrained_weights.check_weights_argument(weights, model_name)
    if not isinstance(include_top, bool):
        raise ValueError(
            f"{model_name} expected include_top to be True or False. Received: include_top={include_top!r}"
        )
    if isinstance(classes, bool) or not isinstance(classes, int) or classes < 1:
        raise ValueError(
            f"{model_name} expected classes to be a positive integer. Received: classes={classes!r}"
        )
    if weights == "imagenet" and include_top and classes != imagenet_utils.NUM_CLASSES:
        raise ValueError(
            f"{model_name} with weights='imagenet' and include_top=True has "
            f"{imagenet_utils.NUM_CLASSES} classes. Received: classes={classes}"
        )
    if pooling not in POOLINGS:
        raise ValueError(
            f"{model_name} expected pooling in {POOLINGS}. Received: pooling={pooling!r}"
        )


def _input_tensor(input_tensor, input_shape, model_name):
    if input_tensor is None:
        from lamella import Input

        return Input(shape=input_shape)
    if not backend.is_keras_tensor(input_tensor):
        raise ValueError(
            f"{model_name} expected input_tensor to be a symbolic tensor (from "
            f"lamella.Input or a layer call). Received: {type(input_tensor).__name__}"
        )
    given = tuple(input_tensor.shape[1:])
    if None not in given and None not in input_shape and given != tuple(input_shape):
        raise ValueError(
            f"{model_name}: input_tensor has shape {tuple(input_tensor.shape)}, which "
            f"does not match input_shape {tuple(input_shape)}."
        )
    return input_tensor


def build_resnet(stack_fn, preact, use_bias, *, model_name, weights_name, include_top, weights,
                 input_tensor, input_shape, pooling, classes, classifier_activation, name):
    """Builds a ResNet functional model and loads its weights.

    Args:
        stack_fn: ``x -> x``, the residual stacks between the stem and the top.
        preact: ResNetV2's pre-activation layout (``post_bn`` after the stacks).
        use_bias: whether the stem convolution has a bias.
        model_name: the public function's name, for error messages.
        weights_name: the key of the ImageNet file (``'resnet50'``, ...).
        The others: as ``ResNet50``.

    Returns:
        A ``lamella.Model``.
    """
    from lamella import Model

    _check_arguments(model_name, include_top, weights, pooling, classes)
    if input_tensor is not None and input_shape is None and backend.is_keras_tensor(input_tensor):
        given = tuple(input_tensor.shape[1:])
        input_shape = given if None not in given else None
    input_shape = imagenet_utils.obtain_input_shape(
        input_shape, default_size=DEFAULT_SIZE, min_size=MIN_SIZE,
        data_format=backend.image_data_format(), require_flatten=include_top, weights=weights,
    )
    if include_top:
        imagenet_utils.validate_activation(classifier_activation, weights)
    img_input = _input_tensor(input_tensor, input_shape, model_name)

    x = layers.ZeroPadding2D(padding=((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = layers.Conv2D(64, 7, strides=2, use_bias=use_bias, name="conv1_conv")(x)
    if not preact:
        x = layers.BatchNormalization(axis=channel_axis(), epsilon=BN_EPSILON, name="conv1_bn")(x)
        x = layers.Activation("relu", name="conv1_relu")(x)
    x = layers.ZeroPadding2D(padding=((1, 1), (1, 1)), name="pool1_pad")(x)
    x = layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    x = stack_fn(x)
    if preact:
        x = layers.BatchNormalization(axis=channel_axis(), epsilon=BN_EPSILON, name="post_bn")(x)
        x = layers.Activation("relu", name="post_relu")(x)
    if include_top:
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    elif pooling == "avg":
        x = layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = layers.GlobalMaxPooling2D(name="max_pool")(x)

    inputs = source_inputs(input_tensor) if input_tensor is not None else img_input
    model = Model(inputs, x, name=name)
    pretrained_weights.load_application_weights(model, weights, weights_name, include_top)
    return model
