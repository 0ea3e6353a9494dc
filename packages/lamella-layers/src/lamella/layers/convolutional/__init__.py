"""Convolution layers: plain, transposed, separable and depthwise, in 1, 2 and 3 D."""
