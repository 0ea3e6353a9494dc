"""``initialize``: several processes (hosts) training one model, via ``jax.distributed``.

Each process runs the same program on its own devices and feeds its own part of
the data; after ``initialize`` jax sees the devices of every process, and a
``DataParallel`` or ``ModelParallel`` over them trains one model together.
"""

import os

import jax

# Where the settings are read from when not given as arguments, first match wins:
# lamella's own names, the names Keras 3 reads (scripts written for it keep
# working), then jax's. When none is set, jax detects the cluster itself (SLURM,
# Open MPI, Kubernetes, Cloud TPU) or runs a single process.
ADDRESS_VARIABLES = (
    "LAMELLA_DISTRIBUTION_JOB_ADDRESSES",
    "KERAS_DISTRIBUTION_JOB_ADDRESSES",
    "JAX_COORDINATOR_ADDRESS",
)
NUM_PROCESSES_VARIABLES = (
    "LAMELLA_DISTRIBUTION_NUM_PROCESSES",
    "KERAS_DISTRIBUTION_NUM_PROCESSES",
    "JAX_NUM_PROCESSES",
)
PROCESS_ID_VARIABLES = (
    "LAMELLA_DISTRIBUTION_PROCESS_ID",
    "KERAS_DISTRIBUTION_PROCESS_ID",
    "JAX_PROCESS_ID",
)


def _from_environment(names, environ):
    for name in names:
        value = environ.get(name)
        if value not in (None, ""):
            return name, value
    return None, None


def _as_count(value, what, source):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"initialize expected an integer for {what}. Received: {source}={value!r}")
    return number


def _coordinator(job_addresses, source):
    addresses = job_addresses
    if isinstance(addresses, str):
        addresses = [a.strip() for a in addresses.split(",") if a.strip()]
    addresses = list(addresses)
    if not addresses:
        raise ValueError(f"initialize expected at least one address. Received: {source}={job_addresses!r}")
    coordinator = addresses[0]
    host, _, port = coordinator.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(
            "initialize expected 'host:port' addresses, the first being the "
            f"coordinator (process 0). Received: {source}={job_addresses!r}"
        )
    return coordinator, addresses


def resolve_arguments(job_addresses=None, num_processes=None, process_id=None, environ=None):
    """The ``(coordinator_address, num_processes, process_id)`` ``initialize`` uses.

    Arguments win over environment variables (see ``ADDRESS_VARIABLES`` and the
    two lists after it). ``None`` entries are left for jax to detect.
    """
    environ = os.environ if environ is None else environ
    sources = {}
    if job_addresses is None:
        sources["job_addresses"], job_addresses = _from_environment(ADDRESS_VARIABLES, environ)
    else:
        sources["job_addresses"] = "job_addresses"
    if num_processes is None:
        sources["num_processes"], num_processes = _from_environment(NUM_PROCESSES_VARIABLES, environ)
    else:
        sources["num_processes"] = "num_processes"
    if process_id is None:
        sources["process_id"], process_id = _from_environment(PROCESS_ID_VARIABLES, environ)
    else:
        sources["process_id"] = "process_id"
    coordinator = addresses = None
    if job_addresses is not None:
        coordinator, addresses = _coordinator(job_addresses, sources["job_addresses"])
    if num_processes is not None:
        num_processes = _as_count(num_processes, "num_processes", sources["num_processes"])
        if num_processes < 1:
            raise ValueError(
                "initialize expected a positive num_processes. "
                f"Received: {sources['num_processes']}={num_processes}"
            )
        if addresses is not None and len(addresses) > 1 and len(addresses) != num_processes:
            raise ValueError(
                f"initialize received {len(addresses)} job addresses for "
                f"{num_processes} processes: give one address per process, or only "
                "the coordinator's."
            )
    elif addresses is not None and len(addresses) > 1:
        num_processes = len(addresses)
    if process_id is not None:
        process_id = _as_count(process_id, "process_id", sources["process_id"])
        if process_id < 0 or (num_processes is not None and process_id >= num_processes):
            raise ValueError(
                f"initialize expected a process_id in [0, {num_processes}). "
                f"Received: {sources['process_id']}={process_id}"
            )
    return coordinator, num_processes, process_id


def initialize(job_addresses=None, num_processes=None, process_id=None, initialization_timeout=300):
    """Connects this process to the others of a multi-process (multi-host) job.

    Call it first thing, in every process, before any other lamella or jax
    work; it wraps ``jax.distributed.initialize``. Afterwards
    ``list_devices()`` lists the devices of every process, and a
    ``DataParallel()`` spans them all. Each process passes its own part of the
    data to ``fit`` (the same number of samples in each); the global batch is
    the concatenation of the processes' batches.

    Args:
        job_addresses: ``'host:port'`` of the coordinator (process 0), or a
            comma-separated list (or a list) of every process's address, the
            coordinator first. Default: ``LAMELLA_DISTRIBUTION_JOB_ADDRESSES``,
            ``KERAS_DISTRIBUTION_JOB_ADDRESSES`` or ``JAX_COORDINATOR_ADDRESS``.
        num_processes: the number of processes. Default: from
            ``LAMELLA_DISTRIBUTION_NUM_PROCESSES``, ``KERAS_...`` or
            ``JAX_NUM_PROCESSES``, else the number of job addresses.
        process_id: this process's index, from 0. Default: from
            ``LAMELLA_DISTRIBUTION_PROCESS_ID``, ``KERAS_...`` or ``JAX_PROCESS_ID``.
        initialization_timeout: seconds to wait for every process to join.

    With nothing given or set, jax detects the cluster (SLURM, Open MPI,
    Kubernetes, Cloud TPU).

    Example (two processes on one machine, one per shell)::

        lamella.distribution.initialize("127.0.0.1:1234", num_processes=2, process_id=0)
        lamella.distribution.initialize("127.0.0.1:1234", num_processes=2, process_id=1)
    """
    coordinator, num_processes, process_id = resolve_arguments(job_addresses, num_processes, process_id)
    jax.distributed.initialize(
        coordinator_address=coordinator,
        num_processes=num_processes,
        process_id=process_id,
        initialization_timeout=int(initialization_timeout),
    )
