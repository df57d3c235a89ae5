"""espeak-ng, the default engine: offline, in Debian, French and English voices, fast to start.

One process per utterance: ``espeak-ng -v VOICE -s RATE --stdout --stdin``, the text on its
standard input (never on the command line, where a text starting with « - » would be read as
an option) and the WAV stream read from its standard output as it comes, so the first
samples reach the output while the end of a long text is still being made. Cancelling kills
the process. Measured on the development machine (``kiosk bench --only speech``): about
10 ms from start to the first samples, about 30 ms for a 450-character text whole — well
within the 150 ms a screen change may take to be heard.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator

from drivers.audio.pcm import PcmFormat, WavHeaderError, wav_header
from drivers.audio.synthesizer import SpeechRequest, Synthesis, SynthesisError, Synthesizer

EXECUTABLE = "espeak-ng"
READ_SIZE = 4096          # bytes per read: about 93 ms of 22 050 Hz mono, what espeak-ng writes at once
HEADER_LIMIT = 4096       # a WAV header longer than this is not one


class EspeakSynthesis(Synthesis):
    def __init__(self, request: SpeechRequest, executable: str) -> None:
        super().__init__(request)
        args = [executable, "-v", request.voice, "-s", str(request.rate_wpm), "-b", "1", "--stdout", "--stdin"]
        try:
            self._process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise SynthesisError(f"{executable} could not start: {exc.strerror or exc}") from None
        self._cancelled = threading.Event()
        self._format: PcmFormat | None = None
        self._pending = b""
        assert self._process.stdin is not None
        try:
            self._process.stdin.write(request.text.encode("utf-8"))
            self._process.stdin.close()
        except BrokenPipeError:
            pass   # it died at once (an unknown voice): format() reports its message

    def _read(self) -> bytes:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            return os.read(stdout.fileno(), READ_SIZE)
        except (OSError, ValueError):   # already closed: the synthesis is over
            return b""

    def _failure(self) -> SynthesisError:
        self._process.wait()
        stderr = self._process.stderr.read() if self._process.stderr is not None else b""
        said = stderr.decode("utf-8", "replace").strip().splitlines()
        detail = said[0] if said else f"exit status {self._process.returncode}"
        return SynthesisError(f"espeak-ng gave no sound for voice {self.request.voice!r}: {detail}")

    def format(self) -> PcmFormat:
        if self._format is not None:
            return self._format
        head = b""
        while True:
            data = self._read()
            if not data:
                if self._cancelled.is_set():
                    raise SynthesisError("cancelled before the first samples")
                raise self._failure()
            head += data
            try:
                found = wav_header(head)
            except WavHeaderError as exc:
                raise SynthesisError(f"espeak-ng wrote something else than sound: {exc}") from None
            if found is not None:
                self._format, start = found
                self._pending = head[start:]
                return self._format
            if len(head) > HEADER_LIMIT:
                raise SynthesisError("espeak-ng's output has no WAV data chunk")

    def raw_chunks(self) -> Iterator[bytes]:
        self.format()
        if self._pending:
            first, self._pending = self._pending, b""
            yield first
        while not self._cancelled.is_set():
            data = self._read()
            if not data:
                break
            yield data
        self._reap()

    def cancel(self) -> None:
        """From any thread: kill the process; the reading thread sees the end of its output.
        The pipes are closed by the thread that reads them (:meth:`close`), never under its feet."""
        self._cancelled.set()
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):   # it ended meanwhile
                self._process.kill()

    def close(self) -> None:
        self.cancel()
        self._reap()

    def _reap(self) -> None:
        try:
            self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:   # pragma: no cover - a killed process always ends
            return
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None and not stream.closed:
                stream.close()


class EspeakSynthesizer(Synthesizer):
    name = "espeak-ng"

    def __init__(self, executable: str = EXECUTABLE) -> None:
        self.executable = executable

    def _path(self) -> str | None:
        return shutil.which(self.executable)

    def is_usable(self) -> bool:
        return self._path() is not None

    def unusable_reason(self) -> str:
        if self.is_usable():
            return ""
        return f"{self.executable} is not installed (Debian package espeak-ng; tools/bootstrap.sh installs it)"

    def start(self, request: SpeechRequest) -> EspeakSynthesis:
        path = self._path()
        if path is None:
            raise SynthesisError(self.unusable_reason())
        return EspeakSynthesis(request, path)
