"""Search as you type across places, services and practical pages, forgiving typos.

Places go through the cache's FTS5 index (accent- and case-insensitive, every word a
prefix: « medi » finds « Médiathèque »). What a citizen types never reaches FTS5 as syntax:
only words are kept and each is quoted (``offline_cache.places.query_words``).

One typo in a word of 5 letters or more is forgiven, two from 7 letters: when such a word
is the start of no indexed word, it is replaced by the indexed words that start within that
many edits of it (a letter wrong, missing, extra, or two letters swapped), read from an
``fts5vocab`` view of the index. Two are needed for the commonest misspellings of French
words, which drop a doubled consonant and a mute « e » at once (« pasport » for
« passeport », « apartement »); one edit in a five-letter word already lets in too much
(« poste » is one edit from « piste »), so the budget grows with the word. The closest
spellings win: a two-edit spelling is tried only when no one-edit spelling exists. The view
is a TEMP table of this connection: the file's schema is unchanged.
The vocabulary is read again only when the file changed (``PRAGMA data_version``), so a
keystroke costs a bisection and, for an unknown word, a scan of the words sharing one of
its first two letters.

Services and pages are few (tens): they are matched in memory with the same rules and the
same ``Vocabulary``, so a typo forgiven in a place's name is forgiven in a service's.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.catalog_text import translations
from kiosk.text import fold, folded_words, sort_key
from offline_cache.places import query_words, search_matching

TYPO_MIN_LETTERS = 5
TWO_TYPOS_MIN_LETTERS = 7
MAX_ALTERNATIVES = 12   # spellings tried for one mistyped word


def within_one_edit(a: str, b: str) -> bool:
    """Optimal-string-alignment distance ≤ 1: one substitution, insertion, deletion or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i, n = 0, min(la, lb)
    while i < n and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i]
                                          and a[i + 2:] == b[i + 2:])
    if la > lb:
        return a[i + 1:] == b[i:]
    return a[i:] == b[i + 1:]


def near_prefix(word: str, term: str) -> bool:
    """Some start of ``term`` is within one edit of ``word`` (the word may be half typed)."""
    n = len(word)
    return any(within_one_edit(word, term[:k]) for k in (n, n - 1, n + 1) if 0 < k <= len(term))


def typos_forgiven(word: str) -> int:
    """How many edits a (folded) word may be from what it meant: 0, 1 from 5 letters, 2 from 7."""
    n = len(word)
    return 2 if n >= TWO_TYPOS_MIN_LETTERS else 1 if n >= TYPO_MIN_LETTERS else 0


def prefix_distance(word: str, term: str, budget: int) -> tuple[int, int] | None:
    """The fewest edits (optimal string alignment) turning ``word`` into a start of ``term``, and
    that start's length, preferring the length nearest ``word``'s; None when more than ``budget``.

    A dynamic programme over ``word`` × ``term[:len(word) + budget]``, given up as soon as a whole
    row exceeds the budget (most words of the vocabulary are dropped after two or three rows)."""
    n, m = len(word), min(len(term), len(word) + budget)
    if n == 0 or m < n - budget:
        return None
    before: list[int] = []
    prev = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            cost = word[i - 1] != term[j - 1]
            best = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and word[i - 1] == term[j - 2] and word[i - 2] == term[j - 1]:
                best = min(best, before[j - 2] + 1)
            cur[j] = best
        if min(cur) > budget:
            return None
        before, prev = prev, cur
    found = [(d, abs(k - n), k) for k, d in enumerate(prev) if k > 0 and d <= budget]
    if not found:
        return None
    d, _gap, k = min(found)
    return d, k


class Vocabulary:
    """The distinct words of the places index, sorted, with buckets by first and second letter."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = sorted(set(terms))
        self.by_first: dict[str, list[str]] = defaultdict(list)
        self.by_second: dict[str, list[str]] = defaultdict(list)
        for t in self.terms:
            self.by_first[t[0]].append(t)
            if len(t) > 1:
                self.by_second[t[1]].append(t)

    def has_prefix(self, word: str) -> bool:
        i = bisect.bisect_left(self.terms, word)
        return i < len(self.terms) and self.terms[i].startswith(word)

    def alternatives(self, word: str) -> list[str]:
        """Starts of indexed words within one edit of ``word`` or, failing any and when the word is
        long enough (``typos_forgiven``), within two; at most MAX_ALTERNATIVES."""
        found = self._one_edit(word)
        if found or typos_forgiven(word) < 2:
            return found
        return self._within(word, 2)

    def _pools(self, word: str) -> tuple[Iterable[str], ...]:
        # A typo leaves the first or the second letter in place, or shifts one onto the other.
        return (self.by_first.get(word[0], ()), self.by_second.get(word[1], ()),
                self.by_first.get(word[1], ()), self.by_second.get(word[0], ()))

    def _within(self, word: str, budget: int) -> list[str]:
        """Starts of indexed words within ``budget`` edits, closest first, at most MAX_ALTERNATIVES.

        Only words with the same first letter: two edits at the front of a word would make
        « pasport » a « sport »; a person rarely gets the first letter wrong, and it keeps the scan
        to one bucket."""
        scored: dict[str, int] = {}
        for pool in (self.by_first.get(word[0], ()),):
            for term in pool:
                hit = prefix_distance(word, term, budget)
                if hit is not None:
                    stem = term[:hit[1]]
                    scored[stem] = min(hit[0], scored.get(stem, budget))
        return sorted(scored, key=lambda stem: (scored[stem], stem))[:MAX_ALTERNATIVES]

    def _one_edit(self, word: str) -> list[str]:
        pools = self._pools(word)
        found: list[str] = []
        seen: set[str] = set()
        for pool in pools:
            for term in pool:
                if term in seen:
                    continue
                seen.add(term)
                for k in (len(word), len(word) - 1, len(word) + 1):
                    if 0 < k <= len(term) and within_one_edit(word, term[:k]):
                        stem = term[:k]
                        if stem not in found:
                            found.append(stem)
                        break
                if len(found) >= MAX_ALTERNATIVES:
                    return found
        return found


def _phrase(word: str) -> str:
    """``word`` as an FTS5 prefix phrase; a ``"`` inside is doubled, as FTS5 escapes it."""
    return '"' + word.replace('"', '""') + '"*'


def _change_key(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes whenever the file may have changed: another connection's commit (``data_version``,
    e.g. the sync worker's) or one of this connection's own writes. O(1), checked per keystroke."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


@dataclass
class Matchable:
    kind: str                 # "service" or "page"
    item: dict[str, Any]
    title_words: list[str]
    other_words: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    query: str
    places: list[dict[str, Any]] = field(default_factory=list)    # cache rows, best first
    services: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.places or self.services or self.pages)


class CitySearch:
    """One per connection (the UI thread's); cheap to keep for the life of the app."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._vocab: Vocabulary | None = None
        self._vocab_key: tuple[int, int] | None = None
        self._others: list[Matchable] | None = None
        self._others_vocab = Vocabulary(())
        self._others_key: tuple[int, int] | None = None

    # -- the places index's vocabulary ---------------------------------------------------
    def vocabulary(self) -> Vocabulary:
        key = _change_key(self.conn)
        if self._vocab is None or key != self._vocab_key:
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.places_vocab "
                              "USING fts5vocab(main, places_fts, row)")
            self._vocab = Vocabulary(r[0] for r in self.conn.execute("SELECT term FROM temp.places_vocab"))
            self._vocab_key = key
        return self._vocab

    def _word_group(self, word: str, vocab: Vocabulary | None) -> list[str]:
        folded = fold(word)
        if vocab is None or len(folded) < TYPO_MIN_LETTERS or vocab.has_prefix(folded):
            return [folded]
        return vocab.alternatives(folded) or [folded]

    def expression(self, words: list[str]) -> str | None:
        """Every word required, each as a quoted prefix or a group of spellings. The words are joined
        with an explicit ``AND``: the SQLite terminals run (3.40) reads ``(… OR …) "ecole"*`` as a
        syntax error, implicit AND being allowed between phrases only."""
        if not words:
            return None
        vocab = self.vocabulary() if any(len(fold(w)) >= TYPO_MIN_LETTERS for w in words) else None
        parts = []
        for word in words:
            group = [g for g in self._word_group(word, vocab) if g]
            quoted = [_phrase(g) for g in group]
            if quoted:
                parts.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
        return " AND ".join(parts) or None

    # -- services and pages, in memory --------------------------------------------------
    def _matchables(self) -> tuple[list[Matchable], Vocabulary]:
        key = _change_key(self.conn)
        if self._others is None or key != self._others_key:
            # a service is found by its French name and by the names the town translated it to
            out = [Matchable("service", dict(r), folded_words(" ".join([r["name"], *_translated_names(dict(r))])),
                             folded_words(r["domain"] or ""))
                   for r in self.conn.execute("SELECT id, name, domain, place_id, translations FROM services")]
            out += [Matchable("page", dict(r), folded_words(r["title"]), folded_words(r["body"] or ""))
                    for r in self.conn.execute("SELECT id, title, format, body, position FROM pages")]
            vocab = Vocabulary(w for m in out for w in m.title_words + m.other_words)
            self._others, self._others_vocab, self._others_key = out, vocab, key
        return self._others, self._others_vocab

    @staticmethod
    def _has(words: list[str], stems: tuple[str, ...]) -> bool:
        return any(w.startswith(stems) for w in words)

    def _match_others(self, words: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        matchables, vocab = self._matchables()
        stems = [tuple(self._word_group(w, vocab)) for w in words]
        scored: dict[str, list[tuple[int, str, dict[str, Any]]]] = {"service": [], "page": []}
        for m in matchables:
            if not all(self._has(m.title_words, st) or self._has(m.other_words, st) for st in stems):
                continue
            in_title = all(self._has(m.title_words, st) for st in stems)
            title = m.item.get("name") or m.item.get("title") or ""
            scored[m.kind].append((0 if in_title else 1, sort_key(title), m.item))
        return ([i for *_k, i in sorted(scored["service"], key=lambda s: s[:2])],
                [i for *_k, i in sorted(scored["page"], key=lambda s: s[:2])])

    # -- the search ---------------------------------------------------------------------
    def search(self, query: str, *, limit: int = 20) -> SearchResults:
        """Results grouped by kind; every group empty for a query with no word (or no match)."""
        words = query_words(query)
        results = SearchResults(query)
        if not words:
            return results
        results.places = search_matching(self.conn, self.expression(words), limit)
        results.services, results.pages = self._match_others(words)
        results.services, results.pages = results.services[:limit], results.pages[:limit]
        return results


def _translated_names(row: Mapping[str, Any]) -> list[str]:
    return [str(t.get("name") or "") for t in translations(row).values() if isinstance(t, dict)]
