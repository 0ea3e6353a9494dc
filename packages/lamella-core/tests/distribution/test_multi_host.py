"""initialize(): its arguments and environment variables, and two processes on
127.0.0.1 training one model together (jax's CPU backend runs cross-process
collectives through gloo)."""

import numpy as np
import pytest

import lamella
from lamella.distribution.multi_host import resolve_arguments
from lamella.testing import Linear, PlainSGD, run_processes, squared_error


def test_arguments_win_over_the_environment():
    environ = {
        "LAMELLA_DISTRIBUTION_JOB_ADDRESSES": "10.0.0.1:1000",
        "LAMELLA_DISTRIBUTION_NUM_PROCESSES": "8",
        "LAMELLA_DISTRIBUTION_PROCESS_ID": "7",
    }
    assert resolve_arguments("127.0.0.1:1234", 2, 1, environ=environ) == ("127.0.0.1:1234", 2, 1)
    assert resolve_arguments(environ=environ) == ("10.0.0.1:1000", 8, 7)


def test_environment_variables_of_lamella_then_keras_then_jax():
    keras_style = {
        "KERAS_DISTRIBUTION_JOB_ADDRESSES": "h0:10,h1:10,h2:10",
        "KERAS_DISTRIBUTION_PROCESS_ID": "2",
        "JAX_COORDINATOR_ADDRESS": "ignored:1",
    }
    # A list of job addresses, the coordinator first, also gives the process count.
    assert resolve_arguments(environ=keras_style) == ("h0:10", 3, 2)
    jax_style = {"JAX_COORDINATOR_ADDRESS": "c:9", "JAX_NUM_PROCESSES": "4", "JAX_PROCESS_ID": "0"}
    assert resolve_arguments(environ=jax_style) == ("c:9", 4, 0)
    assert resolve_arguments(["a:1", "b:2"], environ={}) == ("a:1", 2, None)
    # Nothing set: jax detects the cluster (SLURM, Open MPI, ...) itself.
    assert resolve_arguments(environ={}) == (None, None, None)


@pytest.mark.parametrize(
    "kwargs, environ, message",
    [
        ({"job_addresses": "localhost"}, {}, "'host:port' addresses.*Received: job_addresses='localhost'"),
        ({"job_addresses": ""}, {}, "at least one address"),
        ({"num_processes": 0}, {}, "positive num_processes. Received: num_processes=0"),
        ({}, {"JAX_NUM_PROCESSES": "two"}, "integer for num_processes. Received: JAX_NUM_PROCESSES='two'"),
        ({"num_processes": 2, "process_id": 2}, {}, "process_id in \\[0, 2\\). Received: process_id=2"),
        ({"job_addresses": "a:1,b:1,c:1", "num_processes": 2}, {}, "3 job addresses for 2 processes"),
    ],
)
def test_invalid_settings_are_refused(kwargs, environ, message):
    with pytest.raises(ValueError, match=message):
        resolve_arguments(environ=environ, **kwargs)


_TWO_PROCESSES = """
import numpy as np
import lamella
from lamella import distribution as dist
dist.initialize()   # the addresses, count and id come from the environment
import jax
from lamella.testing import Linear, PlainSGD, squared_error

process = jax.process_index()

class Batches:
    # An iterable of batches, read again every epoch (a list would be array data).
    def __init__(self, items):
        self.items = items
    def __iter__(self):
        return iter(self.items)
rng = np.random.default_rng(0)
x_all = rng.normal(size=(48, 6)).astype("float32")
y_all = (x_all @ rng.normal(size=(6, 4))).astype("float32")
x, y = x_all[24 * process:24 * (process + 1)], y_all[24 * process:24 * (process + 1)]

# Different seeds: the initial weights differ, and training starts from process 0's.
lamella.utils.set_random_seed(process)
dist.set_distribution(dist.DataParallel())
model = lamella.Sequential([lamella.Input((6,)), Linear(4)])
model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
# The same global batches streamed: each process yields its own 4 rows per batch.
lamella.utils.set_random_seed(process)
streamed = lamella.Sequential([lamella.Input((6,)), Linear(4)])
streamed.compile(optimizer=PlainSGD(0.05), loss=squared_error)
local_batches = Batches([(x[i:i + 4], y[i:i + 4]) for i in range(0, 24, 4)])
stream_history = streamed.fit(local_batches, epochs=3, verbose=0)
errors = {}
try:
    streamed.fit(Batches([(x[:3], y[:3])]), verbose=0)
except ValueError as error:
    errors["stream_rows"] = str(error)
try:
    model.fit(x, y, batch_size=7, verbose=0)
except ValueError as error:
    errors["batch_size"] = str(error)
report({
    "process": process,
    "processes": jax.process_count(),
    "devices": dist.list_devices(),
    "local_devices": len(jax.local_devices()),
    "loss": history.history["loss"],
    "weights": [w.tolist() for w in model.get_weights()],
    "evaluate": model.evaluate(x, y, batch_size=8, verbose=0),
    "predict": model.predict(x[:6], batch_size=4, verbose=0).tolist(),
    "errors": errors,
    "stream_loss": stream_history.history["loss"],
    "stream_weights": [w.tolist() for w in streamed.get_weights()],
    "stream_predict": streamed.predict(Batches([x[:4], x[4:8]]), verbose=0).tolist(),
})
"""


@pytest.fixture(scope="module")
def two_processes():
    return run_processes(_TWO_PROCESSES, num_processes=2, device_count=2)


def _interleave(first, second, rows):
    """The global batches of two processes feeding ``rows`` rows each per batch."""
    blocks = []
    for start in range(0, len(first), rows):
        blocks += [first[start:start + rows], second[start:start + rows]]
    return np.concatenate(blocks)


def test_two_processes_form_one_job_over_four_devices(two_processes):
    first, second = two_processes
    assert (first["process"], second["process"]) == (0, 1)
    assert first["processes"] == second["processes"] == 2
    assert first["devices"] == second["devices"] and len(first["devices"]) == 4
    assert first["local_devices"] == second["local_devices"] == 2


def test_two_processes_end_with_identical_weights_equal_to_one_process(two_processes):
    first, second = two_processes
    for a, b in zip(first["weights"], second["weights"]):
        np.testing.assert_array_equal(a, b)
    assert first["loss"] == second["loss"] and first["evaluate"] == second["evaluate"]
    # One process on the same global batches (4 rows from each process per batch,
    # from process 0's initial weights) follows the same steps.
    rng = np.random.default_rng(0)
    x_all = rng.normal(size=(48, 6)).astype("float32")
    y_all = (x_all @ rng.normal(size=(6, 4))).astype("float32")
    x_global = _interleave(x_all[:24], x_all[24:], 4)
    y_global = _interleave(y_all[:24], y_all[24:], 4)
    lamella.utils.set_random_seed(0)
    model = lamella.Sequential([lamella.Input((6,)), Linear(4)])
    model.compile(optimizer=PlainSGD(0.05), loss=squared_error)
    history = model.fit(x_global, y_global, batch_size=8, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(first["loss"], history.history["loss"], rtol=1e-5)
    for got, expected in zip(first["weights"], model.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(first["evaluate"], model.evaluate(x_global, y_global, verbose=0), rtol=1e-5)
    # Each process receives the predictions of its own samples.
    np.testing.assert_allclose(first["predict"], model.predict(x_all[:6], verbose=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(second["predict"], model.predict(x_all[24:30], verbose=0), rtol=1e-5, atol=1e-6)


def test_a_batch_that_processes_cannot_share_is_refused(two_processes):
    assert two_processes[0]["errors"]["batch_size"] == (
        "fit received batch_size=7, but 2 processes feed each batch together, the same "
        "number of rows each: pass a batch_size that is a multiple of 2."
    )


def test_each_process_streams_its_share_of_the_global_batch(two_processes):
    # Generators in both processes: the same global batches as the in-memory fit.
    for run in two_processes:
        np.testing.assert_allclose(run["stream_loss"], run["loss"], rtol=1e-5)
        for got, expected in zip(run["stream_weights"], run["weights"]):
            np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
        # Streamed predictions come back to the process that streamed the rows.
        np.testing.assert_allclose(run["stream_predict"][:6], run["predict"], rtol=1e-5, atol=1e-6)
    first = two_processes[0]
    assert "streamed a batch of 3 rows" in first["errors"]["stream_rows"]
