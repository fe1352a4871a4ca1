"""Typed settings from config sections, with errors that name the key.

Every configurable part (a detector, a channel, the kafka section) declares a
dataclass of its settings with defaults; ``load_settings`` checks a mapping
from YAML against it. Durations may be written as ``"30s"``, ``"5m"``,
``"2h"``, ``"7d"`` or a number of seconds for fields annotated ``Duration``.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")

#: Annotate a settings field with this to accept "30s", "5m", "2h", "7d" or seconds.
Duration = typing.NewType("Duration", float)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}


class ConfigError(ValueError):
    """A config value that is missing or of the wrong kind.

    key (str): dotted path of the offending key, e.g. ``channels[0].urls``.
    message (str): what was expected, phrased so the user knows the fix.
    """

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}" if key else message)


def parse_duration(value: Any, key: str = "") -> float:
    """Return seconds for ``"90s"``, ``"5m"``, ``"2h"``, ``"7d"``, ``"1w"`` or a number."""
    if isinstance(value, bool):
        raise ConfigError(key, f"expected a duration such as 30s, 5m, 2h or 7d, got {value!r}")
    if isinstance(value, int | float):
        if value < 0:
            raise ConfigError(key, f"a duration cannot be negative, got {value!r}")
        return float(value)
    match = _DURATION.match(str(value)) if isinstance(value, str) else None
    if not match:
        raise ConfigError(key, f"expected a duration such as 30s, 5m, 2h or 7d, got {value!r}")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


def _type_name(tp: Any) -> str:
    if tp is Duration:
        return "a duration such as 30s, 5m, 2h or 7d"
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        (inner, *_) = typing.get_args(tp) or (Any,)
        return f"a list of {_type_name(inner)}"
    if origin is dict:
        return "a mapping"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if a is not type(None))
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    return names.get(tp, getattr(tp, "__name__", str(tp)))


def coerce(value: Any, tp: Any, key: str) -> Any:
    """Check ``value`` against the annotation ``tp``; return it converted or raise ConfigError."""
    if tp is Any:
        return value
    if tp is Duration:
        return parse_duration(value, key)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce(value, arg, key)
            except ConfigError:
                continue
        raise ConfigError(key, f"expected {_type_name(tp)}, got {value!r}")
    if origin is typing.Literal:
        if value not in typing.get_args(tp):
            raise ConfigError(key, f"expected {_type_name(tp)}, got {value!r}")
        return value
    if origin in (list, tuple):
        if not isinstance(value, list | tuple):
            raise ConfigError(key, f"expected {_type_name(tp)}, got {value!r}")
        (inner, *_) = typing.get_args(tp) or (Any,)
        items = [coerce(v, inner, f"{key}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(key, f"expected a mapping, got {value!r}")
        kt, vt = typing.get_args(tp) or (Any, Any)
        return {coerce(k, kt, key): coerce(v, vt, f"{key}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return load_settings(tp, value, key)
    if tp is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if tp in (int, str, bool) and type(value) is tp:
        return value
    raise ConfigError(key, f"expected {_type_name(tp)}, got {value!r}")


def load_settings(cls: type[T], data: Any, key: str = "") -> T:
    """Build the settings dataclass ``cls`` from a mapping, naming any bad key.

    cls (type): a dataclass whose fields have defaults or are required.
    data (Any): the mapping read from YAML; ``None`` means "all defaults".
    key (str): dotted path of this section, used in error messages.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(key, f"expected a mapping of settings, got {data!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    prefix = f"{key}." if key else ""
    unknown = sorted(str(k) for k in data if k not in fields)
    if unknown:
        known = ", ".join(sorted(fields))
        raise ConfigError(f"{prefix}{unknown[0]}", f"unknown setting; known settings are: {known}")
    kwargs = {}
    for name, f in fields.items():
        if name in data:
            kwargs[name] = coerce(data[name], hints[name], f"{prefix}{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            expected = _type_name(hints[name])
            raise ConfigError(f"{prefix}{name}", f"required setting is missing ({expected})")
    return cls(**kwargs)
