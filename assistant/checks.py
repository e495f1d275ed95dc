"""What a question asks for, and whether a quote gives it.

Pure functions over text: the figures, names, places and numbered units a question names that
its answer must hold; the kind of answer it needs (a number, a date, a time, a sum, a name, a
reason, ...) and whether a quote gives one; the questions no document answers by their form
(the time now, the assistant itself, a sum to work out, a country the documents never name).
The answerer reads them to put the candidate that gives what is asked first, to show an
answer as tentative, and to refuse."""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from .keyword import tokenize
from .places import country_forms, country_names, place_forms
from .quoting import (ANSWER_KINDS, BACK_REFERENCES, FUNCTION_WORDS, LETTERS_WORD, QUOTE_WORD, WORD,
                      asked_terms, conversational_words)

# --- what a question names that its document must hold ----------------------------------------

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december")
_MONTH_NAMES = frozenset(_MONTHS.split("|"))

# A figure (a year, an article number, an amount) or a name in the middle of a question (a
# capital after a word, a comma or a bracket; not after a colon, which starts a sentence).
_SPECIFIC = re.compile(r"(?<![\w.])(\d[\d,.]*\d|\d)(?![\w])|(?<=[\w,;)] )([A-Z][\w'-]*\w)")
_CAPITALISED = re.compile(r"(?<=\s)[A-Z]")
_NO_CENTS = re.compile(r"(?<=\d)[.,]00$")


def specifics(question: str) -> list[str]:
    """The figures and names a question asks about: numbers ("2015", "187", "1.5") and
    capitalised words after its first word ("Croatia", "Europol"). A document that holds none
    of one of them cannot be what the question asks about, however close its topic."""
    words = question.split()
    # In Title Case or CAPITALS every word is capitalised: none of them marks a name.
    title_case = len(words) > 4 and len(_CAPITALISED.findall(question)) >= 0.6 * (len(words) - 1)
    out = []
    for m in _SPECIFIC.finditer(question):
        word = m.group(1) or (None if title_case else _named_part(m.group(2)))
        if m.group(1):  # no cents: "EUR 12,500.00" is the 12,500 a document gives
            word = _NO_CENTS.sub("", word)
        # A stop word ("May", "The", "US", "IT") carries no content to look for.
        if word and word not in out and (m.group(1) or tokenize(word)):
            out.append(word)
    # A day of the week names a day however it is typed ("open on saturdays?").
    out += [m.group(0) for m in _WEEKDAY.finditer(question)
            if m.group(0)[0].islower() and m.group(0) not in out]
    return out


_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b", re.IGNORECASE)


def _named_part(word: str) -> str:
    """A hyphenated name without its parts in small letters: "Slovenia-based" names
    Slovenia, and a page on Slovenia's NGOs had been said never to mention
    "Slovenia-based"."""
    parts = word.split("-")
    named = [p for p in parts if p[:1].isupper()]
    return "-".join(named) if 0 < len(named) < len(parts) else word


# Everyday errands and pastimes that no collection of documents on a subject answers (the
# weather, travel, roads and taxes, food, entertainment, sport, home computing), and the
# almanac's facts about a country (its capital, president, flag, language, climate): a closed
# class, like a stop list. A word of it that the documents use is theirs (a report on hotels'
# staff), so it counts only when they never do (``Answerer._asks_only_errand``).
ERRANDS = frozenset(tokenize(
    "weather forecast sunny rain raining snow snowing flight flights taxi ticket tickets "
    "hotel hotels restaurant restaurants recipe recipes cook cooking bake baking pizza "
    "coffee dinner lunch breakfast menu movie movies film films song songs lyrics poem "
    "poems joke jokes novel novels netflix football soccer basketball tennis shopping "
    "discount password router wifi tip tipping vacation holiday holidays tourist tourists "
    "sightseeing museum museums beach beaches airline airlines airport airports train trains "
    "bus buses trip trips ski skiing resort resorts hiking lake lakes mountain mountains "
    "cuisine dish dishes dessert vegetarian vegan wine beer cocktail handball volleyball "
    "hockey golf rugby cricket baseball marathon olympics laptop smartphone iphone android "
    "wallet roaming currency passport parking translate translation visa visas drive driving "
    "capital president prime anthem flag climate timezone language languages dialect religion "
    "inhabitants population vat tax taxes vignette motorway motorways highway highways toll "
    "tolls food foods favourite favorite lottery bitcoin crypto horoscope horoscopes celebrity "
    "celebrities gossip eurovision zone zones dinar dinars schengen nato eurozone cake cakes "
    "bread soup car cars tyre tyres tire tires independence"))


def names_in(question: str) -> frozenset[str]:
    """The words (``keyword.tokenize``) of the names a question gives (``specifics`` that are
    words), not those labelling a numbered item ("Measure" of "Measure 3.1")."""
    items = {w for w, _ in numbered(question)}
    return frozenset(t for w in specifics(question) if not w[:1].isdigit()
                     and w.casefold() not in items for t in tokenize(w))


def missing_specifics(question: str, holds: Callable[[str], bool]) -> list[str]:
    """The ``specifics`` of ``question`` for which ``holds(word)`` is false."""
    return [w for w in specifics(question) if not holds(w)]


# A numbered item: a word and the figure right after it ("Article 187", "version 4",
# "Directive 96/9", "section 6c").
# (A letter right after the figure is part of it: "Article 111a" is not Article 111.)
_ITEM_FIGURE = r"(\d+(?:[./]\d+)*(?:[a-z](?![a-z]))?)"
_NUMBERED = re.compile(r"\b([A-Za-z][\w-]*)\s+" + _ITEM_FIGURE + r"(?![\d.,/]?\d)")


# Words before a figure that place it ("since 2009", "under 18", "the late 1700s", "October
# 1973") rather than name a numbered item: prepositions, order and time words and months, a
# closed class.
_NOT_NUMBERING = frozenset(
    "since during until till between around after before over under within per from to by at "
    "in on of for with without about above below past near than up down across through "
    "throughout beyond toward towards against among amongst via last first next top only "
    "approximately nearly almost roughly some least most aged age ages early late mid "
    "circa".split()) | _MONTH_NAMES


def numbered(question: str) -> list[tuple[str, str]]:
    """The numbered items a question names, as (word, figure): "What does Article 113 say?"
    -> [("article", "113")]. Words that carry no content ("in 2013", "of 5") are left out."""
    return [(m.group(1).casefold(), m.group(2)) for m in _NUMBERED.finditer(question)
            if tokenize(m.group(1)) and m.group(1).casefold() not in _NOT_NUMBERING]


def numbers_after(text: str, word: str) -> frozenset[str]:
    """Every figure that follows ``word`` in ``text`` ("Article 187", "article 14" ->
    {"187", "14"}): how a document numbers the things it calls ``word``."""
    return _figures_after(text, word)


def _figures_after(text: str, word: str) -> frozenset[str]:
    pattern = re.compile(_word_or_short(word, r"\s+") + _ITEM_FIGURE, re.IGNORECASE)
    return frozenset(m.group(1) for m in pattern.finditer(text))


# How documents shorten a unit's word ("Art. 12", "Sec 6", "§ 8"): a question's "article 12"
# (``spelling.written_out`` writes "art. 12" out) is their "Art. 12".
_SHORT_FORMS = {"article": r"arts?\.?", "section": r"secs?\.?|§§?", "paragraph": r"paras?\.?",
                "chapter": r"chap\.?|ch\."}


def _word_or_short(word: str, space: str, whole: str | None = None) -> str:
    """A pattern for ``word`` (or the pattern ``whole`` for it) then ``space``, or for its
    short forms, then ``space`` or, after a full stop or "§", no space at all."""
    short = _SHORT_FORMS.get(_singular(word.lower()))
    whole = rf"\b(?:{whole or re.escape(word)}){space}"
    if not short:
        return whole
    return rf"(?:{whole}|(?<![\w.])(?:{short})(?:{space}|(?<=[.§])))"


def unnumbered(item: tuple[str, str], figures: frozenset[str]) -> bool:
    """Whether a document that numbers its ``item[0]``s as ``figures`` lacks ``item``: it
    numbers them ("version 3"), but never with this figure ("version 4"). A document that
    never numbers them says nothing either way. "4" and "4.0" are the same figure."""
    def same(a: str, b: str) -> bool:
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")
    return bool(figures) and not any(same(item[1], f) for f in figures)


# The numbered units of a text a question may ask about ("Measure 3.2", "Article 113", "step
# 4"): a quote from elsewhere does not answer for them. Not versions ("GPL 3", "version 2.1"):
# a document is the version it is, and its passages do not repeat its number.
MAX_TEXT_UNITS = 3
_TEXT_UNITS = frozenset(
    "article articles section sections measure measures clause clauses paragraph paragraphs "
    "chapter chapters annex annexes appendix step steps objective objectives recommendation "
    "recommendations rule rules point points activity activities action actions goal goals "
    "pillar pillars priority priorities indicator indicators task tasks case cases".split())
# A line opening with a number ("6. Conveying Non-Source Forms.", "3.2 Financial ..."): a
# numbered unit's heading in plain text, which does not repeat the unit's word.
_NUMBERED_LINE = re.compile(r"(?m)^[ \t#]*(?:([A-Za-z]+)[ \t]+)?(\d{1,3}(?:\.\d{1,3})*[a-z]?)"
                            r"(?:[.):]|[ \t]+[—–-])?[ \t]")


# How far before a sentence its unit's label is looked for ("Recommendation 4." opening the
# paragraph it is in), and the units that plain text numbers without their word ("6. Conveying
# Non-Source Forms." for section 6; not articles: a law numbers its paragraphs so).
UNIT_LOOKBACK = 4000
_BARE_UNITS = frozenset({"section", "sections"})


def _singular(word: str) -> str:
    """"activities" -> "activity", "annexes" -> "annex", "cases" -> "case"."""
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("xes", "sses", "ches", "shes")):
        return w[:-2]
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _unit_word(word: str) -> str:
    """A pattern for a unit's word, singular or plural ("activit(?:y|ies)")."""
    w = _singular(word)
    return re.escape(w[:-1]) + "(?:y|ies)" if w.endswith("y") else re.escape(w) + "(?:s|es)?"


def unit_label_before(text: str, start: int, end: int, word: str) -> str | None:
    """The figure of the last label of a ``word`` unit opening a line at or before ``start``
    (and not more than ``UNIT_LOOKBACK`` characters before it): "Recommendation 4. Ensure ..."
    or "## Case 2: ..." labels what follows it, up to the next label. Labels inside the quote
    are not its own (a law's "2." of a paragraph of Article 3)."""
    bare = r"|(?P<bare>\d{1,3})\.[ \t]+(?=[A-Z])" if word in _BARE_UNITS else ""
    label = _word_or_short(word, r"[ \t]+", _unit_word(word))
    pattern = re.compile(rf"(?im)^[ \t#*>_-]*(?:{label}(?P<fig>"
                         rf"\d+(?:[./]\d+)*[a-z]?)\b{bare})")
    found = None
    for m in pattern.finditer(text, max(0, start - UNIT_LOOKBACK), end):
        if m.start() > start:
            break
        found = m.group("fig") or m.group("bare")
    return found


def in_unit(text: str, start: int, end: int, passage: str, section: str,
            unit: tuple[str, str]) -> bool:
    """Whether the quote ``text[start:end]`` is from a numbered unit: the last label of such
    units at or before it is this one's (a quote under "Article 114" that cites "Article 112"
    is Article 114's, not 112's); with no label before it, it names the unit, or its section
    heading or else its passage does (``mentions_unit``)."""
    asked = unit[1].removesuffix(".0")
    label = unit_label_before(text, start, end, unit[0])
    if label is not None:
        return label.removesuffix(".0") == asked
    named = set(_figures_after(text[start:end], unit[0])) | set(
        _figures_after(text[start:end], _singular(unit[0])))
    if any(f.removesuffix(".0") == asked for f in named):
        return True
    return mentions_unit(passage, section, unit)


# The words of asking what a unit says, which a text seldom uses ("What does Recommendation 2
# say?", "What does step 4 involve?").
_UNIT_ASKING = frozenset(tokenize(
    "say says said require requires involve involves mean means ask asks cover covers "
    "contain contains demand demands need needs tell tells read reads explain explains "
    "happen happens happened describe describes concern concerns entail entails state states "
    "provide provides specify specifies deal deals"))


def asks_only_of_documents(question: str, known: Callable[[str], bool]) -> bool:
    """Whether every word a question asks about, the words of asking what a unit says aside,
    is one the documents use (``known``): "What does Measure 3.2 do?" is; "What is step 4 of
    the pancake recipe?" is not."""
    return all(known(t) or t in _UNIT_ASKING or t in _ARTICLE_FRAME
               for t in asked_terms(question))


def asks_what_unit_says(question: str) -> bool:
    """Whether a question naming numbered units asks only what they say ("What happens in
    Step 7?", "What does Article 113 say?"): no word of it but the units' and words of asking
    what a text says. Its answer opens the unit."""
    units = text_units(question)
    if not units:
        return False
    own = set(tokenize(" ".join(f"{w} {f}" for w, f in units)))
    return all(t in own or t in _UNIT_ASKING or t in _ARTICLE_FRAME
               for t in asked_terms(question))


def names_unit(sentence: str, unit: tuple[str, str]) -> bool:
    """Whether a sentence names the unit itself ("Step 7. The team shall ...")."""
    asked = unit[1].removesuffix(".0")
    return any(f.removesuffix(".0") == asked
               for w in (unit[0], _singular(unit[0])) for f in _figures_after(sentence, w))


def text_units(question: str) -> list[tuple[str, str]]:
    """The numbered units of a text a question names (``numbered``, of ``_TEXT_UNITS``), the
    first ``MAX_TEXT_UNITS``: each is looked for in every candidate's passage. Not a year
    ("cases 2024", "goals 2030")."""
    return [item for item in numbered(question) if item[0] in _TEXT_UNITS
            and not re.fullmatch(r"\d{4,}", item[1])][:MAX_TEXT_UNITS]


def mentions_unit(text: str, section: str, unit: tuple[str, str]) -> bool:
    """Whether a passage (``text`` under the heading ``section``) mentions a numbered unit,
    with the unit's word ("Measure 3.2", "under Article 113") or as a numbered heading
    ("6. Conveying Non-Source Forms.")."""
    hay = f"{section}\n{text}"
    word = _singular(unit[0])
    figures = set(_figures_after(hay, unit[0])) | set(_figures_after(hay, word))
    # A heading line with the unit's word ("Step 4.", not "Measure 4.1 —"), or with none for
    # the units plain text numbers so ("6. Conveying Non-Source Forms.": section 6) and for a
    # figure with its parts ("3.2 Following the money": measure 3.2, not step 5 of "5.").
    figures |= {f for w, f in _NUMBERED_LINE.findall(hay)
                if (not w and (unit[0] in _BARE_UNITS or "." in f))
                or _singular(w) == word}
    # The same figure, "4" and "4.0" alike; not the "2" of a heading over unit "2.2".
    asked = unit[1].removesuffix(".0")
    return any(f.removesuffix(".0") == asked for f in figures)


# A question that asks for a count, an amount, a share or a year.
_ASKS_NUMBER = re.compile(r"^\W*((and|so|but|also|ok|okay|then|tell me)\W+)*"
                          r"(how (many|much|old)|what (percentage|proportion|share|"
                          r"number|amount|year)|in (what|which) year|which year|"
                          # "What's the population of ...?", "What was the budget?"
                          # (of someone: "What was the inspectorate's budget?")
                          r"what(\W?s|\s+(is|was|are|were))\s+(the\s+)?([\w-]+['’]s?\s+)?"
                          r"(population|budget|cost|price|percentage|proportion|share|number|"
                          r"amount|total|rate|salary|wage|age|size|sum|head\s?count|tally|"
                          # "What is the maximum sentence?", "What's the average wait?"
                          r"maximum|minimum|average|mean|median|highest|lowest|longest|"
                          r"shortest)s?)\b", re.IGNORECASE)
# A digit that is not inside a word: digits in "CC0" or "GPLv3" name something; they are not a
# figure or a date.
_DIGIT = r"(?<![^\W\d_])\d"
# A figure: digits, or a number in words. Not "several", "many" or "no": a sentence about
# something else holds them as easily as the answer does.
_NUMBER = re.compile(_DIGIT + r"|\b(one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"eleven|twelve|(thir|four|fif|six|seven|eigh|nine)teen|twenty|thirty|forty|"
                     r"fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|"
                     r"dozens?|half|once|twice)\b", re.IGNORECASE)


# A question asking when something happened (a time point, in the past tense): "When was it
# adopted?", "When did he die?". Present-tense "when" often asks for a condition
# ("When can a victim apply?"), which a sentence without a date answers.
_ASKS_PAST_TIME = re.compile(r"^\W*when (was|were|did)\b", re.IGNORECASE)
# "Since when ...?" asks for a point in time: a year, a month or a span ("for decades"), not any
# figure ("a 90 day period", "Article 187").
_ASKS_SINCE_WHEN = re.compile(r"^\W*((and|so|but)\W+)?since when\b", re.IGNORECASE)
# A date or a time: digits, a month, or a span of years. Not "before" or "after": a sentence
# about something else holds them as easily.
_TIME_WORD = re.compile(rf"\b({_MONTHS}|century|centuries|decades?|years?|ago)\b",
                        re.IGNORECASE)
_TIME = re.compile(rf"{_DIGIT}|{_TIME_WORD.pattern}", re.IGNORECASE)


# A question asking how long something lasts or takes ("For how long?", "Until when?", "How
# many months?", "How fast?"), and what a sentence says a span with: a figure of days to
# years, or "for the duration of", "until", "as long as", "permanently".
_ASKS_DURATION = re.compile(r"\b(how\s+long|until\s+when|till\s+when|how\s+many\s+(days|"
                            r"weeks|months|years)|how\s+(fast|quickly|soon))\b", re.IGNORECASE)
_DURATION = re.compile(
    r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety)"
    r"[\s-]+(hours?|days?|weeks?|months?|years?)\b|\bfor\s+the\s+duration\s+of\b|\buntil\b|"
    r"\bas\s+long\s+as\b|\bpermanent(ly)?\b|\bindefinitely\b", re.IGNORECASE)


def asks_only_duration(question: str) -> bool:
    """Whether a question asks how long something lasts and nothing else of its own ("For
    how long?", "and until when?"; not "How long is the reflection period?")."""
    return bool(_ASKS_DURATION.search(question)) and not (
        set(asked_terms(_ASKS_DURATION.sub(" ", question))) - ANSWER_KINDS)


def asks_only_count(question: str) -> bool:
    """Whether a question asks how many and names nothing it counts ("How many are they?",
    "how many of them are there?", "How many?"): it counts what the last answer names."""
    return bool(_HOW_MANY_ALONE.search(question)) and not counted_words(question) \
        and not set(asked_terms(question)) - ANSWER_KINDS - BACK_REFERENCES


def asks_only_time(question: str) -> bool:
    """Whether a question asks when and names nothing of its own ("Since when?", "When was
    that?", "and in what year?"; not "When did the project start?"): it asks it of what the
    last answer names."""
    return bool(_WHEN_ALONE.search(question)) \
        and not set(asked_terms(question)) - ANSWER_KINDS - BACK_REFERENCES


_WHEN_ALONE = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:since\s+when|from\s+when|"
                         r"as\s+of\s+when|when|(?:in\s+|from\s+)?(?:what|which)\s+year)\b",
                         re.IGNORECASE)


def gives_time(text: str) -> bool:
    """Whether ``text`` says when: a year as a time ("in 2010", "since 1991", "October 2013";
    not "2010 shelters" nor "Article 2015"), a month as one ("in May", "3 May"; not "May
    victims refuse?"), or a date in figures ("14.03.2011")."""
    return bool(_YEAR.search(text) or _DATED_MONTH.search(text) or _NUMERIC_DATE.search(text))


# A date written in figures ("14.03.2011", "3/5/2019", "2011-03-14").
_NUMERIC_DATE = re.compile(r"\b(?:\d{1,2}[./]\d{1,2}[./](?:1[89]|20)\d\d|"
                           r"(?:1[89]|20)\d\d-\d{1,2}-\d{1,2})\b")


# (capitalised: "victims may obtain" names no month)
_MONTH_CAPITALISED = "|".join(m.capitalize() for m in _MONTHS.split("|"))
_DATED_MONTH = re.compile(rf"\b(?i:in|since|from|until|till|by|of|early|late|mid|last|next|"
                          rf"during|before|after)\s+(?:{_MONTH_CAPITALISED})\b|"
                          rf"\b(?:{_MONTH_CAPITALISED})\s+\d|\d\s+(?:{_MONTH_CAPITALISED})\b")


_HOW_MANY_ALONE = re.compile(r"\bhow many\b", re.IGNORECASE)


def gives_duration(text: str) -> bool:
    """Whether ``text`` says how long something lasts ("a 90 day reflection period", "for the
    duration of the trial")."""
    return bool(_DURATION.search(text))


def lacks_asked_time(question: str, quote: str) -> bool:
    """A question asking when something happened, answered by a quote with no date, year or
    time word at all: it cannot be the answer."""
    if _ASKS_SINCE_WHEN.search(question):
        return not (_A_YEAR.search(quote) or _TIME_WORD.search(quote))
    return bool(_ASKS_PAST_TIME.search(question)) and not _TIME.search(quote)


# A question about one of a series by its later place in it ("the final conference", "the
# next workshop", "the last country to host ..."), and the words by which a quote can say so.
# Not "first" or "initial": "the first reflection period" of a page with one is the same thing
# (a review of the fifth session of 2026-12-06), and a first one is what pages name.
_ORDER = {
    "final": r"final\w*|last|conclu\w*|clos\w*|end\w*",
    "last": r"last|final\w*|conclu\w*|clos\w*|end\w*",
    "closing": r"clos\w*|final\w*|last|conclu\w*|end\w*",
    "latest": r"latest|recent\w*|last|current\w*|new\w*",
    "most recent": r"recent\w*|latest|last|current\w*|new\w*",
    "next": r"next|upcoming|subsequent\w*|future|plan\w*|will|following|after\w*|then|again|"
            r"later",
    "upcoming": r"upcoming|next|future|plan\w*|will|again|later",
    # ("follows the plan for 2020-2023", "It replaces Guideline No. 4/2018" name it too)
    # (a plan that follows or replaces a named or dated one names it: "follows the plan for
    # the period 2020-2023", "replaces Guideline No. 4/2018"; not "followed by ...", nor
    # "follows a human-rights based approach")
    "previous": r"previous\w*|earlier|prior|former\w*|preced\w*|before|(?:follows|succeeds|"
                r"replac(?:es|ing)|supersed(?:es|ing))\s+(?:\S+\s+){0,5}?(?:\d{4}|No\.|"
                r"(?-i:[A-Z])\w*)",
}
# Lower case, after a determiner and before a noun: "the next conference"; not "What happens
# next?", "last year" (a time of the asker's, which the year checks judge), a fixed phrase
# ("next of kin", "last name", "final decision", "last resort") nor a name ("the Last Supper").
_ASKS_ORDER = re.compile(
    r"\b(?i:the|its|their|a|an|this|that|which|what)\s+(?:very\s+)?(" + "|".join(_ORDER)
    + r")\s+(?!(?:time|times|year|years|month|months|week|weeks|day|days|night|of|to|name|names|"
    r"decision|decisions|say|word|words|resort|minute|straw|date|dates|deadline)\b)[A-Za-z]")


# Who came before someone named ("Who was the Chief Inspector before Marta Kovanic?", "Who
# preceded her?", "her predecessor"): a question about the previous one too. A probe's was
# answered confidently by the sentence naming the one now in office.
# (Asked of a person: "Who was / held / led ... before <Name>", not a clause "applicants who
# registered before March", "before I go" or "before Step 6".)
_ASKS_PREDECESSOR = re.compile(
    r"^\W*who\s+(?:was|were|is|held|led|headed|ran|chaired|served)\b[^?.!]*\b"
    r"(?:before|prior\s+to)\s+(?!(?i:" + _MONTHS + r")\b)(?-i:[A-Z][a-z]+)\b(?!\s+\d)|"
    r"\bwho\s+preceded\b|\bpredecessors?\b", re.IGNORECASE)


# An ordinal naming one of several ("the second defendant", "the 3rd workshop"), as written
# in words or figures; and what a quote says of the same noun.
_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth").split()
_ORDINAL_FIGURES = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth",
                    "5th": "fifth", "6th": "sixth", "7th": "seventh", "8th": "eighth",
                    "9th": "ninth", "10th": "tenth"}
_ONE_ORDINAL = "(?:" + "|".join(_ORDINAL_WORDS + list(_ORDINAL_FIGURES)) + ")"
_ORDINAL = re.compile(rf"\b({_ONE_ORDINAL}(?:\s*(?:,|and|or)\s*{_ONE_ORDINAL})*)"
                      r"\s+([^\W\d_][\w-]*)", re.IGNORECASE)
_ORDINAL_WORD = re.compile(_ONE_ORDINAL, re.IGNORECASE)


def _ordinals(text: str) -> dict[str, set[str]]:
    """The ordinals a text puts before each noun, by the noun's stem ("the first and second
    defendants": second for "defend"; "the first defendant": first)."""
    out: dict[str, set[str]] = {}
    for m in _ORDINAL.finditer(text):
        stems = tokenize(m.group(2))
        if stems:
            for w in _ORDINAL_WORD.findall(m.group(1)):
                w = w.lower()
                out.setdefault(stems[0], set()).add(_ORDINAL_FIGURES.get(w, w))
    return out


def asked_ordinal(question: str) -> tuple[str, str] | None:
    """The ordinal and the noun's stem a question asks about ("Who is the second defendant?":
    ("second", "defend")), or None; only one naming a single one of its noun ("the first and
    second defendants" asks about both)."""
    found = [(o, n) for n, os in _ordinals(question).items() for o in os]
    return found[0] if len(found) == 1 else None


def names_other_ordinal(question: str, quote: str) -> str | None:
    """The ordinal a question asks about ("the second defendant") when the quote names the
    same noun only by others ("the first defendant, Dorin Maszek ..."): the quote is about
    another one. None otherwise."""
    asked = asked_ordinal(question)
    if asked is None:
        return None
    ordinal, noun = asked
    held = _ordinals(quote).get(noun)
    return ordinal if held and ordinal not in held else None


def names_ordinal(question: str, quote: str) -> bool:
    """Whether the quote names the noun by the ordinal the question asks about."""
    asked = asked_ordinal(question)
    return asked is not None and asked[0] in _ordinals(quote).get(asked[1], set())


def lacks_asked_order(question: str, quote: str) -> str | None:
    """The later place in a series that a question asks about ("final") when the quote says
    nothing of the kind (a quote naming only "the first event" does not say which was the
    final one); "previous" for one asking who came before someone the quote does not place
    so."""
    for m in _ASKS_ORDER.finditer(question):
        word = m.group(1)
        if not re.search(rf"\b({_ORDER[word]})\b", quote, re.IGNORECASE):
            return word
    if _ASKS_PREDECESSOR.search(question) and not re.search(
            rf"\b({_ORDER['previous']}|until|succeed\w*|took\s+over)\b", quote, re.IGNORECASE):
        return "previous"
    return None


# A question asking for a penalty: "what", "which", "how long / much / severe" and, within
# the next few words, the penalty asked for ("What penalty does Article 187 provide ...?",
# "What is the prison term for ...?", "How long is the sentence ...?"). Not one naming
# penalties on the way to asking something else ("What triggered Brussels to consider
# criminal penalties ...?"), a sentence of a text ("Which sentence mentions ...?"), a prison
# ("Which prison is he in?") nor sanctions between states.
_PENALTY_ASKED = (r"(penalt(y|ies)|punishments?|sentences?(?!\s+(mentions?|says?|states?|"
                  r"contains?|describes?|refers?|names?|speaks?|talks?|is\s+structured|of|in|"
                  r"from|on)\b)|prison\s+(terms?|sentences?)|jail\s+(terms?|time)|"
                  r"imprisonment|fines?)")
# Or the penalty alone, as a keyword question opens ("Penalty for trafficking in Slovenia?",
# "Maximum sentence for forced labour?": a blind probe's, left confident by the first form).
_ASKS_PENALTY = re.compile(
    r"\b(what|which|how)\b[^?]{0,30}?\b" + _PENALTY_ASKED + r"\b"
    r"|^\W*((and|so)\s+)?((the|a)\s+)?((maximum|minimum|max|min|usual|typical)\s+)?"
    + _PENALTY_ASKED + r"\s+(for|under|of|in)\b", re.IGNORECASE)
# What a quote giving a penalty says: the penalty's own words, a term ("up to 12 years"; not
# "in recent years"), or a sum to pay ("liable to pay EUR 500", "a surcharge of 5 percent").
_PENALTY = re.compile(r"\b(penalt\w*|punish\w*|imprison\w*|prison\w*|jail\w*|fine[sd]?|"
                      r"sentenc\w*|sanction\w*|custod\w*|detention|pa(y|id|ys|ying)|"
                      r"surcharges?|fees?|forfeit\w*|confiscat\w*|deport\w*|disqualif\w*|"
                      r"community service|eur|euros?|usd|dollars?|pounds?|percent)\b|[€$£%]|("
                      + _NUMBER.pattern + r")[\s-]+(years?|months?|weeks?|days?)\b",
                      re.IGNORECASE)


# A question asking for a sum of money: "how much" with a word of money in it ("How much is the
# rent subsidy?", "How much did the Government provide?" is left to the figure check: it names
# no money), or "what is the cost / price / fee / salary ...". A sum is written with a currency
# or its sign; "free (of charge)" or "no fee" answers too.
_MONEY_WORDS = (r"(?:cost|costs|price|prices|fee|fees|subsid(?:y|ies)|salar(?:y|ies)|wages?|"
                r"budget|funding|funds?|money|grants?|payments?|compensation|damages|fines?|"
                r"allowances?|rent|charges?|donations?|contributions?|spend|spent|earn|earns|"
                r"worth|paid|pay|pays|award|awarded)")
_ASKS_AMOUNT = re.compile(r"\bhow\s+much\b(?=[^?.!]*\b" + _MONEY_WORDS + r"\b)|"
                          # "how big are the fines ...?": the sum itself, not "how high is
                          # the gender pay gap?" nor "how large is the share of fines ...?"
                          r"\bhow\s+(?:big|large|high|steep|heavy)\s+(?:is|are|was|were)\s+"
                          r"(?:the\s+|their\s+|its\s+)?(?:[\w-]+\s+)?" + _MONEY_WORDS
                          + r"(?!\s+(?:gap|share|rate|ratio|of)\b)\b|\bwhat(?:\W?s|\s+"
                          r"(?:is|was|are|were))\s+(?:the\s+)?(?:[\w-]+['’]s?\s+)?"
                          # "the statutory minimum wage", "the average monthly salary"; not
                          # "the purpose of fines"
                          r"(?:(?!(?:of|for|on|in|to|about|behind|with|from)\b)[\w-]+\s+){0,2}"
                          r"(?:cost|price|fee|budget(?!\s+(?:for\s*\?|period|line|cycle|year|"
                          r"process|procedure|structure))|"
                          r"salary|wage|subsidy|allowance|rent|fine)s?\b"
                          # "the public transport price reform" asks for no sum
                          r"(?!\s+(?:reforms?|polic(?:y|ies)|rules?|procedures?|priorities|"
                          r"systems?|regimes?|debates?|laws?|schemes?))", re.IGNORECASE)
# A sum: a currency sign, a currency code by a figure ("MDL 20,000", "20,000 RUR", "10 EUR"),
# a currency's name, or "free" / "no fee".
# (A currency code is one of ``_CURRENCY_CODES``, in capitals, by a figure that ends in a
# digit: "and 3", "2023, SHE" and "2022 NGO" had read as sums.)
# ("1.8 million people" is a count, not a sum: a figure in millions counts unless a word for
# people or things counted follows; a currency the list does not know, "14.2 million dravs",
# still counts.)
_CURRENCY_CODES = ("EUR USD GBP CHF JPY CNY RUB UAH PLN CZK HUF RON BGN RSD BAM MKD ALL MDL GEL "
                   "AMD AZN TRY SEK NOK DKK ISK HRK INR BRL CAD AUD NZD ZAR MXN KRW SGD HKD AED "
                   "SAR ILS EGP NGN KES PHP IDR MYR VND PKR BDT LKR NPR RUR").split()
# ("THB", the baht's code, is this domain's "trafficking in human beings": not a currency.)
_CODE = r"(?-i:" + "|".join(_CURRENCY_CODES) + r")"
# Words for people or things counted in millions: "1.8 million people" is no sum.
_COUNTED_IN_MILLIONS = "|".join((
    "people persons? inhabitants residents citizens users visitors viewers listeners readers "
    "households refugees families children women men adults migrants workers victims "
    "students voters members calls views copies items units tonnes tons kilometres "
    "kilometers km hectares litres liters barrels cases records pages downloads times hours "
    "days years").split())
_AMOUNT = re.compile(r"[€$£¥₴₽₺₾₸]|\bK[čc]\b|\bz[łl]\b|\b" + _CODE + r"\s?\d|"
                     r"\d(?:[\d.,]*\d)?\s?(?:" + _CODE + r"\b"
                     r"|(?:million|billion|thousand|bn)\b(?!\s+(?:" + _COUNTED_IN_MILLIONS
                     + r")\b))|\b(?:eur(?:os?)?|(?<!per\s)cents?|dollars?|pounds?|usd|gbp|"
                     r"francs?|dinars?|denars?|kunas?|lei|leu|leva|lev|lek[eë]?|lari|lira|liras|"
                     r"zlot(?:y|ys|ych)|forints?|rubles?|roubles?|hryvnias?|yen|yuan|rupees?|"
                     r"crowns?|kron(?:a|or|er|e)|marks?|pence|manat|tenge|dram|som)\b|\bfree\b|"
                     r"\bno\s+(?:fee|charge|cost)s?\b|\bnothing\b", re.IGNORECASE)


def lacks_asked_amount(question: str, quote: str) -> bool:
    """A question asking for a sum of money, answered by a quote that gives none (no currency
    nor its sign: "a rent subsidy for up to one more year" gives no amount of the subsidy)."""
    return bool(_ASKS_AMOUNT.search(question)) and not _AMOUNT.search(quote)


def lacks_asked_penalty(question: str, quote: str) -> bool:
    """A question asking what penalty applies, answered by a quote that gives none (one that
    says only that something is an offence, or who prosecutes it)."""
    return bool(_ASKS_PENALTY.search(question)) and not _PENALTY.search(quote)


# A question asking which article, section or clause says something ("Which article of the
# Criminal Code defines trafficking?"), and the words it asks about: not the words of the frame
# (the numbered unit, the text it belongs to, "defines", "covers" ...). A quote citing an
# article only for something else ("... child pornography ... under Article 187 of the Criminal
# Code", in the sentence after one naming trafficking) does not answer it.
# (Case matters only for the text's name: its words are capitalised, or words of a code.)
_ASKS_ARTICLE = re.compile(
    r"\b(?i:which|what)\s+(?i:articles?|sections?|subsections?|clauses?|paragraphs?|"
    r"provisions?)\b((?:\s+(?i:of|in|under)(?:\s+(?i:the))?(?:\s+(?:[A-Z][\w.-]*|\d[\w.-]*|"
    r"(?i:" + "|".join(
        "criminal penal civil labour labor code law act licence license convention directive "
        "regulation treaty constitution statute public general protocol agreement".split())
    + r")\b))+)?)")
# The verbs of asking what a unit of a text does, as ``keyword.tokenize`` stems them.
_ARTICLE_FRAME = frozenset(tokenize(
    "article articles section sections subsection clause clauses paragraph paragraphs "
    "provision provisions defines define defined definition covers cover covered deals deal "
    "regulates regulate governs govern says say sets set lays lay contains contain provides "
    "provide concerns concern applies apply addresses address refers refer mentions mention "
    "states state specifies specify describes describe explains explain talks talk handles "
    "handle treats treat discusses discuss criminalises criminalise criminalizes criminalize "
    "prohibits prohibit bans ban punishes punish makes make lists list exactly number "
    "relevant applicable offence offences offense offenses crime crimes criminal"))
# A cited unit: "Article 187(2)", "Art. 12", "section 6b", "§ 3", "paragraph 2".
_CITED_UNIT = re.compile(r"\b(?:articles?|art\.|sections?|subsections?|clauses?|paragraphs?|"
                         r"para\.)\s*\(?\d|§\s*\d", re.IGNORECASE)


# Asking for an article or a clause by its number. Not a section: a statute's sections are
# often headed by their bare number ("15 Withholding of identity documents"), and "what
# section of the population" is no citation; nor "which provisions", "which paragraph of the
# report", asked of what they say.
_ASKS_NUMBERED_UNIT = re.compile(r"\b(?:which|what)\s+(?:articles?|clauses?)\b", re.IGNORECASE)
# An article or clause cited by its number, in figures or Roman numerals ("Article XXII").
_CITED_ARTICLE = re.compile(r"\b(?:articles?|art\.|clauses?)\s*(?:\(?\d|(?-i:[IVXLC]+)\b)|§\s*\d",
                            re.IGNORECASE)


def lacks_cited_unit(question: str, quote: str) -> bool:
    """A question asking which article (or clause) says something, answered by a quote (with
    its section's title) that cites none: "which article of the trafficking act defines
    exploitation?" is not answered by "The main legal instrument is the Act on the Prevention
    of Trafficking in Human Beings of 2017"."""
    return bool(_ASKS_NUMBERED_UNIT.search(question)) and not _CITED_ARTICLE.search(quote)


def unbound_article(question: str, quote: str) -> str:
    """For a question asking which article (section, clause ...) says something, what it asks
    about (the question's words from the first to the last it asks about) when no sentence of
    the quote that cites an article holds any of them: the article the quote cites is cited for
    something else. Empty when the question asks no such thing, names nothing beyond the frame
    ("Which article?" after a question), or the quote cites no article (other checks read what
    it lacks)."""
    m = _ASKS_ARTICLE.search(question)
    if m is None or not _CITED_UNIT.search(quote):
        return ""
    skip = conversational_words(question) | FUNCTION_WORDS
    words = [w for w in WORD.finditer(question)
             if not (m.start() <= w.start() < m.end()) and (t := tokenize(w.group()))
             and not set(t) <= _ARTICLE_FRAME and w.group().lower() not in skip]
    asked = set(tokenize(" ".join(w.group() for w in words)))
    if not asked:
        return ""
    from .chunking import sentences

    # A quote opening with the unit it cites ("Article 2\nDefinitions\n1. Trafficking ...
    # means ...") cites it for all it says.
    if _CITED_UNIT.match(quote.lstrip(" \t\n#*")) and asked & set(tokenize(quote)):
        return ""
    for a, b in sentences(quote, 0, len(quote)):
        part = quote[a:b]
        if _CITED_UNIT.search(part) and asked & set(tokenize(part)):
            return ""
    return question[words[0].start():words[-1].end()]


# A question asking what something is for ("What is the purpose of the project?", "What are
# the aims of the plan?", "Why was the unit set up?"), and the words by which a sentence says
# what something is for. Not "to fight ..." alone: a project's title says that much. Not
# "What was it for?" either: after "How much did the Government provide?" it asks what the
# money went to ("for victim assistance"), which no word of purpose says.
_ASKS_PURPOSE = re.compile(
    r"\b(?:purposes?|aims?|goals?|objectives?|intentions?|missions?|rationale)\s+(?:of|for|"
    r"behind)\b|\bwhy\s+(?:was|were|is|are|did)\s+"
    r"[\w\s-]{1,60}?\b(?:set\s+up|created|established|launched|founded|introduced|started|"
    r"adopted)\b|\bwhat\s+(?:does|did|do)\s+[\w\s-]{1,60}?\baims?\s+(?:to|at|for)\b|"
    # "what's it meant to achieve?", "what is it trying to accomplish?", "the point of it"
    r"\b(?:meant|supposed|intended|designed|trying|hoping|hopes?|set\s+out|want(?:s|ed)?)\s+"
    r"to\s+(?:achieve|accomplish|attain)\b|\bthe\s+point\s+of\b(?!\s+contact)",
    re.IGNORECASE)
_PURPOSE = re.compile(r"\b(?:in\s+order\s+to|so\s+as\s+to|so\s+that|aim\w*|goals?|"
                      r"objectives?|purposes?|intend\w*|intention\w*|seeks?\s+to|designed\s+to|"
                      r"meant\s+to|with\s+a\s+view\s+to|mission)\b", re.IGNORECASE)


# A question asking why ("Why?", "and why was it set up?", "What is the reason for ...?",
# "How come ...?"), and the words by which a sentence gives a reason or a cause.
_ASKS_REASON = re.compile(r"\bwhy\b|^\W*(?:(?:and|but|so|ok|okay)\W+)?how\s+come\b|"
                          r"\bwhat(?:['’]s|\s+(?:is|was|are|were))\s+the\s+(?:reasons?|"
                          r"rationale)\b|\bfor\s+what\s+reasons?\b", re.IGNORECASE)
# ("since" as a time, "Since 2013", "thus far", and "As many as ..." give no reason)
_REASON = re.compile(r"\b(?:because|since(?!\s+(?:\d\w*|the\s+\d\w*|then|when|last|early|late|"
                     rf"{_MONTHS})\b)|due\s+to|owing\s+to|thanks\s+to|given\s+that|"
                     r"in\s+order\s+to|so\s+as\s+to|so\s+that|purposes?|aims?|aimed|reasons?|"
                     r"as\s+a\s+result|therefore|hence|thus(?!\s+far)|precondition|"
                     r"to\s+ensure|caused?|led\s+to|argu(?:e|ed|es|ing)|"
                     r"(?:felt|believed|feared)\s+that)\b|"
                     r"(?:^|[.;:]\s+)As\s+(?!(?:a|an|the|well|of|to|for|many|much|such|soon|long|"
                     r"far|regards)\b)\w", re.IGNORECASE)


def asks_reason(question: str) -> bool:
    """Whether a question asks why something is or was so."""
    return bool(_ASKS_REASON.search(question))


def states_reason(text: str) -> bool:
    """Whether ``text`` gives a reason, a cause or a purpose ("because", "due to", "in order
    to", "As JITs are a tool rarely used ..., knowledge ... is a precondition ...")."""
    return bool(_REASON.search(text))


# A question asking what a work or an undertaking is called ("What is the title of the new
# JIT project?", "what is the name of its sequel?", "what was the new project called?"), not a
# person's name; and how a sentence gives a title ("The title of the new project is ...",
# "a programme called ...").
_TITLED = (r"(?:project|programme|program|scheme|plan|initiative|campaign|strategy|law|act|"
           r"report|document|book|film|album|song|sequel|follow[- ]?(?:up|on)|conference|"
           r"network|study|survey)s?")
_ASKS_TITLE = re.compile(
    rf"\b(?:title|name)\s+of\s+(?:(?:the|its|their|this|that|his|her)\s+)?(?:[\w'-]+\s+){{0,3}}?"
    rf"{_TITLED}\b|\bwhat(?:['’]s|\s+(?:is|was|are|were))\s+(?:(?:the|its|their)\s+)?"
    rf"(?:[\w'-]+\s+){{0,6}}?"
    rf"{_TITLED}\s+called\b(?!\s+(?:for|on|upon|to|in|by)\b)"
    rf"|\b{_TITLED}(?:['’]s)?\s+(?:title|name)\b", re.IGNORECASE)
_GIVES_TITLE = re.compile(r"\b(?:title|name)\s+of\s+[^.]{0,80}?\b(?:is|was)\b|"
                          r"(?<!so-)\b(?:called|entitled|titled|named|known\s+as)\b"
                          r"(?!\s+(?:for|to|on|upon|in|by)\b)", re.IGNORECASE)
# A work's title in quotation marks right after its word: 'the previously concluded project
# "The introduction of the requirements for ..."'.
_QUOTED_TITLE = re.compile(rf"\b{_TITLED}\s*(?:[:,]\s*)?[\"“„«]\s*(?-i:[A-Z])", re.IGNORECASE)


# A question asking what a term means: "What does 'convey' mean in GPL version 3?", "What is
# an Application under the LGPL?", "GPLv3 definition of a User Product?", "meaning of
# covered work". The term is at most four words, in quotation marks or not; a place or
# document after it ("in GPL version 3", "under the LGPL") is no part of it.
_QUOTES = "'\"“”‘’"
_TERM = rf"[{_QUOTES}]?((?:[\w-]+\s+){{0,3}}?[\w-]+)[{_QUOTES}]?"
_WITHIN = r"(?:,?\s(?:in|under|according\s+to|for\s+the\s+purposes\s+of)\s[^?\s][^?]*)?"
_ASKS_MEANING = re.compile(
    rf"\bwhat\s+(?:does|do)\s+(?:the\s+)?(?:term\s+|word\s+|phrase\s+)?{_TERM}\s+mean\b"
    rf"|^\W*(?:[\w.-]+\s*:\s*)?what(?:['’]s|\s+is|\s+are)\s+"
    rf"(?!(?:the\s+)?(?:definition|meaning)\s+of\b|meant\s+by\b)"
    rf"(?:an?\s+|the\s+)?{_TERM}{_WITHIN}\s*\??\s*$"
    rf"|\b(?:define|definition\s+of|meaning\s+of|meant\s+by)\s+(?:an?\s+|the\s+)?"
    rf"(?:term\s+|word\s+|phrase\s+)?{_TERM}"
    rf"{_WITHIN}\s*\??\s*$", re.IGNORECASE)


def defined_term(question: str) -> str | None:
    """The term a question asks the meaning of (``_ASKS_MEANING``), or None."""
    m = _ASKS_MEANING.search(" ".join(question.split()))
    if m is None:
        return None
    term = next(g for g in m.groups() if g)
    return term if tokenize(term) else None


# What follows a term being defined, within three words: '"Larger Work" means ...'.
_MEANS = (r"(?:\s+[\w-]+){0,3}?\s+(?:means|mean|shall\s+mean|refers\s+to|is\s+defined\s+as|"
          r"are\s+defined\s+as|is\s+any|are\s+any)\b")


def defines(term: str, text: str) -> bool:
    """Whether a sentence says what ``term`` means: '"The Program" refers to ...', 'To
    "convey" a work means ...', 'An "Application" is any work ...', '"Source" form shall mean
    ...', '... is also called the "Linked Version"', 'X (hereinafter "Y") ...'."""
    t = r"\s+".join(map(re.escape, term.split()))
    q, means = f"[{_QUOTES}]", _MEANS
    # In quotation marks, the term is being defined wherever it stands; bare, only as the
    # sentence's subject ("Efforts to prevent human trafficking include ..." defines nothing).
    return re.search(
        rf"{q}{t}{q}{means}|{q}{t}{q}\s+(?:is|are|includes?)\b"
        rf"|^\W*(?:[\d.]+\s+)?(?:to\s+|the\s+|an?\s+)?{t}{means}"
        rf"|\b(?:called|termed|known\s+as|hereinafter)\s+(?:the\s+)?{q}{t}{q}",
        text.strip(), re.IGNORECASE) is not None


def asks_title(question: str) -> bool:
    """Whether a question asks what a work or an undertaking is called (a project, a plan, a
    report ...; not a person)."""
    return bool(_ASKS_TITLE.search(question))


def title_asked(question: str) -> str:
    """The words asking for a title ("What was the previous project called", "name of its
    sequel"), or "" for a question asking none: what they name is the thing whose title is
    asked ("The earlier project - what is the name of its sequel?" asks the new one's)."""
    m = _ASKS_TITLE.search(question)
    return m.group(0) if m else ""


def gives_title(text: str, quoted: bool = False) -> bool:
    """Whether ``text`` says what something is called ("The title of the new project is
    ..."); with ``quoted``, or gives its title in quotation marks after its word ('the
    previously concluded project "The introduction of ..."', which says what it is called
    only in passing)."""
    return bool(_GIVES_TITLE.search(text) or (quoted and _QUOTED_TITLE.search(text)))


# A question about what is to come ("What will the helpline do next year?", "any plans for
# new languages?", "in 2026?"): a sentence about plans may answer it.
_ASKS_FUTURE = re.compile(
    r"\b(?:will|won['’]t|shall|going\s+to|gonna|plans?|planned|planning|intends?|intended|"
    r"next|future|upcoming|coming|expected|expect|soon|later|yet|(?:1[0-9]|20)\d\d)\b",
    re.IGNORECASE)
# A sentence about what is to come, not what is: "will" with a time to come after it ("will
# operate ... from 1 September 2026", "will open next year"), or words of planning ("plans
# to", "is expected to"). A rule or a promise put with "will" ("Victims will be granted a
# reflection period", an FAQ's "We will never share your details ...") names no such time
# and is no plan; nor is "will" a noun ("against their will") or "we will call her Anika".
_WILL_VERB = (r"(?<!\bfree )(?<!\bgood )(?<!\bown )(?<!\bill )(?<!\bthe )(?<!\ba )"
              r"(?<!\blast )(?<!\btheir )(?<!\bhis )(?<!\bher )(?<!\bmy )(?<!\byour )"
              r"(?<!\bour )(?<!\bits )\bwill\b(?!\s+of\b)(?!\s+call\b)")
_WILL = re.compile(_WILL_VERB, re.IGNORECASE)
_WILL_LATER = re.compile(
    _WILL_VERB + r"[^.;!?]*?(?:\b(?:next|coming|upcoming|future)\b"
    r"|\b(?:in|from|by|until|during|before)\s+"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:(?:" + _MONTHS + r")\s+)?(?:1[0-9]|20)\d\d\b)",
    re.IGNORECASE)
_PLANNING = re.compile(r"\b(?:plans?|intends?)\s+to\b|\b(?:is|are)\s+(?:planned|expected|"
                       r"scheduled)\s+to\b", re.IGNORECASE)


def says_will(sentence: str) -> bool:
    """Whether a sentence holds "will" as a verb (``speaks_of_plans`` without the time):
    after a sentence about plans, it goes on about them ("... from 1 September 2026. We
    will also add Arabic and Tagalog ...")."""
    # (the look-behinds make the pattern slow to scan: most sentences hold no "will")
    return "will" in sentence.lower() and bool(_WILL.search(sentence))


_PLANS_HEADING = re.compile(r"\b(?:plans?|planned|outlook|next\s+steps|future|upcoming|"
                            r"the\s+(?:year|years|months)\s+ahead|coming\s+years?)\b",
                            re.IGNORECASE)


def heads_plans(title: str) -> bool:
    """Whether a section's title says it is about plans ("Plans for 2026", "Outlook", "Next
    steps"): a sentence with "will" under it is a plan ("we will train 300 labour
    inspectors ...")."""
    return bool(_PLANS_HEADING.search(title))


def asks_future(question: str) -> bool:
    """Whether a question asks about what is to come (``_ASKS_FUTURE``), or names a year."""
    return bool(_ASKS_FUTURE.search(question))


def speaks_of_plans(sentence: str) -> bool:
    """Whether a sentence says what is to come rather than what is: "the telephone line will
    operate 24 hours a day ... from 1 September 2026", "The ministry plans to open ..."."""
    return bool(("will" in sentence.lower() and _WILL_LATER.search(sentence))
                or _PLANNING.search(sentence))


# A month named: any but "may" in any case ("july", "September"), not a person's first name
# ("June Smith"); "May" with a capital, not opening the text or a sentence ("May I ...?"), and
# not a verb ("it May be").
_MONTH_NAMED = re.compile(
    r"\b(january|february|march|april|june|july|august|september|october|november|"
    r"december)\b(?!\s+(?-i:[A-Z][a-z]))"
    r"|(?<=\S\s)(?<![.!?]\s)(May)\b(?!\s+(?:be|not|have)\b)(?!\s+(?-i:[A-Z][a-z]))",
    re.IGNORECASE)


def months_named(text: str) -> frozenset[str]:
    """The months a text names, in lower case ("between July and September": july,
    september)."""
    out = set()
    for m in _MONTH_NAMED.finditer(text):
        if m.group(1):
            out.add(m.group(1).lower())
        elif m.group(2) == "May":
            out.add("may")
    return frozenset(out)


def asks_purpose(question: str) -> bool:
    """Whether a question asks what something is for: its purpose, aim or goal, or why it was
    set up."""
    return bool(_ASKS_PURPOSE.search(question))


def states_purpose(text: str) -> bool:
    """Whether ``text`` says what something is for ("in order to promote", "aims to", "the
    goal is")."""
    return bool(_PURPOSE.search(text))


def lacks_asked_purpose(question: str, quote: str) -> bool:
    """A question asking what something is for, answered by a quote that says nothing of what
    anything is for (a project's title: "The title of the new project is ...")."""
    return asks_purpose(question) and not states_purpose(quote)


# A day or a moment counted from the asker's now ("today", "tonight", "this weekend", "right
# now"), in lower case (not a name, "TODAY"): a document says what held when it was written.
# Not "now" or "nowadays" alone ("What happens now?", "still in force nowadays" of a text saying
# what survives today), nor "today's" ("today's workers" are present-day ones).
_MOMENT = re.compile(r"\b(today(?!'s)|tonight|tomorrow|yesterday|right now|this (morning|"
                     r"afternoon|evening|week|weekend|month)|next (week|weekend|month)|last "
                     r"(night|week|weekend))\b")
# What a quote says of the present, or of days, that may answer it ("Currently, two shelters
# operate", "open daily", "on Saturday and Sunday").
_PRESENT = re.compile(r"\b(today|tonight|tomorrow|yesterday|now|currently|nowadays|presently|"
                      r"at present|at the moment|to date|this (morning|afternoon|evening|week|"
                      r"weekend|month)|daily|every day|saturdays?|sundays?|weekends?|"
                      r"evenings?|nights?)\b", re.IGNORECASE)


# A question asking what the time, the day or the date is now ("What time is it?", "what's
# today's date", "What day is today?", "what time is it in Beijing right now"): no document
# answers it, written as it was at another moment; its one word ("time", "day") had found "full
# time" and "a 90 day reflection period". Not in the past ("What year was it?" after a
# question on an event asks the event's year), nor followed by what it asks about ("What day
# is it held?", "What time is it open?"), nor of a place without a word for now ("What is the
# time in custody?", "What's the date in Annex II?" ask about the text).
_NOW = r"(?:now|today|tonight|currently|at\s+the\s+moment|right\s+now)"
_ASKS_NOW = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hey|hi|hello|sorry|please|excuse\s+me)\W+)*(?P<core>"
    r"(?P<clock>what\s+time\s+(?:is\s+it|it\s+is)|what(?:['’]s|\s+is)\s+the\s+time"
    r"|(?:(?:can|could|would)\s+you\s+)?(?:tell|give)\s+me\s+(?:the\s+time|what\s+time\s+it\s+is)"
    r"|(?:do|does)\s+(?:you|anyone)\s+(?:know|have)\s+(?:the\s+time|what\s+time\s+it\s+is))"
    r"|(?P<isit>(?:what|which)\s+(?:day|date|year|month)(?:\s+of\s+the\s+(?:week|month|year))?"
    r"\s+is\s+it)"
    r"|what(?:['’]s|\s+is)\s+(?:the\s+)?(?:date|day)"
    r"|what(?:['’]s|\s+is)\s+(?:today['’]?s|todays)\s+date"
    r"|what\s+day\s+is(?=\s+today)"
    r"|(?:(?:can|could|would)\s+you\s+)?(?:tell|give)\s+me\s+the\s+date)"
    r"(?P<tail>(?:\s*,?\s+(?:" + _NOW + r"|here|there|please|in\s+(?!(?:the|this|that|these|"
    r"those|a|an|its|their|his|her|our|your|my)\b)[^\W\d_][\w-]*(?:\s*,?\s+[^\W\d_][\w-]*)?))*)"
    r"\W*$", re.IGNORECASE)
_NOW_WORD = re.compile(r"\b" + _NOW + r"\b", re.IGNORECASE)


def asks_the_moment(question: str, in_conversation: bool = False) -> bool:
    """Whether a question asks what the time, day or date is now (``_ASKS_NOW``). After a
    conversation, only the clock ("What time is it?"), "What day (year, ...) is it?" or a
    form saying "now" ("What's the date today?") is taken so: "What is the date?" after a
    question on a conference asks its date. (Read as one, "What day is it?" after a question
    on prevention's goals had quoted them confidently.)"""
    m = _ASKS_NOW.search(question.strip())
    if m is None:
        return False
    clock, tail = m.group("clock") is not None, m.group("tail")
    now = bool(_NOW_WORD.search(m.group(0).replace("today's", "today")))
    if re.search(r"\bin\s", tail, re.IGNORECASE) and not now:
        return False
    if re.search(r"\b(here|there)\b", tail, re.IGNORECASE) and not (clock or now):
        return False  # "What is the date here?" of a text
    return not in_conversation or now or clock or m.group("isit") is not None


# A question about the assistant itself ("Who built you?", "How old are you?", "Are you a
# robot?", "What's your name?"): a closed class, like ``ERRANDS``. Its one word may be the
# documents' ("program" of a licence, "old" near "children"), and it had been shown their
# sentences. Only the whole question: "Who grants you the licence?" asks about the text's "you".
_ABOUT_YOU = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hey|hi|hello|sorry|please|but)\W+)*(?:"
    r"(?:who|what)\s+(?:made|built|created|programmed|designed|developed|trained|coded|wrote|"
    r"owns|runs|powers)\s+you"
    r"|(?:who|what)\s+(?:are|r)\s+(?:you|u)"
    r"|how\s+old\s+are\s+you"
    r"|where\s+are\s+you\s+(?:from|based|located|hosted)"
    r"|are\s+you\s+(?:an?\s+)?(?:robot|bot|human|person|real|machine|chatbot|ai|computer|"
    r"program|alive|sentient|conscious)"
    r"|what(?:['’]s|\s+is)\s+your\s+name)\W*$", re.IGNORECASE)


def asks_about_the_assistant(question: str) -> bool:
    """Whether a question asks about the assistant itself (``_ABOUT_YOU``)."""
    return bool(_ABOUT_YOU.search(question.strip()))


# A sum to work out ("what's 2+2", "how much is 15 x 3?", "12 divided by 4"): figures joined
# by operators, with at most a "what is" or "calculate" before them.
_NUMBER_TERM = r"-?\d+(?:[.,]\d+)?"
# (a hyphen or a slash between figures only with spaces: "2012-2013" is a period, "24/7" and
# "2011/36" are no sums, "100 - 20" is one)
_SUM_SIGN = r"[+*x×÷^]|plus|minus|times|multiplied\s+by|divided\s+by"
_OPERATOR = rf"(?:{_SUM_SIGN}|(?<=\s)[-/](?=\s))"
_YEAR_FIGURE = re.compile(r"1\d\d\d|20\d\d")
_ARITHMETIC = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|hey|please|quick(?:\s+question)?)\W+)*"
    r"(?:(?:what|how\s+much)(?:['’]s|\s+is|\s+are|\s+does)?|calculate|compute|solve)?\s*"
    rf"{_NUMBER_TERM}(?:\s*{_OPERATOR}\s*{_NUMBER_TERM})+\s*(?:=|equals?|make)?\s*\W*$",
    re.IGNORECASE)


def asks_arithmetic(question: str) -> bool:
    """Whether a message is only a sum to work out ("what's 2+2"): no document answers it,
    and its figures had found "Article 187(2)" of the seed page, shown tentatively after a
    question (a blind probe's). Years apart by a dash or a slash ("2013 - 2014", "2012 /
    2013") are a period, and "24 / 7" is all day: no sums."""
    m = _ARITHMETIC.match(question.strip())
    if m is None:
        return False
    figures = re.findall(r"\d+", m.group(0))
    if not re.search(_SUM_SIGN, m.group(0), re.IGNORECASE):
        if all(_YEAR_FIGURE.fullmatch(f) for f in figures) or figures == ["24", "7"]:
            return False
    return True



def lacks_asked_moment(question: str, quote: str) -> str | None:
    """The moment counted from now that a question asks about ("tonight") when the quote does
    not speak of the present or of that moment: it says what held when its document was
    written."""
    m = _MOMENT.search(question)
    if m is None or _PRESENT.search(quote):
        return None
    return m.group(0)


# A question asking for a comparison ("Is the reflection period longer for child victims?",
# "Is labour exploitation more common than sexual exploitation?"): a comparative word asked
# against something ("than", "for", "in" ... or closing the question), in a question with
# "than" or one asking yes or no. Not a threshold ("more than two") nor a name ("a larger
# work").
_COMPARATIVE = (r"(more|less|fewer|longer|shorter|higher|lower|bigger|smaller|greater|larger|"
                r"better|worse|older|younger|cheaper|stricter|harsher|faster|slower|stronger|"
                r"weaker)")
_ASKS_COMPARISON = re.compile(
    r"\b" + _COMPARATIVE + r"\b(?!\s+than\s+(" + _NUMBER.pattern + r"|a\s+(few|dozen)))"
    r"(?=(\s+\w+){0,4}\s+than\b|\s+(for|in|among|with|at)\b|\W*$)", re.IGNORECASE)
_YES_NO = re.compile(r"^\W*((and|so|but)\s+)?(is|are|was|were|do|does|did|can|could|will|would|"
                     r"has|have|had|should)\b", re.IGNORECASE)
# What a quote making a comparison says.
_COMPARES = re.compile(
    r"\b(than|more|less|fewer|most|least|longer|shorter|higher|lower|greater|larger|smaller|"
    r"bigger|better|worse|earlier|later|older|younger|majority|minority|compared|comparison|"
    r"versus|vs|whereas|increas\w*|decreas\w*|rise|rose|risen|fell|fall\w*|doubl\w*|twice|"
    r"same|equal\w*|exceed\w*|outnumber\w*)\b", re.IGNORECASE)


# A bound asked for, and a bound given. A text that gives only the longest time or the
# highest sum ("suspension of work for up to 30 days") does not give the least one, and
# "What is the minimum period ...?" had been answered by it with confidence (a blind probe
# of the ninth session of 2026-12-06); nor the other way round.
_ASKS_LEAST = re.compile(r"\b(minimum|min|at\s+least|shortest|lowest|smallest|fewest)\b",
                         re.IGNORECASE)
_ASKS_MOST = re.compile(r"\b(maximum|max|at\s+most|longest|highest|largest|up\s+to|"
                        r"no\s+more\s+than)\b", re.IGNORECASE)
_GIVES_MOST = re.compile(r"\b(up\s+to|at\s+most|maximum|max|(no|not)\s+more\s+than|"
                         r"(not|never)\s+(to\s+)?exceed\w*|shall\s+not\s+exceed)\b",
                         re.IGNORECASE)
_GIVES_LEAST = re.compile(r"\b(at\s+least|minimum|min|(no|not)\s+less\s+than|or\s+more|"
                          r"or\s+longer)\b", re.IGNORECASE)


# A year named relative to one the conversation named ("And the year before?" after a
# question on 2023): two blind probes asked so, and the sentence on 2023 was quoted again, or
# another one, confidently. Not "next year" or "last year", which count from the asker's now.
_YEAR_BEFORE = re.compile(
    r"\b(the\s+)?(year\s+before|previous\s+year|prior\s+year|preceding\s+year|"
    r"year\s+prior|a\s+year\s+earlier)\b", re.IGNORECASE)
_YEAR_AFTER = re.compile(
    r"\b(the\s+)?(year\s+after|following\s+year|a\s+year\s+later)\b",
    re.IGNORECASE)


def with_year_named(question: str, earlier: str) -> str:
    """``question`` with a year it names relative to the one year of ``earlier`` (the last
    question before it) written out: "And the year before?" after a question on 2023 is "And
    in 2022?". As it is when it names a year itself, or ``earlier`` names none or several."""
    years = set(_years(earlier))
    if len(years) != 1 or _years(question):
        return question
    year = int(years.pop())
    for pattern, shift in ((_YEAR_BEFORE, -1), (_YEAR_AFTER, 1)):
        if pattern.search(question):
            return pattern.sub(f"in {year + shift}", question, count=1)
    return question


def opposite_bound(question: str, quote: str) -> str | None:
    """"minimum" for a question asking the least of something whose quote gives only the
    most ("up to 30 days"), "maximum" for the other way round; None otherwise."""
    if _ASKS_LEAST.search(question) and _GIVES_MOST.search(quote) \
            and not _GIVES_LEAST.search(quote):
        return "minimum"
    if _ASKS_MOST.search(question) and _GIVES_LEAST.search(quote) \
            and not _GIVES_MOST.search(quote):
        return "maximum"
    return None


def average_mismatch(question: str, quote: str) -> tuple[str, str] | None:
    """(what is asked, what the quote gives) when one is an average and the other a bound:
    ("a maximum", "an average") for "the maximum penalty" answered by "The average prison
    sentence imposed was 4.2 years"; ("an average", "a maximum") for "the average length of
    stay" answered by "A stay normally lasts up to six months". None otherwise."""
    most, least = _GIVES_MOST.search(quote), _GIVES_LEAST.search(quote)
    if _GIVES_AVERAGE.search(quote):
        if most or least:
            return None
        if _ASKS_MOST.search(question) and not _ASKS_LEAST.search(question):
            return "a maximum", "an average"
        if _ASKS_LEAST.search(question) and not _ASKS_MOST.search(question):
            return "a minimum", "an average"
    elif _ASKS_AVERAGE.search(question) and bool(most) != bool(least):
        return "an average", "a maximum" if most else "a minimum"
    return None


_GIVES_AVERAGE = re.compile(r"\b(averag(?:e|es|ed|ing)|mean|median|on\s+average)\b",
                            re.IGNORECASE)
# ("mean" is left out of the question's: "What does THB mean?")
_ASKS_AVERAGE = re.compile(r"\b(average|median|typical|typically|usual|usually)\b",
                           re.IGNORECASE)


def lacks_asked_comparison(question: str, quote: str) -> bool:
    """A question asking how two things compare, answered by a quote that compares nothing
    (it gives the one fact the page has: "Identified foreign victims are granted a 90 day
    reflection period" for "Is it longer for child victims?")."""
    return bool(_ASKS_COMPARISON.search(question)) \
        and bool(re.search(r"\bthan\b", question, re.IGNORECASE) or _YES_NO.search(question)) \
        and not makes_comparison(quote)


# A yes/no question closing on a comparative and what it qualifies ("Are children granted a
# longer reflection period?", "Do men get more support?"): it asks whether the thing is so
# compared. A document may name a thing so ("a larger work" of a licence): the phrase it
# holds asks for no comparison (``Answerer``).
# After "a" or "an", or a quantity ("more support"): "Can younger children stay?" and "Are
# older victims helped?" name a group, not a comparison (a review's false caveats).
_COMPARED_THING = re.compile(r"(?:\ban?\s+" + _COMPARATIVE + r"|\b(more|less|fewer))\s+"
                             r"([a-z][\w-]*)(?:\s+[a-z][\w-]*)?\W*$", re.IGNORECASE)


def compared_thing(question: str) -> str | None:
    """The comparative and the next word of a yes/no question closing on them ("longer
    reflection" of "Are children granted a longer reflection period?"), or None."""
    if not _YES_NO.search(question) or re.search(r"\bthan\b", question, re.IGNORECASE):
        return None  # (one with "than" is ``lacks_asked_comparison``'s)
    m = _COMPARED_THING.search(question)
    return f"{m.group(1) or m.group(2)} {m.group(3)}" if m else None


def makes_comparison(quote: str) -> bool:
    """Whether a quote says how things compare (``_COMPARES``)."""
    return bool(_COMPARES.search(quote))


# A question asking who heads something now ("Who heads the police unit?", "Who chairs the
# IWG?", "Who is the head of ...?"), and what a quote saying it holds: a word of heading or
# leading, or of a post that heads ("Director", "Minister", "coordinator"). A quote that says
# only what the body does ("Offences ... are investigated by the units of the police") does not
# say who heads it. Not "who runs / manages" (a service is "provided by" or "operated by" its
# runner), "who is in charge of prosecuting ...?" (a body's competence answers it) nor the past
# ("Who led the Normans?" is answered by what they did).
# The post asked for ends the phrase or is "of" something: "Who is the chief of ...?", not
# "Who are the chief partners?"; leading someone into something is no heading ("Who leads
# victims into trafficking?"). It may be whose, and have up to three words before it ("who is
# slovenia's national anti-trafficking coordinator": a blind probe's, answered confidently by
# the police units that investigate).
_ASKS_HEAD = re.compile(
    r"\bwho\s+(?:currently\s+)?(?:heads|leads|chairs|directs|presides\s+over)\b"
    r"(?!\s+(?:to|by|for|from|with|into|away|out|up)\b)(?![^?.!]*\b(?:into|astray)\b)"
    r"|\bwho(?:'s|’s|\s+is|\s+are)\s+(?:the\s+|currently\s+the\s+)?(?:[\w-]+['’]s\s+)?"
    r"(?![\w-]+ing\b)(?:(?!(?:the|of|to|for|with|by|and|or|from)\b)[\w-]+\s+){0,3}"
    r"(?:heads?|leaders?|chairs?|chairm[ae]n|chairwom[ae]n|chairpersons?|directors?|chiefs?|"
    r"presidents?|managers?|boss(?:es)?|coordinators?)(?=\s*(?:[?.!,]|$)|\s+(?:of|for)\b)",
    re.IGNORECASE)
_HEADS = re.compile(
    r"\b(?:head\w*|lead\w*|led|chair\w*|direct(?:or|ors|s|ed|orate)|chief\w*|president\w*|"
    r"manag\w*|coordinat\w*|in\s+charge|responsib\w*|run\s+by|minister\w*|secretar\w*|"
    r"commissioner\w*|boss\w*|presid\w*|governor\w*|mayor\w*|commander\w*)\b", re.IGNORECASE)


# A question asking for the name of a person or people by their post or role ("what are the
# names of the two thb prosecutors", "whats the name of the head prosecutor there?"), and what
# a quote naming one holds: two capitalised words in a row or more, none of them a body's, a
# document's or a place's word, nor a month ("Inspector Dara Kovenko", not "the Specialised
# Office of State Prosecutor"). A blind probe's "names of the two thb prosecutors" had been
# answered confidently by "There are 11 prosecutors within this Specialised Service".
_PERSON_ROLES = (r"(?:prosecutors?|judges?|officers?|inspectors?|members?|coordinators?|"
                 r"directors?|heads?|ministers?|rapporteurs?|chair(?:man|men|person|woman)?s?|"
                 r"leaders?|presidents?|mayors?|secretar(?:y|ies)|commissioners?|"
                 r"ombuds(?:man|men|person)s?|spokes(?:man|men|person|woman)s?|founders?|"
                 r"managers?|lawyers?|investigators?|officials?|people|persons?|employees?)")
_ASKS_PERSON_NAME = re.compile(
    rf"\bnames?\s+of\s+(?:(?:the|its|their|his|her|both|[\w-]+['’]s|two|three|four|five|"
    rf"\d+)\s+)*(?:[\w-]+\s+){{0,3}}?{_PERSON_ROLES}\b"
    # the post is what is named, not a word before it ("the names of the member states")
    rf"(?=\s*(?:[?.!,;:]|$)|\s+(?:of|in|at|on|for|from|who|that|there|here|now|currently|"
    rf"working|dealing|please)\b)", re.IGNORECASE)
_NOT_A_PERSONS_NAME = frozenset(w.casefold() for w in (
    "Office Ministry Association Service Services Unit Units Department Police Republic Court "
    "Courts Agency Centre Center Council Commission Government State National Union Foundation "
    "Institute University Committee Directorate Inspectorate Group Team Project Programme "
    "Program Plan Act Code Law Article European International Organisation Organization "
    "Network Fund Bureau Authority Parliament Assembly Prosecutor Prosecution Academy School "
    "Hospital Embassy Mission Action Strategy Report Convention Directive Protocol Line Hotline "
    "Caritas Association NGO NGOs Federal Regional District Supreme High Constitutional "
    "Criminal Penal Labour Social Affairs Interior Health Coordination Secretariat Division "
    "Section Chapter Annex Human Rights Trafficking Beings Prosecutors Specialised "
    # words that open a sentence
    "The A An In On At By For From Since Most Many Some This These Those It Its Their Our "
    "During After Before Under Over Each Every All Both No Not As Of And But If When Where "
    "While").split())


def lacks_person_name(question: str, quote: str) -> bool:
    """A question asking for a person's or people's names by their post (``_ASKS_PERSON_NAME``)
    answered by a quote naming no person: no two capitalised words in a row that are not a
    body's, a place's or a month."""
    if not _ASKS_PERSON_NAME.search(question):
        return False
    # Two words of a run that are no body's, place's, month's or sentence opening's: a title
    # may stand before them ("Prosecutor Ana Marlow", "Justice Anna Novak").
    for run in _name_runs(quote):
        words = [w for w in run if w not in _NAME_LINKS
                 and w.casefold() not in _NOT_A_PERSONS_NAME and w.casefold() not in _MONTH_NAMES
                 and w.casefold() not in country_names() and not (w.isupper() and len(w) <= 5)]
        if len(words) >= 2:
            return False
    return True


def lacks_asked_head(question: str, quote: str) -> bool:
    """A question asking who heads, chairs or leads something, answered by a quote that says
    nothing of heading or leading anything."""
    return bool(_ASKS_HEAD.search(question)) and not _HEADS.search(quote)


# A question asking for a time of day or opening hours ("What time does it close?", "What are
# the opening hours?"), not a span ("what time period", "what time-frame", "what time of
# year"). "When does it close?" may ask for a date as well ("When does the reflection period
# close?"): not this check's. A sentence that only dates something ("in recent years") does not
# answer it.
_ASKS_CLOCK = re.compile(
    r"\b(what|which) time\b(?![\s-]*(periods?|frames?|spans?|limits?|lines?|scales?|zones?|"
    r"windows?|horizons?|constraints?|tables?|budgets?|of\s+(the\s+)?(year|life|history|"
    r"month|season))\b)|\b(opening|closing|office|business|visiting|working) hours\b",
    re.IGNORECASE)
# A time of day, a day of the week (or its abbreviation) or a part of the day, a month; any
# figure at all ("10–18", "17h30", "1730 hrs", "15/06/2024"): the check stays out of the way of
# every way of writing a time it does not know.
_CLOCK = re.compile(
    rf"\d|\b(o'clock|noon|midday|midnight|hours|daily|around the clock|round the clock|"
    rf"half past|quarter (past|to)|dawn|dusk|sunrise|sunset|"
    rf"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    rf"mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|weekdays?|"
    rf"weekends?|mornings?|afternoons?|evenings?|nights?|{_MONTHS})\b", re.IGNORECASE)


# A time of day as such: "9:00", "17h30", "8 am", "noon", "24 hours a day", "around the clock",
# "24/7" (``_CLOCK`` lets any figure pass, not to doubt a way of writing it it does not know).
_CLOCK_TIME = re.compile(
    r"\b(?:[01]?\d|2[0-4])[:h][0-5]\d\b|\b(?:1[0-2]|0?[1-9])\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)|"
    # "10.00 to 13.00", not "Article 12.30": with a dot, only after a word of time or a dash
    r"(?:\b(?:at|from|until|till|to|by)\s+|[-–]\s*)(?:[01]?\d|2[0-4])\.[0-5]\d\b|"
    r"\b(?:noon|midday|midnight|o'clock|around\s+the\s+clock|round\s+the\s+clock)\b|"
    r"\b24\s*(?:/\s*7|hours\s+a\s+day|-hour)\b", re.IGNORECASE)


def gives_clock_time(text: str) -> bool:
    """Whether ``text`` gives a time of day (``_CLOCK_TIME``): "open Monday to Friday from
    9:00 to 17:00"."""
    return bool(_CLOCK_TIME.search(text))


def lacks_clock_time(question: str, quote: str) -> bool:
    """A question asking for a time of day or opening hours, answered by a quote with none."""
    return bool(_ASKS_CLOCK.search(question)) and not _CLOCK.search(quote)


# A question asking for a way to reach someone (a phone number, an e-mail or postal address, a
# web address), and what a quote giving one must hold: a figure, an "@", a web address, a
# house number or postcode by a name. A question asking whether there is a helpline asks for
# none; "address" as a verb ("How does the plan address child trafficking?") is not read.
# The detail is asked for: the detail after a request ("what is", "give me", "I need",
# "do you have"; a few words may come between: "What is the hotline number ...?") and before
# the question's end or "of", "for", "to" ... ("What is the address of ...?"), or opening a
# keyword question ("Phone number of the SOS line?"). Not the detail as a topic: "Is a phone
# number needed to apply?", "Can a company sell my e-mail address?", "What is the e-mail
# policy?", "What is the link between poverty and trafficking?", "What is the website for?".
_ASKING = (r"(?:\bwhat(?:'s|’s|\s+is|\s+are|\s+was)|\bwhich\s+(?:is|are)|"
           r"\b(?:give|send|tell|show|find|get)\s+(?:me|us)|"
           # "I need the number of ...", not "Do I need an e-mail address to register?"
           r"\bI\s+(?:need|want|am\s+looking\s+for|'m\s+looking\s+for)(?=\s+(?:the|their|its|"
           r"his|her|your)\b)|\bdo\s+you\s+know|\bdo\s+(?:you|they|we)\s+have)")


# Or closing a keyword question of a few words that opens with no question word nor verb
# ("NATCO postal address", "data protection officer email?", "police phone number").
# Not a phrase with a preposition or a verb in it ("Recruitment via e-mail", "Victims without
# a registered address", "Gaps the action plan must address?").
_KEYWORD_OPENING = (r"^\W*(?!(?:what|which|who|whom|whose|how|why|when|where|is|are|was|were|"
                    r"do|does|did|can|could|should|would|will|may|must|has|have|had|i|we|you|"
                    r"they|it|please|update|change|delete|remove)\b)"
                    r"(?:(?!(?:via|without|with|by|through|from|into|about|against|in|on|to|"
                    r"of|for|change|changes|changed|disclosure|"
                    r"must|can|could|should|will|would|may|might|shall|not|no|need|needs|"
                    r"needed|is|are|was|were|be)\b)[\w'’.@&-]+\s+){0,5}")


def _asks_detail(noun: str, keyword: str | None = None) -> re.Pattern:
    """``keyword``: the nouns a keyword question may close with, when fewer than ``noun``
    ("Organised crime links" asks for no web address)."""
    return re.compile(
        rf"{_ASKING}\s+(?:[\w'’-]+\s+){{0,4}}?{noun}"
        rf"(?=\s*(?:[?.!,;:]|$)|\s+(?:of|for|to|at|in|please)\b(?!\s*\?))"
        rf"|^\W*(?:(?:the|their|its|your)\s+)?{noun}\s+(?:of|for)\b"
        rf"|{_KEYWORD_OPENING}{keyword or noun}(?:\s+please)?\W*$", re.IGNORECASE)


# Figures that may be a number to call: three digits or more in a row, not a year ("2013")
# nor the end of an amount ("90,000"); digits in groups ("01 45 67 89 10", "+386 1 234"); a
# short number to call ("Dial 15"). ``phone_numbers`` keeps those that read as one.
_PHONE_GIVES = re.compile(r"(?<![\d,.])(?!(?:19|20)\d\d(?!\d))\d{3,}|\+?\d{1,4}(?:[\s./-]\d{2,4}){2,}|"
                          r"\b(?:call|dial|ring|tel\.?|telephone|phone)\s*:?\s*\+?\d", re.IGNORECASE)
# What way to reach someone a question asks for, how it asks, and whether a quote gives it.
_CONTACT_ASKS = (
    ("a phone number", re.compile(
        # (a keyword question may close with the phone alone: "association ključ phone?")
        _asks_detail(r"(?:(?:tele)?phone|hotline|helpline|help-line|fax|contact|emergency|"
                     r"toll-free|mobile|cell)\s+numbers?",
                     keyword=r"(?:(?:(?:tele)?phone|fax|mobile)(?:\s+numbers?)?|(?:hotline|"
                     r"helpline|help-line|contact|emergency|toll-free|cell)\s+numbers?)").pattern
        + r"|\bnumbers?\s+(?:to|I\s+can|I\s+should|one\s+can)\s+(?:call|ring|dial)\b"
        r"|\b(?:what|which)\s+(?:phone\s+)?number\s+(?:can|should|do|does|could|must)\s+"
        r"(?:[\w'’-]+\s+){1,2}?(?:call|ring|dial)\b", re.IGNORECASE),
     lambda quote: bool(phone_numbers(quote))),
    ("an e-mail address", _asks_detail(r"e-?mail(?:\s+address(?:es)?)?"),
     re.compile(r"@|[\[(]at[\])]", re.IGNORECASE).search),
    ("a web address", _asks_detail(r"(?:web\s*sites?|homepages?|web\s*pages?|urls?|"
                                   r"web\s+address(?:es)?|(?:web\s*)?links?)",
                                   keyword=r"(?:web\s*sites?|homepages?|urls?|"
                                   r"web\s+address(?:es)?|web\s*links?)"),
     # (no "\b" before a run of word characters and hyphens: on "a-a-a-..." it restarted at
     # every hyphen, quadratic in the quote's length)
     re.compile(r"https?://|\bwww\.|(?<![\w-])[\w-]+\.(?:org|com|net|eu|gov|int|edu|info|io)\b|"
                r"(?<![\w-])[\w-]+(?:\.[\w-]+)+\.[a-z]{2}/", re.IGNORECASE).search),
    ("a postal address", re.compile(
        _asks_detail(r"(?:(?:postal|street|mailing|office|home|physical|registered|visiting)"
                     r"\s+)?address(?:es)?").pattern
        # "where is the inspectorate's office located?", "where are their offices?"; not
        # "where is the Office for Victims report published?"
        + r"|\bwhere(?:\s+is|\s+are|'s|’s)\s+(?:the\s+|their\s+|its\s+)?(?:[\w'’-]+\s+){0,3}?"
        r"(?:office|offices|headquarters|hq|premises)(?:\s+(?:located|based|situated))?"
        r"\s*[?.!]*\s*$", re.IGNORECASE),
     # a house number or postcode by a name ("51 Franklin Street", "1000 Ljubljana",
     # "Trg OF 13,"), or a post box: not any figure ("Section 10.3", "3 NGOs")
     # (not a year: "In 2021, Velmora's inspectors ...", "Since 2019 Nordhaven has ...")
     re.compile(r"\b(?!(?:1[89]|20)\d\d\b)\d{1,6}[A-Za-z]?,?\s+[A-Z][a-z][\w-]*|"
                r"\bP\.?\s?O\.?\s+Box\b|"
                r"\b[A-Z][\w-]*\s+(?!(?:1[89]|20)\d\d\b)\d{1,5}[A-Za-z]?,\s").search),
)


# The capacity a question is asked in ("... a work permit as a software developer?", "my
# residence permit as an erasmus student"): "as a" or "as an" and up to three words before a
# preposition, a clause or the end. Not "such as a ...", nor a fixed phrase ("as a result").
_AS_ROLE = re.compile(r"(?:\b(?P<before>[\w'-]+)\s+)?\bas\s+an?\s+"
                      r"(?P<role>(?:[^\W\d_][\w'-]*\s+){0,2}[^\W\d_][\w'-]*)"
                      r"(?=\s*(?:[?.!,;:]|$|\s+(?:in|at|on|from|for|to|with|who|that|and|or|"
                      r"if|when|while|because|so|but)\b))", re.IGNORECASE)
_NOT_A_ROLE = frozenset(("result", "whole", "rule", "matter", "consequence", "minimum",
                         "maximum", "precaution", "last", "first", "final", "general", "right",
                         "group", "team"))
# Verbs after which "as a ..." says what a thing is taken for, not whom the asker is ("punished
# as a felony", "treated as a misdemeanour", "given as a right").
_TAKEN_AS = frozenset(("treated", "punished", "defined", "classified", "classed", "count",
                       "counts", "counted", "regarded", "considered", "given", "seen",
                       "recognised", "recognized", "listed", "registered", "described",
                       "known", "used", "qualify", "qualifies", "prosecuted", "charged",
                       "sentenced", "tried", "categorised", "categorized", "is", "are", "was",
                       "were", "be", "been", "such"))


def foreign_role(question: str, df: Callable[[str], int],
                 starts: Callable[[str], bool] | None = None) -> str | None:
    """The capacity a question asks in ("as a software developer", "as an erasmus student")
    when the collection never uses one of its words (``df``: in how many passages a token
    occurs; nor the word in the singular or plural, nor, by ``starts``, a word of its root:
    "student" is spoken of where the documents say "studying"): the documents say nothing of
    such a person, so a quote on their rule for someone else ("Foreign victims ... can apply
    for a temporary residence permit") does not answer it. Two blind probes' questions on
    work and residence permits were answered confidently so. Not after a verb saying what a
    thing is taken for ("punished as a felony", ``_TAKEN_AS``)."""
    for m in _AS_ROLE.finditer(question):
        role = m.group("role")
        before = (m.group("before") or "").lower()
        tokens = tokenize(role)
        if tokens and not set(role.lower().split()) & _NOT_A_ROLE and before not in _TAKEN_AS \
                and not all(_mentioned(w, df, starts) for w in role.split() if tokenize(w)):
            return role
    return None


# The one whose name a question asks: "What is the name of Slovenia's national rapporteur on
# trafficking?", "name of the rapporteur": the words before "of", "for", "on", "in", a clause
# or the end. Not "Who is the ...?": "Who is the competent authority ...?" and "Who are the
# recipients ...?" ask who, in words of their own (an attack probe's), and "Who is eligible
# ...?" who may.
_POST_ENDS = r"(?:of|for|on|in|at|to|who|that|with)\b"
_ASKED_WHOSE_NAME = re.compile(
    r"\bnames?\s+of\s+(?:(?:the|a|an|its|their|his|her)\s+)?(?:[\w-]+(?:'s|’s)\s+)?"
    rf"(?P<post>(?:(?!{_POST_ENDS})[^\W\d_][\w-]*\s+){{0,2}}?(?!{_POST_ENDS})[^\W\d_][\w-]*)"
    rf"(?=\s*(?:[?.!,;:]|$)|\s+{_POST_ENDS})", re.IGNORECASE)


def unmentioned_post(question: str, df: Callable[[str], int],
                     starts: Callable[[str], bool] | None = None) -> str | None:
    """The one whose name a question asks ("national rapporteur" of "What is the name of
    Slovenia's national rapporteur on trafficking?"), when the collection never uses the word
    that names it, its last (``df``: in how many passages a token occurs; nor in the singular
    or plural, nor by ``starts`` a word of its root, as ``foreign_role``): a name the quote
    gives is someone else's. A blind probe's question was answered confidently with a
    sentence naming the Employment Service of Slovenia."""
    m = _ASKED_WHOSE_NAME.search(question)
    if m is None:
        return None
    post = m.group("post")
    head = post.split()[-1]
    if not tokenize(head) or head.lower() in _ANYONE or _mentioned(head, df, starts):
        return None
    return post


# Words for a person that name no post ("Who is the best person to contact?").
_ANYONE = frozenset("person persons people one ones someone somebody man woman men women "
                    "individual individuals guy contact".split())


def _mentioned(word: str, df: Callable[[str], int],
               starts: Callable[[str], bool] | None) -> bool:
    """Whether the collection uses a word of a role: itself, in the singular or plural ("NGO"
    where it says "NGOs"), or a word of the same root (``starts``, the documents' words by
    their start: "student" where they say "studying", "worker" where they say "working")."""
    low = word.lower()
    forms = {low, low + "s", low[:-1] if low.endswith("s") else low}
    if any(df(t) for f in forms for t in tokenize(f)):
        return True
    if starts is None:
        return False
    root = low
    for suffix in ("ents", "ers", "ors", "ent", "er", "or", "s"):
        if root.endswith(suffix) and len(root) - len(suffix) >= 4:
            root = root[:-len(suffix)]
            break
    return len(root) >= 4 and starts(root)


def lacks_contact_detail(question: str, quote: str) -> str | None:
    """What way to reach someone a question asks for ("a phone number") when the quote does
    not give it (no figure, no "@", no web address): the page may name the helpline and give
    no number. The first kind asked is the one read: "the e-mail address" asks for no postal
    address."""
    for kind, asks, gives in _CONTACT_ASKS:
        if asks.search(question):
            return None if gives(quote) else kind
    return None


# Words that say a figure is a phone number, or how to use it, without saying whose it is
# ("call the 24-hour toll-free hotline on", "Tel.:", "mobile"). The question's own words of
# this kind do not name whose number it asks for either.
_CONTACT_WORDS = frozenset(tokenize(
    "call calls calling called dial ring reach reached contact contacted number numbers "
    "phone telephone tel fax mobile cell hotline helpline help line lines emergency free "
    "toll-free 24-hour hours hour day days week available via using give gives given "
    "what which whose who where how can could may must should need want tell find get "
    "send show please address e-mail email also reception desk switchboard office line "
    "answers answered duty officer own main central general direct"))
_PHONE_ASKS = _CONTACT_ASKS[0][1]
# A figure of three to five digits standing alone is a count as often as a number to call
# ("received 1,126 calls, of which 304 led to an inspection" had answered "What's the hotline
# number?", confidently): it is one under a word of calling (below). Digits in groups ("080 11
# 55") or after a plus are read as numbers to call wherever they stand.
_BARE_FIGURE = re.compile(r"(?<![\d+][\s./-])(?<!\+)\d{3,5}(?![\s./-]?\d)")
# Right before the figure ("call 112", "number 112", "Hotline 0800"), or the word before that
# with "on", "at", "via", "is" between ("can be reached at 4477", "the number is 113").
_CALLING_RIGHT_BEFORE = frozenset({"call", "dial", "ring", "phone", "telephone", "tel",
                                   "number", "line", "hotline", "helpline", "fax", "mobile"})
_CALLING_BEFORE = frozenset({"call", "dial", "ring", "phone", "telephone", "tel", "number",
                             "hotline", "helpline", "fax", "mobile", "reached", "reach",
                             "contact", "contacted", "calling", "dialling", "dialing"})
_BETWEEN = frozenset({"on", "at", "via", "is", "are"})
# Or "on", "at", "via" alone before it ("call the police on 112 if ..."), when the word after
# the figure, if any, is no noun it counts ("on 153 occasions"): a word of these, or none.
_AFTER_A_NUMBER_TO_CALL = frozenset(
    "in or and for from to if during when at on any free toll available which where with "
    "without before after is was are be can may or from between".split())
_CALL_X_ON = re.compile(r"\b(?:call|calls|calling|ring|rings|dial|dials|phone|phones|telephone|"
                        r"contact|contacts)\s+(?:[\w'’-]+\s+){1,4}?(?:on|at)\s+$",
                        re.IGNORECASE)
_TWO_WORDS_BEFORE = re.compile(r"([\w-]+)\W+([\w-]+)\W*$|([\w-]+)\W*$")
_WORD_AFTER = re.compile(r"[^\w.!?;:\n]*([^\W\d_][\w-]*)")


def phone_numbers(quote: str) -> list[re.Match]:
    """The figures of ``quote`` that read as numbers to call (``_PHONE_GIVES``, a bare figure
    under a word of calling: ``_BARE_FIGURE``)."""
    out = []
    for m in _PHONE_GIVES.finditer(quote):
        if _BARE_FIGURE.match(quote, m.start()) and m.group().isdigit():
            before = _TWO_WORDS_BEFORE.search(quote, max(0, m.start() - 40), m.start())
            first, second, only = before.groups() if before else (None, None, None)
            last = (second or only or "").lower()
            called = last in _CALLING_RIGHT_BEFORE or last.endswith("-line") \
                or ((first or "").lower() in _CALLING_BEFORE and last in _BETWEEN)
            after = _WORD_AFTER.match(quote, m.end())
            # "call the police on 112 straight away": "on" after a word of calling a few
            # words back ("on 153 occasions" has none)
            called = called or bool(_CALL_X_ON.search(quote, max(0, m.start() - 60), m.start()))
            if not called and not (last in {"on", "at", "via"} and (
                    after is None or after.group(1).lower() in _AFTER_A_NUMBER_TO_CALL)):
                continue
        out.append(m)
    return out
# The words before a figure, back to the opening of its clause or the verb that says to use
# it: the label a number is given under ("call the police emergency number 112", "refers
# victims to the SOS line 080 11 55", "Telephone: +387 21 440 900").
_LABEL_START = re.compile(r"[.;,!?()\[\]\n]|\b(?:and|or|but|without|while|which|who|unless|"
                          r"before|after|if|when|call|calls|calling|called|dial|dialling|ring|"
                          r"contact|contacted|reach|reached|reaching|to|is|are|was|were|be)\b",
                          re.IGNORECASE)
_LABEL_ENDS = re.compile(r"^(?:(?:the|a|an|their|its|his|her)\s+)?(.*?)(?:\s+(?:on|at|via))?"
                         r"[\s:–-]*$", re.IGNORECASE | re.DOTALL)


# Whose number a question asks: the words after "number of" ("the phone number of the Special
# Unit"), before "'s" ("the Special Unit's telephone number"), or opening a keyword question
# ("special unit phone number"). Not those after "for" ("the helpline number for workers"),
# nor a subject ("What number should victims call?"): those are the callers.
_HOLDER_OF = re.compile(r"\b(?:numbers?|lines?|hotline|helpline|phone|telephone|contacts?)\s+of\s+"
                        r"(?P<h>[^?!.,;]+)", re.IGNORECASE)
_HOLDER_POSSESSIVE = re.compile(r"(?P<h>(?:[\w-]+\s+){0,4}?[\w-]+)(?:'s|’s)\s+(?:[\w-]+\s+){0,2}?"
                                r"(?:numbers?|hotline|helpline|phone|telephone)\b", re.IGNORECASE)
_HOLDER_KEYWORD = re.compile(_KEYWORD_OPENING.replace("{0,5}", "{1,5}")
                             + r"(?:(?:tele)?phone|hotline|helpline|contact|fax)?\s*numbers?\W*$",
                             re.IGNORECASE)


_COPULAS = frozenset({"is", "are", "was", "were", "be"})
_JOINING = frozenset({"and", "or", "but"})
_OWN = re.compile(r"\b(?:its|their|his|her|our)\b", re.IGNORECASE)


def _holder(question: str) -> str:
    """The words naming whose phone number a question asks (``_HOLDER_OF`` ...), or ""."""
    m = _HOLDER_OF.search(question) or _HOLDER_POSSESSIVE.search(question)
    if m is not None:
        return m.group("h")
    m = _HOLDER_KEYWORD.search(question)
    return m.group(0) if m is not None else ""


_RELATIVE = frozenset({"which", "who", ",", ";"})
# A clause naming someone: an article or a possessive, or a capitalised word.
_NAMES_SOMEONE = re.compile(r"\b(?:the|a|an|its|their|his|her|our)\b|\b[A-Z]")


def _subject_before(quote: str, starts: list, openings: list[int], j: int) -> str:
    """The subject of the verb opening clause ``j`` (``_LABEL_START``'s matches ``starts``,
    their ends ``openings``): back over the words joining subjects ("Both the Labour
    Inspectorate and La Strada are ..."), and past a relative word or a comma to what it
    stands for ("... to the police, which is reachable on ...")."""
    end, k = starts[j].start(), j - 1
    while k >= 0:
        word = starts[k].group().lower()
        if word in _JOINING:
            k -= 1
        elif not quote[openings[k]:end].strip(" ,;:") and word in _RELATIVE:
            end, k = starts[k].start(), k - 1
        else:
            break
    return quote[openings[k] if k >= 0 else 0:end]


def others_phone_number(question: str, quote: str) -> str | None:
    """The label of another's number ("police emergency number") when a question asks for
    the phone number of someone the quote names ("What is the phone number of the Special
    Unit?"), and every number the quote gives is labelled as someone else's, the label
    naming none of the question's words ("inspectors must call the police emergency number
    112 without waiting for the Special Unit"). ``lacks_contact_detail`` sees that the quote
    gives a number, not whose. A number whose label names no one ("Telephone: ...", "can be
    reached on 01 ...") is anyone's the quote names; None then, and when the quote does not
    name what the question asks about (the other checks say so)."""
    if not _PHONE_ASKS.search(question):
        return None
    holder = set(tokenize(_holder(question))) - _CONTACT_WORDS
    if not holder or not holder <= set(tokenize(quote)):
        return None
    labels = []
    # Where each clause opens, found once (a quote of many numbers is read in one pass).
    starts = list(_LABEL_START.finditer(quote))
    openings = [c.end() for c in starts]
    for m in phone_numbers(quote):
        if m.group()[0].isalpha():  # "call 112", "Tel. 01 ...": a number under no one's name
            return None
        before = quote[:m.start()]
        i = bisect.bisect_right(openings, m.start()) - 1
        clause = before[openings[i]:] if i >= 0 else before
        j = i
        # ("open day and night on ...": a word joined to the predicate, not another's name,
        # "and the Labour Inspectorate on ...")
        while j > 0 and starts[j].group().lower() in _JOINING \
                and not _NAMES_SOMEONE.search(before[openings[j]:]):
            j -= 1
        if j >= 0 and starts[j].group().lower() in _COPULAS and before[openings[j]:].strip():
            # "The Labour Inspectorate is reachable on ...", "the hotline is open day and
            # night on ...": after the verb is how it is reached; whose number, the subject.
            clause = _subject_before(quote, starts, openings, j)
        label = _LABEL_ENDS.match(" ".join(clause.split()[-6:])).group(1)
        words = set(tokenize(label)) - _CONTACT_WORDS
        # ("Its reception desk answers on ...", "has its own line": the body's own)
        if not words or words & holder or _OWN.search(clause):
            return None
        labels.append(label)
    return labels[0] if labels else None


# A year as a time ("in 2012", "since 2009", "October 2013", "2012-2013"), not an amount
# ("EUR 2000", "2000 victims") or part of a larger figure ("90,000").
_YEAR = re.compile(rf"\b(in|since|until|till|by|from|to|during|of|between|and|before|after|"
                   rf"{_MONTHS})\s+(1[0-9]|20)\d\d(\s*[-\u2013]\s*((1[0-9]|20)?\d\d))?"
                   r"(?![.,]?\d)", re.IGNORECASE)
# The day of a date ("October 16, 1973", "29 June 2007", "June 3rd"): a time, not a count.
_DAY_BEFORE = re.compile(rf"\b\d{{1,2}}(st|nd|rd|th)?\s+(of\s+)?(?=({_MONTHS})\b)", re.IGNORECASE)
_DAY_AFTER = re.compile(rf"\b({_MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?\b(?!\d),?", re.IGNORECASE)


def _without_dates(text: str) -> str:
    text = _DAY_AFTER.sub(lambda m: m.group(1), _DAY_BEFORE.sub("", text))
    return _YEAR.sub(lambda m: m.group(1), text)


_ASKS_YEAR = re.compile(r"\b(what|which) years?\b(?!-)", re.IGNORECASE)
# A year in a quote: four digits from 1000 to 2099 on their own ("1066", "2013", "the 1990s"),
# or three after a word of time ("in 911"); not part of a larger figure ("90,000") nor a number
# such as "Article 187".
_A_YEAR = re.compile(r"((?<![\w,.])(1[0-9]|20)\d\d|\b(in|since|by|from|until|till|of|around|"
                     r"after|before|during|circa|c\.)\s+\d{3})s?(?![\w]|[.,]\d)", re.IGNORECASE)

# "How many shelters / people died / regional police directorates ...": the words that name
# what is counted, up to the first stop word ("does", "are", "in").
# "How many X", or "the number of X" and its everyday forms ("what's the headcount of
# detectives ...?").
# Only the number asked for: "what is the (total) number of X", or a keyword question opening
# with it; not "the fax number of ..." nor "why did the number of convictions fall?".
_HOW_MANY = re.compile(r"(?:\bhow many|(?:\bwhat(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+|^\W*)"
                       r"(?:the\s+)?(?:total\s+|overall\s+)?(?:number|head\s?count|tally)\s+of)"
                       r"\s+([\w'-]+(?:\s+[\w'-]+){0,3})", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
_SHARE_AFTER = re.compile(r"[\d.,]*\s*(?:%|per\s?cent\b|percent\b)", re.IGNORECASE)
_COUNT_WINDOW = 4  # words after a figure that may name what it counts ("11 regional police
# directorates")


_OF_THEM_WERE = re.compile(r"of\s+(?:them|those|these|whom)\s+(?:were|are|was|is)\s+"
                           r"(?:(?:\w+ly|also|still|even|then|ever)\s+)?(.+)", re.IGNORECASE)


def counted_words(question: str, shown: bool = False) -> list[str]:
    """The words naming what a "how many" question counts ("How many regional police
    directorates ...": regional, police, directorates), as written. ``shown``: only up to a
    function word, for saying it ("victims", not "victims were formally identified")."""
    m = _HOW_MANY.search(question)
    words = m.group(1).split() if m else []
    # "how many of them were foreigners?": what is counted is what they were
    of_them = _OF_THEM_WERE.match(question, m.start(1)) if m else None
    if of_them:
        words = re.findall(r"[\w'-]+", of_them.group(1))[:4]
    out: list[str] = []
    for word in words:
        if not tokenize(word) or (shown and word.lower() in FUNCTION_WORDS):
            break
        out.append(word)
    return out


def asks_a_figure(question: str) -> bool:
    """Whether a question asks how many, how much, what share ... (not what year)."""
    return bool(_ASKS_NUMBER.search(question)) and not _ASKS_YEAR.search(question)


def gives_counted_figure(question: str, text: str,
                         near: dict[str, tuple[tuple[str, float], ...]] | None = None) -> bool:
    """Whether ``text`` gives a figure of what a figure question counts, by the words that
    name it up to the first function word ("victims", not "victims were identified", whose
    "were" any sentence with a figure may hold); for a question naming nothing counted, any
    figure it does not name itself. ``near``: the documents' words near a counted word they
    never use (``QueryTerms.near``: "cops" counted by "policing")."""
    counted = _counted(question, shown=True)
    for t in list(counted):
        counted.update(stem for stem, _ in (near or {}).get(t, ()))
    return _gives_figure(question, text, counted)


def _counted(question: str, shown: bool = False) -> set[str]:
    return {t for w in counted_words(question, shown) for t in tokenize(w)}


def _gives_figure(question: str, text: str, counted: set[str]) -> bool:
    """A figure followed by one of ``counted`` (or in a table under it); with nothing counted,
    any figure that is not a date nor one the question names itself."""
    if counted:
        return _counts(text, counted) or _counts_in_a_table(text, counted)
    return bool(_NUMBER.search(_without_dates(_without_figures_of(question, text))))


_NONE_OF = re.compile(r"\b(?:no|none\s+of\s+the|not\s+a\s+single|zero)\s+"
                      r"((?:[\w'-]+\s+){0,2}[\w'-]+)", re.IGNORECASE)
_TIMES = re.compile(r"\b(?:once|twice|thrice|never)\b", re.IGNORECASE)


_INSIDE_FIGURE = re.compile(r"\d[.,]?$")
# The word labelling a number as a unit's ("section 3", "Article 187", "No. 4", "§ 2").
_LABEL_BEFORE = re.compile(r"(?:\b(?:articles?|art|sections?|subsections?|clauses?|"
                           r"paragraphs?|para|chapters?|parts?|steps?|measures?|no|nr)\.?|§)"
                           r"\s*\(?$", re.IGNORECASE)


def _counts(quote: str, counted: set[str]) -> bool:
    """Whether a figure in ``quote`` is followed, within a few words, by one of ``counted``;
    or "no" is ("no suspended sentence was given": none), or, for "how many times", "once",
    "twice" or "never" says how often."""
    if "time" in counted and _TIMES.search(quote):
        return True
    if any(set(tokenize(m.group(1))) & counted for m in _NONE_OF.finditer(quote)):
        return True
    text = _without_dates(quote)
    for m in _NUMBER.finditer(text):
        rest = text[m.end():m.end() + 80]
        # A share counts nothing: "only 9% of foreign victims" is no number of them; nor does
        # a unit's number ("the Cover Text requirement of section 3 is applicable to these
        # copies" gives no number of copies).
        # (A figure is read from its first digit: ``_NUMBER`` finds each digit of "12".)
        if _SHARE_AFTER.match(rest) or _INSIDE_FIGURE.search(text, max(0, m.start() - 2),
                                                             m.start()) \
                or _LABEL_BEFORE.search(text, max(0, m.start() - 16), m.start()):
            continue
        # Within its sentence: "It replaces Guideline No. 4/2018. It applies to all inspectors"
        # counts no inspectors.
        after = _SENTENCE_END.split(rest, 1)[0]
        after = WORD.findall(after)[:_COUNT_WINDOW + 1]
        if any(set(tokenize(w)) & counted for w in after):
            return True
    return False



# A question asking which place or language, or for a name: its answer names one. Bodies
# ("which agency / organisation / ministry") are left out: their answers are often described
# in lower case ("anti-organised crime units within the police force").
_ASKS_NAME = re.compile(
    r"\b(which|what)\s+(countries|country|cities|city|towns?|languages?|nations?|regions?|"
    r"provinces?)\b|"
    r"\bwhat(\W?s|\s+(is|was|are|were))\s+(the\s+)?names?\b|"
    r"\bwhat\s+(is|was|are|were)\s+(it|they|he|she|this|that)\s+called\b|"
    # "Who is the national coordinator?", "Who was the first First Minister?": a person.
    r"^\W*who(\W?s|\s+(is|was))\s+(the|its|their|[\w-]+['’]s)\s+", re.IGNORECASE)


# Words that may link the capitalised words of one name ("Office of the National ...").
_NAME_LINKS = frozenset({"of", "the", "for", "and", "on", "in"})


def _name_runs(text: str) -> list[list[str]]:
    """Capitalised words in a row, linked only by spaces and ``_NAME_LINKS``: one name each."""
    runs: list[list[str]] = []
    run: list[str] = []
    end = 0
    for m in QUOTE_WORD.finditer(text):
        w, gap = m.group(0), text[end:m.start()]
        if run and gap.strip():  # punctuation between: the name has ended
            runs.append(run)
            run = []
        end = m.end()
        if w[0].isupper():
            run.append(w)
        elif not (run and w in _NAME_LINKS):
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return runs


# "Who approves / delivers / funded ...?": a question asking who does something, by a verb of
# doing (not "who needs / gets / qualifies ...", whose answer is a kind of person: "a victim
# who holds a permit", nor "who is ...").
_DOER_VERBS = (r"deliver|run|ran|fund|financ|approv|prepar|organi[sz]|manag|operat|lead|led|"
               r"chair|coordinat|provid|pay|paid|investigat|prosecut|decid|appoint|issu|sign|"
               r"adopt|draft|wr[io]te|written|found|creat|establish|conduct|carr(?:y|ies|ied)|"
               r"monitor|supervis|train|publish|overs(?:ee|aw)|send|sent|review|evaluat|assess|"
               r"implement|administer|host|award|grant|certif|regist|draw|drew|launch|initiat|"
               r"sponsor|commission|order|build|built|develop|design|produc|support|teach|taught")
_ASKS_AGENT = re.compile(r"^\W*(?:(?:and|so|but|then)\s+)?who\s+(?:(?:has|have|had|will|would|"
                         r"did|does|do)\s+)?(?P<verb>" + _DOER_VERBS + r")\w*\b", re.IGNORECASE)
# Who does it, in the passive ("investigated by anti-organised crime units", "provided by the
# Police Academy"), or a name after "by".
_BY_AGENT = re.compile(r"\b[Bb]y\s+(?:the\s+|a\s+|an\s+)?[A-Z]|\b(?i:\w+ed|run|led|given|done|"
                       r"taught|made|held|paid|kept|borne|drawn|set\s+up|carried\s+out|"
                       r"overseen|undertaken|written|chosen|built|sent)\s+(?i:by)\b")


def asks_agent(question: str) -> bool:
    """Whether a question asks who does something ("Who delivers the course?")."""
    return bool(_ASKS_AGENT.search(question))


_INNER_CAPITAL = re.compile(r"(?<=[\w,;:)] )[A-Z][\w'-]*")


def does_asked_deed(question: str, text: str) -> bool:
    """Whether ``text`` says who does the deed a question asks who does: its verb's root as a
    verb ("the Ministry ... prepared the proposal", "investigated by anti-organised crime
    units") or as a doer's noun ("an investigator at each ..."), for "Who investigates
    ...?". Not the verb in passing ("... in investigating and prosecuting cases", of a
    sentence whose doer approved something else), nor the deed's noun ("investigation").
    True for a question asking no such thing."""
    m = _ASKS_AGENT.search(question)
    if m is None:
        return True
    root = re.escape(m.group("verb"))
    return re.search(rf"\b{root}(?:e|es|ed|s|d|or|ors|er|ers)?\b", text,
                     re.IGNORECASE) is not None


def names_agent(question: str, text: str) -> bool:
    """Whether ``text`` names someone who does something: "by" someone ("provided by the
    Police Academy"), or a capitalised word inside a sentence that the question does not
    give (a sentence's first word names nobody: "Every new inspector ...")."""
    if _BY_AGENT.search(text):
        return True
    known = {w.casefold() for w in QUOTE_WORD.findall(question)} | _MONTH_NAMES
    return any(w.casefold() not in known and tokenize(w) for w in _INNER_CAPITAL.findall(text))


def lacks_asked_name(question: str, quote: str) -> bool:
    """A question asking which country, city or language (or what something is called),
    answered by a quote that names nothing the question does not already name (a capitalised
    word, in any script, other than the question's words, months and stop words; a sentence's
    first word counts): it cannot be the answer. A question offering the choices ("Slovenia or
    Croatia?") is left out: its answer names one of them."""
    if not _ASKS_NAME.search(question) or re.search(r"\bor\b", question, re.IGNORECASE):
        return False
    return _names_nothing_new(question, quote)


def _names_nothing_new(question: str, quote: str) -> bool:
    """Whether ``quote`` names nothing the question does not already name (``lacks_asked_name``)."""
    known = {w.casefold() for w in QUOTE_WORD.findall(question)} | _MONTH_NAMES
    # The words of a name that lead up to one of the question's are the asked thing's own
    # ("The Office of the National Anti-Trafficking Coordinator" for "What is the name of the
    # National Anti-Trafficking Coordinator?"), not the name asked for; words after it may be
    # ("National Coordinator Ana Novak").
    for words in _name_runs(quote):
        held = [i for i, w in enumerate(words) if w.casefold() in known and tokenize(w)]
        if held:
            known |= {w.casefold() for w in words[:held[-1] + 1]}
    # A capitalised stop word ("No", "The") opens a sentence; it names nothing.
    return all(w.casefold() in known or not tokenize(w)
               for w in QUOTE_WORD.findall(quote) if w[0].isupper())


# A place a question asks about: "in" or "from" and a capitalised name, after the first word
# ("... in Croatia?", "victims from Nigeria").
# (A month or a weekday is a time, not a place: "open on Sundays in December?")
_IN_PLACE = re.compile(r"(?<=\w )(?:in|from)\s+(?!(?i:" + _MONTHS + r"|monday|tuesday|"
                       r"wednesday|thursday|friday|saturday|sunday)s?\b)"
                       r"([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)")
# A name the collection mentions in at most this many passages is a detail of them, not their
# subject (the seed page names Slovenia in most passages, Croatia in one list).
RARE_PLACE_PASSAGES = 2


def lacks_asked_place(question: str, quote: str, df: Callable[[str], int]) -> bool:
    """A question asking about a place ("How long is the reflection period in Croatia?") that
    the collection names only in passing (in at most ``RARE_PLACE_PASSAGES`` passages, by
    ``df``: in how many passages a token occurs), answered by a quote that does not name it:
    the quote is about somewhere else. (A place the document never names is the document
    check's: ``missing_specifics``.)"""
    held = set(tokenize(quote))
    for m in _IN_PLACE.finditer(question):
        if _named_in_passing_not_held(m.group(1), held, df):
            return True
    return False


def _named_in_passing_not_held(name: str, held: set[str], df: Callable[[str], int]) -> bool:
    """Whether the collection names ``name`` only in passing (each of its words, or a word
    made from it, in 1 to ``RARE_PLACE_PASSAGES`` passages by ``df``) and ``held`` (a text's
    tokens) does not name it."""
    words = [w for w in name.split() if tokenize(w)]
    return bool(words) and not all(_names_place(w, held) for w in words) \
        and all(0 < _place_passages(w, df) <= RARE_PLACE_PASSAGES for w in words)


def _names_place(word: str, held: set[str]) -> bool:
    """Whether ``held`` (a text's tokens) names ``word``, itself or as a word made from it
    (``place_forms``: "Bulgarian" names Bulgaria)."""
    return any(set(t) <= held for t in map(tokenize, [word, *place_forms(word)]) if t)


def _place_passages(word: str, df: Callable[[str], int]) -> int:
    """In how many passages (by ``df``) the collection names a place, by its own word or a
    word made from it: a page that says only "Bulgarian partners" names Bulgaria (a blind
    probe's "reflection period in Bulgaria" was answered from the Slovenian rule, as the
    page held no token "bulgaria" and the place counted as never named)."""
    return max((df(t) for f in [word, *place_forms(word)] for t in tokenize(f)), default=0)


# A name a question asks about anywhere after its first word ("How many prosecutors does
# Croatia have?"): capitalised words, not written in capitals alone (an abbreviation such as
# "MPL", "MPL's" or "NGOs" is often spelt out or put in the plural by the text, so how many
# passages hold it says little).
_NAME_WORD = r"(?![A-Z]+s\b)[A-Z][\w-]*[a-z][\w-]*(?:'[a-z]*)?"
_ASKED_NAME = re.compile(rf"(?<=\w )({_NAME_WORD}(?:\s+{_NAME_WORD})*)")


_POSSESSIVE = re.compile(r"['’]s?$")


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    from .nearwords import common_word_list

    return frozenset(common_word_list())


def names_unmentioned(question: str, passage: str, df: Callable[[str], int]) -> list[str]:
    """The names a question asks about that the collection mentions only in passing (in at
    most ``RARE_PLACE_PASSAGES`` passages, by ``df``) and that the quote's passage does not
    mention, itself or as a word made from it (``place_forms``): "How many prosecutors does
    Croatia have?" answered from a passage about Slovenia. ``lacks_asked_place`` reads only a
    place after "in" or "from", and needs the quote itself to name it; a name the answer's
    passage holds may be named in the sentence before the quote ("Caritas ... It runs a
    shelter"), so the passage is enough here."""
    held = set(tokenize(passage))
    out = []
    for m in _ASKED_NAME.finditer(question):
        # A word made from the subject's name ("Slovenian" of a page on Slovenia) makes it
        # the subject's; a common word in many passages ("Court" of a judgment) names
        # nothing in passing, and the name is judged by the rest ("Supreme").
        words = m.group(1).split()
        if any(_of_a_subject(w, df) for w in words):
            continue
        frequent = [w for w in words if _place_passages(w, df) > RARE_PLACE_PASSAGES]
        # A frequent name is whom the documents are about ("Kasimir Holt's", where later
        # passages say "Mr Holt"); a frequent common word is not ("Court").
        if any(_POSSESSIVE.sub("", w).lower() not in _common_words() for w in frequent):
            continue
        own = " ".join(w for w in words if w not in frequent)
        if own and _named_in_passing_not_held(own, held, df):
            out.append(m.group(1))
    return list(dict.fromkeys(out))


# A place a question asks about: "in Germany", "of Australia", "to the UK". Not where someone
# comes from or is sent back to ("victims from Nigeria", "citizens of Ukraine", "sent back to
# Nigeria"): a page on Slovenia speaks of foreign victims, whoever they are.
_ASKED_COUNTRY = re.compile(r"\b(?:in|of|to)\s+(?:the\s+)?([^\W\d_][\w'’-]*)", re.IGNORECASE)
_SOMEONES_COUNTRY = frozenset(tokenize(
    "citizen citizens national nationals native natives origin born back return returned "
    "returning deported repatriated sent"))
_LAST_WORD = re.compile(r"([^\W\d_][\w'’-]*)\W*$")
def asks_unnamed_country(question: str, df: Callable[[str], int],
                         places: frozenset[str]) -> str | None:
    """The country a question asks about ("in Germany", "of australia") that the collection
    never names, by any of its names or its people's (``country_forms``; ``df``: in how many
    passages a token occurs), when the question names none of ``places`` (the stems of the
    places the documents are about, ``scope_names``), itself or by its people ("Slovenian");
    None otherwise. A country typed in small letters counts ("in austria": after "in", "of" or
    "to", "turkey" is seldom the bird); one inside a longer name does not ("United States of
    America", "Georgia Smith")."""
    words = LETTERS_WORD.findall(question)
    if any(set(tokenize(f)) & places for w in words
           for f in (w, *place_forms(w[:1].upper() + w[1:]))):
        return None
    for m in _ASKED_COUNTRY.finditer(question):
        w = m.group(1)
        name = country_names().get(w.casefold())
        if name is None or not (w.islower() or w[:1].isupper()):
            continue
        before = _LAST_WORD.search(question, 0, m.start())
        after = question[m.end():].split(None, 1)
        if before is not None and (set(tokenize(before.group(1))) & _SOMEONES_COUNTRY
                                   or (before.group(1)[:1].isupper()
                                       and before.start() > 0)):
            continue
        if after and after[0][:1].isupper() and not w.islower():
            continue
        named = (tokens and all(map(df, tokens))
                 for tokens in map(tokenize, country_forms(name)))
        if not any(named):
            return name
    return None


def _of_a_subject(word: str, df: Callable[[str], int]) -> bool:
    """A word made from a name the collection mentions often ("Slovenian" where "Slovenia"
    is in many passages): the collection's subject, not a detail of it."""
    return any(df(t) > RARE_PLACE_PASSAGES for f in place_forms(word) for t in tokenize(f))


# A year in a question or a passage: four digits from 1000 to 2099 standing alone ("in 2021",
# "2012-2013", "the 1990s", "03/2024"), not inside a larger figure ("90,000", "EUR 20000").
_YEAR_NUMBER = re.compile(r"(?<![\w,.])((?:1[0-9]|20)\d\d)s?(?![\w]|[.,]\d)")
# A number with a year, which is no year of the text: "Guideline No. 7/2023", "Decision
# 123/2024", "K 118/2021" (a number after "No." or a capitalised word); not a date's "03/2024"
# or "15/06/2024".
_NUMBER_WITH_YEAR = re.compile(r"(?:\b(?:No|Nr|no|nr|Number|number)\.?\s*|\b[A-Z][\w.-]*\s+)"
                               r"\d{1,3}/$")


def with_conversation_year(question: str, context: str) -> str:
    """``question`` as its checks read it when it follows up a question naming one year and
    names no time of its own ("how many of them were foreigners?" after "How many victims were
    identified in 2023?"): with that year ("... (in 2023)"), so that a quote about 2022 is
    said to be. As it is otherwise."""
    years = set(_years(context))
    if len(years) != 1 or _years(question) or _TIME_OF_ITS_OWN.search(question):
        return question
    return f"{question} (in {years.pop()})"


# A follow-up that places itself in time ("what happened before that?", "and the year after?",
# "since when?"): the conversation's year is not its own.
_TIME_OF_ITS_OWN = re.compile(r"\b(before|after|earlier|later|previous|prior|next|last|since|"
                              r"until|till|year|years|decade|ago|when|then|now|today|"
                              r"currently|recent\w*)\b", re.IGNORECASE)


def _years(text: str) -> list[str]:
    """The years ``text`` names (``_YEAR_NUMBER``), but those of numbers with a year."""
    return [m.group(1) for m in _YEAR_NUMBER.finditer(text)
            if not (text[m.start() - 1:m.start()] == "/"
                    and _NUMBER_WITH_YEAR.search(text, max(0, m.start() - 30), m.start()))]


# A year that names a thing rather than a time: after "the", "its" ... and before a word ("the
# 1973 embargo", "the 2021 amendment").
_THING_YEAR = re.compile(r"\b(?:the|a|an|its|their|this|that)\s+((?:1[0-9]|20)\d\d)\s+[a-z]",
                         re.IGNORECASE)


# A year the question asks about as its time ("in 2022", "during 2019", "for 2021"), not one
# that names a thing ("the 1973 embargo", "the 2021 amendment").
_TIME_YEAR = re.compile(r"\b(?:(?:in|during|throughout)\s+(?:the\s+year\s+)?|for\s+the\s+year\s+)"
                        r"((?:1[0-9]|20)\d\d)(?![\w/-]|[.,]\d|\s+(?:terms|prices|money|"
                        r"dollars|euros|values?)\b)", re.IGNORECASE)


def time_frame_years(question: str) -> list[str]:
    """The years a question asks about as its time frame, in order ("in 2022", not "the 2022
    programme", "1200 places" or "in 2020 terms")."""
    return list(dict.fromkeys(m.group(1) for m in _TIME_YEAR.finditer(question)))


def other_years(question: str, passage: str) -> tuple[list[str], list[str]] | None:
    """(the years a question names, the years its passage names instead) when the passage
    names years and none of the question's; None otherwise (``lacks_asked_year``)."""
    asked = set(_years(question))
    if not asked:
        return None
    given = set(_years(passage))
    return (sorted(asked), sorted(given)) if given and not asked & given else None


def other_time_years(question: str, text: str) -> tuple[list[str], list[str]] | None:
    """``other_years`` for the years a question asks about as times ("in 2022", "for 2025"),
    not those naming a thing ("the 1973 embargo" is answered by "the end of the embargo in
    March 1974")."""
    asked = set(_years(question)) - {m.group(1) for m in _THING_YEAR.finditer(question)}
    if not asked:
        return None
    given = set(_years(text))
    return (sorted(asked), sorted(given)) if given and not asked & given else None


# Where one sentence of a quote ends and the next begins (good enough within a quote, whose
# sentences the index has already cut).
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'“(]?[A-Z0-9])")


def figures_of_other_years(question: str, quote: str) -> tuple[list[str], list[str]] | None:
    """(the years a question asking for a figure names, the years of the quote's sentences
    that give a figure instead) when those sentences are dated and not with a year asked;
    None otherwise. A quote may name the year asked in one sentence and give another year's
    figure in the next: "... appointed in September 2021. In 2023 its budget amounted to
    14.2 million" had answered "What was the budget in 2021?" confidently."""
    if not _ASKS_NUMBER.search(question) or asks_for_year(question):
        return None
    asked = set(_years(question)) - {m.group(1) for m in _THING_YEAR.finditer(question)}
    if not asked:
        return None
    given: set[str] = set()
    for sentence in _SENTENCE_BREAK.split(quote):
        if _NUMBER.search(_without_dates(_without_figures_of(question, sentence))):
            for m in _YEAR_RANGE.finditer(sentence):  # "between 2021 and 2023": 2022 too
                a, b = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
                if 0 < b - a < 50:
                    given |= {str(y) for y in range(a, b + 1)}
            # The year a figure is compared with is not the figure's ("In 2023 its budget
            # amounted to 14.2 million, 9 per cent more than in 2022" gives no 2022 budget).
            given |= set(_years(_COMPARED_WITH.sub(" ", sentence)))
    return (sorted(asked), sorted(given)) if given and not asked & given else None


_YEAR_RANGE = re.compile(r"\b(?:between|from)\s+((?:1[0-9]|20)\d\d)\s+(?:and|to|until|till)\s+"
                         r"((?:1[0-9]|20)\d\d)\b|\b((?:1[0-9]|20)\d\d)\s*[-–]\s*((?:1[0-9]|20)\d\d)\b",
                         re.IGNORECASE)
_COMPARED_WITH = re.compile(r"\b(?:compared\s+(?:with|to)|than|since|up\s+from|down\s+from|"
                            r"as\s+against|against)\s+(?:(?:in|the\s+year|that\s+of)\s+)?"
                            r"(?:1[0-9]|20)\d\d\b", re.IGNORECASE)


def names_asked_year(question: str, text: str) -> bool:
    """Whether ``text`` names a year the question names."""
    return bool(set(_years(question)) & set(_years(text)))


def lacks_asked_year(question: str, passage: str) -> bool:
    """A question naming a year ("How many victims were identified in 2021?") answered from a
    passage that names other years and not that one: the quote gives another year's figure
    ("In 2022, 214 ..."), or a figure its passage dates otherwise. (A year the whole document
    lacks is the document check's: ``missing_specifics``.)"""
    return other_years(question, passage) is not None


def lacks_asked_number(question: str, quote: str) -> bool:
    """A question asking how many, how much, how old, what share or what year, answered by a
    quote with no figure at all (a year or the day of a date does not count, unless the
    question asks for a year, anywhere in it, which needs one), or asking how many of something
    with no figure followed by its name: it cannot be the answer. ("How long" is left out: "for
    the duration of the trial" answers it.)"""
    if _ASKS_YEAR.search(question):  # anywhere: "Who founded it, and in what year?"
        return not _A_YEAR.search(_without_figures_of(question, quote))
    if not _ASKS_NUMBER.search(question):
        return False
    # What is counted, and what is said of it ("victims were identified": a quote saying "120
    # were identified" answers), but no function word ("81 were women" counts no convictions).
    counted = {t for w in counted_words(question) if w.lower() not in FUNCTION_WORDS
               for t in tokenize(w)}
    return not _gives_figure(question, quote, counted)


_FIGURE = re.compile(_DIGIT + r"[\d.,/]*\d|" + _DIGIT)
_OFFERS_CHOICES = re.compile(r"\d[\w.,]*\s+or\s+\w*\s*\d", re.IGNORECASE)


def asks_for_year(question: str) -> bool:
    """Whether a question asks what year (``lacks_asked_number`` then wants a year)."""
    return bool(_ASKS_YEAR.search(question))


def _without_figures_of(question: str, quote: str) -> str:
    """``quote`` without the figures the question itself names: "What is the maximum penalty
    under Article 160?" is not answered by the 160 of "charged under Article 160", nor "What
    year was the 1973 embargo lifted?" by its 1973."""
    if _OFFERS_CHOICES.search(question):  # "Which year had more, 2019 or 2020?"
        return quote
    for figure in {m.group(0) for m in _FIGURE.finditer(question)}:
        quote = re.sub(r"(?<![\w.,])" + re.escape(figure) + r"(?![\w]|[.,]\d)", " ", quote)
    return quote


# A table written as text: cells between bars, or tab-separated.
_TABLE = re.compile(r"\|[^|\n]*\||\t")


def _counts_in_a_table(quote: str, counted: set[str]) -> bool:
    """A table whose headings name what is counted and whose cells hold figures ("Year |
    Unaccompanied children / 2019 | 312"): the figure stands under its heading, not after it."""
    return bool(_TABLE.search(quote)) and bool(_NUMBER.search(_without_dates(quote))) \
        and bool(counted & set(tokenize(quote)))
