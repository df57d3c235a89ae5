"""The speech player: a thread that synthesises and plays one utterance at a time.

Why a thread of its own: the synthesiser is a process to start and read, and the sound card
must be fed as it plays; neither may hold up the UI thread (DESIGN.md: hardware never blocks
the UI). :meth:`SpeechPlayer.play` only hands over a request and returns; the thread posts
``SPEECH_ENDED`` when the utterance is done with.

Interrupting is the rule (EN 301 549: speech is cut by the next action): a new utterance cuts
the one being said, and replaces any still waiting. So at most one utterance plays and one
waits: nothing queues up behind a person pressing keys quickly. News that must not cut (« ticket
imprimé ») waits behind both what plays and an utterance asked for just before it that has not
started yet (a screen's reading the thread has not picked up); newer news replaces it.

Without a sound card (or an engine) the player says why once in the log and stays silent;
utterances are then acknowledged as "silent" at once, and the kiosk runs as before.
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass, field
from typing import Self

from drivers.audio.outputs import AudioOutput, AudioUnavailable, SilentOutput
from drivers.audio.pcm import scaled
from drivers.audio.synthesizer import SpeechRequest, SynthesisError, Synthesizer
from drivers.driver_thread import Post, default_post

log = logging.getLogger(__name__)
MAX_FAILURES_LOGGED = 8   # distinct engine failures logged; the same one is not logged twice


@dataclass
class _Job:
    number: int
    request: SpeechRequest
    cancelled: threading.Event = field(default_factory=threading.Event)
    urgent: bool = True       # asked with interrupt=True: news (False) never replaces it


class SpeechPlayer:
    def __init__(self, synthesizer: Synthesizer, output: AudioOutput, *, post: Post = default_post) -> None:
        self.synthesizer = synthesizer
        self.output = output
        self.volume = 100                     # applied to each chunk as it is played (0 to 100)
        self.silent_reason: str | None = None
        self._post = post
        self._numbers = itertools.count(1)
        self._changed = threading.Condition()
        self._pending: _Job | None = None
        self._after: _Job | None = None       # news waiting behind an urgent pending utterance
        self._current: _Job | None = None
        self._stopping = False
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures_logged: set[str] = set()

    # --- from the UI thread ------------------------------------------------------------
    def start(self) -> Self:
        if self._thread is None:
            self._stopping = False
            self._thread = threading.Thread(target=self._run, name="speech-player", daemon=True)
            self._thread.start()
        return self

    def play(self, request: SpeechRequest, *, interrupt: bool = True) -> int:
        """Say ``request`` as soon as possible, cutting what is being said; returns its number.
        ``interrupt=False``: once what is being said is finished instead (news that must not cut
        the screen being read, such as « ticket imprimé »), and after an utterance asked for just
        before that has not started yet; it replaces only news still waiting."""
        job = _Job(next(self._numbers), request, urgent=interrupt)
        with self._changed:
            if interrupt:
                self._cut_locked()
                self._pending = job
            elif self._pending is not None and self._pending.urgent:
                self._drop_locked("_after")       # after the reading that has not started yet
                self._after = job
            else:
                self._drop_locked("_pending")     # newer news replaces news still waiting
                self._pending = job
            self._changed.notify_all()
        return job.number

    def stop_speaking(self) -> None:
        """Silence now: cut the utterance being said and drop the one waiting."""
        with self._changed:
            self._cut_locked()
            self._changed.notify_all()

    @property
    def speaking(self) -> bool:
        with self._changed:
            return self._pending is not None or self._current is not None

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Whether the output was opened (or found missing) within ``timeout``: tests and the bench."""
        return self._ready.wait(timeout)

    def close(self, timeout: float = 3.0) -> None:
        with self._changed:
            self._stopping = True
            self._cut_locked()
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.output.close()

    def _drop_locked(self, slot: str) -> None:
        waiting: _Job | None = getattr(self, slot)
        if waiting is not None:
            self._post_end(waiting.number, "cut", "replaced before it was said")
            setattr(self, slot, None)

    def _cut_locked(self) -> None:
        self._drop_locked("_after")
        self._drop_locked("_pending")
        if self._current is not None:
            self._current.cancelled.set()

    # --- in the thread -------------------------------------------------------------------
    def _run(self) -> None:
        self._open()
        while (job := self._next()) is not None:
            try:
                how, detail = self._speak(job)
            except Exception as exc:  # the thread must go on: the next utterance may well work
                log.exception("speech player failed on an utterance")
                how, detail = "failed", f"{type(exc).__name__}: {exc}"
            with self._changed:
                self._current = None
            self._post_end(job.number, how, detail)

    def _open(self) -> None:
        try:
            if not self.synthesizer.is_usable():
                raise AudioUnavailable(self.synthesizer.unusable_reason())
            self.output.open()
        except AudioUnavailable as exc:
            self.silent_reason = str(exc)
            self.output = SilentOutput()
            log.warning("speech is silent: %s; the kiosk works as without speech", self.silent_reason)
        finally:
            self._ready.set()

    def _next(self) -> _Job | None:
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or self._pending is not None)
            if self._stopping:
                return None
            self._current, self._pending, self._after = self._pending, self._after, None
            return self._current

    def _speak(self, job: _Job) -> tuple[str, str]:
        if self.silent_reason is not None:
            return "silent", self.silent_reason
        if job.cancelled.is_set():
            return "cut", "interrupted before it started"
        try:
            with self.synthesizer.start(job.request) as synthesis:
                fmt = synthesis.format()
                self.output.begin(fmt, job.number)
                for chunk in synthesis.raw_chunks():
                    if job.cancelled.is_set():
                        break
                    self.output.write(scaled(chunk, self.volume), job.cancelled)
                if not job.cancelled.is_set():
                    self.output.finish(job.cancelled)
        except SynthesisError as exc:
            if job.cancelled.is_set():
                return "cut", "interrupted before its first sound"
            self._log_failure(str(exc))
            return "failed", str(exc)
        if job.cancelled.is_set():
            self.output.cut()
            return "cut", "interrupted"
        return "finished", ""

    def _log_failure(self, detail: str) -> None:
        if detail not in self._failures_logged and len(self._failures_logged) < MAX_FAILURES_LOGGED:
            self._failures_logged.add(detail)
            log.warning("speech engine failed: %s", detail)

    def _post_end(self, number: int, how: str, detail: str) -> None:
        from kiosk.events import SpeechEnded  # late: drivers load without pygame's event queue
        SpeechEnded(number=number, how=how, detail=detail).post(self._post)
