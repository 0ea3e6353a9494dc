"""``EventWriter``: files TensorBoard's own event loader reads back."""

import os

from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

from lamella.callbacks.tensorboard_logs import summaries
from lamella.callbacks.tensorboard_logs.event_writer import EventWriter


def test_events_read_back_with_tensorboards_loader(tmp_path):
    writer = EventWriter(str(tmp_path / "train"))
    writer.add_summary([summaries.scalar("epoch_loss", 0.5)], step=3)
    writer.add_summary([summaries.scalar("epoch_loss", 0.25)], step=4)
    writer.close()
    assert os.path.basename(writer.path).startswith("events.out.tfevents.")
    events = list(EventFileLoader(writer.path).Load())
    assert events[0].file_version == "brain.Event:2"
    steps = [(e.step, e.summary.value[0].tag) for e in events[1:]]
    assert steps == [(3, "epoch_loss"), (4, "epoch_loss")]


def test_two_writers_in_one_folder_get_two_files(tmp_path):
    first, second = EventWriter(str(tmp_path)), EventWriter(str(tmp_path))
    assert first.path != second.path
    first.close()
    second.close()
    assert len(os.listdir(tmp_path)) == 2


def test_a_closed_writer_refuses_events(tmp_path):
    import pytest

    writer = EventWriter(str(tmp_path))
    writer.close()
    with pytest.raises(ValueError, match="is closed"):
        writer.add_summary([], step=0)
