"""The client's fields, declared once. The model form (firm/web/forms.py), the API serializer
(firm/api/clients.py), the services (firm/services.py), intake (cases/intake.py) and the facts adapter
(firm/facts/snapshot.py) all read these lists, so a new field is added here and in the model only.
"""

from __future__ import annotations

# Who the client is and how to reach them (intake's `identity` and `contact` sections).
CLIENT_IDENTITY_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "date_of_birth",
    "citizenships",
    "country_of_residence",
)
CLIENT_CONTACT_FIELDS: tuple[str, ...] = ("email", "phone", "preferred_language")

# The facts the engines read (CRS, eligibility, pathways): the adapter reads exactly these, and a change
# of any of them (or of `ee_profile_submitted_at`) triggers a recompute and a re-assessment.
CLIENT_FACT_FIELDS: tuple[str, ...] = (
    "date_of_birth",
    "citizenships",
    "country_of_residence",
    "marital_status",
    "spouse_accompanying",
    "spouse_canadian",
    "sibling_in_canada",
    "certificate_of_qualification",
    "settlement_funds_cad",
    "family_size",
    "intended_province",
)
SCORING_FIELDS: frozenset[str] = frozenset({*CLIENT_FACT_FIELDS, "ee_profile_submitted_at"})

# Everything staff may edit (form, API, services), in display order.
CLIENT_EDITABLE_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "citizenships",
    "country_of_residence",
    "marital_status",
    "spouse_name",
    "spouse_accompanying",
    "spouse_canadian",
    "sibling_in_canada",
    "certificate_of_qualification",
    "certificate_trade",
    "settlement_funds_cad",
    "family_size",
    "intended_province",
    "status",
    "assigned_lawyer",
    "preferred_language",
    "ee_profile_number",
    "ee_job_seeker_code",
    "uci",
    "ee_profile_submitted_at",
    "ee_profile_expires_on",
    "source",
)


def _api_fields() -> tuple[str, ...]:
    out: list[str] = ["id"]
    for name in CLIENT_EDITABLE_FIELDS:
        out.append(name)
        if name == "assigned_lawyer":
            out.append("assigned_lawyer_email")
    return (*out, "has_portal_login", "created_at", "updated_at")


# The API's client representation: the editable fields plus read-only ones.
CLIENT_API_FIELDS: tuple[str, ...] = _api_fields()

assert set(CLIENT_IDENTITY_FIELDS) | set(CLIENT_CONTACT_FIELDS) <= set(CLIENT_EDITABLE_FIELDS)
assert set(CLIENT_FACT_FIELDS) <= set(CLIENT_EDITABLE_FIELDS)
