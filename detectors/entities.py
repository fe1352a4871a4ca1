"""Who is who: resolve names, leaders, capitals and demonyms to states and blocs.

The gazetteer is data (``data/states.yml``, ``data/blocs.yml``) extended by
the ``entities`` config section. ``add_entity_layer`` adds a component after
the NER that sets ``Span._.actor`` on every entity it can resolve: an ISO
3166-1 alpha-2 code ("RU") or a bloc name ("NATO").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@dataclass(frozen=True)
class EntitySettings:
    """The ``entities`` config section.

    states (dict): extra aliases by ISO code, e.g. ``{RU: [Shoigu]}``. Defaults to {}.
    blocs (dict): extra blocs by name, each ``{aliases: [...], members: [...]}``. Defaults to {}.
    """

    states: dict[str, list[str]] = field(default_factory=dict)
    blocs: dict[str, dict[str, Any]] = field(default_factory=dict)


def normalise(text: str) -> str:
    """Lower-case, collapse spaces, drop a leading 'the' and a trailing possessive."""
    text = " ".join(text.split()).strip().lower()
    text = _POSSESSIVE.sub("", text)
    return text[4:] if text.startswith("the ") else text


class Gazetteer:
    """Alias → actor lookup, plus state names and bloc members."""

    def __init__(self, states: dict[str, dict[str, Any]], blocs: dict[str, dict[str, Any]]):
        self.names = {code: data["name"] for code, data in states.items()}
        self.members = {name: frozenset(data.get("members", [])) for name, data in blocs.items()}
        self.aliases: dict[str, str] = {}
        for code, data in states.items():
            for alias in [data["name"], *data.get("aliases", [])]:
                self.aliases[normalise(alias)] = code
        for name, data in blocs.items():
            for alias in [name, *data.get("aliases", [])]:
                self.aliases[normalise(alias)] = name

    @classmethod
    def load(cls, settings: EntitySettings | None = None) -> Gazetteer:
        data = resources.files(__package__).joinpath("data")
        states = yaml.safe_load(data.joinpath("states.yml").read_text(encoding="utf-8"))
        blocs = yaml.safe_load(data.joinpath("blocs.yml").read_text(encoding="utf-8"))
        if settings:
            for code, aliases in settings.states.items():
                entry = states.setdefault(code, {"name": code, "aliases": []})
                entry["aliases"] = [*entry.get("aliases", []), *aliases]
            blocs.update(settings.blocs)
        return cls(states, blocs)

    def resolve(self, text: str) -> str | None:
        """The state code or bloc name for a surface string, or None."""
        return self.aliases.get(normalise(text))

    def is_bloc(self, actor: str) -> bool:
        return actor in self.members

    def name(self, actor: str) -> str:
        """A readable name: "RU" → "Russia", "NATO" → "NATO"."""
        return self.names.get(actor, actor)


if not Span.has_extension("actor"):
    Span.set_extension("actor", default=None)


def add_entity_layer(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add (or replace) the ``newswatch_actors`` component after the NER."""
    if "newswatch_actors" in nlp.pipe_names:
        nlp.remove_pipe("newswatch_actors")
    nlp.add_pipe("newswatch_actors", last=True, config={})
    nlp.get_pipe("newswatch_actors").gazetteer = gazetteer


@Language.factory("newswatch_actors")
def _make_actors(nlp: Language, name: str) -> ActorResolver:
    return ActorResolver()


class ActorResolver:
    """Sets ``Span._.actor`` on each entity of the doc that the gazetteer knows."""

    gazetteer: Gazetteer | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self.gazetteer is None:
            return doc
        for ent in doc.ents:
            ent._.actor = self.gazetteer.resolve(ent.text)
        return doc
