"""Generated camera-like QR frames, clean or degraded, for tests, benchmarks and the demo.

Why generated: a fixed set of photos covers one camera and one lighting; generating
the code and then degrading it (blur, rotation, perspective, low contrast, noise,
small modules) at known strengths tells us *where* each decoder stops working, and
it is reproducible (fixed seeds). Each degradation has a few levels, from what a
decent webcam gives to what a dirty lens at arm's length gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import qrcode
from PIL import Image, ImageFilter

#: Payloads shaped like ours: a check-in URL with a signed token, a request number, a short id.
PAYLOADS = ("https://rdv.ville.fr/c/9F3K22QX7M?s=MEUCIQDx4p1pTzq0W3bL8sYkq2V9",
            "DEM-2026-004217", "RDV:5f1c9e2a-7b4d-4c6e-9a0f-3d2b8e1c7a55")
BACKGROUND = 190


def qr_image(text: str, module_px: float = 6, border: int = 4) -> Image.Image:
    """A black-on-white QR code with modules of ``module_px`` pixels (fractional = resampled)."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=border)
    qr.add_data(text)
    img = qr.make_image().get_image().convert("L")
    size = max(1, round(img.width * module_px))
    resample = Image.NEAREST if float(module_px).is_integer() else Image.BILINEAR
    return img.resize((size, size), resample)


def frame(code: Image.Image | None, size: tuple[int, int] = (640, 480), seed: int = 0) -> Image.Image:
    """The code pasted in the middle of a camera-sized gray frame with a little texture."""
    rng = np.random.default_rng(seed)
    w, h = size
    bg = np.clip(BACKGROUND + rng.normal(0, 4, (h, w)) + np.linspace(-20, 20, w)[None, :], 0, 255)
    img = Image.fromarray(bg.astype(np.uint8))
    if code is not None:
        img.paste(code, ((w - code.width) // 2, (h - code.height) // 2))
    return img


def _perspective(img: Image.Image, tilt: float) -> Image.Image:
    """The frame seen at an angle: the top edge shrunk by ``tilt`` (0..1) of the width."""
    w, h = img.size
    d = tilt * w / 2
    dst = [(0, 0), (w, 0), (w, h), (0, h)]
    src = [(-d, 0), (w + d, 0), (w, h), (0, h)]            # output corner -> input point
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(rows, float), np.array([c for p in src for c in p], float))
    return img.transform(img.size, Image.PERSPECTIVE, tuple(coeffs), Image.BILINEAR, fillcolor=BACKGROUND)


def _contrast(img: Image.Image, span: int) -> Image.Image:
    arr = np.asarray(img, dtype=np.float32)
    mid = 128
    return Image.fromarray(np.clip(mid + (arr - mid) * span / 255, 0, 255).astype(np.uint8))


def _noise(img: Image.Image, sigma: float, seed: int) -> Image.Image:
    arr = np.asarray(img, dtype=np.float32) + np.random.default_rng(seed).normal(0, sigma, img.size[::-1])
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


#: degradation -> [(level label, function text, seed -> frame)]
Degradation = Callable[[str, int, tuple[int, int]], Image.Image]   # (text, seed, frame size) -> frame
DEGRADATIONS: dict[str, list[tuple[str, Degradation]]] = {
    "clean": [("6 px modules", lambda t, s, z: frame(qr_image(t), z, s))],
    "blur": [(f"gaussian r={r}", lambda t, s, z, r=r: frame(qr_image(t), z, s).filter(ImageFilter.GaussianBlur(r)))
             for r in (1.0, 2.0, 3.0, 4.0)],
    "rotation": [(f"{a}°", lambda t, s, z, a=a: frame(qr_image(t).rotate(a, Image.BILINEAR, expand=True,
                                                                       fillcolor=255), z, s))
                 for a in (10, 30, 45, 80)],
    "perspective": [(f"tilt {p:.0%}", lambda t, s, z, p=p: _perspective(frame(qr_image(t), z, s), p))
                    for p in (0.5, 1.0, 1.5, 2.0)],
    "low contrast": [(f"span {c}/255", lambda t, s, z, c=c: _contrast(frame(qr_image(t), z, s), c))
                     for c in (60, 30, 15, 8)],
    "noise": [(f"sigma {n}", lambda t, s, z, n=n: _noise(frame(qr_image(t), z, s), n, s))
              for n in (20, 40, 60, 80)],
    "small modules": [(f"{m} px modules", lambda t, s, z, m=m: frame(qr_image(t, m), z, s))
                      for m in (3, 2, 1.5, 1.2)],
}


def degraded_set(size: tuple[int, int] = (640, 480)) -> Iterator[tuple[str, str, str, Image.Image]]:
    """(degradation, level, expected text, frame) for every payload and level."""
    for name, levels in DEGRADATIONS.items():
        for level, make in levels:
            for seed, text in enumerate(PAYLOADS):
                yield name, level, text, make(text, seed, size)


def success_rates(decoders: dict[str, object], size: tuple[int, int] = (640, 480)
                  ) -> dict[str, dict[str, tuple[int, int]]]:
    """degradation -> decoder name -> (decoded correctly, tried)."""
    from drivers.scanner.decode import to_gray

    rates: dict[str, dict[str, tuple[int, int]]] = {}
    for name, _level, text, img in degraded_set(size):
        gray = to_gray(img)
        for dname, dec in decoders.items():
            ok, n = rates.setdefault(name, {}).get(dname, (0, 0))
            rates[name][dname] = (ok + (text in dec.decode(gray)), n + 1)
    return rates


def rate_table(rates: dict[str, dict[str, tuple[int, int]]]) -> str:
    """The rates as a small text table, one row per degradation, decoders side by side."""
    names = sorted({d for row in rates.values() for d in row}, key=lambda d: d != "zxing")
    lines = ["degradation".ljust(15) + "".join(n.rjust(12) for n in names)]
    for deg, row in rates.items():
        cells = "".join(f"{row[n][0]}/{row[n][1]} {row[n][0] / row[n][1]:4.0%}".rjust(12) for n in names)
        lines.append(deg.ljust(15) + cells)
    return "\n".join(lines)
