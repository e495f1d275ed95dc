"""Countries by their names: the one-word names users type, ISO 3166's (pycountry), and the
words for their people."""
from __future__ import annotations

import functools

# Countries as users name them where ISO 3166 does not ("Russian Federation", "Türkiye",
# "Bosnia and Herzegovina"), and Kosovo, which it does not list.
_COUNTRY_SHORT_NAMES = frozenset(("Russia", "Turkey", "Kosovo", "Bosnia", "Macedonia", "UK",
                                  "USA", "Britain", "England", "Scotland", "Wales", "America"))


@functools.cache
def country_names() -> dict[str, str]:
    """The one-word names of the world's countries and territories (ISO 3166, by pycountry),
    by their small letters: "austria" -> "Austria", "uk" -> "UK"."""
    import pycountry

    names = {getattr(c, a, None) for c in pycountry.countries for a in ("name", "common_name")}
    # "Iran, Islamic Republic of" is Iran; and the short names ISO 3166 does not give.
    short = {n.split(",")[0] for n in names if n} | _COUNTRY_SHORT_NAMES
    return {n.casefold(): n for n in short if " " not in n}


def country_name(word: str) -> str | None:
    """A word typed in small letters that names a country ("austria"), as the name is written
    ("Austria"); None for any other word."""
    return country_names().get(word) if word.islower() else None


def place_forms(word: str) -> list[str]:
    """The words for a place and for its people made from each other: "Bulgaria" and
    "Bulgarian(s)", "Croatia" and "Croatian", "Germany" and "German", "Italy" and "Italian",
    "Japan" and "Japanese". Not the bare stem of a place in "-a" ("Niger" from "Nigeria",
    "Roman" from "Romania": other words)."""
    if len(word) < 4 or not word[:1].isupper():
        return []
    w = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
    out = []
    if w.endswith("a"):  # a place: Bulgaria, Korea
        out.append(w + "n")
    if w.endswith("y"):  # Germany, Italy
        out += [w[:-1], w[:-1] + "ian"]
    if not w.endswith(("a", "y", "ese", "ish")):  # Japan, Vietnam, Sudan
        out += [w + "ese"]
    if w.endswith("ian"):  # a people: Italian, Croatian
        out += [w[:-1], w[:-3] + "y"]
    elif w.endswith("an"):  # Bulgarian, German, Korean
        out += [w[:-1], w + "y"]
    if w.endswith("ese"):  # Japanese, Chinese
        out += [w[:-3], w[:-3] + "a"]
    return list(dict.fromkeys(f for f in out if f != word and len(f) > 3))


# The ISO 3166 country a short name stands for, where pycountry's lookup does not find it.
_COUNTRY_ALIASES = {"UK": "GB", "Britain": "GB", "England": "GB", "Scotland": "GB",
                    "Wales": "GB", "America": "US", "Russia": "RU", "Turkey": "TR",
                    "Bosnia": "BA", "Macedonia": "MK"}


@functools.cache
def country_forms(name: str) -> tuple[str, ...]:
    """A country's names: as asked, ISO 3166's (pycountry: "United Kingdom", "Czech
    Republic" for "UK", "Czechia"), and the words for its people (``place_forms``)."""
    import pycountry

    try:
        c = pycountry.countries.lookup(_COUNTRY_ALIASES.get(name, name))
    except LookupError:
        c = None
    names = [name] + ([n for n in (getattr(c, a, None) for a in
                                   ("name", "common_name", "official_name")) if n]
                      if c is not None else [])
    return tuple(dict.fromkeys([*names, *place_forms(name)]))
