"""Thin, dependency-free wrapper around the ``ffmpeg`` command-line tool.

* :func:`ffmpeg_binary` finds the executable
  (``$CLUEBENCH_FFMPEG`` > ``ffmpeg`` on ``PATH`` > the binary bundled with
  ``imageio-ffmpeg``).
* :func:`run_ffmpeg` runs it with a list of arguments (never a shell string),
  reports progress from ffmpeg's ``-progress`` output, drains stderr in a
  background thread and turns failures into :class:`FFmpegError`.
* On Linux, ffmpeg dies with the process that started it (``PR_SET_PDEATHSIG``):
  a worker killed mid-transcode leaves no ffmpeg behind, even one killed
  alone rather than with its process group.

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import collections
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from typing import Callable, Deque, Iterable, Optional, Sequence

__all__ = [
    "FFmpegError",
    "FFmpegNotFound",
    "FFmpegTimeout",
    "ENV_VAR",
    "ffmpeg_binary",
    "run_ffmpeg",
]

#: Environment variable that overrides which ffmpeg executable is used.
ENV_VAR = "CLUEBENCH_FFMPEG"

#: Arguments put in front of every command run through :func:`run_ffmpeg`.
BASE_ARGS = (
    "-hide_banner",
    "-nostdin",
    "-loglevel",
    "error",
    "-progress",
    "pipe:1",
    "-nostats",
)

#: Minimum seconds between two progress callbacks (about 4 per second).
PROGRESS_INTERVAL = 0.25

#: At most this many characters of stderr go into an error message.
MAX_STDERR_CHARS = 2000

_STDERR_KEEP_LINES = 200


class FFmpegNotFound(RuntimeError):
    """No usable ffmpeg executable could be found."""


class FFmpegError(RuntimeError):
    """ffmpeg exited with a non-zero status (or was stopped)."""

    def __init__(
        self,
        message: str,
        *,
        returncode: Optional[int] = None,
        stderr: str = "",
        args: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr
        self.cmd = list(args)


class FFmpegTimeout(FFmpegError):
    """ffmpeg ran longer than the ``timeout`` given to :func:`run_ffmpeg`."""


def ffmpeg_binary() -> str:
    """Return the path of the ffmpeg executable to use.

    Order: ``$CLUEBENCH_FFMPEG`` (a path or a name on ``PATH``), then
    ``ffmpeg`` on ``PATH``, then the binary shipped with ``imageio-ffmpeg``.
    Raises :class:`FFmpegNotFound` with an explanation when none works.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        found = shutil.which(override)
        if found is None:
            raise FFmpegNotFound(
                f"${ENV_VAR} is set to {override!r}, but that is not an "
                "executable file (nor a program on PATH). Fix or unset it."
            )
        return found

    found = shutil.which("ffmpeg")
    if found:
        return found

    reason = ""
    try:
        import imageio_ffmpeg  # type: ignore[import-not-found]

        exe = imageio_ffmpeg.get_ffmpeg_exe()
        if exe and os.path.isfile(exe):
            return exe
        reason = f"imageio-ffmpeg returned {exe!r}, which does not exist"
    except ImportError:
        reason = "the imageio-ffmpeg package is not installed"
    except Exception as exc:  # imageio_ffmpeg raises RuntimeError when missing
        reason = f"imageio-ffmpeg found no binary ({exc})"

    raise FFmpegNotFound(
        "ffmpeg was not found: it is not on PATH, "
        f"${ENV_VAR} is not set, and {reason}. Install ffmpeg "
        f"(e.g. `apt-get install ffmpeg`) or set ${ENV_VAR} to its path."
    )


_PR_SET_PDEATHSIG = 1
_SIGKILL = int(signal.SIGKILL)


def _load_prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


# Looked up once here: the function run between fork and exec must not load libraries or take locks.
_prctl = _load_prctl()


def _die_with_parent() -> Optional[Callable[[], None]]:
    """A ``preexec_fn`` that has the kernel kill the child when the thread that started it dies; None where
    ``prctl`` is not available."""
    if _prctl is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        _prctl(_PR_SET_PDEATHSIG, _SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return preexec


def _stderr_tail(lines: Iterable[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines if line.strip()).strip()
    if len(text) > MAX_STDERR_CHARS:
        text = "..." + text[-(MAX_STDERR_CHARS - 3) :]
    return text


def _parse_out_time(key: str, value: str) -> Optional[float]:
    """Seconds from one ``-progress`` line, or None if not a time line."""
    value = value.strip()
    if key in ("out_time_us", "out_time_ms"):
        # Despite its name, ffmpeg writes out_time_ms in microseconds too.
        try:
            return int(value) / 1_000_000
        except ValueError:  # "N/A" before the first frame
            return None
    if key == "out_time":
        try:
            sign = -1.0 if value.startswith("-") else 1.0
            h, m, s = value.lstrip("-").split(":")
            return sign * (int(h) * 3600 + int(m) * 60 + float(s))
        except ValueError:
            return None
    return None


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            proc.kill()
        except OSError:
            pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - very unlikely
        pass


def run_ffmpeg(
    args: Sequence[str],
    *,
    total_seconds: Optional[float] = None,
    on_progress: Optional[Callable[[float], None]] = None,
    timeout: Optional[float] = None,
) -> None:
    """Run ffmpeg with ``args`` and wait for it to finish.

    ``args`` is a list of arguments (no shell is ever involved); the common
    ``-hide_banner -nostdin -loglevel error -progress pipe:1 -nostats`` are
    put in front.  When ``on_progress`` is given it is called with a
    fraction in ``0..1`` (never decreasing), at most about 4 times a second
    while ffmpeg runs (only if ``total_seconds`` is known and positive) and
    exactly once with ``1.0`` when ffmpeg succeeded.

    Raises :class:`FFmpegError` (message ends with the last lines of
    ffmpeg's stderr) on a non-zero exit, :class:`FFmpegTimeout` after
    ``timeout`` seconds, :class:`FFmpegNotFound` if there is no ffmpeg.
    An exception raised by ``on_progress`` (or a KeyboardInterrupt) kills
    ffmpeg and is re-raised unchanged.
    """
    if isinstance(args, (str, bytes)):
        raise TypeError("run_ffmpeg() takes a list of arguments, not a string")
    cmd = [ffmpeg_binary(), *BASE_ARGS, *[os.fspath(a) for a in args]]

    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            preexec_fn=_die_with_parent(),
        )
    except FileNotFoundError as exc:
        raise FFmpegNotFound(f"could not start ffmpeg at {cmd[0]!r}: {exc}") from exc

    stderr_lines: Deque[str] = collections.deque(maxlen=_STDERR_KEEP_LINES)

    def drain_stderr() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            stderr_lines.append(line)

    stderr_thread = threading.Thread(
        target=drain_stderr, name="ffmpeg-stderr", daemon=True
    )
    stderr_thread.start()

    timed_out = threading.Event()
    timer: Optional[threading.Timer] = None
    if timeout is not None:

        def on_timeout() -> None:
            timed_out.set()
            try:
                proc.kill()
            except OSError:
                pass

        timer = threading.Timer(max(0.0, float(timeout)), on_timeout)
        timer.daemon = True
        timer.start()

    use_total = (
        on_progress is not None and total_seconds is not None and total_seconds > 0
    )
    last_fraction = 0.0
    last_call = 0.0  # monotonic time of the last callback

    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if not use_total:
                continue
            key, sep, value = line.partition("=")
            if not sep:
                continue
            key = key.strip()
            seconds = _parse_out_time(key, value)
            if seconds is None:
                continue
            fraction = min(1.0, max(0.0, seconds / float(total_seconds)))  # type: ignore[arg-type]
            if fraction >= 1.0:
                continue  # 1.0 is reported once, after ffmpeg succeeded
            now = time.monotonic()
            if fraction > last_fraction and now - last_call >= PROGRESS_INTERVAL:
                last_fraction = fraction
                last_call = now
                on_progress(fraction)  # type: ignore[misc]
        returncode = proc.wait()
    except BaseException:
        # Callback raised, KeyboardInterrupt, ...: never leave ffmpeg running.
        _kill(proc)
        raise
    finally:
        if timer is not None:
            timer.cancel()
        stderr_thread.join(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:  # pragma: no cover
                pass

    tail = _stderr_tail(stderr_lines)
    if timed_out.is_set():
        raise FFmpegTimeout(
            f"ffmpeg took longer than {timeout} s and was stopped"
            + (f": {tail}" if tail else ""),
            returncode=returncode,
            stderr=tail,
            args=cmd,
        )
    if returncode != 0:
        raise FFmpegError(
            f"ffmpeg failed with exit status {returncode}: "
            + (tail or "(no error output)"),
            returncode=returncode,
            stderr=tail,
            args=cmd,
        )
    if on_progress is not None:
        on_progress(1.0)
