"""What an abbreviation stands for: a question asking it, and the words a document spells it
out with."""
from __future__ import annotations

import re

from .keyword import stopwords
from .quoting import QUOTE_WORD

# A question asking what an abbreviation stands for ("What does JIT stand for?", "What does
# THB mean?", "What's NAP short for?") or what it is ("What is the IWG?", "What is ISEC?").
_ABBREVIATION = r"([A-Z][A-Z0-9]{1,7})"
_ASKS_EXPANSION = re.compile(
    rf"^\W*what\s+(?:does|do|did)\s+(?:the\s+)?(?:abbreviation\s+|acronym\s+)?{_ABBREVIATION}"
    r"\s+(?:stand|mean)\b|"
    rf"^\W*what(?:'s|\s+is)\s+(?:the\s+)?{_ABBREVIATION}\s+(?:short|an?\s+abbreviation)\s+for\b|"
    rf"\b(?:abbreviation|acronym)\s+{_ABBREVIATION}\b", re.IGNORECASE)
_ASKS_WHAT_IS = re.compile(
    rf"^\W*(?i:what|who)(?i:'s|\s+is|\s+are)\s+(?i:the\s+|an?\s+)?{_ABBREVIATION}s?\W*$")
# Words that may sit inside a name without giving it a letter ("Trafficking in Human Beings").
_LINKS = frozenset("of in the for and on to at by against with de".split())


def asked_abbreviation(question: str) -> tuple[str, bool] | None:
    """The abbreviation a question asks about, and whether it asks what it stands for (True)
    or only what it is (False); None when it asks neither. Only an abbreviation written in
    capitals counts ("JIT", "IWG"; not "it")."""
    m = _ASKS_EXPANSION.search(question)
    found = _singular_abbreviation(next((g for g in m.groups() if g), None) if m else None)
    if found is not None:
        return found, True
    m = _ASKS_WHAT_IS.search(question.strip())
    found = _singular_abbreviation(m.group(1) if m else None)
    return (found, False) if found is not None else None


def _singular_abbreviation(word: str | None) -> str | None:
    """``word`` if written in capitals, or without its plural's small "s" ("NGOs" -> "NGO":
    a page spelling out "non-governmental organisations" answers what "NGOs" stand for too);
    else None."""
    if word is None:
        return None
    if word.isupper():
        return word
    if len(word) > 2 and word[-1] == "s" and word[:-1].isupper():
        return word[:-1]
    return None


MAX_SPELT_LETTERS = 6


def spelt_abbreviations(text: str) -> frozenset[str]:
    """Every abbreviation of two to ``MAX_SPELT_LETTERS`` letters that ``text`` spells out
    (``spells_out``): the initials of capitalised words in a row, linked only by at most three
    short words in a row. One pass, whatever the abbreviations asked: "EU" for "the European
    Union", "CC" for "Creative Commons"."""
    words = QUOTE_WORD.findall(text)
    out: set[str] = set()
    for i, w in enumerate(words):
        if not w[0].isupper():
            continue
        letters, j, links = w[0].upper(), i + 1, 0
        while len(letters) < MAX_SPELT_LETTERS and j < len(words) and links <= 3:
            v = words[j]
            if v[0].isupper():
                letters += v[0].upper()
                out.add(letters)
                links = 0
            elif v.lower() in _LINKS:
                links += 1
            else:
                break
            j += 1
    return frozenset(out)


def spells_out(text: str, abbreviation: str) -> bool:
    """Whether ``text`` spells the abbreviation out: words whose first letters give it, in a
    row (linked only by short words such as "in", "of", "the"), as in "Joint Investigation
    Teams (JIT)" or "Trafficking in Human Beings" for THB. A hyphenated word counts whole
    ("Inter-Agency Working Group" for IWG) or by its halves ("Non-Governmental
    Organisation" for NGO). Words in small letters count too, from three letters on, where
    the text also writes the abbreviation itself: "two non-governmental organisations- an
    Association of 3 NGOs" spells out NGO (a false "does not spell it out" had been said of
    it), while "inspectors work globally" is no IWG by chance."""
    letters = abbreviation.upper()
    small = len(letters) >= 3 and re.search(
        rf"\b{re.escape(abbreviation)}s?\b", text) is not None
    common = stopwords()
    found = QUOTE_WORD.findall(text)
    whole = [w.strip("-") for w in found if w.strip("-")]
    halves = [p for w in found for p in w.split("-") if p]

    def initial(v: str, letter: str) -> bool:
        return v[0].upper() == letter and (v[0].isupper() or small and v not in common)

    def spelt(words: list[str]) -> bool:
        for i, w in enumerate(words):
            if not initial(w, letters[0]):
                continue
            k, j = 1, i + 1
            while k < len(letters) and j < len(words):
                v = words[j]
                if initial(v, letters[k]):
                    k += 1
                elif v.lower() not in _LINKS:
                    break
                j += 1
            if k == len(letters):
                return True
        return False

    return spelt(whole) or (halves != whole and spelt(halves))


def spelt_out_as(text: str, abbreviation: str) -> str | None:
    """The words of ``text`` that spell the abbreviation out (``spells_out``), or None: those
    it is defined by ("Joint Investigation Teams (JIT)") first, else the first name whose
    initials are exactly it ("... to fight Trafficking in Human Beings in the Western Balkans"
    for THB: a name may go on after a short word, not after another capital). A name spans
    no punctuation, so a sentence's first word is no initial of the next sentence's name. Two
    letters only where defined: by chance, "IgG and IgM" had spelt out the "II" of "Harold
    II"."""
    letters = abbreviation.upper()
    if len(letters) < 2:
        return None
    defined = re.compile(r"\s*\(\s*" + re.escape(abbreviation) + r"\b")
    words = list(QUOTE_WORD.finditer(text))
    common = stopwords()

    def initial(v: str, letter: str) -> bool:
        # A capitalised word, not a stop word ("If the Program" is no "IP") nor an
        # abbreviation itself ("IgG and IgM" is no "II").
        return v[0] == letter and v[1:] == v[1:].lower() and v.lower() not in common

    found = None
    for i, m in enumerate(words):
        w = m.group()
        if not initial(w, letters[0]):
            continue
        k, j, last = 1, i + 1, i
        while k < len(letters) and j < len(words):
            v = words[j].group()
            if text[words[j - 1].end():words[j].start()].strip(" \t"):
                break  # punctuation or a line break ends a name
            if initial(v, letters[k]):
                k, last = k + 1, j
            elif v.lower() not in _LINKS:
                break
            j += 1
        if k < len(letters):
            continue
        end = words[last].end()
        if defined.match(text, end):
            return text[m.start():end]
        if found is not None or len(letters) < 3:
            continue  # two letters spell out by chance too often, unless defined
        before = words[i - 1] if i else None
        starts = before is None or not before.group()[0].isupper() \
            or before.group().lower() in _LINKS \
            or bool(text[before.end():m.start()].strip(" \t"))
        after = words[last + 1] if last + 1 < len(words) else None
        ends = after is None or not after.group()[0].isupper() \
            or bool(text[end:after.start()].strip(" \t"))
        if starts and ends:
            found = text[m.start():end]
    return found
