"""Synthetic audio-visual test videos with known answers.

A :class:`SyntheticSpec` describes a video made of

* a plain background colour,
* filled squares (:class:`Shape`) of a few saturated colours that slide
  horizontally and are visible only between their ``start`` and ``end``,
* short sine beeps (:class:`Beep`) on an otherwise perfectly silent track.

Because everything is generated, the answers to counting questions
("how many beeps?", "how many red squares?") are known exactly:
:func:`truth` returns them.  :func:`render` writes the video with a single
ffmpeg run; :func:`demo_spec` makes a deterministic, varied spec from a seed.

Conventions
-----------
* Times are seconds from the start of the video.
* Beeps and shapes are numbered from 1 in messages and in :func:`truth`.
* A shape is visible on every frame whose time ``t`` satisfies
  ``start <= t <= end``; its left edge is at
  ``(x0 + speed * t) mod (width - size)`` (so it is always entirely inside
  the frame and jumps back to the other side when it reaches an edge).
* Colours are the names in :data:`PALETTE` or hex ``0xRRGGBB`` / ``#RRGGBB``.

Plain Python: nothing in ``pipeline.media`` imports Django.
"""

from __future__ import annotations

import math
import os
import random
import re
from dataclasses import MISSING, dataclass, fields, replace as _dc_replace
from typing import Any, Callable, Mapping, Optional, Union

from .ffmpeg import run_ffmpeg
from .files import atomic_path

__all__ = [
    "PALETTE",
    "Beep",
    "Shape",
    "SyntheticSpec",
    "color_rgb",
    "shape_x",
    "visible_shapes",
    "truth",
    "demo_spec",
    "build_ffmpeg_args",
    "render",
]

#: Named colours understood by :class:`Shape` and ``background`` (RGB).
#: Deliberately saturated so that they survive H.264 / yuv420p encoding and
#: are easy to tell apart.  (Note: "green" here is the pure 0x00FF00.)
PALETTE: dict[str, tuple[int, int, int]] = {
    "red": (255, 0, 0),
    "green": (0, 255, 0),
    "blue": (0, 0, 255),
    "yellow": (255, 255, 0),
    "cyan": (0, 255, 255),
    "magenta": (255, 0, 255),
    "orange": (255, 128, 0),
    "white": (255, 255, 255),
    "black": (0, 0, 0),
}

#: Colours used by :func:`demo_spec` (far apart from each other and from
#: the default background).
DEMO_COLORS = ("red", "green", "blue", "yellow")

_HEX_RE = re.compile(r"^(?:0x|#)([0-9a-fA-F]{6})$")

MAX_DURATION = 4 * 3600.0
MIN_SIDE = 16
MAX_SIDE = 7680
#: Length of the fade in/out of each beep, seconds (avoids clicks).
BEEP_RAMP = 0.005


def color_rgb(color: str) -> tuple[int, int, int]:
    """``(r, g, b)`` of a palette name or a ``0xRRGGBB`` / ``#RRGGBB`` string."""
    if not isinstance(color, str):
        raise ValueError(f"colour must be a string, not {type(color).__name__}")
    name = color.strip().lower()
    if name in PALETTE:
        return PALETTE[name]
    m = _HEX_RE.match(name)
    if m:
        v = int(m.group(1), 16)
        return (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF
    raise ValueError(
        f"unknown colour {color!r}: use one of {', '.join(PALETTE)} "
        "or a hex value like 0xFF8800"
    )


def _ffmpeg_color(color: str) -> str:
    r, g, b = color_rgb(color)
    return f"0x{r:02X}{g:02X}{b:02X}"


def _fmt_s(x: float) -> str:
    """Human-friendly seconds: 12.0, 0.25, 3.125."""
    s = f"{x:.3f}".rstrip("0")
    return s + "0" if s.endswith(".") else s


def _num(x: float) -> str:
    """Plain decimal for ffmpeg expressions (never exponent notation)."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


@dataclass(frozen=True)
class Beep:
    """A sine tone from ``start`` for ``duration`` seconds."""

    start: float
    duration: float
    frequency: float = 880.0

    @property
    def end(self) -> float:
        return self.start + self.duration

    def to_dict(self) -> dict[str, float]:
        return {"start": self.start, "duration": self.duration, "frequency": self.frequency}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Beep":
        return _from_mapping(cls, data, "beep", {"start": float, "duration": float, "frequency": float})


@dataclass(frozen=True)
class Shape:
    """A filled ``size`` x ``size`` square of ``color``.

    Visible for ``start <= t <= end``; top edge at ``y``; left edge at
    ``(x0 + speed * t) mod (width - size)`` (``speed`` in pixels per
    second, negative moves left).
    """

    color: str
    size: int
    start: float
    end: float
    y: int = 0
    x0: int = 0
    speed: float = 0.0

    kind = "square"  # class attribute, not a field: all shapes are filled squares

    def to_dict(self) -> dict[str, Any]:
        return {
            "color": self.color,
            "size": self.size,
            "start": self.start,
            "end": self.end,
            "y": self.y,
            "x0": self.x0,
            "speed": self.speed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Shape":
        return _from_mapping(
            cls,
            data,
            "shape",
            {"color": str, "size": int, "start": float, "end": float, "y": int, "x0": int, "speed": float},
        )


@dataclass(frozen=True)
class SyntheticSpec:
    """Everything needed to render (and answer questions about) a video."""

    duration: float
    width: int = 1280
    height: int = 720
    fps: int = 25
    background: str = "0x202830"
    beeps: tuple[Beep, ...] = ()
    shapes: tuple[Shape, ...] = ()
    audio: bool = True
    sample_rate: int = 48000
    #: Peak amplitude of the beeps (full scale = 1.0).
    amplitude: float = 0.5

    def __post_init__(self) -> None:
        # Accept lists for convenience but keep the dataclass hashable/frozen.
        if not isinstance(self.beeps, tuple):
            object.__setattr__(self, "beeps", tuple(self.beeps))
        if not isinstance(self.shapes, tuple):
            object.__setattr__(self, "shapes", tuple(self.shapes))

    # -- serialisation -----------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; ``SyntheticSpec.from_dict(spec.to_dict()) == spec``."""
        return {
            "duration": self.duration,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "background": self.background,
            "beeps": [b.to_dict() for b in self.beeps],
            "shapes": [s.to_dict() for s in self.shapes],
            "audio": self.audio,
            "sample_rate": self.sample_rate,
            "amplitude": self.amplitude,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SyntheticSpec":
        """Inverse of :meth:`to_dict`. Raises ``ValueError`` on bad input.

        Does not call :meth:`validate`; do that before using the spec.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a synthetic spec must be a JSON object, not {type(data).__name__}")
        data = dict(data)
        beeps_raw = data.pop("beeps", [])
        shapes_raw = data.pop("shapes", [])
        if not isinstance(beeps_raw, (list, tuple)):
            raise ValueError("'beeps' must be a list")
        if not isinstance(shapes_raw, (list, tuple)):
            raise ValueError("'shapes' must be a list")
        beeps = []
        for i, b in enumerate(beeps_raw, 1):
            try:
                beeps.append(Beep.from_dict(b))
            except ValueError as exc:
                raise ValueError(f"beep {i}: {exc}") from None
        shapes = []
        for i, s in enumerate(shapes_raw, 1):
            try:
                shapes.append(Shape.from_dict(s))
            except ValueError as exc:
                raise ValueError(f"shape {i}: {exc}") from None
        spec = _from_mapping(
            cls,
            data,
            "spec",
            {
                "duration": float,
                "width": int,
                "height": int,
                "fps": int,
                "background": str,
                "audio": bool,
                "sample_rate": int,
                "amplitude": float,
            },
            skip=("beeps", "shapes"),
        )
        return _replace(spec, beeps=tuple(beeps), shapes=tuple(shapes))

    # -- checks --------------------------------------------------------------

    def validate(self) -> "SyntheticSpec":
        """Raise ``ValueError`` explaining the first problem found; else return self."""
        d = self.duration
        if not _is_number(d) or d <= 0:
            raise ValueError(f"duration must be a positive number of seconds, got {d!r}")
        if d > MAX_DURATION:
            raise ValueError(f"duration {_fmt_s(d)} s is too long (at most {_fmt_s(MAX_DURATION)} s)")
        for name in ("width", "height"):
            v = getattr(self, name)
            if not _is_int(v) or v < MIN_SIDE or v > MAX_SIDE:
                raise ValueError(f"{name} must be a whole number of pixels between {MIN_SIDE} and {MAX_SIDE}, got {v!r}")
            if v % 2:
                raise ValueError(f"{name} must be even (H.264 with yuv420p needs even sizes), got {v}")
        if not _is_int(self.fps) or not 1 <= self.fps <= 120:
            raise ValueError(f"fps must be a whole number from 1 to 120, got {self.fps!r}")
        try:
            color_rgb(self.background)
        except ValueError as exc:
            raise ValueError(f"background: {exc}") from None
        if not isinstance(self.audio, bool):
            raise ValueError(f"audio must be true or false, got {self.audio!r}")
        if not _is_int(self.sample_rate) or not 8000 <= self.sample_rate <= 192000:
            raise ValueError(f"sample_rate must be a whole number from 8000 to 192000 Hz, got {self.sample_rate!r}")
        if not _is_number(self.amplitude) or not 0 < self.amplitude <= 1:
            raise ValueError(f"amplitude must be above 0 and at most 1, got {self.amplitude!r}")
        if self.beeps and not self.audio:
            raise ValueError(f"the spec has {len(self.beeps)} beep(s) but audio is switched off")

        for i, b in enumerate(self.beeps, 1):
            if not isinstance(b, Beep):
                raise ValueError(f"beep {i} is not a Beep but {type(b).__name__}")
            if not _is_number(b.start) or not _is_number(b.duration) or not _is_number(b.frequency):
                raise ValueError(f"beep {i} needs numeric start, duration and frequency")
            if b.duration <= 0:
                raise ValueError(f"beep {i} has a non-positive duration ({_fmt_s(b.duration)} s)")
            if b.start < 0 or b.end > d + 1e-9:
                raise ValueError(
                    f"beep {i} ({_fmt_s(b.start)}-{_fmt_s(b.end)} s) lies outside the {_fmt_s(d)} s video"
                )
            nyquist = self.sample_rate / 2
            if not 20 <= b.frequency < nyquist:
                raise ValueError(
                    f"beep {i} frequency {b.frequency:g} Hz must be at least 20 Hz and below "
                    f"{nyquist:g} Hz (half the sample rate)"
                )
        order = sorted(range(len(self.beeps)), key=lambda k: self.beeps[k].start)
        for a, b in zip(order, order[1:]):
            if self.beeps[b].start < self.beeps[a].end:
                first, second = sorted((a + 1, b + 1))
                raise ValueError(
                    f"beeps {first} and {second} overlap "
                    f"({_fmt_s(self.beeps[a].start)}-{_fmt_s(self.beeps[a].end)} s and "
                    f"{_fmt_s(self.beeps[b].start)}-{_fmt_s(self.beeps[b].end)} s)"
                )

        for i, s in enumerate(self.shapes, 1):
            if not isinstance(s, Shape):
                raise ValueError(f"shape {i} is not a Shape but {type(s).__name__}")
            try:
                color_rgb(s.color)
            except ValueError as exc:
                raise ValueError(f"shape {i}: {exc}") from None
            if not _is_int(s.size) or s.size <= 0:
                raise ValueError(f"shape {i} size must be a positive whole number of pixels, got {s.size!r}")
            if s.size >= self.width or s.size > self.height:
                raise ValueError(
                    f"shape {i} is larger than the frame ({s.size} px square in a {self.width}x{self.height} frame; "
                    "it must be narrower than the frame and no taller)"
                )
            if not _is_int(s.y) or not 0 <= s.y <= self.height - s.size:
                raise ValueError(
                    f"shape {i} y={s.y!r} puts it outside the frame (must be 0..{self.height - s.size})"
                )
            if not _is_int(s.x0) or not 0 <= s.x0 <= self.width - s.size:
                raise ValueError(
                    f"shape {i} x0={s.x0!r} puts it outside the frame (must be 0..{self.width - s.size})"
                )
            if not _is_number(s.speed):
                raise ValueError(f"shape {i} speed must be a number of pixels per second, got {s.speed!r}")
            if not _is_number(s.start) or not _is_number(s.end):
                raise ValueError(f"shape {i} needs numeric start and end times")
            if s.end <= s.start:
                raise ValueError(f"shape {i} ends ({_fmt_s(s.end)} s) before it starts ({_fmt_s(s.start)} s)")
            if s.start < 0 or s.end > d + 1e-9:
                raise ValueError(
                    f"shape {i} ({_fmt_s(s.start)}-{_fmt_s(s.end)} s) lies outside the {_fmt_s(d)} s video"
                )
        return self


def _replace(obj: Any, **changes: Any) -> Any:
    return _dc_replace(obj, **changes)


def _from_mapping(
    cls: type,
    data: Any,
    what: str,
    types: Mapping[str, type],
    skip: tuple[str, ...] = (),
) -> Any:
    """Build dataclass ``cls`` from a JSON-ish mapping, with clear errors."""
    if not isinstance(data, Mapping):
        raise ValueError(f"a {what} must be a JSON object, not {type(data).__name__}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known - set(skip))
    if unknown:
        raise ValueError(f"unknown {what} field(s): {', '.join(map(str, unknown))}")
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in skip:
            continue
        if f.name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"{what} is missing the required field {f.name!r}")
            continue
        value = data[f.name]
        want = types[f.name]
        if want is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{what} field {f.name!r} must be true or false, got {value!r}")
        elif want is str:
            if not isinstance(value, str):
                raise ValueError(f"{what} field {f.name!r} must be a string, got {value!r}")
        elif want is int:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
                raise ValueError(f"{what} field {f.name!r} must be a whole number, got {value!r}")
            value = int(value)
        elif want is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{what} field {f.name!r} must be a number, got {value!r}")
            value = float(value)
        kwargs[f.name] = value
    return cls(**kwargs)


# -- known answers -------------------------------------------------------------


def shape_x(shape: Shape, t: float, width: int) -> float:
    """Left edge (pixels) of ``shape`` at time ``t`` in a frame ``width`` wide."""
    span = width - shape.size
    return (shape.x0 + shape.speed * t) % span


def visible_shapes(spec: SyntheticSpec, t: float) -> list[int]:
    """1-based numbers of the shapes drawn on the frame at time ``t``."""
    return [i for i, s in enumerate(spec.shapes, 1) if s.start <= t <= s.end]


def truth(spec: SyntheticSpec) -> dict[str, Any]:
    """The known answers for ``spec`` (JSON-safe).

    ``beep_count`` / ``beeps`` (sorted by start), ``shape_count``,
    ``shapes_by_color`` (colour name as written in the spec, lower-cased ->
    count) and ``shapes`` with each one's visible interval.
    """
    beeps = sorted(spec.beeps, key=lambda b: b.start) if spec.audio else []
    by_color: dict[str, int] = {}
    shapes = []
    for i, s in enumerate(spec.shapes, 1):
        color = s.color.strip().lower()
        by_color[color] = by_color.get(color, 0) + 1
        shapes.append(
            {
                "index": i,
                "kind": Shape.kind,
                "color": color,
                "rgb": list(color_rgb(s.color)),
                "size": s.size,
                "y": s.y,
                "speed": s.speed,
                "start": max(0.0, s.start),
                "end": min(spec.duration, s.end),
            }
        )
    return {
        "duration": spec.duration,
        "width": spec.width,
        "height": spec.height,
        "fps": spec.fps,
        "has_audio": spec.audio,
        "beep_count": len(beeps),
        "beeps": [
            {
                "index": i,
                "start": b.start,
                "end": b.end,
                "duration": b.duration,
                "frequency": b.frequency,
            }
            for i, b in enumerate(beeps, 1)
        ],
        "shape_count": len(shapes),
        "shapes_by_color": dict(sorted(by_color.items())),
        "shapes": shapes,
    }


# -- demo data -----------------------------------------------------------------


def demo_spec(
    seed: int,
    duration: float,
    *,
    width: int = 1280,
    height: int = 720,
    fps: int = 25,
) -> SyntheticSpec:
    """A deterministic, valid spec for ``seed``.

    3-6 beeps (fewer if the video is short), 0.12-0.30 s long and at least
    0.6 s of silence apart; 2-5 squares of 2-3 distinct colours, each in its
    own horizontal lane (so they never overlap), appearing and disappearing
    at different times.  Needs ``duration >= 2`` s.
    """
    if not _is_number(duration) or duration < 2:
        raise ValueError(f"demo videos need a duration of at least 2 s, got {duration!r}")
    rng = random.Random(seed)
    duration = float(duration)

    # Beeps: random lengths, slack spread randomly over the gaps.
    margin, gap_min, dur_min, dur_max = 0.3, 0.6, 0.12, 0.30
    n_max = int((duration - 2 * margin + gap_min) // (dur_max + gap_min))
    n_beeps = max(0, min(rng.randint(3, 6), n_max))
    durs = [round(rng.uniform(dur_min, dur_max), 2) for _ in range(n_beeps)]
    slack = max(0.0, duration - 2 * margin - sum(durs) - gap_min * max(0, n_beeps - 1))
    cuts = sorted(rng.uniform(0, slack) for _ in range(n_beeps))
    parts = [b - a for a, b in zip([0.0] + cuts, cuts)]
    freqs = (660.0, 880.0, 1000.0, 1320.0)
    beeps: list[Beep] = []
    prev_end: Optional[float] = None
    for k in range(n_beeps):
        if prev_end is None:
            start = round(margin + parts[k], 2)
        else:
            start = round(prev_end + gap_min + parts[k], 2)
            while start - prev_end < gap_min - 1e-9:
                start = round(start + 0.01, 2)
        beep = Beep(start=start, duration=durs[k], frequency=rng.choice(freqs))
        beeps.append(beep)
        prev_end = beep.end

    # Shapes: one per lane, a few colours (each used at least once).
    n_shapes = rng.randint(2, 5)
    n_shapes = max(1, min(n_shapes, height // 16))
    lane = height // n_shapes
    n_colors = rng.randint(2, min(3, n_shapes)) if n_shapes >= 2 else 1
    palette = rng.sample(DEMO_COLORS, n_colors)
    colors = palette + [rng.choice(palette) for _ in range(n_shapes - n_colors)]
    rng.shuffle(colors)
    min_len = min(1.5, duration * 0.3)
    shapes: list[Shape] = []
    for k in range(n_shapes):
        hi = max(4, min(int(lane * 0.8), width // 4))
        lo = max(4, min(int(lane * 0.45), hi))
        size = rng.randint(lo // 2, hi // 2) * 2
        y = k * lane + rng.randint(0, max(0, lane - size))
        x0 = rng.randint(0, width - size)
        speed = rng.choice((-1, 1)) * round(rng.uniform(0.05, 0.25) * width, 1)
        start = round(rng.uniform(0, duration * 0.4), 2)
        end = round(rng.uniform(min(start + min_len, duration), duration), 2)
        end = min(end, duration)
        shapes.append(Shape(color=colors[k], size=size, start=start, end=end, y=y, x0=x0, speed=speed))

    spec = SyntheticSpec(
        duration=duration,
        width=width,
        height=height,
        fps=fps,
        beeps=tuple(beeps),
        shapes=tuple(shapes),
    )
    return spec.validate()


# -- rendering -------------------------------------------------------------------


def _video_graph(spec: SyntheticSpec) -> str:
    d = _num(spec.duration)
    parts = [
        f"color=c={_ffmpeg_color(spec.background)}:s={spec.width}x{spec.height}:r={spec.fps}:d={d}[bg0]"
    ]
    for i, s in enumerate(spec.shapes):
        span = spec.width - s.size
        x = f"mod({_num(s.x0)}+({_num(s.speed)})*t,{span})"
        parts.append(f"color=c={_ffmpeg_color(s.color)}:s={s.size}x{s.size}:r={spec.fps}:d={d}[sq{i}]")
        parts.append(
            f"[bg{i}][sq{i}]overlay=x='{x}':y={s.y}:eval=frame:"
            f"enable='between(t,{_num(s.start)},{_num(s.end)})'[bg{i + 1}]"
        )
    parts.append(f"[bg{len(spec.shapes)}]setsar=1,format=yuv420p[v]")
    return ";".join(parts)


def _audio_expr(spec: SyntheticSpec) -> str:
    terms = []
    for b in spec.beeps:
        s, e = _num(b.start), _num(b.end)
        terms.append(
            f"between(t,{s},{e})*min(1,min(t-{s},{e}-t)/{_num(BEEP_RAMP)})"
            f"*sin(2*PI*{_num(b.frequency)}*(t-{s}))"
        )
    if not terms:
        return "0"
    return f"{_num(spec.amplitude)}*(" + "+".join(terms) + ")"


def build_ffmpeg_args(spec: SyntheticSpec, out_path: Union[str, os.PathLike]) -> list[str]:
    """The ffmpeg arguments (after the common ones) that render ``spec``."""
    graph = _video_graph(spec)
    if spec.audio:
        graph += (
            f";aevalsrc=exprs='{_audio_expr(spec)}':s={spec.sample_rate}:c=mono:d={_num(spec.duration)}[a]"
        )
    args = ["-filter_complex", graph, "-map", "[v]"]
    if spec.audio:
        args += ["-map", "[a]"]
    args += [
        "-c:v", "libx264",
        "-preset", "veryfast",
        "-crf", "23",
        "-g", str(spec.fps),
        "-pix_fmt", "yuv420p",
    ]
    if spec.audio:
        args += ["-c:a", "aac", "-b:a", "128k", "-ar", str(spec.sample_rate)]
    else:
        args += ["-an"]
    args += [
        "-t", _num(spec.duration),
        "-movflags", "+faststart",
        "-f", "mp4",
        "-y", os.fspath(out_path),
    ]
    return args


def render(
    spec: SyntheticSpec,
    out_path: Union[str, os.PathLike],
    *,
    on_progress: Optional[Callable[[float], None]] = None,
    timeout: Optional[float] = None,
) -> None:
    """Validate ``spec`` and write it as an MP4 (H.264 + AAC) to ``out_path``.

    The file is written to a hidden temporary name in the same folder and
    renamed into place only when ffmpeg succeeded, so ``out_path`` is never
    a half-written video.  ``on_progress`` gets fractions 0..1 (see
    :func:`pipeline.media.ffmpeg.run_ffmpeg`).
    """
    spec.validate()
    with atomic_path(out_path, suffix=".mp4") as tmp:
        run_ffmpeg(
            build_ffmpeg_args(spec, tmp),
            total_seconds=spec.duration,
            on_progress=on_progress,
            timeout=timeout,
        )
