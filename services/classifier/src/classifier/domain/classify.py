"""The first, rule-based classifier: stems vote for topics; urgency and non-appeals by rules."""

import re

from appeals_common.events import Classification
from classifier.domain.rubricator import NOT_APPEAL, TOPICS, UNPLACED, Topic

RULES_VERSION = "rules-0.1"

_WORDS = re.compile(r"[a-zа-яё0-9]+")
_URGENT = (
    "запах газа",
    "пахнет газом",
    "газом пахнет",
    "пожар",
    "угроза жизни",
    "обрушен",
    "провод оборван",
    "оборвался провод",
    "прорыв",
    "затопил",
    "без отопления",
    "скорая не",
    "ребенок упал",
)
_THANKS = ("спасибо", "благодар", "молодцы", "отличная работа")
_PROBLEM = ("когда", "почему", "прошу", "помогите", "не ", "нет ", "сколько можно", "?")


def normalise(text: str) -> str:
    """Lower case, ё as е, words between single spaces, so a stem can be matched at a word start."""
    return " " + " ".join(_WORDS.findall(text.lower().replace("ё", "е"))) + " "


def classify(text: str, *, min_confidence: float) -> Classification:
    """Decide topic, responsible body type and urgency; low confidence goes to triage."""
    norm = normalise(text)
    raw = text.lower()
    if _is_gratitude(raw) or not norm.strip():
        return _result(NOT_APPEAL, is_appeal=False, confidence=0.8, reason="no request in text")
    scores = sorted(((_score(topic, norm), topic) for topic in TOPICS), key=lambda s: -s[0])
    (best, topic), (second, _) = scores[0], scores[1]
    urgent = any(" " + marker in norm for marker in _URGENT)
    if best == 0:
        return _result(
            UNPLACED, is_appeal=True, confidence=0.2, reason="no topic rule matched", urgent=urgent
        )
    confidence = round(min(0.95, 0.45 + 0.2 * best - 0.15 * second), 2)
    if best == second or confidence < min_confidence:  # a tie is a guess: the ЦУР decides
        reason = f"ambiguous: {topic.id} {best} vs next {second}"
        return _result(
            UNPLACED, is_appeal=True, confidence=confidence, reason=reason, urgent=urgent
        )
    return _result(
        topic,
        is_appeal=True,
        confidence=confidence,
        reason=f"{best} stems of {topic.id}",
        urgent=urgent,
    )


def _score(topic: Topic, norm: str) -> int:
    return sum(1 for stem in topic.stems if " " + stem in norm)


def _is_gratitude(raw: str) -> bool:
    return any(t in raw for t in _THANKS) and not any(p in raw for p in _PROBLEM)


def _result(
    topic: Topic, *, is_appeal: bool, confidence: float, reason: str, urgent: bool = False
) -> Classification:
    return Classification(
        is_appeal=is_appeal,
        topic=topic.id,
        topic_name=topic.name,
        body_type=topic.body_type,
        urgent=urgent,
        confidence=max(0.0, confidence),
        reason=reason,
        model_version=RULES_VERSION,
    )
