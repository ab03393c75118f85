"""The model artifact on disk: one .npz of plain arrays (no pickle), with a JSON manifest.

Loading refuses pickled objects, so a tampered artifact cannot run code; it only holds
numbers and strings.
"""

import json
from pathlib import Path
from typing import Any

import numpy as np

from classifier.domain.classify import Models
from classifier.domain.linear import LinearModel, Vectoriser

_MODELS = ("category", "topic", "urgency")


class ModelArtifactMissing(Exception):
    """The artifact is absent or unreadable: train it with `make train`."""


def save_models(path: Path, models: Models, manifest: dict[str, Any]) -> None:
    """Write the models and a manifest (version, data, parameters) to one file."""
    arrays: dict[str, Any] = {
        "manifest": np.array(
            json.dumps({**manifest, "version": models.version, "embeddings": models.embeddings})
        ),
        "names": np.array(models.vectoriser.names, dtype=str),
        "idf": models.vectoriser.idf,
        "lemmas.forms": np.array(list(models.lemmas), dtype=str),
        "lemmas.values": np.array(list(models.lemmas.values()), dtype=str),
    }
    for name in _MODELS:
        model: LinearModel = getattr(models, name)
        arrays[f"{name}.classes"] = np.array(model.classes, dtype=str)
        arrays[f"{name}.weights"] = model.weights
        arrays[f"{name}.bias"] = model.bias
        arrays[f"{name}.temperature"] = np.array(model.temperature)
        arrays[f"{name}.threshold"] = np.array(model.threshold)
        if model.dense_weights is not None:
            arrays[f"{name}.dense"] = model.dense_weights
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez_compressed(temporary, **arrays)
    temporary.replace(path)  # a reader never sees half a file


def load_models(path: Path) -> Models:
    """Read the models, or raise ModelArtifactMissing saying how to make them."""
    try:
        with np.load(path, allow_pickle=False) as data:
            manifest = json.loads(str(data["manifest"]))
            vectoriser = Vectoriser([str(n) for n in data["names"]], data["idf"])
            models = {name: _linear(data, name) for name in _MODELS}
            forms, values = data["lemmas.forms"], data["lemmas.values"]
            lemmas = {str(f): str(v) for f, v in zip(forms, values, strict=True)}
    except (OSError, KeyError, ValueError) as exc:
        raise ModelArtifactMissing(
            f"cannot load the classifier model from {path} ({exc}); "
            "build it with `make train` (python -m classifier.train)"
        ) from exc
    return Models(
        version=manifest["version"],
        vectoriser=vectoriser,
        lemmas=lemmas,
        embeddings=manifest.get("embeddings"),
        **models,
    )


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest of an existing artifact, or None when there is none to read."""
    try:
        with np.load(path, allow_pickle=False) as data:
            manifest: dict[str, Any] = json.loads(str(data["manifest"]))
            return manifest
    except (OSError, KeyError, ValueError):
        return None


def _linear(data: Any, name: str) -> LinearModel:
    return LinearModel(
        classes=tuple(str(c) for c in data[f"{name}.classes"]),
        weights=data[f"{name}.weights"],
        bias=data[f"{name}.bias"],
        temperature=float(data[f"{name}.temperature"]),
        threshold=float(data[f"{name}.threshold"]),
        dense_weights=data[f"{name}.dense"] if f"{name}.dense" in data.files else None,
    )
