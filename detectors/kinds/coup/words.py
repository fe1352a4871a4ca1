"""The words of a coup: who seizes power, what they do, and how it ended."""

from __future__ import annotations

#: Nouns for soldiers and military units, the ones who stage coups.
MILITARY = frozenset(
    """soldier soldiers troop troops army military officer officers junta mutineer mutineers
    force forces guard guards brigade regiment battalion unit corps commando commandos colonel
    general captain lieutenant major sergeant paratrooper paratroopers gendarmerie""".split()
)
#: Military words that name a unit when qualified ("the presidential guard").
UNITS = frozenset({"guard", "brigade", "regiment", "battalion", "unit", "corps", "forces"})
#: Heads of state and government: the ones a coup ousts or detains.
RULERS = frozenset(
    """president premier leader government king ruler monarch emir head chancellor
    cabinet""".split()
)
#: "prime minister": the noun alone ("the minister") is not a ruler.
RULER_PHRASES = frozenset({"prime minister"})
#: Verbs with power or control as object that seize it: "seized power", "took control".
SEIZE_VERBS = frozenset({"seize", "take", "grab", "assume", "wrest", "usurp"})
#: What is seized: "power", "control of the country".
SEIZED = frozenset({"power"})
SEIZED_CONTROL_OF = frozenset({"government", "country", "state", "power", "nation"})
#: Verbs that remove or hold a ruler: "ousted the president", "detained President Bazoum".
OUST_VERBS = frozenset({"oust", "overthrow", "topple", "depose", "remove", "unseat", "dismiss"})
HOLD_VERBS = frozenset({"detain", "arrest", "capture", "seize"})
#: Verbs that end a constitutional order when soldiers do it: "dissolved the government".
DISSOLVE_VERBS = frozenset({"dissolve", "suspend"})
ANNOUNCE_VERBS = frozenset({"announce", "declare", "order", "proclaim"})
DISSOLVED = frozenset({"government", "constitution", "parliament", "institution", "institutions"})
#: Verbs under which a coup was only tried: "attempted to overthrow", "tried to seize power".
ATTEMPT_VERBS = frozenset({"attempt", "try", "seek"})
#: Verbs that stop a coup: "foiled a coup attempt", "crushed a coup".
FOIL_VERBS = frozenset(
    """foil thwart crush defeat quash repel repulse suppress avert stop put quell
    neutralise neutralize""".split()
)
#: Verbs that carry one out: "staged a coup", "launched a coup attempt".
STAGE_VERBS = frozenset({"stage", "launch", "mount", "carry", "lead", "attempt", "orchestrate"})
#: Verbs a coup does as subject: "the coup ousted", "a coup unfolded"; "failed" foils it.
COUP_SUBJECT_VERBS = frozenset({"oust", "topple", "overthrow", "unfold", "begin", "erupt"})
#: Nouns for a coup and for an attempt at one.
COUP_NOUNS = frozenset({"coup", "putsch", "coup d'etat", "coup d'état"})
ATTEMPT_NOUNS = frozenset({"attempt", "bid", "plot"})
#: Modifiers of a coup noun that say how it ended.
FAILED = frozenset({"failed", "foiled", "abortive", "thwarted", "botched", "aborted"})
ATTEMPTED = frozenset({"attempted", "apparent", "alleged"})
#: Verbs that frame an event as a coup: "in what the president called a coup attempt".
NAMING_VERBS = frozenset({"call", "describe", "term", "brand", "label"})
#: Verbs an action is framed as a coup on: "stormed the palace in a coup attempt".
FRAMED_VERBS = (
    SEIZE_VERBS
    | OUST_VERBS
    | HOLD_VERBS
    | frozenset({"storm", "attack", "surround", "occupy", "overrun", "kill", "shoot", "besiege"})
)
