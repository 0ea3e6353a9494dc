"""``Progbar``: the Keras progress bar, for terminals and for logs.

On a terminal the bar redraws in place (``verbose=1``); when output is not a
terminal (a log file, CI), or with ``verbose=2``, only one line is printed when the
bar finishes (``13/13 - 0s - 2ms/step - loss: 0.1234``), so logs stay readable.
"""

import os
import sys
import time


def _is_terminal(stream):
    if os.environ.get("LAMELLA_PROGBAR_FORCE_TTY"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def format_duration(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def format_per_step(seconds, unit):
    if seconds >= 1:
        return f"{seconds:.0f}s/{unit}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit}"
    return f"{seconds * 1e6:.0f}us/{unit}"


def format_value(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e4):
        return f"{value:.4e}"
    return f"{value:.4f}"


class Progbar:
    """A progress bar over ``target`` steps.

    The time per step leaves out the time to the first update (mostly compiling)
    once a later update has come, so the ETA and the speed show the steady pace.

    Args:
        target: the number of steps, or ``None`` when unknown.
        width: the bar's width in characters.
        verbose: 1 for a live bar (one line at the end when not on a terminal), 2
            for one line at the end only, 0 for silence.
        interval: the minimum seconds between redraws.
        unit_name: the name of one step in the speed display.
        stream: where to write (default ``sys.stdout``).
        stateful_metrics: accepted for Keras compatibility; every value shown is
            already an average over the epoch, so none is averaged again.
        prefix: text put before the one-line form (``'Epoch 1/3 - '``).

    Example:

    >>> bar = Progbar(target=10, verbose=2)
    >>> for step in range(1, 11):
    ...     bar.update(step, {"loss": 1.0 / step})  # doctest: +ELLIPSIS
    10/10 - 0s - ...
    """

    def __init__(self, target, width=30, verbose=1, interval=0.1, unit_name="step", stream=None,
                 stateful_metrics=None, prefix=""):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stream = stream or sys.stdout
        self.prefix = prefix
        self._dynamic = _is_terminal(self.stream)
        self._start = time.monotonic()
        self._first = None  # (time, steps) of the first update
        self._last_draw = 0.0
        self._last_length = 0
        self._values = {}
        self._seen = 0

    @property
    def live(self):
        """Whether the bar redraws in place (``verbose=1`` on a terminal)."""
        return self.verbose == 1 and self._dynamic

    def due(self):
        """Whether enough time has passed for the next redraw."""
        return self.live and time.monotonic() - self._last_draw >= self.interval

    def update(self, current, values=None, finalize=None):
        """Shows ``current`` steps done and the given ``values`` (name -> number)."""
        if values:
            items = values.items() if hasattr(values, "items") else values
            for name, value in items:
                self._values[name] = value
        self._seen = current
        if self._first is None and current > 0:
            self._first = (time.monotonic(), current)
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if self.verbose == 0:
            return
        if not finalize and not self.due():
            return
        self._draw(current, finalize)

    def add(self, n, values=None):
        self.update(self._seen + n, values)

    def _time_per_step(self, now, current):
        if self._first is not None and current > self._first[1]:
            first_time, first_steps = self._first
            return (now - first_time) / (current - first_steps)
        return (now - self._start) / max(current, 1)

    def _draw(self, current, finalize):
        now = time.monotonic()
        elapsed = now - self._start
        self._last_draw = now
        per_step = self._time_per_step(now, current)
        metrics = "".join(f" - {name}: {format_value(value)}" for name, value in self._values.items())
        if not self.live:
            count = f"{current}/{self.target}" if self.target is not None else f"{current}"
            self.stream.write(
                f"{self.prefix}{count} - {format_duration(elapsed)} - "
                f"{format_per_step(per_step, self.unit_name)}{metrics}\n"
            )
            self.stream.flush()
            return
        parts = []
        if self.target is not None:
            digits = len(str(self.target))
            parts.append(f"{current:>{digits}}/{self.target}")
            done = int(self.width * min(current, self.target) / max(self.target, 1))
            bar = "=" * done
            if current < self.target:
                bar = bar[:-1] + ">" if done else ">"
            parts.append(f"[{bar.ljust(self.width, '.')}]")
        else:
            parts.append(f"{current}/Unknown")
        if finalize:
            parts.append(f"- {format_duration(elapsed)} {format_per_step(per_step, self.unit_name)}")
        elif self.target is not None:
            parts.append(f"- ETA: {format_duration(per_step * (self.target - current))}")
        line = " ".join(parts) + metrics
        padding = " " * max(0, self._last_length - len(line))
        self.stream.write("\r" + line + padding)
        self._last_length = len(line)
        if finalize:
            self.stream.write("\n")
        self.stream.flush()
