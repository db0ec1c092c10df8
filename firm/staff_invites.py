"""Adding a staff member without telling the firm admin who has an account elsewhere (invite flow).

`staff_invite` answers the same way for every address outside the caller's firm:
- an unknown address: the login and the membership are created, and a link to choose a password is
  emailed (from a task);
- an address that already has an account (staff of another firm, or a client anywhere): nothing is
  created or changed; the address's owner is emailed that a firm tried to add them and how to proceed;
- a member of the caller's own firm: refused (the admin already sees them in the staff list).
Both outside cases are audited in the caller's firm as `staff_invite`, without saying which happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from firm.errors import ApplicationError, PermissionDeniedError
from firm.models import Firm, Membership, User
from firm.scoping import Actor


@dataclass(frozen=True)
class InviteResult:
    email: str
    role: str
    membership: Membership | None  # never shown to the caller (see the module docstring)


@transaction.atomic
def staff_invite(
    *,
    actor: Actor,
    firm: Firm,
    email: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    domain: str = "",
    use_https: bool = True,
) -> InviteResult:
    from firm.services import audit_record, staff_create
    from firm.tasks import staff_invitation_email_task, staff_invite_existing_email_task

    if not actor.can("staff.manage") or actor.firm_id != firm.pk:
        raise PermissionDeniedError()
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and Membership.objects.filter(user=existing, firm=firm).exists():
        raise ApplicationError(
            "Already a member.", fields={"email": "This person is already a member of your firm."}
        )
    membership = None
    if existing is None:
        membership = staff_create(
            actor=actor,
            firm=firm,
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            password=password,
        )
        user_id, inviter_id = membership.user_id, actor.user_id
        base_url = f"{'https' if use_https else 'http'}://{domain}/"
        transaction.on_commit(lambda: staff_invitation_email_task.delay(user_id, inviter_id, base_url))
    else:
        existing_id, firm_name = existing.pk, firm.name
        base_url = f"{'https' if use_https else 'http'}://{domain}/"
        transaction.on_commit(
            lambda: staff_invite_existing_email_task.delay(existing_id, firm_name, base_url)
        )
    audit_record(
        actor=actor, action="staff_invite", object_type="firm.user", changes={"email": email, "role": role}
    )
    return InviteResult(email=email, role=role, membership=membership)
