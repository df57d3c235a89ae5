"""Finding the personal values in what a screen shows, so speech masks them on a loudspeaker.

Why here and not in each screen: the screens write « Nom : Ève Lefèvre-Müller » or
« Référence RDV-K7QM-4P » into plain labels, for the eye. A person beside the terminal may read
the screen, but must not hear it from across the hall (EN 301 549: private data only through a
headset). Two rules catch what a screen shows of the person without any screen having to say so:

- what was typed during this visit (the visit's fields: names, phone, e-mail, numbers) is theirs
  wherever it appears again — a phone number typed « 0612345678 » also when shown « 06 12 34 56 78 »;
- a booking, request or tracking reference (``RDV-K7QM-4P``, ``KXPT-4821``) is theirs: it opens
  their appointment or file.

Each such piece becomes a personal :class:`Part` of the right kind, read letter by letter or in
pairs on a headset and replaced by « information masquée » on a loudspeaker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kiosk.speech.utterance import Part, PartKind
from kiosk.speech.verbalise import REFERENCE_PATTERN

#: Fields whose value is a search, not something about the person (by their store key).
NOT_PERSONAL_KEYS = ("query", "search")
#: Typed values shorter than this are not looked for (a single letter would match everywhere).
MIN_TYPED = 2
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _kind_of(value: str) -> PartKind:
    digits = re.sub(r"[\s.+\-]", "", value)
    if digits.isdigit() and len(digits) >= 6:
        return "phone"
    if _EMAIL.match(value):
        return "email"
    if REFERENCE_PATTERN.fullmatch(value.strip()):
        return "reference"
    return "name"


def _pattern(value: str) -> str:
    """``value`` as shown again: digits with any spaces, dots or hyphens between them; other text
    as typed, whatever its case."""
    compact = re.sub(r"[\s.\-]", "", value)
    if compact.isdigit():
        return r"[\s.\-]?".join(re.escape(ch) for ch in compact)
    return rf"(?i:(?<!\w){re.escape(value.strip())}(?!\w))"


def personal_typed(fields: Mapping[str, str]) -> list[str]:
    """The values of a visit's typed fields that are the person's (not what they searched for)."""
    return [value for key, value in fields.items() if not any(hint in key.lower() for hint in NOT_PERSONAL_KEYS)]


def typed_values(values: Iterable[str]) -> list[tuple[str, PartKind]]:
    """The typed values worth looking for, longest first (« Lefèvre-Müller » before « Lefèvre »)."""
    kept = {v.strip() for v in values if len(v.strip()) >= MIN_TYPED}
    return [(v, _kind_of(v)) for v in sorted(kept, key=len, reverse=True)]


def marked(parts: Iterable[Part], typed: Iterable[str] = ()) -> list[Part]:
    """``parts`` with the typed values and the references inside their plain text made personal
    parts; parts already personal or of a kind are kept as they are."""
    values = typed_values(typed)
    alternatives = [f"(?P<t{i}>{_pattern(v)})" for i, (v, _k) in enumerate(values)]
    alternatives.append(f"(?P<ref>{REFERENCE_PATTERN.pattern})")
    finder = re.compile("|".join(alternatives))
    out: list[Part] = []
    for part in parts:
        if part.kind != "text" or part.private:
            out.append(part)
            continue
        at = 0
        for found in finder.finditer(part.text):
            if found.start() > at:
                out.append(Part(part.text[at:found.start()]))
            group = found.lastgroup or "ref"
            kind: PartKind = "reference" if group == "ref" else values[int(group[1:])][1]
            out.append(Part(found.group(), kind, True))
            at = found.end()
        if at < len(part.text):
            out.append(Part(part.text[at:]))
    return out
