"""The gazetteer: surface names → states (ISO 3166-1 alpha-2) and blocs.

Its data is the YAML in ``detectors/entities/data/`` (states, territories, leaders,
institutions, places, blocs), extended by the ``entities`` config section
(see ``entities.EntitySettings``). Every alias has a *kind* that says how it
names its actor — a detector can then tell "Moscow signed" (a capital standing
for the state) from "a strike on Kursk" (a place in the state).

Matching ignores case, accents, dots, hyphens, a leading "the" and a trailing
possessive, so "the U.S.", "US" and "America’s" all give "US".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from . import EntitySettings

#: How an alias names its actor.
KINDS = (
    "name",  # "Russia", "Russian Federation", "DPRK"
    "demonym",  # "Russian", "North Koreans"
    "capital",  # "Moscow" (a capital stands for its government)
    "prefix",  # "Sino" in "Sino-Russian"
    "institution",  # "the Kremlin", "the Pentagon", "the Russian Defence Ministry"
    "leader",  # "Vladimir Putin", "Putin", "Kim" after "Kim Jong Un", "Mark Rutte" (NATO)
    "bloc",  # "NATO", "the European Union"
    "alias",  # added in the entities config section
    "group",  # "Hezbollah", "the Houthis": an armed group, coded by the state it fights from
    "place",  # "Kursk", "Kharkiv": a location in the state, not the state acting
    "territory",  # "Greenland": a territory with its own code, not a state
)

#: Kinds that name a state or bloc acting (a possible party to a relation between
#: states). An armed group acts in a strike, but is no party to a state's alliance.
ACTING_KINDS = frozenset(KINDS) - {"place", "territory", "group"}

# When two actors claim one alias, the lower rank wins; equal ranks make it
# ambiguous and it is dropped. Config aliases win over everything.
_RANK = {
    "alias": 0,
    "name": 1,
    "bloc": 1,
    "capital": 2,
    "demonym": 2,
    "prefix": 2,
    "institution": 3,
    "group": 3,
    "leader": 4,
    "territory": 5,
    "place": 5,
}

# Titles that may precede a name inside an entity ("President Xi").
_TITLES = (
    "acting president",
    "vice president",
    "president",
    "prime minister",
    "deputy prime minister",
    "premier",
    "chancellor",
    "foreign minister",
    "defence minister",
    "defense minister",
    "minister",
    "secretary of state",
    "defense secretary",
    "defence secretary",
    "foreign secretary",
    "secretary general",
    "secretary",
    "supreme leader",
    "leader",
    "crown prince",
    "prince",
    "king",
    "queen",
    "emperor",
    "emir",
    "sheikh",
    "sultan",
    "ayatollah",
    "pope",
    "general",
    "field marshal",
    "marshal",
    "chairman",
    "comrade",
    "mr",
    "mrs",
    "ms",
    "dr",
)
_TITLE = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in _TITLES) + r")\s+)+")
_POSSESSIVE = re.compile(r"(?:'s|')$")
_DASHES = re.compile(r"[-‐‑–—]")
# State names said with "the": "the United States", "the Philippines", "the Gambia".
_TAKES_THE = re.compile(
    r"^(United|Republic|Central African|Dominican|Czech Republic|Holy See)|"
    r"(Islands|Republic|Emirates|Kingdom)$|"
    r"^(Philippines|Netherlands|Bahamas|Gambia|Maldives|Seychelles|Comoros)$"
)
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "vi", "x", "xiv"}


def fold(text: str) -> str:
    """Lower-case, strip accents and dots, turn hyphens into spaces, collapse spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'").lower()
    text = _DASHES.sub(" ", text.replace(".", ""))
    return " ".join(text.split())


def normalise(text: str) -> str:
    """The lookup key of a surface form: folded, without a leading 'the' or trailing possessive."""
    text = _POSSESSIVE.sub("", fold(text)).strip()
    return text[4:] if text.startswith("the ") else text


# Names that without their accents are common English words ("Malé" → "male").
_ACCENT_NEEDED = frozenset({"male"})


def variants(text: str) -> set[str]:
    """Ways a name is written in news: as listed, without accents, with curly apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    out = {text} if plain.lower() in _ACCENT_NEEDED else {text, plain}
    return out | {form.replace("'", "’") for form in out if "'" in form}


def strip_titles(key: str) -> str:
    """A normalised key without leading titles: "president xi jinping" → "xi jinping"."""
    return _TITLE.sub("", key)


@dataclass(frozen=True)
class Alias:
    """What a surface form resolves to.

    actor (str): an ISO 3166-1 alpha-2 code ("RU") or a bloc name ("NATO").
    kind (str): how the form names the actor, one of ``KINDS``.
    """

    actor: str
    kind: str


@dataclass(frozen=True)
class Surface:
    """One alias as written, for the entity matcher (case matters there)."""

    text: str
    actor: str
    kind: str


def _read(name: str) -> Any:
    path = resources.files(__package__).joinpath("data", name)
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


@cache
def load_data() -> dict[str, Any]:
    """The shipped data files, parsed (cached; callers must not mutate)."""
    names = ("states", "territories", "leaders", "institutions", "places", "blocs", "armed_groups")
    return {name: _read(f"{name}.yml") for name in names}


@cache
def known_codes() -> frozenset[str]:
    """Every code the gazetteer accepts: ISO 3166-1 alpha-2 codes, and XK (Kosovo)."""
    data = load_data()
    return frozenset(data["states"]) | frozenset(data["territories"])


def _entries(value: Any) -> list[Any]:
    return list(value or [])


def _leader(entry: Any, surname_first: bool) -> tuple[str, str]:
    """(full name, surname) of a leaders.yml entry."""
    if isinstance(entry, Mapping):
        return str(entry["name"]), str(entry["surname"])
    words = [w for w in str(entry).split() if fold(w) not in _SUFFIXES]
    if words and fold(words[0]) in _TITLES:
        words = words[1:]
    surname = words[0] if surname_first else words[-1]
    return str(entry), surname


class Gazetteer:
    """Alias → actor lookup, state names and bloc members.

    data (dict): parsed data files by name (``load_data()`` gives the shipped ones).
    extra_states (dict): config aliases by state code. Defaults to none.
    extra_blocs (dict): config blocs by name, each with aliases, members, leaders.
    extra_groups (dict): config armed groups by the code of the state they fight from.
    """

    def __init__(
        self,
        data: Mapping[str, Any],
        extra_states: Mapping[str, Iterable[str]] | None = None,
        extra_blocs: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
        extra_groups: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        states = {**data["territories"], **data["states"]}
        # Readable name of each actor: "RU" → "Russia"; blocs are their own name.
        self.names: dict[str, str] = {code: entry["name"] for code, entry in states.items()}
        # Member states of each bloc.
        self.members: dict[str, frozenset[str]] = {}
        # Normalised alias → actor, and → kind (the lookup tables).
        self.aliases: dict[str, str] = {}
        self.kinds: dict[str, str] = {}
        # Normalised surname → [(normalised full name, actor)], for document-level aliasing.
        self.surnames: dict[str, list[tuple[str, str]]] = {}
        # Aliases two actors claim at the same rank: never resolved.
        self.ambiguous: set[str] = set()
        # Words after a name or demonym that make a government body ("defence ministry").
        self.bodies = frozenset(normalise(b) for b in data["institutions"].get("bodies", []))
        self._surfaces: dict[tuple[str, str], Surface] = {}
        self._display: dict[str, str] = {}

        for code, entry in data["states"].items():
            self._add_place_entry(code, entry, "name")
        for code, entry in data["territories"].items():
            self._add_place_entry(code, entry, "territory")
        for code, entry in data["leaders"].items():
            for leader in _entries(entry.get("leaders")):
                full, surname = _leader(leader, bool(entry.get("surname_first")))
                self._add_leader(code, full, surname)
            for short in _entries(entry.get("known_as")):
                self._add(short, code, "leader")
        for code, names in (data["institutions"].get("states") or {}).items():
            for name in _entries(names):
                self._add(name, code, "institution")
        for code, names in data["places"].items():
            for name in _entries(names):
                self._add(name, code, "place")
        for groups in (data.get("armed_groups") or {}, extra_groups or {}):
            for code, names in groups.items():
                for name in _entries(names):
                    self._add(name, code, "group")
        blocs = {name: dict(entry) for name, entry in data["blocs"].items()}
        for name, entry in (extra_blocs or {}).items():
            merged = blocs.setdefault(name, {})
            for field in ("aliases", "members", "leaders"):
                merged[field] = [*_entries(merged.get(field)), *_entries(entry.get(field))]
            if entry.get("display"):
                merged["display"] = entry["display"]
        for name, entry in blocs.items():
            self.members[name] = frozenset(_entries(entry.get("members")))
            self._display[name] = str(entry.get("display") or name)
            for alias in [name, *_entries(entry.get("aliases"))]:
                self._add(alias, name, "bloc")
            for leader in _entries(entry.get("leaders")):
                self._add(leader, name, "leader")
        for code, names in (extra_states or {}).items():
            for name in names:
                self._add(name, code, "alias")

    @classmethod
    def load(cls, settings: EntitySettings | None = None) -> Gazetteer:
        """The shipped data extended by the ``entities`` config section."""
        if settings is None:
            return cls(load_data())
        blocs = {
            name: {
                "aliases": b.aliases,
                "members": b.members,
                "leaders": b.leaders,
                "display": b.display,
            }
            for name, b in settings.blocs.items()
        }
        return cls(load_data(), settings.states, blocs, settings.groups)

    # -- building ---------------------------------------------------------

    def _add_place_entry(self, code: str, entry: Mapping[str, Any], kind: str) -> None:
        for name in [entry["name"], *_entries(entry.get("names"))]:
            self._add(name, code, kind)
        for field, field_kind in (("demonyms", "demonym"), ("capitals", "capital")):
            for name in _entries(entry.get(field)):
                self._add(name, code, kind if kind == "territory" else field_kind)
        for name in _entries(entry.get("prefixes")):
            self._add(name, code, "prefix")

    def _add_leader(self, code: str, full: str, surname: str) -> None:
        self._add(full, code, "leader")
        key = normalise(surname)
        pair = (normalise(full), code)
        if pair not in self.surnames.setdefault(key, []):
            self.surnames[key].append(pair)

    def _add(self, text: str, actor: str, kind: str) -> None:
        text = str(text).strip()
        key = normalise(text)
        if not key:
            return
        self._surfaces[(text, actor)] = Surface(text, actor, kind)
        if key in self.ambiguous and kind != "alias":
            return
        old = self.aliases.get(key)
        if old is None or old == actor:
            if old is None or _RANK[kind] < _RANK[self.kinds[key]]:
                self.aliases[key], self.kinds[key] = actor, kind
            return
        old_rank, new_rank = _RANK[self.kinds[key]], _RANK[kind]
        if new_rank < old_rank:
            self.aliases[key], self.kinds[key] = actor, kind
        elif new_rank == old_rank:
            del self.aliases[key], self.kinds[key]
            self.ambiguous.add(key)

    # -- lookup -----------------------------------------------------------

    def lookup(self, text: str, before: str = "") -> Alias | None:
        """What ``text`` names, or None.

        text (str): a surface form, e.g. an entity's text ("North Korea’s").
        before (str): the article text before ``text``. A surname alone
            ("Kim") resolves only if a leader with that surname was named in
            full in it ("Kim Jong Un"); the latest such mention wins.
        """
        key = normalise(text)
        found = self._get(key)
        if found:
            return found
        bare = strip_titles(key)
        if bare != key:
            found = self._get(bare)
            if found:
                return found
        found = self._body(bare)
        if found or not before or bare not in self.surnames:
            return found
        return self._by_surname(bare, before)

    def resolve(self, text: str, before: str = "") -> str | None:
        """The state code or bloc name for a surface string, or None (see ``lookup``)."""
        found = self.lookup(text, before)
        return found.actor if found else None

    def is_surname(self, text: str) -> bool:
        """True if ``text`` is a leader's surname that needs the article's context to resolve."""
        key = strip_titles(normalise(text))
        return key in self.surnames and key not in self.aliases

    def is_bloc(self, actor: str) -> bool:
        """True for a bloc name ("NATO"), False for a state code."""
        return actor in self.members

    def name(self, actor: str) -> str:
        """A readable name: "RU" → "Russia", "NATO" → "NATO"."""
        return self.names.get(actor, actor)

    def display_name(self, actor: str) -> str:
        """The name as a sentence uses it: "the United States", "Japan", "NATO", "the EU"."""
        if actor in self._display:
            return self._display[actor]
        name = self.name(actor)
        return f"the {name}" if _TAKES_THE.search(name) else name

    def surfaces(self) -> Iterator[Surface]:
        """Every alias as written, for building the entity matcher."""
        for surface in self._surfaces.values():
            key = normalise(surface.text)
            if self.aliases.get(key) == surface.actor:
                yield Surface(surface.text, surface.actor, self.kinds[key])

    def surface_forms(self, actors: Iterable[str]) -> list[str]:
        """Every way the gazetteer writes these actors, with variants (for gate phrases).

        actors (Iterable[str]): state codes and bloc names.
        """
        wanted = set(actors)
        forms = {v for s in self.surfaces() if s.actor in wanted for v in variants(s.text)}
        return sorted(forms)

    def _get(self, key: str) -> Alias | None:
        actor = self.aliases.get(key)
        return Alias(actor, self.kinds[key]) if actor else None

    def _body(self, key: str) -> Alias | None:
        """A government body: a state's name or demonym, then a body word
        ("russian defence ministry", "ukraine's armed forces")."""
        words = key.split()
        for cut in range(len(words) - 1, 0, -1):
            head, rest = _POSSESSIVE.sub("", " ".join(words[:cut])), " ".join(words[cut:])
            if rest in self.bodies and self.kinds.get(head) in ("name", "demonym", "capital"):
                return Alias(self.aliases[head], "institution")
        return None

    def _by_surname(self, surname: str, before: str) -> Alias | None:
        text = fold(before)
        best: tuple[int, str] | None = None
        for full, actor in self.surnames[surname]:
            for match in re.finditer(r"\b" + re.escape(full) + r"\b", text):
                if best is None or match.start() >= best[0]:
                    best = (match.start(), actor)
        return Alias(best[1], "leader") if best else None
