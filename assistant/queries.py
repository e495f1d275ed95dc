"""How a message is read: the question as it is searched (``Query``), the earlier questions
of a conversation as callers give them (``conversation``), and what marks a follow-up: a word
pointing back (``points_back``, not a pleonastic "it"), a short question going on ("And for
children?", ``is_follow_up``), and the readings a question in a conversation may have
(``follow_up_candidates``: alone, after the last question, after the last two). Pure
functions; ``answering.Answerer.best_reading`` decides among the readings by evidence."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import quoting

MAX_QUESTION_CHARS = 2000  # longer input is cut: no question needs more, and encoding is O(n)

# Words that point back to something said earlier ("Who pays for it?", "the same").
_BACK_REFERENCE = re.compile(
    r"\b(" + "|".join(sorted(quoting.BACK_REFERENCES)) + r"|the same)\b", re.IGNORECASE)
# An "it" that stands for nothing said earlier (a pleonastic "it"; the rules follow Lappin and
# Leass's, 1994): the subject of a clause moved to the end after an adjective of judgement or
# likelihood ("Is it safe to give my dog grapes?", "it is true that ..."), of "take", "cost"
# or "need" with a to-clause ("How much does it cost to apply ...?"), of a cleft ("Whose job
# is it to ...?"), of time and weather ("What year is it?", "Is it raining?") and of fixed
# phrases ("when it comes to", "it seems"). Such a question asks something by itself, so its
# "it" does not make it a follow-up. "Is it legal?" (nothing follows the adjective) and "Does
# it apply to children?" still point back.
_JUDGEMENT = (
    "safe|unsafe|legal|illegal|lawful|unlawful|possible|impossible|true|false|necessary|"
    "unnecessary|mandatory|compulsory|obligatory|required|important|essential|useful|"
    "advisable|wise|sensible|ok|okay|alright|allowed|permitted|permissible|acceptable|normal|"
    "common|usual|customary|easy|hard|difficult|tough|likely|unlikely|certain|probable|clear|"
    "obvious|better|best|good|bad|fine|cheap|expensive|dangerous|risky|healthy|wrong|right|"
    "fair|unfair|enough|worthwhile|appropriate|reasonable|realistic|feasible|late|early|the case|"
    "polite|rude|convenient|sufficient|desirable|fun|nice|strange|odd|surprising|unusual|rare")
_ADVERB = (r"(?:not|n't|really|very|too|so|more|less|most|still|even|also|actually|ever|"
           r"always|generally|usually|quite|at\s+all)")
PLEONASTIC_IT = re.compile(
    r"\bit(?:['’]s)?(?:\s+(?:is|was|be|been|being|will|would|could|might|isn't|wasn't|"
    + _ADVERB + r"))*\s+(?:" + _JUDGEMENT + r")\s+(?:to|that|for|if|whether|when|how)\b"
    r"|\bit(?:['’]s)?(?:\s+(?:is|was|be|" + _ADVERB + r"))*\s+worth\s+\w+ing\b"
    r"|\bit\s+(?:take|takes|took|cost|costs|need|needs)\b[^?.!]*?\bto\s+[a-z]"
    r"|\b(?:is|was)\s+it\s+(?:that|to)\b"
    # The time or day now; "What year was it?" asks the year of what was said before.
    r"|\b(?:what|which)\s+(?:time|day|date|year|month|season)\s+is\s+it\b"
    r"|\bit(?:['’]s|\s+is|\s+was)?(?:\s+(?:going\s+to|gonna|supposed\s+to))?\s+"
    r"(?:rain|raining|snow|snowing|sunny|cloudy|windy|stormy|foggy|freezing)\b"
    r"|\bit(?:['’]s|\s+is|\s+was|(?:\s+will)?\s+be|\s+(?:is\s+)?(?:going\s+to|gonna)\s+be)?\s+"
    r"(?:cold|hot|warm|chilly|humid|dark|light|nice|sunny|rainy|snowy|windy|freezing|stormy|"
    r"cloudy|foggy)\s+(?:in|at|outside|today|tonight|tomorrow|now|there|here)\b"
    r"|\bwhen\s+it\s+comes\s+to\b|\bit\s+(?:seems|seemed|appears|appeared|turns\s+out)\b",
    re.IGNORECASE)


def points_back(question: str) -> bool:
    """Whether a question holds a word that points back to something said earlier ("Who pays
    for it?", "the same"); a pleonastic "it" ("Is it safe to ...?") does not, nor a "this" of
    the time of asking ("this weekend"; not "during this week")."""
    return bool(_BACK_REFERENCE.search(_NOW.sub(" ", PLEONASTIC_IT.sub(" ", question))))


# The time of asking, not something said earlier: "this weekend" ("whats the weather in
# sofia this weekend" was read as a follow-up, and never refused as an errand). Not after a
# preposition ("during this week" is a week said earlier); "these days" only ending the
# question ("How much is a flat white in London these days?", not "Are these days
# extendable?" after the reflection period's 90 days).
_NOW = re.compile(
    r"(?<!during )(?<!for )(?<!of )(?<!in )(?<!over )(?<!within )(?<!throughout )"
    r"\b(?:this\s+(?:weekend|week|month|year|morning|afternoon|evening|night|summer|winter|"
    r"spring|autumn|season|moment)(?![\w'-])|these\s+days(?=\W*$))", re.IGNORECASE)


# "that", which may point back ("Which article covers that?") but marks no follow-up (too many
# questions that stand alone hold it): such a question is never refused as unrelated
# (``Answerer.unrelated``), whose features read it alone.
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)


# Words that go on from the last answer ("Who else?", "What came next?", "And afterwards?"):
# they mark a follow-up only in a short question; in a longer one ("Which countries hosted
# workshops next?") they belong to the question itself.
GOES_ON = re.compile(r"\b(else|next|afterwards?|after that|before that|instead|otherwise)\b",
                      re.IGNORECASE)


# A short question naming its thing by "the" and no name ("What was the total amount?"):
# the thing is one the conversation has spoken of, however the documents word it. Not when
# it asks about the present ("What's the exchange rate today?"): the world's, not the
# conversation's.
_REFERS_BACK = re.compile(r"^(?!.*\b(?:today|tonight|tomorrow|now|currently|yesterday)\b)"
                          r".*\b(?:the|that|this|those|these)\s+[^\W\d_]",
                          re.DOTALL | re.IGNORECASE)
_NAME_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


def names_by_article(question: str) -> bool:
    """Whether a question names its thing by "the" (``_REFERS_BACK``) and gives no name of its
    own: no word after the first capitalised ("Žalec" is a name; "I" is not). (Not
    ``quoting.refers_back``, which reads a sentence opening on the one before.)"""
    words = _NAME_WORDS.findall(question)[1:]
    return bool(_REFERS_BACK.search(question)) \
        and not any(w[:1].isupper() and w != "I" for w in words)

HAS_WORD = re.compile(r"[^\W_]")
# A question that opens by continuing the last one ("And for children?", "What about 2014?").
CONTINUES = re.compile(r"\W*(and|or|but|also|then|what about|how about)\b", re.IGNORECASE)
# The words that open a question: a question word, or an auxiliary verb.
_QUESTION_WORDS = r"what|which|who|whom|whose|when|where|why|how"
_AUXILIARIES = (r"is|are|was|were|do|does|did|can|could|would|will|should|shall|may|might|must|"
                r"has|have|had")
# A message that asks something: a question mark, or the opening of a question ("why", "and
# when") when it was left out.
# ("with whom", "in which year": a preposition may come first.)
ASKS = re.compile(rf"\?|^\W*(and\s+|but\s+|so\s+|or\s+)?((with|by|for|to|from|of|in|on|at)\s+"
                   rf"(?=wh))?({_QUESTION_WORDS}|{_AUXILIARIES}|until|since)\b", re.IGNORECASE)
# All the words that continue the last question ("and what about ..."), where CONTINUES
# stops at the first.
_CONTINUATION = re.compile(rf"(?:{CONTINUES.pattern})+", re.IGNORECASE)
# The opening of a question of its own.
_QUESTION_OPENING = re.compile(rf"\W*({_QUESTION_WORDS}|{_AUXILIARIES})\b", re.IGNORECASE)
# A question word anywhere ("and, by the way, who prosecutes?", "and for how long?").
_QUESTION_WORD = re.compile(rf"\b({_QUESTION_WORDS})\b", re.IGNORECASE)
# A question addressed to the assistant itself ("How are you?", "Who are you?").
ADDRESSES_READER = re.compile(r"\b(you|your|yours|yourself)\b", re.IGNORECASE)


def asks_where_to_read(query: Query) -> bool:
    """Whether a question asks where to read about something (``quoting.asks_where_to_read``),
    or continues one that did ("and for info on victim assistance?" after "where can i find
    stats on trafficking prosecutions"): read with the conversation, it asks the same of
    something else, and a sentence pointing to a source is its answer."""
    if quoting.asks_where_to_read(query.asked):
        return True
    # ("and who prosecutes?", "and, by the way, who prosecutes?", "and for how long?" ask a
    # question of their own; "and what about prevention?" does not. And only a question
    # asking for a source passes its form on: "Where can victims get a permit?" asks where
    # to go; or one asking where to read something, continued by one naming a source: "what
    # about the statistics on prosecutions?" after "where can I find the national action
    # plans on prevention?".)
    rest = _going_on(query.asked)
    return bool(query.context) and rest is not None \
        and (quoting.asks_for_source(query.context)
             or (quoting.asks_where_to_read(query.context) and quoting.names_source(rest)))


def _going_on(question: str) -> str | None:
    """What follows the words going on from the last question ("and", "what about" ...), when
    it asks nothing of its own (no question word, not opening as a question); None otherwise."""
    m = _CONTINUATION.match(question)
    if m is None:
        return None
    rest = question[m.end():]
    return None if _QUESTION_OPENING.match(rest) or _QUESTION_WORD.search(rest) else rest


def elliptical(question: str) -> bool:
    """Whether a question goes on from the last one with no question of its own: it opens with
    "and", "what about", "how about" ... and asks nothing after it ("and in recent years?",
    "what about the regional police?"; not "and who prosecutes?", "and for how long?")."""
    rest = _going_on(question)
    return rest is not None and bool(rest.strip(" ,.?!"))


def is_follow_up(question: str) -> bool:
    from .keyword import tokenize

    return points_back(question) or (
        bool(GOES_ON.search(question)) and len(tokenize(question)) <= FOLLOW_UP_TERMS)


def clean_question(question: str) -> str:
    """Printable text, whitespace collapsed, at most MAX_QUESTION_CHARS characters."""
    if not isinstance(question, str):
        raise TypeError("question must be a string")
    # Compatibility forms ("ＨＯＷ ＭＡＮＹ", ligatures) read as the letters they stand for.
    question = unicodedata.normalize("NFKC", question)
    # Digits of other scripts ("١٨٧") read as the ASCII digits the documents' figures are
    # matched against; NFKC leaves them as they are.
    # Invisible format characters (soft hyphen, joiners, direction marks, BOM) sit inside
    # words and are dropped ("pro\u00adsecutors" is "prosecutors"); the zero-width space is
    # a word break, and other unprintable characters become spaces.
    text = "".join((str(unicodedata.decimal(ch)) if ch.isdecimal() and not ch.isascii()
                    else ch) if ch.isprintable() or ch in "\n\t" else
                   "" if ch != "\u200b" and unicodedata.category(ch) == "Cf" else " "
                   for ch in question)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_QUESTION_CHARS]


@dataclass(frozen=True)
class Query:
    """A question as it is searched: ``text`` is ``context`` (the earlier message it follows
    up, if any) then ``asked``, separated by one space."""

    asked: str
    context: str = ""
    # The question as it was typed, when ``asked`` is searched otherwise (its misspellings put
    # right, a request's opening dropped: ``Answerer.as_searched``); empty otherwise.
    typed: str = ""

    @property
    def text(self) -> str:
        return f"{self.context} {self.asked}" if self.context else self.asked

    @property
    def asked_at(self) -> int:
        """Where ``asked`` starts in ``text``."""
        return len(self.context) + 1 if self.context else 0


# Chat roles as chat APIs and frameworks name them: whose messages are questions, and whose
# are not.
_USER_ROLES = frozenset({"user", "human"})
_OTHER_ROLES = frozenset({"assistant", "ai", "system", "developer", "tool", "function"})


def conversation(history: Sequence[str] | str | None) -> list:
    """The earlier questions of a conversation, oldest first, as callers give them: a list
    (or any iterable, read once) of strings, one string (or one chat message) standing for
    one question, or None. Chat messages (``{"role": "user", "content": "..."}``, as chat APIs keep them) count by
    their text; the assistant's own messages are not questions and are left out."""
    if history is None:
        return []
    if isinstance(history, (str, Mapping)):  # one question, or one chat message
        history = [history]
    try:
        if isinstance(history, (bytes, bytearray)):  # iterable, but of numbers
            raise TypeError
        items = list(history)
    except TypeError:
        raise TypeError("history must be a list of earlier questions (strings), oldest "
                        f"first, not {type(history).__name__}") from None
    out = []
    for n, h in enumerate(items):
        message = isinstance(h, Mapping)
        if message:
            role = h.get("role", "user")
            if not isinstance(role, str):
                raise ValueError(f"history item {n}: a chat role is a string such as 'user', "
                                 f"not {type(role).__name__}")
            role = role.strip().lower()
            if role in _OTHER_ROLES:  # the assistant's own turns (and the system's) ask nothing
                continue
            if role not in _USER_ROLES:
                raise ValueError(f"history item {n}: unknown chat role {h.get('role')!r} (a "
                                 f"user's message is role 'user'; {', '.join(sorted(_OTHER_ROLES))}"
                                 " are left out)")
            h = h.get("content")
        if not isinstance(h, str):
            # Said, not dropped: a question silently left out changes what a follow-up means.
            if message:
                raise TypeError(f"history item {n}: a chat message's content must be text (a "
                                f"string), not {type(h).__name__}")
            raise TypeError(f"history item {n} must be an earlier question (a string, or a chat "
                            f"message with string content), not {type(h).__name__}")
        out.append(h)
    return out


def in_conversation(history: Sequence[str] | None) -> bool:
    """Whether earlier questions were asked (blank ones do not count)."""
    return bool(history) and any(isinstance(h, str) and h.strip() for h in history)


def stands_alone(query: Query) -> bool:
    """Whether a question is read by itself and stands by itself: read without the
    conversation, pointing back to nothing ("Who pays for it?", "Which article covers
    that?")."""
    return not query.context and not is_follow_up(query.asked) \
        and not _THAT.search(query.asked)


def make_query(question: str) -> Query:
    """The query for a question asked alone. In a conversation, ``Answerer.best_reading``
    decides by evidence whether to read it with earlier questions (``follow_up_candidates``)."""
    return Query(clean_question(question))
# A question with this few content words cannot stand alone after a conversation ("And for
# children?", "Why?", "Since when?"): it is read with the conversation.
UNDERSPECIFIED_TERMS = 1
# A question this short that would be refused alone may still be a follow-up on the topic
# ("And lawyers bringing the charges?"): answered tentatively with the conversation.
FOLLOW_UP_TERMS = 3


def follow_up_candidates(question: str, history: Sequence[str] | None) -> list[Query]:
    """The ways to read a question in a conversation: alone, after the last question, and after
    the last two (a chain of follow-ups, when the last was itself a short follow-up)."""
    from .keyword import tokenize

    asked = clean_question(question)
    # Only the last two earlier questions are ever read: a long history costs nothing more.
    # One that is empty once cleaned (only invisible characters) is not a question either.
    past: list[str] = []
    for h in reversed(list(history or [])):
        if len(past) == 2:
            break
        if isinstance(h, str) and h.strip() and (cleaned := clean_question(h)):
            past.insert(0, cleaned)
    out = [Query(asked)]
    if past and asked:
        out.append(Query(asked, past[-1]))
        # After the last two only when the last was itself a short follow-up ("Can they get a
        # residence permit?", "And Installation Information?"): a self-contained last question
        # ("What help is available for victims?") has its own subject, and reading the one
        # before it too ("What does Article 187 cover?") had pulled "Who pays for it?" to
        # Article 187 and refused it.
        last = past[-1]
        if len(past) > 1 and len(tokenize(last)) <= 4 and (
                is_follow_up(last) or CONTINUES.match(last)
                or len(quoting.asked_terms(last)) <= UNDERSPECIFIED_TERMS):
            out.append(Query(asked, f"{past[-2]} {past[-1]}"))
    # A continuation of a question asking where to read ("and prevention?" after "where can i
    # find stats on thb prosecutions" and "and on victim assistance?") takes from it only its
    # form: its topic is its own, and the earlier topic's words had drawn the pointer to the
    # prosecution statistics.
    for i, q in enumerate(out[1:], start=1):
        if asks_where_to_read(q) and not quoting.asks_where_to_read(asked):
            out[i] = Query(asked, quoting.where_to_read_form(q.context))
    return list(dict.fromkeys(out))
