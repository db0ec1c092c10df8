"""Express Entry proof of funds: the amount required for a family size, from dated data (pure)."""

from __future__ import annotations

from datetime import date

from pathways.rules.data import rules_at


def required_funds_cad(family_size: int | None, as_of: date) -> int | None:
    """The settlement funds required on `as_of`.

    None when no table is in force for that date, or when the family size is not known: IRCC counts the
    applicant, the spouse or partner and every dependent child (even those not coming to Canada), so a
    missing family size is never read as "one person".
    """
    if family_size is None or family_size < 1:
        return None
    rules = rules_at("proof_of_funds", as_of)
    if rules is None or not rules.has("table"):
        return None
    values = rules.value("table")
    if str(family_size) in values:
        return int(values[str(family_size)])
    largest = max(int(k) for k in values if k.isdigit())
    return int(values[str(largest)]) + (family_size - largest) * int(values["each_additional"])
