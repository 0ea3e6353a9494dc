"""``EventWriter``: one TensorBoard run's event file, written without TensorFlow.

The file is a sequence of records (length, masked CRC, serialized ``Event``,
masked CRC) framed by ``tensorboard``'s own ``RecordWriter``; the events are the
package's ``event_pb2`` protos. ``tensorboard``'s ``EventFileWriter`` is not used:
it reaches the file system through ``tensorboard.compat.tf``, which imports
TensorFlow whenever TensorFlow is installed. ``RecordWriter`` and the protos do not.
"""

import itertools
import os
import socket
import time

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.record_writer import RecordWriter

_UNIQUE = itertools.count()


class EventWriter:
    """Appends ``Event`` protos to a new event file in ``run_dir``.

    The file is named as TensorBoard expects
    (``events.out.tfevents.<time>.<host>.<pid>.<n>.v2``) and starts with the
    ``brain.Event:2`` version event. Writes are synchronous and buffered; ``flush``
    makes them visible to a running TensorBoard.

    Args:
        run_dir: the run's folder (created if needed), e.g. ``logs/train``.

    Example:

    >>> import tempfile
    >>> writer = EventWriter(tempfile.mkdtemp())
    >>> writer.add_summary([], step=0)
    >>> writer.close()
    """

    def __init__(self, run_dir):
        os.makedirs(run_dir, exist_ok=True)
        name = "events.out.tfevents.%010d.%s.%d.%d.v2" % (
            time.time(), socket.gethostname(), os.getpid(), next(_UNIQUE),
        )
        self.path = os.path.join(run_dir, name)
        self._records = RecordWriter(open(self.path, "wb"))  # noqa: SIM115 - closed by close()
        self.add_event(event_pb2.Event(
            wall_time=time.time(),
            file_version="brain.Event:2",
            source_metadata=event_pb2.SourceMetadata(writer="lamella.callbacks.TensorBoard"),
        ))
        self.flush()

    @property
    def closed(self):
        return self._records.closed

    def add_event(self, event):
        """Writes one ``Event`` proto."""
        if self.closed:
            raise ValueError(f"The event file {self.path} is closed; events can no longer be written.")
        self._records.write(event.SerializeToString())

    def add_summary(self, values, step, wall_time=None):
        """Writes a ``Summary`` of the given ``Summary.Value`` protos at ``step``."""
        self.add_event(event_pb2.Event(
            wall_time=time.time() if wall_time is None else wall_time,
            step=int(step),
            summary=summary_pb2.Summary(value=list(values)),
        ))

    def flush(self):
        if not self.closed:
            self._records.flush()

    def close(self):
        if not self.closed:
            self._records.flush()
            self._records.close()
