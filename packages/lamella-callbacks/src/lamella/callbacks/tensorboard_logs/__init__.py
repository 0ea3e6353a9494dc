"""TensorBoard logs without TensorFlow: the ``TensorBoard`` callback, the event-file
writer, the summary protos it writes (from the ``tensorboard`` package) and the
embedding projector's files."""
