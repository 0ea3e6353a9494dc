"""TensorBoard logs without TensorFlow: the ``TensorBoard`` callback, the event-file
writer and the summary protos it writes (from the ``tensorboard`` package)."""
