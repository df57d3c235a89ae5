"""``kiosk scan-image FILE...``: decode the QR codes in image files, one line per file.

For technicians checking what a camera sees (save a frame, scan it here) and for
tests. Each line is the file name as given, a tab, and the decoded text, or ``-``
when the image holds no readable QR code; several codes in one image are separated
by further tabs. Tabs, newlines and backslashes inside a text are written ``\\t``,
``\\n`` and ``\\\\`` so that every file stays on exactly one line.

Exit status: 0 when every file could be read (whether or not it held a code), 2 when
at least one could not (missing, unreadable, not an image: a message on stderr says
which and why; the other files are still scanned), as for bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from drivers.scanner.decode import DECODERS, DecoderUnavailable, make_decoder, to_gray

PROG = "kiosk scan-image"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=PROG, description="Decode the QR codes in image files: one line per file, "
                                "the file name, a tab, and the text (or - when there is none).")
    p.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, BMP…)")
    p.add_argument("--decoder", choices=sorted(DECODERS), default="zxing",
                   help="QR decoder: zxing (default) or zbar")
    return p


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:                  # argparse already printed the usage message
        return int(exc.code or 0)
    try:
        decoder = make_decoder(args.decoder, thorough=True)   # files: widest search, speed is no issue
    except DecoderUnavailable as exc:
        print(f"{PROG}: {exc}", file=err)
        return 2
    from PIL import Image, UnidentifiedImageError

    status = 0
    for name in args.files:
        try:
            with Image.open(name) as img:
                gray = to_gray(img)
        except FileNotFoundError:
            problem = "no such file"
        except IsADirectoryError:
            problem = "is a folder, not an image"
        except PermissionError:
            problem = "permission denied"
        except UnidentifiedImageError:
            problem = "not an image this tool can read (PNG, JPEG, BMP, GIF, TIFF, WebP)"
        except (OSError, ValueError) as exc:
            problem = f"unreadable image ({exc})"
        else:
            texts = decoder.decode(gray)
            print(f"{name}\t" + ("\t".join(_escape(t) for t in texts) if texts else "-"), file=out)
            continue
        print(f"{PROG}: {name}: {problem}", file=err)
        status = 2
    out.flush()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
