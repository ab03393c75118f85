"""The rubricator's stable ids, for services that check them without the classifier.

The classifier owns the rubricator (names, keywords, body types); the router validates its
directory's competences and routing rules against these ids. tests/test_config_consistency.py
keeps this list equal to the classifier's.
"""

SUBTOPICS: dict[str, tuple[str, ...]] = {
    "housing.heating": ("outage", "season", "network"),
    "housing.water": ("outage", "quality", "hot", "sewage", "mains", "manholes"),
    "housing.electricity": ("outage", "voltage", "lines"),
    "housing.gas": ("supply", "gasification", "equipment"),
    "housing.waste": ("collection", "operator", "dumps", "bulky"),
    "housing.management": (
        "company",
        "common",
        "roof",
        "lift",
        "facade",
        "basement",
        "drainage",
        "pests",
    ),
    "housing.capital_repair": ("fund", "works"),
    "housing.payments": ("charges", "tariffs", "meters", "debts"),
    "housing.dwelling": ("unsafe", "queue", "programmes"),
    "roads.repair": ("potholes", "sidewalks", "traffic", "dirt_roads"),
    "transport.public": ("schedule", "service", "fares", "stops"),
    "improvement.snow": ("snow", "ice", "icicles"),
    "improvement.lighting": ("outage", "posts"),
    "improvement.advertising": ("adverts", "signs", "notices", "graffiti"),
    "improvement.yards": ("yards", "playgrounds", "parks", "greenery"),
    "health.care": ("appointments", "clinics", "ambulance", "medicines"),
    "education.schools": ("teaching", "food", "admission", "transport"),
    "education.kindergartens": ("queue", "care", "fees"),
    "social.support": ("benefits", "families", "disabled", "svo", "services"),
    "ecology": ("air", "water", "forest", "landfill"),
    "safety.emergency": ("fire", "flood", "storm", "rescue"),
    "safety.order": ("noise", "drunks", "parking", "police"),
    "animals.stray": ("dogs", "bites", "shelters"),
    "construction": ("illegal", "delays", "land"),
    "trade.prices": ("prices", "shops", "street", "alcohol"),
    "communications": ("mobile", "internet", "post", "tv"),
    "culture.sport": ("culture", "sport", "events"),
    "documents.services": ("mfc", "gosuslugi", "documents", "registry"),
    "employment": ("wages", "jobs", "layoffs"),
    "governance": ("inaction", "proposals", "budget"),
}  # topic id -> the last part of its subtopics' ids ("housing.heating" + "outage")
TOPIC_IDS = frozenset(SUBTOPICS)
SUBTOPIC_IDS = frozenset(f"{topic}.{sub}" for topic, subs in SUBTOPICS.items() for sub in subs)
SECTIONS = frozenset(topic.split(".")[0] for topic in SUBTOPICS)


def is_competence(item: str) -> bool:
    """A topic id, a subtopic id or a whole section ("housing.*")."""
    if item.endswith(".*"):
        return item[:-2] in SECTIONS
    return item in TOPIC_IDS or item in SUBTOPIC_IDS
