"""Undo the cheap spelling tricks abusers use to slip past filters, before scoring.

Harassers write "у6ью", "з@р3жу", "k1ll", "h4te" or "k i l l" so that word lists miss them.
The sentence encoder's sub-word vocabulary splits such words into noise, so the meaning
is lost before any model sees it. This module maps digits and symbols that stand for
letters back to letters, and joins words spelled out letter by letter.

It is deliberately conservative, because most posts are not obfuscated and must reach
the models unchanged:
- a symbol is replaced only *inside* a word, with letters on both sides ("k1ll", not
  "covid19", "5G", "100$" or "@handle");
- words that look like e-mail addresses, links, handles or hashtags are left alone (the
  rules read contact details from them);
- the replacement letter follows the word's script (Latin "3" is "e", Cyrillic "6" is "б");
- a word mixing Latin and Cyrillic look-alike letters ("тупaя" with a Latin "a") is
  written in its majority script;
- letter-by-letter spelling is joined only for runs of four or more single letters
  (Russian has one-letter words: "я в у" must stay).

The function is idempotent: de-obfuscated text has nothing left to replace.
"""

from __future__ import annotations

import re

_LATIN_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "@": "a", "$": "s"}
_CYRILLIC_LEET = {"0": "о", "3": "з", "4": "ч", "6": "б", "@": "а", "$": "с"}
_CYRILLIC_VOWELS = set("аеёиоуыэюяәөұүі")
#: letters that look the same in both scripts
_LATIN_TO_CYRILLIC = str.maketrans("aeopcxykmtABEHKMOPCTXY", "аеорсхукмтАВЕНКМОРСТХУ")
_CYRILLIC_TO_LATIN = str.maketrans("аеорсхукіАВЕНКМОРСТХУІ", "aeopcxykiABEHKMOPCTXYI")
_LEET_CHARS = "".join(sorted(set(_LATIN_LEET) | set(_CYRILLIC_LEET)))

#: one or two symbols standing for letters, with a letter on both sides
_INNER_LEET = re.compile(rf"(?<=[^\W\d_])[{re.escape(_LEET_CHARS)}]{{1,2}}(?=[^\W\d_])")
_WORD = re.compile(r"\S+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
#: e-mail, link, handle, hashtag: leave untouched
_PROTECTED = re.compile(r"^[#@]|://|^www\.|^[^@\s]+@[^@\s]+\.[^@\s]+$", re.IGNORECASE)
#: four or more single letters separated by single spaces: "k i l l", "у б ь ю"
_SPELLED = re.compile(r"(?<!\S)(?:[^\W\d_] ){3,}[^\W\d_](?!\S)")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _cyrillic_share(word: str) -> float:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return 0.0
    return sum(_is_cyrillic(c) for c in letters) / len(letters)


def _one_script(match: re.Match[str]) -> str:
    """A run of letters mixing look-alike Latin and Cyrillic, in its majority script
    (per run, so code-switched "Almaty-да" keeps both halves)."""
    run = match.group()
    share = _cyrillic_share(run)
    if share in (0.0, 1.0):
        return run
    return run.translate(_LATIN_TO_CYRILLIC if share > 0.5 else _CYRILLIC_TO_LATIN)


def _fix_word(word: str) -> str:
    if _PROTECTED.search(word):
        return word
    word = _LETTER_RUN.sub(_one_script, word)
    if not _INNER_LEET.search(word):
        return word
    cyrillic = _cyrillic_share(word) > 0.5

    def replace(match: re.Match[str]) -> str:
        out = []
        end = match.end()
        for offset, char in enumerate(match.group()):
            if cyrillic:
                letter = _CYRILLIC_LEET.get(char, char)
                if char == "3":
                    # "3" is "з" before a vowel ("3абью"), "е" between consonants ("р3жу")
                    nxt = word[match.start() + offset + 1 : end + 1][:1].lower()
                    letter = "з" if nxt in _CYRILLIC_VOWELS else "е"
            else:
                letter = _LATIN_LEET.get(char, char)
            out.append(letter)
        return "".join(out)

    return _INNER_LEET.sub(replace, word)


def _join_spelled(match: re.Match[str]) -> str:
    return match.group().replace(" ", "")


def deobfuscate(text: str) -> str:
    """Text with in-word leetspeak mapped to letters and spelled-out words joined."""
    if not text:
        return text
    text = _WORD.sub(lambda m: _fix_word(m.group()), text)
    return _SPELLED.sub(_join_spelled, text)
