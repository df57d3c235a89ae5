"""Signed 16-bit PCM as the synthesiser makes it and the outputs take it.

espeak-ng writes 22 050 Hz mono 16-bit little-endian samples behind a WAV header whose
sizes are unknown while it streams (it fills them with 0xFFFFFFFF-like values); the header
is read for its format and its sizes ignored. Volume is applied on the samples, chunk by
chunk, so that « + » and « - » take effect in the middle of a sentence.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

SAMPLE_WIDTH = 2   # bytes: signed 16-bit, the only width the synthesiser and the outputs exchange


@dataclass(frozen=True)
class PcmFormat:
    rate: int          # samples per second, per channel
    channels: int = 1

    @property
    def bytes_per_second(self) -> int:
        return self.rate * self.channels * SAMPLE_WIDTH

    def seconds(self, byte_count: int) -> float:
        return byte_count / self.bytes_per_second


class WavHeaderError(ValueError):
    """The bytes are not the start of a 16-bit PCM WAV stream."""


def wav_header(head: bytes) -> tuple[PcmFormat, int] | None:
    """The format of a WAV stream and where its samples start, or None when ``head`` is too
    short to tell (read more). Sizes in the header are not trusted: a stream has none yet."""
    if len(head) < 12:
        return None
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise WavHeaderError("not a WAV stream (no RIFF/WAVE header)")
    pos, fmt = 12, None
    while True:
        if len(head) < pos + 8:
            return None
        chunk_id, size = head[pos:pos + 4], struct.unpack_from("<I", head, pos + 4)[0]
        body = pos + 8
        if chunk_id == b"data":
            if fmt is None:
                raise WavHeaderError("WAV data before its format")
            return fmt, body
        if chunk_id == b"fmt ":
            if len(head) < body + 16:
                return None
            tag, channels, rate, _, _, bits = struct.unpack_from("<HHIIHH", head, body)
            if tag != 1 or bits != 16 or channels not in (1, 2) or not 8000 <= rate <= 96000:
                raise WavHeaderError(f"unsupported WAV format (tag {tag}, {bits} bits, {channels} channels, {rate} Hz)")
            fmt = PcmFormat(rate, channels)
        if size > 1 << 20:   # only the data chunk may be huge (or unknown); others are a few bytes
            raise WavHeaderError(f"implausible WAV chunk {chunk_id!r} of {size} bytes")
        pos = body + size + (size & 1)


def wav_bytes(samples: bytes, fmt: PcmFormat) -> bytes:
    """A complete WAV file of ``samples`` (the sizes filled in, unlike a stream's)."""
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(samples), b"WAVE", b"fmt ", 16, 1, fmt.channels,
                         fmt.rate, fmt.bytes_per_second, fmt.channels * SAMPLE_WIDTH, 16, b"data", len(samples))
    return header + samples


def gain(volume: int) -> float:
    """Amplitude factor of a volume from 0 to 100: the square, so that equal steps sound
    roughly equal (loudness follows the logarithm of amplitude, not amplitude)."""
    v = min(max(volume, 0), 100) / 100
    return v * v


def scaled(chunk: bytes, volume: int) -> bytes:
    """``chunk`` at ``volume`` (100: unchanged). A trailing odd byte is kept as it is."""
    if volume >= 100 or not chunk:
        return chunk
    even = len(chunk) - len(chunk) % SAMPLE_WIDTH
    samples = np.frombuffer(chunk, dtype="<i2", count=even // SAMPLE_WIDTH)
    out = (samples.astype(np.float32) * gain(volume)).astype("<i2").tobytes()
    return out + chunk[even:]


def peak(chunk: bytes) -> int:
    """The largest absolute sample value (what the tests compare volumes with)."""
    even = len(chunk) - len(chunk) % SAMPLE_WIDTH
    if not even:
        return 0
    return int(np.abs(np.frombuffer(chunk, dtype="<i2", count=even // SAMPLE_WIDTH).astype(np.int32)).max())


def converted(chunk: bytes, source: PcmFormat, target: PcmFormat) -> bytes:
    """``chunk`` resampled (linear) and re-channelled for an output opened in another format.

    Chunk by chunk, each on its own: a fraction of a sample is lost at each boundary, which
    nobody hears in speech; the mixer normally opens in the synthesiser's format anyway."""
    if source == target or not chunk:
        return chunk
    frame = source.channels * SAMPLE_WIDTH
    usable = len(chunk) - len(chunk) % frame
    data = np.frombuffer(chunk, dtype="<i2", count=usable // SAMPLE_WIDTH).reshape(-1, source.channels)
    mono = data.mean(axis=1) if source.channels > 1 else data[:, 0].astype(np.float64)
    if source.rate != target.rate and len(mono) > 1:
        count = max(1, round(len(mono) * target.rate / source.rate))
        mono = np.interp(np.linspace(0, len(mono) - 1, count), np.arange(len(mono)), mono)
    out = np.repeat(mono[:, None], target.channels, axis=1)
    return out.astype("<i2").tobytes()
