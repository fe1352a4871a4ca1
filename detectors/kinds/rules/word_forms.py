"""Inflected forms of a lemma, for the gate: deploy → deploys, deployed, deploying.

Rules name lemmas; the gate looks for words in raw text before anything is
parsed, so each lemma is expanded to its forms with the spaCy model's own
lemma tables read in reverse (suffix rules and irregular forms, send → sent).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

# The English rule lemmatizer's suffix rules (form suffix, lemma suffix), used
# in reverse when the model's own tables cannot be read.
_FALLBACK_RULES = [
    ("s", ""), ("es", ""), ("ies", "y"), ("ves", "f"), ("men", "man"),
    ("es", "e"), ("ed", "e"), ("ed", ""), ("ied", "y"), ("ing", "e"), ("ing", ""),
]  # fmt: skip


@lru_cache(maxsize=8)
def lemma_tables(model: str) -> tuple[tuple[tuple[str, str], ...], dict[str, frozenset[str]]]:
    """Suffix rules and irregular forms (lemma → forms) from a spaCy model's lemmatizer.

    model (str): the model's load name or path. Returns the fallback rules and
        no irregular forms when the model has no readable lemma tables.
    """
    from spacy.lookups import Lookups
    from spacy.util import get_package_path

    try:
        root = Path(model) if Path(model).exists() else get_package_path(model)
        path = next(root.glob("**/lemmatizer/lookups/lookups.bin"))
        lookups = Lookups().from_disk(path.parent)
        rules_table = lookups.get_table("lemma_rules")
        exc_table = lookups.get_table("lemma_exc")
    except Exception:  # no package, no lemmatizer, or another layout: fall back
        return tuple(_FALLBACK_RULES), {}
    rules = {tuple(r) for pos in ("noun", "verb") for r in rules_table.get(pos, [])}
    rules.add(("ied", "y"))
    irregular: dict[str, set[str]] = {}
    for pos in ("noun", "verb", "adj", "adv"):
        for form, lemmas in exc_table.get(pos, {}).items():
            for lemma in lemmas:
                irregular.setdefault(lemma, set()).add(form)
    return tuple(sorted(rules)), {k: frozenset(v) for k, v in irregular.items()}


def word_forms(lemma: str, model: str | None = None) -> list[str]:
    """Inflected forms of ``lemma``: deploy → deploy, deploys, deployed, deploying.

    lemma (str): a lower-case lemma. Over-generation is harmless: forms that
        are not words never occur in text.
    model (str | None): spaCy model whose lemma tables add irregular forms
        (send → sent). Defaults to None (suffix rules only).
    """
    rules, irregular = lemma_tables(model) if model else (tuple(_FALLBACK_RULES), {})
    forms = {lemma}
    for form_suffix, lemma_suffix in rules:
        if lemma.endswith(lemma_suffix):
            forms.add(lemma[: len(lemma) - len(lemma_suffix)] + form_suffix)
    # Doubled final consonant: plan → planned, planning; ship → shipped.
    if re.search(r"[^aeiou][aeiou][bdgklmnprtv]$", lemma):
        forms.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
    forms.update(irregular.get(lemma, ()))
    return sorted(forms)
