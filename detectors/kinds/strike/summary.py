"""The one-line summary of a strike, with its hedges kept.

"Russia struck Ukraine with ~500 drones and 24 missiles (450 drones
intercepted); energy infrastructure hit; 4 injured".
"""

from __future__ import annotations

from ...entities import Gazetteer
from ...language.quantities import Quantity, format_quantity
from ...language.text import join_names
from .munitions import Mention


def attack_summary(
    gazetteer: Gazetteer,
    actor: str | None,
    target: str | None,
    munitions: dict[str, int],
    shown: dict[str, list[Quantity]],
    total: int,
    combined: list[Mention],
) -> str:
    """Who struck whom with what: "Russia struck Ukraine with ~500 drones and 24 missiles".

    gazetteer (Gazetteer): names the states.
    actor (str | None): the attacker's code.
    target (str | None): the target's code.
    munitions (dict[str, int]): launched count per type, in summary order.
    shown (dict[str, list[Quantity]]): the quantities as written behind each count.
    total (int): all munitions of the attack.
    combined (list[Mention]): counts of several types together ("524 drones and missiles").
    """
    parts = []
    for k, value in munitions.items():
        qs = shown[k]
        if len(qs) == 1 and qs[0].value == value:
            number = format_quantity(qs[0])
            of = " of" if qs[0].vague else ""
        else:
            number = f"~{value:,}" if any(q.approximate for q in qs) else f"{value:,}"
            of = ""
        parts.append(f"{number}{of} {k if value == 1 else k + 's'}")
    accounted = sum(munitions.values())
    if combined and total > accounted:
        for m in combined:
            if all(k in munitions for k in m.kinds):
                continue
            names = join_names([k + "s" for k in m.kinds])
            of = " of" if m.quantity.vague else ""
            parts.append(f"{format_quantity(m.quantity)}{of} {names}")
    what = join_names(parts)
    if actor and target:
        head = f"{gazetteer.name(actor)} struck {gazetteer.name(target)} with"
    elif actor:
        head = f"{gazetteer.name(actor)} launched"
    elif target:
        head = f"{gazetteer.name(target)} was struck with"
    else:
        head = "Strike with"
    return f"{head} {what}"


def outcome_tail(intercepted: dict[str, int], hit: list[str], hurt: dict[str, int]) -> str:
    """What came of it: " (450 drones intercepted); energy infrastructure hit; 4 injured"."""
    tail = ""
    if intercepted:
        downed = join_names([f"{v:,} {k if v == 1 else k + 's'}" for k, v in intercepted.items()])
        tail += f" ({downed} intercepted)"
    if hit:
        tail += f"; {join_names(hit)} hit"
    losses = [f"{hurt[k]:,} {k}" for k in ("killed", "injured") if hurt.get(k)]
    if losses:
        tail += "; " + ", ".join(losses)
    return tail
