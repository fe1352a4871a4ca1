"""Typed settings from config sections, validated by pydantic, with errors that name the key.

Every configurable part (a detector kind, a channel, the kafka section)
declares a ``Settings`` model of its fields with defaults; the whole config is
one model holding them (``stream.config``), validated once at start.
Validation is strict (a number is not text, ``yes`` is not true) and unknown
keys are errors. pydantic does the checking; ``load_settings`` only turns its
first error into a ``ConfigError`` that names the key (``channels[0].urls``)
and says what was expected, in the words of this project's config reference.
Fields annotated ``Duration`` accept ``"30s"``, ``"5m"``, ``"2h"``, ``"7d"``
or a number of seconds.
"""

from __future__ import annotations

import re
import string
import types
import typing
from collections.abc import Iterable
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, TypeAdapter, ValidationError

T = TypeVar("T")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}


class ConfigError(ValueError):
    """A config value that is missing or of the wrong kind.

    key (str): dotted path of the offending key, e.g. ``channels[0].urls``.
        Raised inside a model's own checks, it is relative to that model.
    message (str): what was expected, phrased so the user knows the fix.
    """

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}" if key else message)


class Settings(BaseModel):
    """Base of every settings model: strict, frozen, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


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


#: Annotate a settings field with this to accept "30s", "5m", "2h", "7d" or seconds.
Duration = Annotated[float, BeforeValidator(parse_duration)]


def _unwrap(tp: Any) -> Any:
    """The type without ``Annotated`` (a ``Duration`` stays itself)."""
    if tp is Duration:
        return tp
    while typing.get_origin(tp) is Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _type_name(tp: Any) -> str:
    """The annotation in the words of the config reference ("a list of text")."""
    if tp is Duration:
        return "a duration such as 30s, 5m, 2h or 7d"
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        (inner, *_) = typing.get_args(tp) or (Any,)
        return f"a list of {_type_name(inner)}"
    if origin is dict or (isinstance(tp, type) and issubclass(tp, BaseModel)):
        return "a mapping"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if a is not type(None))
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(tp))
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    return names.get(tp, getattr(tp, "__name__", str(tp)))


def _join(key: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{key}[{part}]"
    return f"{key}.{part}" if key else str(part)


def _walk(tp: Any, data: Any, loc: tuple, key: str) -> tuple[Any, Any, str, tuple]:
    """Follow an error location through the types and the data.

    Returns the annotation and the value reached, the key (``channels[0].urls``)
    and what is left of the location (stops at a union, whose member tags are
    pydantic's, and at keys the model does not have).
    """
    for i, part in enumerate(loc):
        tp = _unwrap(tp)
        origin = typing.get_origin(tp)
        if tp is Duration or origin in (typing.Union, types.UnionType):
            return tp, data, key, loc[i:]
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            if part not in tp.model_fields:
                return tp, data, key, loc[i:]
            tp = tp.model_fields[part].annotation
        elif origin in (list, tuple) and isinstance(part, int):
            tp = (typing.get_args(tp) or (Any,))[0]
        elif origin is dict:
            tp = (typing.get_args(tp) or (Any, Any))[1]
        else:
            return tp, data, key, loc[i:]
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        key = _join(key, part)
    return tp, data, key, ()


def _config_error(exc: ValidationError, tp: Any, data: Any, key: str) -> ConfigError:
    """The first error of ``exc`` as a ConfigError naming the key under ``key``."""
    error = exc.errors()[0]
    reached, value, at, rest = _walk(tp, data, tuple(error["loc"]), key)
    kind = error["type"]
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ConfigError):  # a model's own check, or a duration
        return ConfigError(_join(at, cause.key) if cause.key else at, cause.message)
    if kind == "extra_forbidden":
        known = ", ".join(sorted(_unwrap(reached).model_fields))
        return ConfigError(_join(at, rest[0]), f"unknown setting; known settings are: {known}")
    if kind == "missing":
        return ConfigError(at, f"required setting is missing ({_type_name(reached)})")
    if kind in ("model_type", "model_attributes_type", "dict_type") and not rest:
        return ConfigError(at, f"expected a mapping of settings, got {value!r}")
    if kind == "value_error":
        return ConfigError(at, str(error["msg"]).removeprefix("Value error, "))
    return ConfigError(at, f"expected {_type_name(reached)}, got {value!r}")


def coerce(value: Any, tp: Any, key: str = "") -> Any:
    """Validate ``value`` against the annotation ``tp``; return it, or raise ConfigError.

    value (Any): what YAML gave.
    tp (Any): a settings model or any annotation pydantic validates (``list[Rule]``).
    key (str): dotted path of ``value`` in the config, used in error messages.
    """
    try:
        return TypeAdapter(tp).validate_python(value)
    except ValidationError as exc:
        raise _config_error(exc, tp, value, key) from None


def load_settings(cls: type[T], data: Any, key: str = "") -> T:
    """Build the settings model ``cls`` from a mapping (None means all defaults)."""
    return coerce({} if data is None else data, cls, key)


def check_template(template: str, key: str, placeholders: Iterable[str]) -> list[str]:
    """Check a ``str.format`` template against its known placeholders; return the fields used.

    A field may index a placeholder (``{detection[total]}``) but not reach an
    attribute. Raise ConfigError at ``key`` for a malformed template or an
    unknown placeholder, listing the known ones.
    """
    known = list(placeholders)
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise ConfigError(
            key, f"malformed template ({exc}); write a literal brace as {{{{ or }}}}"
        ) from None
    for field_name in fields:
        root = field_name.split("[", 1)[0]
        if "." in root:
            raise ConfigError(key, f"attribute access {{{field_name}}} is not supported")
        if root not in known:
            shown = "{" + field_name + "}" if field_name else "{}"
            listed = ", ".join("{" + p + "}" for p in known)
            raise ConfigError(key, f"unknown placeholder {shown}; known placeholders are: {listed}")
    return fields
