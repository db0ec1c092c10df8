"""Tenant isolation at the queryset layer: firm B gets nothing of firm A; client B nothing of client A."""

from __future__ import annotations

import pytest
from django.apps import apps

from firm.scoping import ANONYMOUS, RestrictedQuerySet

pytestmark = pytest.mark.django_db


# Public reference data (IRCC's own rounds, and the record of syncing them): readable by any
# authenticated user, never firm data.
PUBLIC_MODELS = {"scoring.draw", "scoring.drawfeedsync"}


def restricted_models():
    return [
        m
        for m in apps.get_models()
        if isinstance(m._default_manager.all(), RestrictedQuerySet)
        and m._meta.label_lower not in PUBLIC_MODELS
    ]


def test_public_models_hold_no_firm_or_client_reference():
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        related = {f.related_model._meta.label_lower for f in model._meta.fields if f.is_relation}
        assert not related & {"firm.firm", "firm.client"}, label


def test_every_project_model_declares_its_scope():
    project_apps = {"firm", "notifications", "cases", "scoring", "pathways"}
    # firm.usersession: the session table, read only by the session engine, never served.
    unscoped_allowed = {"firm.user", "firm.idempotencyrecord", "firm.usersession"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in project_apps or label in unscoped_allowed or label in PUBLIC_MODELS:
            continue
        assert model in restricted_models(), f"{model._meta.label} has no RestrictedQuerySet manager"
        assert hasattr(model, "scope_firm_path"), model._meta.label


def _a_row_of_every_scoped_model_in_both_firms(world) -> None:
    """Where the world has no row of a scoped model in a firm, create one (tests.factories.make_instance),
    so that "firm B sees nothing of firm A" is never true only because firm A has nothing."""
    from cases.models import Case
    from firm.models import Client, Firm, User
    from firm.tokens import token_issue
    from tests.factories import make_instance

    for tag in ("a", "b"):
        firm = world.firms[tag]
        base = {Firm: firm, Client: world.clients[tag], Case: world.cases[tag]}
        # a staff user first; rows scoped through a client's login (magic links) need the portal user
        users = (world.staff[(tag, "lawyer")], world.clients[tag].portal_user)
        for model in restricted_models():
            for user in users:
                if model is Firm or model.objects.filter(**{model.scope_firm_path: firm}).exists():
                    break
                if model._meta.label == "firm.AuthToken":  # API tokens are only ever issued by the service
                    token_issue(user=user, name=f"FIRM{tag.upper()}")
                    continue
                row = make_instance(model, related={**base, User: user}, marker=f"FIRM{tag.upper()}")
                base.setdefault(model, row)  # later rows point at it (one open questionnaire per client...)


@pytest.mark.parametrize("role", ["admin", "lawyer", "paralegal"])
def test_staff_of_firm_b_see_nothing_of_firm_a(world, role):
    _a_row_of_every_scoped_model_in_both_firms(world)
    actor = world.actor("b", role)
    firm_a, firm_b = world.firms["a"], world.firms["b"]
    for model in restricted_models():
        qs = model.objects.restrict(actor)
        if model._meta.model_name == "firm":
            assert list(qs.values_list("pk", flat=True)) == [firm_b.pk]
            continue
        path = model.scope_firm_path
        label = model._meta.label
        assert model.objects.filter(**{path: firm_a}).exists(), (
            f"{label}: firm A has no row, the check is vacuous"
        )
        assert not qs.filter(**{path: firm_a}).exists(), f"{label} leaks firm A to firm B"
        if role == "admin":  # the admin sees every row of their own firm: restrict() is not just empty
            assert qs.filter(**{path: firm_b}).exists(), f"{label}: firm B's admin sees none of firm B's rows"


def test_client_sees_only_own_records(world):
    actor = world.actor("b", "client")
    client_a, client_b = world.clients["a"], world.clients["b"]
    for model in restricted_models():
        qs = model.objects.restrict(actor)
        path = getattr(model, "scope_client_path", None)
        if path is None:
            assert not qs.exists(), f"clients must never see {model._meta.label}"
            continue
        lookup = "pk" if path == "pk" else path
        assert not qs.filter(**{lookup: client_a.pk}).exists(), (
            f"{model._meta.label} leaks client A to client B"
        )
        assert qs.exclude(**{lookup: client_b.pk}).count() == 0


def test_client_sees_only_client_visible_notes(world):
    from cases.models import Note

    texts = set(Note.objects.restrict(world.actor("a", "client")).values_list("text", flat=True))
    assert texts == {"shared"}


def test_anonymous_sees_nothing(world):
    for model in restricted_models():
        assert not model.objects.restrict(ANONYMOUS).exists()


def test_selectors_raise_not_found_across_firms(world):
    from cases.selectors import case_get
    from firm.errors import NotFoundError
    from firm.selectors import client_get

    with pytest.raises(NotFoundError):
        client_get(actor=world.actor("b", "lawyer"), client_id=world.clients["a"].pk)
    with pytest.raises(NotFoundError):
        case_get(actor=world.actor("b", "client"), case_id=world.cases["a"].pk)
    assert client_get(actor=world.actor("a", "client"), client_id=world.clients["a"].pk) == world.clients["a"]
