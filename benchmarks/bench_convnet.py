"""Convnet training speed: lamella vs Keras 3 (jax backend) vs hand-written jax loops.

Run from the repository root::

    .venv/bin/python benchmarks/bench_convnet.py            # full run, ~10 minutes
    .venv/bin/python benchmarks/bench_convnet.py --quick    # a smoke test

Workload ``mnist_convnet``: the Keras MNIST example, Conv2D(32, 3, relu) ->
MaxPooling2D(2) -> Conv2D(64, 3, relu) -> MaxPooling2D(2) -> Flatten -> Dropout(0.5)
-> Dense(10, softmax), 34,826 weights, on 15,000 random 28x28x1 float32 images with
one-hot labels of 10 classes, batch 128 (117 batches of 128 and one of 24 per
epoch), ``compile(optimizer='adam', loss='categorical_crossentropy',
metrics=['accuracy'])``, ``fit(..., verbose=0, shuffle=True)``. About 2 GFLOP per
step: the compiled step dominates. E = 4 epochs per run.

Contestants, each in its own subprocess per round (see ``bench_mlp.py`` and
``benchmarks/README.md`` for the conventions, which are the same):

- ``lamella``: ``lamella.Sequential`` + ``lamella.layers``, ``fit``, cold
  persistent compile cache. ``lamella-warm``: a second process on that cache,
  first epoch only. ``lamella-spe8``: the same with ``compile(...,
  steps_per_execution=UNROLL)``, which on CPU writes ``UNROLL`` convolutional steps
  out in one program (``lamella/training/dispatch.py``), as ``jax-unrolled`` does.
- ``keras``: the same code with Keras 3.15, ``KERAS_BACKEND=jax``.
- ``jax``: a hand-written jax + optax loop (``HandWrittenConvnet``): data on the
  device once, one jitted step with donated state that gathers its batch from the
  epoch's permutation on the device, dropout, ``log_softmax`` crossentropy, optax
  adam with Keras' defaults, an accuracy count; a host loop over steps; logs read
  at epoch end. Pooling as a reshape and a max (faster than ``reduce_window`` on
  XLA:CPU, see ``lamella/layers/pooling/base_pooling.py``) with a derivative rule
  of its own that gives each window's gradient to its first maximum, one select
  (jax's rule for ``jnp.max`` shares it among ties in four full-size passes; the
  same idea as ``lamella/layers/pooling/tile_max.py``, written here again so the
  loop imports nothing from lamella), and compiled with the
  XLA:CPU options lamella gives its training steps (convolutions to Eigen,
  reductions to YNNPACK; ``lamella/backend/compile_options.py``): the fastest single
  step we could write.
- ``jax-unrolled``: the same step, ``UNROLL`` steps unrolled in one jitted call
  (DESIGN.md section 5 once measured chunks of 8 as the best convnet loop).
- extra contestants (``--contestants``): ``jax-default`` (the ``jax`` loop compiled
  without the XLA options), ``jax-scan`` (the step in a ``lax.scan`` of
  ``UNROLL`` steps; on XLA:CPU convolutions inside loops run ~10x slower, which is
  why lamella does not use its device-side loop for convolutional steps on CPU)
  and ``jax-unrolled-jnpmax`` (``jax-unrolled`` with jax's own derivative of the
  pooling max, the loop as it was before 2026-12-05).

Then one more process runs lamella's ``fit`` (both settings) and the ``jax`` and
``jax-unrolled`` loops side by side, one epoch of each in turn (the others' epochs
run from a callback of the ``lamella`` fit, outside its timed spans; the
``lamella-spe8`` fit runs in a thread that trains one epoch per turn, timed from
its own epoch-begin to epoch-end like the first; the order rotates every epoch;
``--interleaved-epochs``, 7 each by default): processes of the same program
differ by several percent on these virtual CPUs, so the rounds above compare
machines as much as programs, while epochs run in turn in one process share the
machine's state. It reports each contestant's steady samples/s, lamella's ratio
to each loop (of the median epochs, and the median of the ratios of neighbouring
epochs).

Numbers are those of ``bench_mlp.py``: first epoch (compile included), steady
samples/s (epochs 2..E pooled over rounds), ms/step, the cores other processes used
and the throughput of quiet epochs. Results: a table on stdout, progress on stderr,
``benchmarks/results/convnet.json``.
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _harness  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results", "convnet.json")

WORKLOAD = {
    "name": "mnist_convnet", "image": (28, 28, 1), "filters": (32, 64), "dropout": 0.5,
    "classes": 10, "samples": 15_000, "batch_size": 128, "epochs": 4,
}
CONTESTANTS = ("lamella", "lamella-spe8", "keras", "jax", "jax-unrolled")
EXTRA_CONTESTANTS = ("jax-default", "jax-scan", "jax-unrolled-jnpmax")
UNROLL = 8
LEARNING_RATE = 1e-3
ADAM_EPSILON = 1e-7  # Keras' default (optax's is 1e-8)
# lamella's training-step options, written out: the hand-written loops import nothing
# from lamella.
CPU_OPTIONS = {
    "xla_cpu_experimental_ynn_fusion_type": "LIBRARY_FUSION_TYPE_INDIVIDUAL_DOT,LIBRARY_FUSION_TYPE_REDUCE"
}


def make_data(workload, seed=0):
    rng = np.random.default_rng(seed)
    n = workload["samples"]
    x = rng.random((n, *workload["image"]), dtype=np.float32)
    y = np.eye(workload["classes"], dtype=np.float32)[rng.integers(0, workload["classes"], n)]
    return x, y


# -- contestants (child process) ----------------------------------------------------------


def _convnet(api, workload, steps_per_execution="auto"):
    """The workload's model in ``api`` (lamella or keras), compiled."""
    layers = api.layers
    model = api.Sequential([
        api.Input(workload["image"]),
        layers.Conv2D(workload["filters"][0], kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Conv2D(workload["filters"][1], kernel_size=(3, 3), activation="relu"),
        layers.MaxPooling2D(pool_size=(2, 2)),
        layers.Flatten(),
        layers.Dropout(workload["dropout"]),
        layers.Dense(workload["classes"], activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"],
                  **({} if steps_per_execution == "auto" else {"steps_per_execution": steps_per_execution}))
    return model


def _fit_keras_style(api, callback_base, workload, x, y, import_started, steps_per_execution="auto"):
    import jax

    model = _convnet(api, workload, steps_per_execution)
    clock = _harness.EpochClock()

    class EpochTimer(callback_base):
        def on_epoch_end(self, epoch, logs=None):
            clock.epoch_end([v.value for v in self.model.trainable_variables])

    import_build_s = time.perf_counter() - import_started
    clock.start()
    history = model.fit(x, y, batch_size=workload["batch_size"], epochs=workload["epochs"],
                        verbose=0, shuffle=True, callbacks=[EpochTimer()])
    clock.stop([v.value for v in model.trainable_variables])
    logs = {k: [float(v) for v in vs] for k, vs in history.history.items()}
    return clock, import_build_s, logs, jax


def run_lamella(workload, x, y, import_started, steps_per_execution="auto"):
    import lamella

    return _fit_keras_style(lamella, lamella.callbacks.Callback, workload, x, y, import_started,
                            steps_per_execution)


def run_keras(workload, x, y, import_started):
    import keras

    assert keras.backend.backend() == "jax", keras.backend.backend()
    return _fit_keras_style(keras, keras.callbacks.Callback, workload, x, y, import_started)


class HandWrittenConvnet:
    """The hand-written convnet step (see the module docstring).

    ``make_call(size, count, mode)``: a jitted function running ``count`` steps on
    batches of ``size`` rows (``mode``: ``'unrolled'`` or ``'scan'``), taking and
    donating ``(params, adam state, key, position, loss sum, hit count)``.
    """

    def __init__(self, workload, compiler_options, pool_rule="first-max"):
        import jax
        import jax.numpy as jnp
        import optax

        self.compiler_options = compiler_options
        f1, f2 = workload["filters"]
        rate, classes = workload["dropout"], workload["classes"]
        channels = workload["image"][-1]
        rng = np.random.default_rng(1)

        def glorot(shape, fan_in, fan_out):
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            return rng.uniform(-limit, limit, shape).astype(np.float32)

        flat = 5 * 5 * f2
        self.host_params = {
            "k1": glorot((3, 3, channels, f1), 9 * channels, 9 * f1), "b1": np.zeros(f1, np.float32),
            "k2": glorot((3, 3, f1, f2), 9 * f1, 9 * f2), "b2": np.zeros(f2, np.float32),
            "w": glorot((flat, classes), flat, classes), "b": np.zeros(classes, np.float32),
        }
        optimizer = self.optimizer = optax.adam(LEARNING_RATE, eps=ADAM_EPSILON)
        numbers = ("NHWC", "HWIO", "NHWC")

        def tiles(h):
            n, rows, cols, c = h.shape
            return h[:, : rows // 2 * 2, : cols // 2 * 2].reshape(n, rows // 2, 2, cols // 2, 2, c)

        def jnp_pool(h):
            return tiles(h).max(axis=(2, 4))

        # jax's derivative of a max shares the gradient among tied inputs, four
        # full-size passes; this rule gives it all to the first maximum of each 2x2
        # window (as reduce_window and Keras do), one select.
        @jax.custom_jvp
        def first_max_pool(h):
            return jnp_pool(h)

        @first_max_pool.defjvp
        def first_max_pool_jvp(primals, tangents):
            (h,), (h_dot,) = primals, tangents
            t, t_dot = tiles(h), tiles(h_dot)
            peak = first_max_pool(h)
            seen = jnp.zeros(peak.shape, bool)
            firsts = []
            for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)):
                hit = (t[:, :, i, :, j] == peak) & ~seen
                seen = seen | hit
                firsts.append(hit)
            n, rows, cols, c = peak.shape
            # (n, rows, cols, c, 2, 2) -> the tile layout (n, rows, 2, cols, 2, c).
            mask = jnp.stack(firsts, -1).reshape(n, rows, cols, c, 2, 2).transpose(0, 1, 4, 2, 5, 3)
            return peak, jnp.where(mask, t_dot, 0.0).sum(axis=(2, 4))

        pool = first_max_pool if pool_rule == "first-max" else jnp_pool

        def forward(p, xb, key):
            h = jax.lax.conv_general_dilated(xb, p["k1"], (1, 1), "VALID", dimension_numbers=numbers)
            h = pool(jax.nn.relu(h + p["b1"]))
            h = jax.lax.conv_general_dilated(h, p["k2"], (1, 1), "VALID", dimension_numbers=numbers)
            h = pool(jax.nn.relu(h + p["b2"])).reshape(xb.shape[0], -1)
            keep = jax.random.bernoulli(key, 1.0 - rate, h.shape)
            h = jnp.where(keep, h / (1.0 - rate), 0.0)
            return h @ p["w"] + p["b"]

        def loss_fn(p, xb, yb, key):
            logits = forward(p, xb, key)
            return -jnp.mean(jnp.sum(yb * jax.nn.log_softmax(logits), axis=-1)), logits

        def make_step(size):
            def step(state, x_all, y_all, perm):
                params, opt_state, key, position, loss_sum, correct = state
                indices = jax.lax.dynamic_slice_in_dim(perm, position, size)
                xb = jnp.take(x_all, indices, axis=0, mode="clip")
                yb = jnp.take(y_all, indices, axis=0, mode="clip")
                key, dropout_key = jax.random.split(key)
                (loss, logits), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, xb, yb, dropout_key)
                updates, opt_state = optimizer.update(grads, opt_state, params)
                params = optax.apply_updates(params, updates)
                hits = jnp.sum(jnp.argmax(logits, -1) == jnp.argmax(yb, -1))
                return params, opt_state, key, position + size, loss_sum + loss * size, correct + hits

            return step

        def make_call(size, count=1, mode="unrolled"):
            step = make_step(size)

            def call(state, x_all, y_all, perm):
                if mode == "scan":
                    body = lambda carry, _: (step(carry, x_all, y_all, perm), None)  # noqa: E731
                    return jax.lax.scan(body, state, None, length=count)[0]
                for _ in range(count):
                    state = step(state, x_all, y_all, perm)
                return state

            return jax.jit(call, donate_argnums=0, compiler_options=self.compiler_options)

        self.make_call = make_call


class HandWrittenLoop:
    """A hand-written contestant run epoch by epoch: ``HandWrittenConvnet``'s calls
    (``count`` steps per call, ``mode`` as there), the data and state on the device
    (``start``), a host loop over the epoch's calls (``epoch``)."""

    def __init__(self, workload, count=1, mode="unrolled", options=CPU_OPTIONS, pool_rule="first-max"):
        import jax

        self.workload, self.count, self.mode = workload, count, mode
        self.convnet = HandWrittenConvnet(workload, options if jax.default_backend() == "cpu" else {}, pool_rule)
        self.logs = {"loss": [], "accuracy": []}

    def start(self, x, y):
        import jax

        convnet, batch, count = self.convnet, self.workload["batch_size"], self.count
        self.x, self.y = jax.device_put(x), jax.device_put(y)
        self.params = jax.device_put(convnet.host_params)
        self.opt_state = convnet.optimizer.init(self.params)
        self.key = jax.random.key(0)
        self.perm_rng = np.random.default_rng(2)
        full_steps, remainder = divmod(self.workload["samples"], batch)
        chunks, singles = divmod(full_steps, count)
        # The epoch's calls, in order: chunks of `count` steps, single steps, the
        # short last batch.
        chunk = convnet.make_call(batch, count, self.mode) if count > 1 else None
        step = convnet.make_call(batch)
        self.calls = ([chunk] * chunks + [step] * singles) if chunk else [step] * full_steps
        if remainder:
            self.calls.append(convnet.make_call(remainder))

    def epoch(self):
        """Runs one epoch; returns the new parameters (not waited for)."""
        import jax
        import jax.numpy as jnp

        n = self.workload["samples"]
        perm = jax.device_put(self.perm_rng.permutation(n).astype(np.int32))
        state = (self.params, self.opt_state, self.key, jnp.zeros((), jnp.int32), jnp.zeros((), jnp.float32),
                 jnp.zeros((), jnp.int32))
        for call in self.calls:
            state = call(state, self.x, self.y, perm)
        self.params, self.opt_state, self.key, _, loss_sum, correct = state
        loss_sum, correct = jax.device_get((loss_sum, correct))
        self.logs["loss"].append(float(loss_sum) / n)
        self.logs["accuracy"].append(float(correct) / n)
        return self.params


HAND_WRITTEN = {
    "jax": {},
    "jax-unrolled": {"count": UNROLL},
    "jax-default": {"options": {}},
    "jax-scan": {"count": UNROLL, "mode": "scan"},
    "jax-unrolled-jnpmax": {"count": UNROLL, "pool_rule": "jnp.max"},
}


def run_jax(workload, x, y, import_started, name="jax"):
    import jax

    loop = HandWrittenLoop(workload, **HAND_WRITTEN[name])
    import_build_s = time.perf_counter() - import_started
    clock = _harness.EpochClock()
    clock.start()
    loop.start(x, y)
    for _ in range(workload["epochs"]):
        clock.epoch_end(loop.epoch())
    clock.stop(loop.params)
    return clock, import_build_s, loop.logs, jax


INTERLEAVED = ("lamella", "lamella-spe8", "jax", "jax-unrolled")
HAND_WRITTEN_INTERLEAVED = ("jax", "jax-unrolled")


class LamellaEpochs:
    """``lamella-spe8`` in the same-process phase: its own model and one ``fit`` of
    every epoch, as a user runs it, in a thread that trains one epoch each time
    ``epoch()`` gives it the turn and waits for that epoch's end. The span from its
    ``on_epoch_begin`` (once it has the turn) to its ``on_epoch_end`` is appended to
    ``spans``."""

    def __init__(self, workload, steps_per_execution, spans, x, y):
        import threading

        import lamella

        self.turn, self.finished = threading.Semaphore(0), threading.Semaphore(0)
        self.error, self.left = None, workload["epochs"]
        model = _convnet(lamella, workload, steps_per_execution)
        outer = self

        class Turns(lamella.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                outer.turn.acquire()
                self.clock = _harness.EpochClock()
                self.clock.start()

            def on_epoch_end(self, epoch, logs=None):
                self.clock.epoch_end([v.value for v in self.model.trainable_variables])
                spans.append((self.clock.epoch_seconds()[0], self.clock.epoch_load()[0]))
                outer.finished.release()

        def train():
            try:
                model.fit(x, y, batch_size=workload["batch_size"], epochs=workload["epochs"], verbose=0,
                          shuffle=True, callbacks=[Turns()])
            except BaseException as error:  # handed to the main thread by epoch()
                outer.error = error
                outer.finished.release()

        self.thread = threading.Thread(target=train, name="lamella-spe8", daemon=True)
        self.thread.start()

    def epoch(self):
        self.turn.release()
        self.finished.acquire()
        if self.error is not None:
            raise RuntimeError("the lamella-spe8 fit failed") from self.error
        self.left -= 1
        if not self.left:  # the fit's end runs before the next contestant's turn
            self.thread.join()


def run_interleaved(workload, x, y):
    """lamella's ``fit`` and the hand-written loops in one process, one epoch each
    in turn, so that the machine's drift between processes does not enter their
    ratio. The hand-written epochs run from the ``fit``'s own callback, outside
    the span timed for lamella's epoch (``on_epoch_begin`` to the end of the
    epoch's last step); the order rotates every epoch. Returns, per contestant,
    the epochs' seconds and loads (the first includes its compilation)."""
    import jax

    import lamella

    hand = {name: HandWrittenLoop(workload, **HAND_WRITTEN[name]) for name in HAND_WRITTEN_INTERLEAVED}
    for loop in hand.values():
        loop.start(x, y)
    spans = {name: [] for name in INTERLEAVED}
    chunked = LamellaEpochs(workload, UNROLL, spans["lamella-spe8"], x, y)

    def run_other(name):
        if name == "lamella-spe8":
            chunked.epoch()
        else:
            timed(name, hand[name].epoch)

    def timed(name, run):
        clock = _harness.EpochClock()
        clock.start()
        clock.epoch_end(run())
        spans[name].append((clock.epoch_seconds()[0], clock.epoch_load()[0]))

    def turn(epoch):
        shift = epoch % len(INTERLEAVED)
        order = INTERLEAVED[shift:] + INTERLEAVED[:shift]
        at = order.index("lamella")
        return order[:at], order[at + 1:]

    class Turns(lamella.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            for name in turn(epoch)[0]:
                run_other(name)
            self.clock = _harness.EpochClock()
            self.clock.start()

        def on_epoch_end(self, epoch, logs=None):
            self.clock.epoch_end([v.value for v in self.model.trainable_variables])
            spans["lamella"].append((self.clock.epoch_seconds()[0], self.clock.epoch_load()[0]))
            for name in turn(epoch)[1]:
                run_other(name)

    model = _convnet(lamella, workload)
    model.fit(x, y, batch_size=workload["batch_size"], epochs=workload["epochs"], verbose=0,
              shuffle=True, callbacks=[Turns()])
    return {name: {"epoch_s": [t for t, _ in spans[name]], "epoch_load": [load for _, load in spans[name]]}
            for name in INTERLEAVED}, jax


RUNNERS = {
    "lamella": run_lamella,
    "lamella-spe8": lambda w, x, y, t: run_lamella(w, x, y, t, steps_per_execution=UNROLL),
    "keras": run_keras,
    **{name: (lambda w, x, y, t, name=name: run_jax(w, x, y, t, name)) for name in HAND_WRITTEN},
}


def worker(contestant, epochs):
    workload = dict(WORKLOAD, epochs=epochs)
    x, y = make_data(workload)
    if contestant == "interleaved":
        spans, jax = run_interleaved(workload, x, y)
        _harness.emit({"contestant": contestant, "workload": workload["name"], "epochs": epochs,
                       "spans": spans, "jax_backend": jax.default_backend()})
        return
    import_started = time.perf_counter()
    clock, import_build_s, logs, jax = RUNNERS[contestant](workload, x, y, import_started)
    epochs_s = clock.epoch_seconds()
    _harness.emit({
        "contestant": contestant, "workload": workload["name"], "epochs": epochs,
        "import_build_s": import_build_s, "epoch_s": epochs_s, "epoch_load": clock.epoch_load(),
        "fit_total_s": clock.total_seconds(), "untimed_tail_s": clock.total_seconds() - sum(epochs_s),
        "epoch_end_sync_wait_s": clock.sync_waits, "logs": logs,
        "jax_backend": jax.default_backend(),
    })


# -- the parent ------------------------------------------------------------------------------


def child_env(contestant, cache_dir):
    return {
        "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu", "PYTHONDONTWRITEBYTECODE": "1",
        "JAX_COMPILATION_CACHE_DIR": None, "LAMELLA_COMPILE_CACHE": None, "XLA_FLAGS": None,
        "LAMELLA_COMPILE_CACHE_DIR": cache_dir if contestant.startswith("lamella") else None,
    }


def run_all(contestants, rounds, epochs, warm_cache, quiet_wait, log):
    runs = []
    for round_index in range(rounds):
        shift = round_index % len(contestants)
        for contestant in list(contestants[shift:]) + list(contestants[:shift]):
            cache_dir = _harness.fresh_cache_dir()
            plan = [(contestant, epochs)]
            if contestant == "lamella" and warm_cache:
                plan.append(("lamella-warm", 1))
            for name, run_epochs in plan:
                load_before = _harness.wait_for_quiet(quiet_wait, log=log) if quiet_wait else None
                started = time.perf_counter()
                result = _harness.run_worker(
                    os.path.abspath(__file__),
                    ["--worker", "lamella" if name == "lamella-warm" else name, "--epochs", str(run_epochs)],
                    env=child_env(name, cache_dir),
                )
                result.update(contestant=name, round=round_index, load_before=load_before,
                              process_wall_s=time.perf_counter() - started)
                runs.append(result)
                s = _harness.summarize(result["epoch_s"], WORKLOAD["samples"], result["epoch_load"])
                steady = (f"steady {s['samples_per_s']:7,.0f} samples/s (others' cores "
                          f"{s['other_cores']:.2f})" if "samples_per_s" in s else "first epoch only")
                log(f"  round {round_index + 1}/{rounds} {name:13s} first epoch "
                    f"{s['first_epoch_s']:6.2f} s, {steady}")
    return runs


def run_interleaved_phase(epochs, quiet_wait, log):
    """The ``interleaved`` worker (``run_interleaved``) in one fresh process."""
    load_before = _harness.wait_for_quiet(quiet_wait, log=log) if quiet_wait else None
    started = time.perf_counter()
    result = _harness.run_worker(os.path.abspath(__file__), ["--worker", "interleaved", "--epochs", str(epochs)],
                                 env=child_env("lamella", _harness.fresh_cache_dir()))
    result.update(load_before=load_before, process_wall_s=time.perf_counter() - started)
    log(f"  same process, epochs in turn: {epochs} epochs each ({result['process_wall_s']:.0f} s)")
    return result


def summarize_interleaved(result):
    """Per contestant, ``_harness.summarize`` of its epochs; per hand-written loop,
    each lamella setting's throughput over the loop's (``<lamella>/<loop>``): the ratio
    of their median epochs and the median of the ratios of the epochs run side by
    side."""
    spans, samples = result["spans"], WORKLOAD["samples"]
    out = {name: _harness.summarize(span["epoch_s"], samples, span["epoch_load"]) for name, span in spans.items()}
    for mine in ("lamella", "lamella-spe8"):
        ours = spans[mine]["epoch_s"][1:]
        for name in HAND_WRITTEN_INTERLEAVED:
            theirs = spans[name]["epoch_s"][1:]
            if ours and theirs:
                out[f"{mine}/{name}"] = {
                    "ratio_of_medians": statistics.median(theirs) / statistics.median(ours),
                    "median_of_paired_ratios": statistics.median(t / o for t, o in zip(theirs, ours)),
                    "pairs": min(len(theirs), len(ours)),
                }
    return out


def aggregate(runs):
    groups = {}
    for run in runs:
        groups.setdefault(run["contestant"], []).append(run)
    steps = -(-WORKLOAD["samples"] // WORKLOAD["batch_size"])
    summary = {}
    for contestant, group in groups.items():
        firsts = [run["epoch_s"][0] for run in group]
        steady = [t for run in group for t in run["epoch_s"][1:]]
        load = [e for run in group for e in run["epoch_load"][1:]]
        entry = _harness.summarize([statistics.median(firsts), *steady], WORKLOAD["samples"], [None, *load])
        entry.update(runs=len(group), first_epoch_s_all=firsts,
                     import_build_s=statistics.median(run["import_build_s"] for run in group),
                     final_loss=statistics.median(run["logs"]["loss"][-1] for run in group))
        if "median_epoch_s" in entry:
            entry["ms_per_step"] = 1e3 * entry["median_epoch_s"] / steps
        summary[contestant] = entry
    return summary


RATIO_PAIRS = [("lamella", "jax"), ("lamella", "jax-unrolled"), ("lamella-spe8", "jax-unrolled"),
               ("lamella-spe8", "lamella"), ("lamella", "keras"),
               ("keras", "jax"), ("jax-unrolled", "jax"), ("jax-default", "jax"), ("jax-scan", "jax")]


def ratios(summary):
    out = {}
    for a, b in RATIO_PAIRS:
        if a in summary and b in summary and "samples_per_s" in summary[a] and "samples_per_s" in summary[b]:
            ea, eb = summary[a], summary[b]
            quiet = None
            if ea.get("quiet_epochs", 0) >= 2 and eb.get("quiet_epochs", 0) >= 2:
                quiet = ea["quiet_samples_per_s"] / eb["quiet_samples_per_s"]
            out[f"{a}/{b}"] = {"steady_throughput": ea["samples_per_s"] / eb["samples_per_s"],
                               "quiet_steady_throughput": quiet,
                               "first_epoch_time": ea["first_epoch_s"] / eb["first_epoch_s"]}
    return out


def report(summary):
    dash = "-"
    rows = []
    for contestant, e in summary.items():
        steady = "samples_per_s" in e
        rows.append([
            WORKLOAD["name"], contestant, f"{e['first_epoch_s']:.2f}",
            f"{e['samples_per_s']:,.0f}" if steady else dash,
            f"{e['samples_per_s_min']:,.0f}..{e['samples_per_s_max']:,.0f}" if steady else dash,
            f"{e['ms_per_step']:.1f}" if steady else dash,
            f"{e['other_cores']:.2f}" if steady else dash,
            f"{e['quiet_samples_per_s']:,.0f} ({e['quiet_epochs']})" if "quiet_samples_per_s" in e else dash,
        ])
    table = _harness.format_table(
        ["workload", "contestant", "first epoch s", "steady samples/s", "min..max", "ms/step",
         "others' cores", "quiet epochs' samples/s (n)"], rows)
    show = lambda v: dash if v is None else f"{v:.3f}"  # noqa: E731
    ratio_rows = [[WORKLOAD["name"], pair, show(r["steady_throughput"]), show(r["quiet_steady_throughput"]),
                   show(r["first_epoch_time"])] for pair, r in ratios(summary).items()]
    ratio_table = _harness.format_table(
        ["workload", "a/b", "steady throughput (>1: a faster)", "quiet epochs' throughput",
         "first epoch time (<1: a faster)"], ratio_rows)
    return f"{table}\n\n{ratio_table}"


def report_interleaved(interleaved):
    dash = "-"
    rows = []
    for name in INTERLEAVED:
        e = interleaved[name]
        steady = "samples_per_s" in e
        rows.append([name, f"{e['first_epoch_s']:.2f}", f"{e['samples_per_s']:,.0f}" if steady else dash,
                     f"{e['samples_per_s_min']:,.0f}..{e['samples_per_s_max']:,.0f}" if steady else dash,
                     f"{e['other_cores']:.2f}" if "other_cores" in e else dash])
    table = _harness.format_table(
        ["same process, in turn", "first epoch s", "steady samples/s", "min..max", "others' cores"], rows)
    ratio_rows = [[pair, f"{r['ratio_of_medians']:.3f}", f"{r['median_of_paired_ratios']:.3f}", str(r["pairs"])]
                  for pair, r in interleaved.items() if "/" in pair]
    ratio_table = _harness.format_table(
        ["a/b (same process)", "ratio of medians (>1: a faster)", "median of paired epochs", "pairs"], ratio_rows)
    return f"{table}\n\n{ratio_table}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contestants", nargs="+", choices=CONTESTANTS + EXTRA_CONTESTANTS,
                        default=list(CONTESTANTS))
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of separate processes (0: only the same-process phase)")
    parser.add_argument("--epochs", type=int, default=WORKLOAD["epochs"])
    parser.add_argument("--no-warm-cache", dest="warm_cache", action="store_false")
    parser.add_argument("--quiet-wait", type=float, default=30.0,
                        help="before each run, wait up to this many seconds for idle CPUs")
    parser.add_argument("--interleaved-epochs", type=int, default=7,
                        help="epochs per contestant of the same-process phase (0: skip it)")
    parser.add_argument("--quick", action="store_true", help="1 round, 3 epochs")
    parser.add_argument("--output", default=RESULTS)
    parser.add_argument("--worker", choices=[*RUNNERS, "interleaved"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.epochs)
        return 0
    if args.quick:
        args.rounds, args.epochs = 1, 3
        args.interleaved_epochs = min(args.interleaved_epochs, 3)

    import json

    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    _harness.compile_bytecode(log)
    machine = _harness.machine_info()
    machine["source"] = _harness.source_state(HERE)
    log(f"Convnet benchmark on {machine['cpu_count']} CPUs ({machine['cpu_model']}), "
        f"jax {machine['versions']['jax']}, keras {machine['versions']['keras']}")
    started = time.perf_counter()
    runs = run_all(args.contestants, args.rounds, args.epochs, args.warm_cache, args.quiet_wait, log)
    summary = aggregate(runs)
    interleaved = None
    if args.interleaved_epochs > 1:
        interleaved = run_interleaved_phase(args.interleaved_epochs, args.quiet_wait, log)
        interleaved["summary"] = summarize_interleaved(interleaved)
    tables = [report(summary)] if summary else []
    if interleaved:
        tables.append(report_interleaved(interleaved["summary"]))
    print("\n\n".join(tables), flush=True)
    result = {
        "benchmark": "convnet", "machine": machine,
        "settings": {"rounds": args.rounds, "epochs": args.epochs, "warm_cache": args.warm_cache,
                     "quiet_wait_s": args.quiet_wait, "workload": WORKLOAD, "unroll": UNROLL,
                     "interleaved_epochs": args.interleaved_epochs,
                     "command": " ".join([os.path.relpath(sys.executable), *sys.argv])},
        "summary": summary, "ratios": ratios(summary), "runs": runs, "interleaved": interleaved,
        "wall_s": time.perf_counter() - started,
    }
    _harness.write_results(args.output, result)
    log(f"wrote {args.output} ({result['wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
