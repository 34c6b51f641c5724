"""The sentiment lexicon: the project's Indonesian terms and emoji plus VADER's English words.

Built once per process on first use (``load_lexicon``), never at import. VADER's word list
is read from the installed ``vaderSentiment`` package (MIT), not copied into this repo.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from backend.ai.normalize import Token

__all__ = ["Lexicon", "load_lexicon", "DATA_DIR"]

DATA_DIR = Path(__file__).resolve().parent / "data"

_EMOTION_CODES = {"a": "anger", "s": "sadness", "j": "joy", "u": "surprise"}


@dataclass(slots=True)
class Lexicon:
    """Valences on VADER's -4..4 scale; phrases keyed by their canonical words."""

    words: dict[str, float] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], float] = field(default_factory=dict)
    emotions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    indonesian: frozenset[str] = frozenset()
    longest_phrase: int = 1
    phrase_heads: frozenset[str] = frozenset()  # first words of the phrases
    # Word -> its tokens under this lexicon (``normalize.tokenize``'s cache).
    token_cache: dict[str, tuple[Token, ...]] = field(default_factory=dict)


def _read_tsv(path: Path) -> list[tuple[str, float, tuple[str, ...]]]:
    rows: list[tuple[str, float, tuple[str, ...]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        term, valence = parts[0].strip().lower(), float(parts[1])
        tags = tuple(_EMOTION_CODES[c] for c in (parts[2].strip() if len(parts) > 2 else ""))
        rows.append((term, valence, tags))
    return rows


def _vader_words() -> dict[str, float]:
    import vaderSentiment.vaderSentiment as vader  # the package ships its lexicon

    path = Path(vader.__file__).with_name("vader_lexicon.txt")
    words: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            words[parts[0].strip().lower()] = float(parts[1])
    return words


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """VADER + the project's English, Indonesian and emoji terms (the project's win)."""
    lex = Lexicon(words=_vader_words())
    indonesian: set[str] = set()
    for name in ("lexicon_en.tsv", "lexicon_id.tsv", "emoji.tsv"):
        for term, valence, tags in _read_tsv(DATA_DIR / name):
            parts = tuple(term.split())
            if len(parts) == 1:
                lex.words[term] = valence
                if name == "lexicon_id.tsv":
                    indonesian.add(term)
            else:
                lex.phrases[parts] = valence
                lex.longest_phrase = max(lex.longest_phrase, len(parts))
            if tags:
                lex.emotions[term] = tags
    lex.indonesian = frozenset(indonesian)
    lex.phrase_heads = frozenset(parts[0] for parts in lex.phrases)
    return lex
