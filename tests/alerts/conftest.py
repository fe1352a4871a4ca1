"""Detections and items in their wire shape, built with the real records."""

from __future__ import annotations

from typing import Any

import pytest

from alerts.channels import load_channels
from detectors.records import Detection, Evidence

BLOCS = {"NATO": frozenset({"PL", "US", "GB", "DE"}), "EU": frozenset({"PL", "DE", "FR"})}


def strike(
    item_id: str = "a1",
    *,
    actor: str | None = "RU",
    target: str | None = "UA",
    drones: int = 120,
    missiles: int = 20,
    severity: str = "high",
    sentence: str = "Overnight Russia launched 120 drones and 20 missiles at Ukraine's power grid.",
) -> dict[str, Any]:
    return Detection(
        item_id=item_id,
        detector="strike",
        severity=severity,
        summary=f"{actor} attacked {target} with {drones + missiles} drones and missiles",
        evidence=Evidence(sentence, 10, 10 + len(sentence)),
        fields={
            "munitions": {"drone": drones, "missile": missiles},
            "total": drones + missiles,
            "actor": actor,
            "target": target,
            "casualties": {"killed": 3, "injured": 12},
            "targets": ["energy infrastructure"],
        },
        labels={"actor": actor, "target": target},
        actors=[actor, target],
        event=f"strike|actor={actor or ''}|target={target or ''}" if actor or target else "",
        facts=[
            ("Attack", f"{actor or '?'} → {target or '?'}"),
            ("Munitions", f"{drones} drones, {missiles} missiles (total {drones + missiles})"),
            ("Casualties", "3 killed, 12 injured"),
            ("Targets", "energy infrastructure"),
        ],
    ).to_dict()


def alliance(
    item_id: str = "b1",
    *,
    parties: list[str] | None = None,
    relation: str = "treaty",
    severity: str = "medium",
) -> dict[str, Any]:
    parties = parties or ["CN", "RU"]
    sentence = "China and Russia signed a mutual defence treaty on Tuesday."
    return Detection(
        item_id=item_id,
        detector="alliance",
        severity=severity,
        summary=f"{' and '.join(parties)}: {relation}",
        evidence=Evidence(sentence, 0, len(sentence)),
        fields={"parties": parties, "relation": relation},
        labels={"parties": ",".join(sorted(parties)), "relation": relation},
        actors=parties,
        event=f"alliance|parties={','.join(sorted(parties))}|relation={relation}",
        facts=[("Parties", ", ".join(parties)), ("Relation", relation)],
    ).to_dict()


def item(item_id: str, published: str | None = "2024-05-01T06:00:00Z", **extra: Any) -> dict:
    data = {
        "id": item_id,
        "title": f"Report {item_id}",
        "url": f"https://news.example/{item_id}",
        "source": "Example News",
        **extra,
    }
    if published is not None:
        data["published"] = published
    return data


def result(item_id: str, *detections: dict, **item_fields: Any) -> dict[str, Any]:
    return {"id": item_id, "item": item(item_id, **item_fields), "detections": list(detections)}


def channel(**settings: Any):
    """One channel built through the real config loader."""
    entry = {"name": "ops", "urls": ["json://127.0.0.1:9/hook"], **settings}
    (built,) = load_channels([entry], members=BLOCS)
    return built


@pytest.fixture
def blocs() -> dict[str, frozenset]:
    return dict(BLOCS)
