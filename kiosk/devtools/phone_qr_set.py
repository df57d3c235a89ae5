"""Our check-in QR codes shown on a phone screen, as a counter camera sees them: a degraded set.

Why this set and not :mod:`drivers.scanner.qr_samples`: most visitors at a counter hold up a
phone, and a photographed screen fails in its own ways — the screen's pixel grid resampled by the
camera (moiré), a reflection of the ceiling lights, a dimmed display, a cracked glass, a thumb
over the corner, a code shown small or at an angle, JPEG-like compression by the camera. The
codes are what a terminal really reads: check-in tokens signed the way the reference server signs
them (:func:`kiosk.demo_api.signing.sign`, payload as in ``bookings.py``), encoded as the booking
screen shows them (zxing-cpp, error correction M, 4-module quiet zone; about 290 characters, so
a dense version-11 code, not the short samples of ``qr_samples``).

Everything is generated from fixed seeds with numpy and Pillow (nothing stored): the same call
gives the same frames, so a decode share measured on it is a threshold tests can hold. Each
frame is a 1280×720 gray camera frame (the camera scanner's default size). Every frame already
has what any phone photo has — a slight moiré, a slight angle, mild blur and compression — and
each kind adds one degradation at four levels, from an ordinary case to a bad one.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

FRAME = (1280, 720)
SUB = 3                      # raster samples per phone pixel: the last row and column are the black matrix
QUIET = 4
#: A fixed throwaway signing key (public on purpose: a terminal never trusts it).
SET_KEY_SEED = bytes(range(100, 132))
TOKENS = 4


def checkin_tokens(count: int = TOKENS) -> list[str]:
    """``count`` check-in tokens as the reference server issues them, at fixed dates."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.demo_api.signing import sign

    key = Ed25519PrivateKey.from_private_bytes(SET_KEY_SEED)
    services = ("svc-cni", "svc-passeport", "svc-mariage", "svc-listes-electorales", "svc-urbanisme")
    refs = ("RDV-K7QM-4P", "RDV-3HXT-9W", "RDV-PZ2D-7N", "RDV-8MBR-2C", "RDV-Q4VF-6J")
    tokens = []
    for i in range(count):
        start = datetime(2027, 3, 29, 9, 0, tzinfo=timezone(timedelta(hours=2))) + timedelta(days=i, minutes=20 * i)
        payload = {"jti": f"bk-{41 + i:06d}", "ref": refs[i % len(refs)], "svc": services[i % len(services)],
                   "slot": f"ag-etat-civil-{1 + i % 2}-{start:%Y%m%d%H%M}", "start": start.isoformat(),
                   "exp": int(start.timestamp()) + 1200 + 86400}
        tokens.append(sign("scv-2027-01", key, payload))
    return tokens


def code_modules(text: str) -> np.ndarray:
    """The modules as the booking screen draws them (0 dark, 255 light), quiet zone included."""
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = np.asarray(zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False))
    return np.pad(modules, QUIET, constant_values=255)


@dataclass(frozen=True)
class Shot:
    """How one photo of a phone screen is taken; every length is in camera pixels unless said."""
    module_px: float = 4.0          # one module's side in the frame
    phone_px_per_module: int = 6    # the screen's own pixels per module (with the pixel pitch: moiré)
    grid: float = 0.55              # light let through by the dark grid between the screen's pixels
    angle_deg: float = 6.0          # rotation in the image plane
    tilt: float = 0.08              # perspective: the far edge shorter by this fraction
    centre: tuple[float, float] = (0.5, 0.5)
    white: float = 225.0            # the screen's white as the camera exposes it
    black: float = 22.0             # the screen's black (backlight, reflected room light)
    defocus: float = 0.7            # Gaussian radius
    motion: int = 0                 # motion blur length
    glare: float = 0.0              # a specular reflection's strength (0..1.5), over the code
    crack: int = 0                  # cracks across the glass
    finger: float = 0.0             # a thumb over this fraction of the code's side, from the bottom right
    noise: float = 2.5              # sensor noise sigma
    jpeg: int = 80                  # JPEG quality of the camera's compression
    phone: bool = True              # False: nobody holds a phone up, the camera sees the counter


def _screen(modules: np.ndarray, shot: Shot, rng: np.random.Generator) -> Image.Image:
    """The phone screen around the code at SUB samples per phone pixel, with the dark grid between pixels."""
    ppm = shot.phone_px_per_module
    side = modules.shape[0] * ppm
    margin = side // 6
    screen = np.full((side + 2 * margin, side + 2 * margin), 255, np.uint8)
    screen[margin:margin + side, margin:margin + side] = np.repeat(np.repeat(modules, ppm, 0), ppm, 1)
    levels = np.clip(shot.black + np.arange(256, dtype=np.float32) / 255 * (shot.white - shot.black), 0, 255)
    raster = np.repeat(np.repeat(levels.astype(np.uint8)[screen], SUB, 0), SUB, 1)
    through = (np.arange(256) * shot.grid).astype(np.uint8)     # the black matrix between the screen's pixels
    raster[SUB - 1::SUB, :] = through[raster[SUB - 1::SUB, :]]
    raster[:, SUB - 1::SUB] = through[raster[:, SUB - 1::SUB]]
    img = Image.fromarray(raster)
    if shot.crack:
        _cracks(img, shot.crack, rng)
    return img


def _cracks(img: Image.Image, count: int, rng: np.random.Generator) -> None:
    """Cracks from one impact point: thin lines that catch the light (bright) with a dark edge."""
    draw = ImageDraw.Draw(img)
    w, h = img.size
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    for _ in range(count):
        x, y, a = cx, cy, rng.uniform(0, 2 * math.pi)
        points = [(x, y)]
        while 0 <= x < w and 0 <= y < h:
            a += rng.normal(0, 0.25)
            x, y = x + math.cos(a) * w / 12, y + math.sin(a) * w / 12
            points.append((x, y))
        draw.line(points, fill=40, width=max(2, w // 220))
        draw.line(points, fill=250, width=max(1, w // 500))


def _homography(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> tuple[float, ...]:
    """Coefficients PIL's PERSPECTIVE transform wants: output point (dst) -> input point (src)."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
        rhs += [u, v]
    return tuple(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))


def _uniform_noise(rng: np.random.Generator, shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Zero-mean noise of standard deviation ``sigma`` (uniform: a fifth of the cost of Gaussian noise)."""
    return (rng.random(shape, dtype=np.float32) - np.float32(0.5)) * np.float32(sigma * math.sqrt(12))


def _background(rng: np.random.Generator) -> Image.Image:
    """A counter seen from below: smooth light variations and some texture (a person, a wall)."""
    w, h = FRAME
    coarse = rng.normal(0, 1, (h // 40 + 2, w // 40 + 2))
    smooth = np.asarray(Image.fromarray(((coarse - coarse.min()) / np.ptp(coarse) * 89).astype(np.uint8))
                        .resize((w, h), Image.Resampling.BICUBIC), np.float32)
    ramp = np.linspace(45, 75, w, dtype=np.float32)[None, :]
    return Image.fromarray(np.clip(smooth + ramp + _uniform_noise(rng, (h, w), 6), 0, 255).astype(np.uint8))


def photograph(text: str | None, shot: Shot, seed: int) -> np.ndarray:
    """One gray camera frame of ``text``'s code on a phone screen taken as ``shot`` says
    (``text`` None: the phone shows a blank page, the frame holds no code)."""
    rng = np.random.default_rng(seed)
    modules = code_modules(text) if text is not None else np.full((77, 77), 255, np.uint8)
    screen = _screen(modules, shot, rng)
    n = modules.shape[0]
    scale = shot.module_px / (shot.phone_px_per_module * SUB)        # camera px per raster sample
    half_w, half_h = screen.width * scale / 2, screen.height * scale / 2
    cx, cy = shot.centre[0] * FRAME[0], shot.centre[1] * FRAME[1]
    a = math.radians(shot.angle_deg)
    corners = []
    for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x = sx * half_w * (1 - shot.tilt if sy < 0 else 1)                # the far (top) edge is shorter
        y = sy * half_h * (1 - shot.tilt / 2 if sy < 0 else 1)
        corners.append((cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a)))
    out = _background(rng)
    if shot.phone:
        src = [(0.0, 0.0), (screen.width, 0.0), (screen.width, screen.height), (0.0, screen.height)]
        coeffs = _homography(src, corners)
        seen = screen.transform(FRAME, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
        mask = Image.new("L", FRAME, 0)
        ImageDraw.Draw(mask).polygon(corners, fill=255)
        body = [(x + (x - cx) * 0.12, y + (y - cy) * 0.25) for x, y in corners]   # the phone's dark body
        ImageDraw.Draw(out).polygon(body, fill=18)
        out = Image.composite(seen, out, mask)
    if shot.glare or shot.finger:
        img = np.asarray(out, np.float32)
        if shot.glare:
            img = _glare(img, (cx, cy), n * shot.module_px, shot.glare, rng)
        if shot.finger:
            img = _finger(img, corners, shot.finger, rng)
        out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    if shot.defocus:
        out = out.filter(ImageFilter.GaussianBlur(shot.defocus))
    arr = np.asarray(out, np.float32)
    if shot.motion:
        arr = _motion(arr, shot.motion, rng)
    arr = arr + _uniform_noise(rng, arr.shape, shot.noise)
    buf = io.BytesIO()
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=shot.jpeg)
    buf.seek(0)
    with Image.open(buf) as jpeg:
        return np.asarray(jpeg.convert("L"))


def _glare(img: np.ndarray, centre: tuple[float, float], side: float, strength: float,
           rng: np.random.Generator) -> np.ndarray:
    """A ceiling light reflected on the glass: a soft elongated blob that saturates the sensor."""
    h, w = img.shape
    gx = centre[0] + rng.uniform(-0.3, 0.3) * side
    gy = centre[1] + rng.uniform(-0.3, 0.3) * side
    a = rng.uniform(0, math.pi)
    sigma = side * 0.22
    reach = int(5 * sigma)
    x0, x1, y0, y1 = max(0, int(gx) - reach), min(w, int(gx) + reach), max(0, int(gy) - reach), min(h, int(gy) + reach)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    u = (xx - gx) * math.cos(a) + (yy - gy) * math.sin(a)
    v = -(xx - gx) * math.sin(a) + (yy - gy) * math.cos(a)
    out = img + 25 * strength                               # the whole glass also reflects a little
    out[y0:y1, x0:x1] += np.exp(-((u / (1.8 * sigma)) ** 2 + (v / sigma) ** 2) / 2) * 255 * strength
    return out


def _finger(img: np.ndarray, corners: list[tuple[float, float]], depth: float, rng: np.random.Generator
            ) -> np.ndarray:
    """A thumb holding the phone: a rounded shape over the bottom-right part of the screen, with its shadow."""
    (x0, y0), _, (x2, y2), _ = corners
    side = math.dist((x0, y0), (x2, y2)) / math.sqrt(2)
    reach = depth * side * 6 / 7                  # ``side`` is the screen's: the code and its margins
    ex, ey = x2 + rng.uniform(0.0, 0.15) * side, y2 + rng.uniform(-0.1, 0.1) * side
    shape = Image.new("L", (img.shape[1], img.shape[0]), 0)
    r = side * 0.28
    d = ImageDraw.Draw(shape)
    d.ellipse([ex - reach - r, ey - reach - r * 0.9, ex - reach + r, ey - reach + r * 0.9], fill=255)
    d.polygon([(ex - reach - r * 0.8, ey - reach + r * 0.6), (ex - reach + r * 0.8, ey - reach - r * 0.6),
               (ex + 3 * side, ey + 3 * side), (ex + 2 * side, ey + 3 * side)], fill=255)
    small = shape.resize((shape.width // 4, shape.height // 4), Image.Resampling.BOX)   # blurred at a quarter size

    def blurred(radius: float) -> np.ndarray:
        big = small.filter(ImageFilter.GaussianBlur(radius)).resize(shape.size, Image.Resampling.BILINEAR)
        return np.asarray(big, np.float32) / 255
    soft, shadow = blurred(0.8), blurred(side * 0.015)
    skin = 150 + _uniform_noise(rng, img.shape, 4)
    thumbed: np.ndarray = (img * (1 - 0.45 * shadow)) * (1 - soft) + skin * soft
    return thumbed


def _motion(arr: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
    """The phone moving while the shutter is open: the mean of the frame shifted along a line."""
    a = rng.uniform(0, math.pi)
    acc = np.zeros_like(arr)
    for i in range(length):
        t = i - (length - 1) / 2
        dx, dy = round(t * math.cos(a)), round(t * math.sin(a))
        acc += np.roll(arr, (dy, dx), axis=(0, 1))
    return acc / length


Level = tuple[str, Callable[[Shot], Shot]]


def _levels(label: str, values: tuple[float, ...], make: Callable[[Shot, float], Shot]) -> list[Level]:
    def level(v: float) -> Callable[[Shot], Shot]:
        return lambda shot: make(shot, v)
    return [(label.format(v), level(v)) for v in values]


#: kind -> four levels (label, shot -> degraded shot), from ordinary to bad.
KINDS: dict[str, list[Level]] = {
    "moiré": _levels("grid {}", (0.5, 0.42, 0.36, 0.3),
                     lambda s, v: replace(s, grid=v, phone_px_per_module=3 + s.phone_px_per_module % 2,
                                          module_px=3.3, defocus=0.4)),
    "glare": _levels("strength {}", (0.4, 0.7, 1.0, 1.3), lambda s, v: replace(s, glare=v)),
    "defocus": _levels("radius {}", (1.5, 2.0, 2.5, 3.0), lambda s, v: replace(s, defocus=v)),
    "motion": _levels("{} px", (4, 6, 8, 11), lambda s, v: replace(s, motion=int(v))),
    "angle": _levels("{}° and tilt", (20, 35, 50, 65),
                     lambda s, v: replace(s, angle_deg=v, tilt=min(0.5, v / 110))),
    "dim screen": _levels("white {}", (90, 60, 45, 32),
                          lambda s, v: replace(s, white=v, black=6 + v / 12, noise=4)),
    "washed out": _levels("black {}", (110, 150, 175, 195), lambda s, v: replace(s, black=v, white=235)),
    "cracked": _levels("{} cracks", (3, 5, 8, 12), lambda s, v: replace(s, crack=int(v))),
    "thumb": _levels("{:.0%} of the code", (0.12, 0.2, 0.28, 0.36), lambda s, v: replace(s, finger=v)),
    "jpeg noise": _levels("quality {}", (20, 15, 10, 7),
                          lambda s, v: replace(s, jpeg=int(v), noise=8 + (20 - v) * 0.8, module_px=3.2)),
    "small": _levels("{} px/module", (2.4, 2.0, 1.8, 1.6),
                     lambda s, v: replace(s, module_px=v, centre=(0.3, 0.35), defocus=0.5)),
}


def base_shot(seed: int) -> Shot:
    """What varies from one visitor to the next even on a good day: where, how big, which angle."""
    rng = np.random.default_rng(1000 + seed)
    return Shot(module_px=float(rng.uniform(3.4, 4.6)), phone_px_per_module=int(rng.integers(5, 9)),
                angle_deg=float(rng.uniform(-12, 12)), tilt=float(rng.uniform(0, 0.12)),
                centre=(float(rng.uniform(0.4, 0.6)), float(rng.uniform(0.42, 0.58))))


def set_frame(kind: str, level: int, token: int, texts: list[str] | None = None) -> tuple[str, str, np.ndarray]:
    """(level label, token, frame) of one frame of the set: ``KINDS[kind][level]``, the ``token``-th token."""
    label, degrade = KINDS[kind][level]
    text = (texts or checkin_tokens(token + 1))[token]
    seed = 7919 * list(KINDS).index(kind) + 131 * level + token
    return label, text, photograph(text, degrade(base_shot(seed)), seed)


def degraded_set(tokens: int = TOKENS) -> Iterator[tuple[str, str, str, np.ndarray]]:
    """(kind, level label, token, frame) for every kind, level and token: 11 kinds × 4 levels × ``tokens``."""
    texts = checkin_tokens(tokens)
    for kind, levels in KINDS.items():
        for level in range(len(levels)):
            for t in range(tokens):
                yield (kind, *set_frame(kind, level, t, texts))


def empty_frames(count: int = 6) -> Iterator[tuple[str, np.ndarray]]:
    """(what, frame) for frames without a code, through the same camera: the counter alone,
    a phone showing a blank page, a covered lens (dark noise), and raw sensor noise."""
    for i in range(count):
        seed = 50_000 + i
        what = ("counter", "blank phone", "dark", "noise")[i % 4]
        if what == "counter":
            yield what, photograph(None, replace(base_shot(seed), phone=False), seed)
        elif what == "blank phone":
            yield what, photograph(None, base_shot(seed), seed)
        elif what == "dark":
            rng = np.random.default_rng(seed)
            yield what, np.clip(8 + rng.normal(0, 3, FRAME[::-1]), 0, 255).astype(np.uint8)
        else:
            yield what, np.random.default_rng(seed).integers(0, 256, FRAME[::-1], dtype=np.uint8)
