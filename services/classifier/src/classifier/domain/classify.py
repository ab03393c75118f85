"""The decision: models' probabilities, rules and thresholds combined into a Classification.

1. Text with nothing to read (empty, emoji, links only) is no appeal; text not in Russian goes
   to the control centre's triage queue: a person reads it.
2. The category model tells an appeal from gratitude, chatter, spam and abuse; an urgency
   marker keeps a text an appeal whatever it says, and so does a request after thanks
   ("спасибо, но когда уберут мусор?").
3. The topic model names the topic; below `min_confidence` the appeal goes to triage ("other")
   with the candidates in the reason, instead of a guess. The model also knows "other" as a
   class of its own, learnt from vague appeals ("помогите, сколько можно") and from problems no
   topic covers (taxes, courts, banks): those go to triage however sure it is. The topic gives
   the body type and level; keywords of that topic give the subtopic.
4. Urgency: a rule marker, or the urgency model's probability of at least one half.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from appeals_common.events import Classification, Confidences, TopicCandidate
from classifier.domain.embeddings import TextEmbedder
from classifier.domain.features import Keyword, Lexicon, readable
from classifier.domain.linear import Floats, LinearModel, SparseVector, StackedModels, Vectoriser
from classifier.domain.places import extract_places
from classifier.domain.rubricator import BY_ID, NOT_APPEAL, UNPLACED, Subtopic, Topic
from classifier.domain.rules import Unreadable, UrgencyRules, asks_after_thanks, unreadable
from classifier.domain.text import Analysed, Lemmatiser
from classifier.domain.vectorise import TextVectoriser

APPEAL = "appeal"
CATEGORIES = (APPEAL, "gratitude", "chatter", "spam", "abuse")
URGENT_MARKER_CONFIDENCE = 0.9
TOP = 3  # the candidates an operator picks from in triage
# The training texts all name their problem, so cross-validation says nothing about a vague
# appeal ("помогите, никто не решает"): whatever the model's precision threshold, a guess
# below this goes to a person.
TRIAGE_FLOOR = 0.5


def triage_threshold(models: "Models", override: float | None = None) -> float:
    """The confidence below which an appeal goes to triage: `override` when given, else the
    model's precision threshold, but never below TRIAGE_FLOOR."""
    if override is not None:
        return override
    return max(models.topic.threshold, TRIAGE_FLOOR)


@dataclass(frozen=True)
class Models:
    """What training produces: one vocabulary, three linear models, and their version."""

    version: str
    vectoriser: Vectoriser
    category: LinearModel  # CATEGORIES
    topic: LinearModel  # rubricator topic ids
    urgency: LinearModel  # ("no", "yes")
    lemmas: dict[str, str] = field(default_factory=dict)  # word forms met in training
    embeddings: str | None = None  # the word embeddings' table it was trained with, if any


@dataclass(frozen=True)
class _Urgency:
    urgent: bool
    confidence: float
    why: str


class AppealClassifier:
    """Classifies texts with loaded models; built once, shared by the consumer and the API."""

    def __init__(
        self,
        models: Models,
        lemmatiser: Lemmatiser,
        *,
        min_confidence: float,
        embedder: TextEmbedder | None = None,
    ) -> None:
        if models.embeddings != (embedder.name if embedder else None):
            raise ValueError(f"the model needs embeddings {models.embeddings}, not {embedder}")
        self.models = models
        self.embedder = embedder
        self.lemmatiser = lemmatiser
        lemmatiser.preload(models.lemmas)
        self.lexicon = Lexicon.build(lemmatiser)
        self.urgency_rules = UrgencyRules.build(lemmatiser)
        self.min_confidence = min_confidence
        self._vectorise = TextVectoriser(models.vectoriser)
        self._models = StackedModels((models.category, models.topic, models.urgency))

    @property
    def version(self) -> str:
        return self.models.version

    def classify(self, text: str) -> Classification:
        """Decide whether it is an appeal, its topic, body, urgency and places, with reasons."""
        analysed = self.lemmatiser.analyse(text)
        cannot_read = unreadable(analysed)
        if cannot_read is not None:
            return self._unreadable(cannot_read, analysed)
        hits = self.lexicon.hits(analysed)
        vector = self._vectorise.transform(analysed, hits)
        dense = self.embedder.embed(analysed) if self.embedder is not None else None
        categories, topics, urgencies = self._models.probabilities(vector, dense)
        urgency = self._urgency(analysed, float(urgencies[1]))
        model = self.models.category
        chosen = int(categories.argmax())
        if urgency.why or (model.classes[chosen] == "gratitude" and asks_after_thanks(analysed)):
            chosen = model.classes.index(APPEAL)
        category, category_confidence = model.classes[chosen], float(categories[chosen])
        if category != APPEAL:
            why = self._why(model, vector, chosen)
            reason = f"{category} {category_confidence:.2f} ({why})"
            return self._result(NOT_APPEAL, category, category_confidence, reason, analysed)
        return self._appeal(analysed, vector, topics, hits, category_confidence, urgency)

    def _appeal(
        self,
        analysed: Analysed,
        vector: SparseVector,
        probabilities: Floats,
        hits: list[Keyword],
        category_confidence: float,
        urgency: _Urgency,
    ) -> Classification:
        model = self.models.topic
        ranked = probabilities.argsort()[::-1]
        best, confidence = BY_ID[model.classes[ranked[0]]], float(probabilities[ranked[0]])
        confidences = Confidences(
            category=_unit(category_confidence),
            topic=_unit(confidence),
            body_type=_unit(_body_type_confidence(model, probabilities, best)),
            urgency=_unit(urgency.confidence),
        )
        top = [(BY_ID[model.classes[i]], float(probabilities[i])) for i in ranked
               if model.classes[i] != UNPLACED.id][:TOP]  # fmt: skip
        candidates = tuple(
            TopicCandidate(topic=t.id, topic_name=t.name, probability=_unit(p)) for t, p in top
        )
        if best is UNPLACED:  # learnt from vague appeals and ones no topic covers
            reason = f"unclear {confidence:.2f}; " + ", ".join(
                f"{t.id} {p:.2f}" for t, p in top[:2]
            )
            topic, subtopic = UNPLACED, None
        elif confidence < self.min_confidence:
            reason = "unsure: " + ", ".join(f"{t.id} {p:.2f}" for t, p in top[:2])
            topic, subtopic = UNPLACED, None
        else:
            reason = f"{best.id} {confidence:.2f} ({self._why(model, vector, int(ranked[0]))})"
            topic, subtopic = best, _subtopic(best, hits)
        if urgency.urgent:
            reason += f"; urgent: {urgency.why or f'model {urgency.confidence:.2f}'}"
        return Classification(
            **_topic_fields(topic),
            subtopic=subtopic.id if subtopic else None,
            subtopic_name=subtopic.name if subtopic else None,
            is_appeal=True,
            category=APPEAL,
            urgent=urgency.urgent,
            confidence=_unit(confidence),
            confidences=confidences,
            reason=reason,
            model_version=self.version,
            places=extract_places(analysed.raw),
            candidates=candidates,
        )

    def _urgency(self, analysed: Analysed, probability: float) -> _Urgency:
        markers = self.urgency_rules.matched(analysed)
        if markers:
            return _Urgency(True, max(probability, URGENT_MARKER_CONFIDENCE), ", ".join(markers))
        urgent = probability >= 0.5
        return _Urgency(urgent, probability if urgent else 1.0 - probability, "")

    def _why(self, model: LinearModel, vector: SparseVector, class_index: int) -> str:
        names = self.models.vectoriser.names
        return ", ".join(readable(names[i]) for i in model.strongest(vector, class_index))

    def _unreadable(self, why: Unreadable, analysed: Analysed) -> Classification:
        if why is Unreadable.NOT_RUSSIAN:
            return Classification(
                **_topic_fields(UNPLACED),
                is_appeal=True,
                confidence=0.0,
                confidences=Confidences(category=0.0, topic=0.0, body_type=0.0, urgency=0.0),
                reason=why.value,
                model_version=self.version,
            )
        category = "spam" if why is Unreadable.ONLY_LINKS else "chatter"
        return self._result(NOT_APPEAL, category, 1.0, why.value, analysed)

    def _result(
        self, topic: Topic, category: str, confidence: float, reason: str, analysed: Analysed
    ) -> Classification:
        return Classification(
            **_topic_fields(topic),
            is_appeal=False,
            category=category,
            confidence=_unit(confidence),
            confidences=Confidences(
                category=_unit(confidence), topic=0.0, body_type=0.0, urgency=1.0
            ),
            reason=reason,
            model_version=self.version,
            places=extract_places(analysed.raw),
        )


def _topic_fields(topic: Topic) -> dict[str, str]:
    return {
        "topic": topic.id,
        "topic_name": topic.name,
        "body_type": topic.body_type.value,
        "body_level": topic.body_level.value,
        "totk_section": topic.section.value,
    }


def _body_type_confidence(model: LinearModel, probabilities: Floats, best: Topic) -> float:
    """The probability that the body type is right: summed over topics with that body type."""
    return float(probabilities[_same_body_type(model.classes, best.body_type)].sum())


@lru_cache(maxsize=64)
def _same_body_type(classes: tuple[str, ...], body_type: str) -> list[int]:
    return [i for i, t in enumerate(classes) if BY_ID[t].body_type == body_type]


def _subtopic(topic: Topic, hits: list[Keyword]) -> Subtopic | None:
    counts = {s.id: sum(1 for k in hits if k.subtopic == s.id) for s in topic.subtopics}
    best = max(topic.subtopics, key=lambda s: counts[s.id], default=None)
    return best if best is not None and counts[best.id] > 0 else None


def _unit(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)
