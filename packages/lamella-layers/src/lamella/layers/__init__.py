"""``lamella.layers``: the layer catalogue (distribution lamella-layers).

``Layer``, ``InputLayer``, ``Input`` and ``InputSpec`` are lamella-core's and are
re-exported here, as Keras users expect them under ``layers``. Every class in
``LAYERS`` (and every alias in ``ALIASES``) is registered through this
distribution's ``lamella`` entry point (``_plugin.py``), like any plugin's.
"""

from lamella.engine.input_layer import Input, InputLayer
from lamella.engine.input_spec import InputSpec
from lamella.engine.layer import Layer
from lamella.layers._version import __version__
from lamella.layers.activations.activation import Activation
from lamella.layers.activations.elu import ELU
from lamella.layers.activations.leaky_relu import LeakyReLU
from lamella.layers.activations.prelu import PReLU
from lamella.layers.activations.relu import ReLU
from lamella.layers.activations.softmax import Softmax
from lamella.layers.activations.thresholded_relu import ThresholdedReLU
from lamella.layers.attention.additive_attention import AdditiveAttention
from lamella.layers.attention.attention import Attention
from lamella.layers.attention.multi_head_attention import MultiHeadAttention
from lamella.layers.convolutional.conv1d import Conv1D
from lamella.layers.convolutional.conv1d_transpose import Conv1DTranspose
from lamella.layers.convolutional.conv2d import Conv2D
from lamella.layers.convolutional.conv2d_transpose import Conv2DTranspose
from lamella.layers.convolutional.conv3d import Conv3D
from lamella.layers.convolutional.conv3d_transpose import Conv3DTranspose
from lamella.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from lamella.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from lamella.layers.convolutional.separable_conv1d import SeparableConv1D
from lamella.layers.convolutional.separable_conv2d import SeparableConv2D
from lamella.layers.core.dense import Dense
from lamella.layers.core.embedding import Embedding
from lamella.layers.core.lambda_layer import Lambda
from lamella.layers.core.masking import Masking
from lamella.layers.locally_connected.locally_connected1d import LocallyConnected1D
from lamella.layers.locally_connected.locally_connected2d import LocallyConnected2D
from lamella.layers.merging.add import Add, add
from lamella.layers.merging.average import Average, average
from lamella.layers.merging.concatenate import Concatenate, concatenate
from lamella.layers.merging.dot import Dot, dot
from lamella.layers.merging.maximum import Maximum, maximum
from lamella.layers.merging.minimum import Minimum, minimum
from lamella.layers.merging.multiply import Multiply, multiply
from lamella.layers.merging.subtract import Subtract, subtract
from lamella.layers.normalization.batch_normalization import BatchNormalization
from lamella.layers.normalization.group_normalization import GroupNormalization
from lamella.layers.normalization.layer_normalization import LayerNormalization
from lamella.layers.normalization.unit_normalization import UnitNormalization
from lamella.layers.pooling.average_pooling1d import AveragePooling1D
from lamella.layers.pooling.average_pooling2d import AveragePooling2D
from lamella.layers.pooling.average_pooling3d import AveragePooling3D
from lamella.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from lamella.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from lamella.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from lamella.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from lamella.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from lamella.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from lamella.layers.pooling.max_pooling1d import MaxPooling1D
from lamella.layers.pooling.max_pooling2d import MaxPooling2D
from lamella.layers.pooling.max_pooling3d import MaxPooling3D
from lamella.layers.regularization.activity_regularization import ActivityRegularization
from lamella.layers.regularization.alpha_dropout import AlphaDropout
from lamella.layers.regularization.dropout import Dropout
from lamella.layers.regularization.gaussian_dropout import GaussianDropout
from lamella.layers.regularization.gaussian_noise import GaussianNoise
from lamella.layers.regularization.spatial_dropout1d import SpatialDropout1D
from lamella.layers.regularization.spatial_dropout2d import SpatialDropout2D
from lamella.layers.regularization.spatial_dropout3d import SpatialDropout3D
from lamella.layers.reshaping.cropping1d import Cropping1D
from lamella.layers.reshaping.cropping2d import Cropping2D
from lamella.layers.reshaping.cropping3d import Cropping3D
from lamella.layers.reshaping.flatten import Flatten
from lamella.layers.reshaping.permute import Permute
from lamella.layers.reshaping.repeat_vector import RepeatVector
from lamella.layers.reshaping.reshape import Reshape
from lamella.layers.reshaping.up_sampling1d import UpSampling1D
from lamella.layers.reshaping.up_sampling2d import UpSampling2D
from lamella.layers.reshaping.up_sampling3d import UpSampling3D
from lamella.layers.reshaping.zero_padding1d import ZeroPadding1D
from lamella.layers.reshaping.zero_padding2d import ZeroPadding2D
from lamella.layers.reshaping.zero_padding3d import ZeroPadding3D
from lamella.layers.rnn.conv_lstm1d import ConvLSTM1D
from lamella.layers.rnn.conv_lstm2d import ConvLSTM2D
from lamella.layers.rnn.conv_lstm3d import ConvLSTM3D
from lamella.layers.rnn.conv_lstm_cell import ConvLSTMCell
from lamella.layers.rnn.gru import GRU
from lamella.layers.rnn.gru_cell import GRUCell
from lamella.layers.rnn.lstm import LSTM
from lamella.layers.rnn.lstm_cell import LSTMCell
from lamella.layers.rnn.rnn import RNN
from lamella.layers.rnn.simple_rnn import SimpleRNN
from lamella.layers.rnn.simple_rnn_cell import SimpleRNNCell
from lamella.layers.rnn.stacked_rnn_cells import StackedRNNCells
from lamella.layers.wrappers.bidirectional import Bidirectional
from lamella.layers.wrappers.time_distributed import TimeDistributed
from lamella.layers.preprocessing import (
    PREPROCESSING_LAYERS,
    CategoryEncoding,
    CenterCrop,
    Discretization,
    Hashing,
    IntegerLookup,
    Normalization,
    RandomBrightness,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Rescaling,
    Resizing,
    StringLookup,
    TextVectorization,
)
from lamella.saving import serialization

# The layers this distribution registers, by class name.
LAYERS = (
    Activation, ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU,
    AdditiveAttention, Attention, MultiHeadAttention, Conv1D, Conv1DTranspose, Conv2D,
    Conv2DTranspose, Conv3D, Conv3DTranspose, DepthwiseConv1D, DepthwiseConv2D,
    SeparableConv1D, SeparableConv2D, Dense, Embedding, Lambda, Masking,
    LocallyConnected1D, LocallyConnected2D, Add, Average, Concatenate, Dot, Maximum,
    Minimum, Multiply, Subtract, BatchNormalization, GroupNormalization,
    LayerNormalization, UnitNormalization, AveragePooling1D, AveragePooling2D,
    AveragePooling3D, GlobalAveragePooling1D, GlobalAveragePooling2D,
    GlobalAveragePooling3D, GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D,
    MaxPooling1D, MaxPooling2D, MaxPooling3D, ActivityRegularization, AlphaDropout,
    Dropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D,
    SpatialDropout3D, Cropping1D, Cropping2D, Cropping3D, Flatten, Permute,
    RepeatVector, Reshape, UpSampling1D, UpSampling2D, UpSampling3D, ZeroPadding1D,
    ZeroPadding2D, ZeroPadding3D, ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, ConvLSTMCell, GRU,
    GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, StackedRNNCells,
    Bidirectional, TimeDistributed,
) + PREPROCESSING_LAYERS

# Other names Keras gives the same classes (registered as aliases too).
ALIASES = {
    "Convolution1D": Conv1D, "Convolution2D": Conv2D, "Convolution3D": Conv3D,
    "Convolution1DTranspose": Conv1DTranspose, "Convolution2DTranspose": Conv2DTranspose,
    "Convolution3DTranspose": Conv3DTranspose, "Deconvolution2D": Conv2DTranspose,
    "Deconvolution3D": Conv3DTranspose, "SeparableConvolution1D": SeparableConv1D,
    "SeparableConvolution2D": SeparableConv2D, "MaxPool1D": MaxPooling1D,
    "MaxPool2D": MaxPooling2D, "MaxPool3D": MaxPooling3D, "AvgPool1D": AveragePooling1D,
    "AvgPool2D": AveragePooling2D, "AvgPool3D": AveragePooling3D,
    "GlobalMaxPool1D": GlobalMaxPooling1D, "GlobalMaxPool2D": GlobalMaxPooling2D,
    "GlobalMaxPool3D": GlobalMaxPooling3D, "GlobalAvgPool1D": GlobalAveragePooling1D,
    "GlobalAvgPool2D": GlobalAveragePooling2D, "GlobalAvgPool3D": GlobalAveragePooling3D,
}
globals().update(ALIASES)

# The functional forms of the merging layers (``add([a, b])``).
FUNCTIONS = (add, average, concatenate, dot, maximum, minimum, multiply, subtract)

__all__ = sorted(
    [cls.__name__ for cls in LAYERS] + list(ALIASES) + [f.__name__ for f in FUNCTIONS]
    + ["Input", "InputLayer", "InputSpec", "Layer", "__version__", "deserialize", "get",
       "serialize"]
)


def serialize(layer):
    """A layer's config, naming its class by its registered name."""
    return serialization.serialize_object(layer, kind="layers")


def deserialize(config, custom_objects=None):
    """A layer rebuilt from ``serialize``'s output."""
    return serialization.deserialize_object(config, kind="layers", custom_objects=custom_objects)


def get(identifier):
    """A layer class by registered name (including plugins'), or a layer from a config."""
    if isinstance(identifier, str):
        return serialization.deserialize_object(identifier, kind="layers")
    if isinstance(identifier, dict):
        return deserialize(identifier)
    return identifier
