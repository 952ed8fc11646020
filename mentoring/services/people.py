"""Writes of people: memberships, sign-in sessions, invitations, hub settings and stashed form input."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from celery import current_app as celery_app
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from mentoring.models import (
    FormToken,
    Hub,
    Invitation,
    Membership,
    Mentor,
    MentorApplicant,
    MentorStage,
    PairStatus,
    Role,
    StashedSubmission,
    User,
)
from mentoring.policies.people import (
    ADDRESS_TAKEN,
    address_held_by_another_account,
    address_is_taken,
    can_invite,
    forget_memberships,
    hub_ids_for,
    is_last_org_admin,
    may_manage_person,
    organisations_administered,
)
from mentoring.services.mentors import mentor_carry_on_recruitment

logger = logging.getLogger(__name__)

SEND_INVITATION_TASK = "mentoring.tasks.send_invitation"


@transaction.atomic
def membership_add(*, user: User, hub: Hub, role: str, acting_user: User | None = None) -> Membership:
    """Give her a role in a hub. Called by invitation acceptance, by `membership_grant` and by the
    commands that set up an organisation; it checks only what every caller must respect."""
    if user.is_superuser:
        raise ValidationError("Operations accounts can't hold a role: running the system gives no right to read.")
    membership, _ = Membership.objects.get_or_create(
        user=user, hub=hub, role=role, defaults={"created_by": acting_user}
    )
    forget_memberships(user)
    if role == Role.MENTOR:
        # Her mentor record starts with the role: the coordinator fills in stages, checks and training.
        Mentor.objects.get_or_create(user=user, defaults={"hub": hub, "created_by": acting_user})
    return membership


# A session ended because she may no longer use Alongside keeps only this mark, so that her phone's
# next request tells its browser to delete what the site kept on it (mentoring.middleware).
CLEAR_DEVICE_KEY = "alongside_clear_device"
# A phone may be off, or out of signal, for a while: the mark outlives the session it replaced.
CLEAR_DEVICE_FOR = timedelta(days=30)


def end_all_sessions(*, user: User, clear_devices: bool = False) -> int:
    """End every session she has, wherever it is. With `clear_devices` (she can no longer use
    Alongside at all), each is replaced by a mark that clears her browser's copy of the site's data
    (her mentees' names and unsent logs on her phone) when that browser next reaches us."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    keys = [user_session.session_key for user_session in UserSession.objects.filter(user=user)]
    # Sessions from before tracking, or that tracking missed: decode and match the owner.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk) and session.session_key not in keys:
            keys.append(session.session_key)
    UserSession.objects.filter(user=user).delete()
    if clear_devices:
        Session.objects.filter(session_key__in=keys).update(
            session_data=SessionStore().encode({CLEAR_DEVICE_KEY: True}),
            expire_date=timezone.now() + CLEAR_DEVICE_FOR,
        )
    else:
        Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def membership_grant(*, person: User, hub: Hub, role: str, acting_user: User) -> Membership:
    """An org admin gives a role to someone who already has an account (an invitation is only for
    new people). Nobody gives herself a role; the change is kept in the membership's history."""
    if person.pk == acting_user.pk:
        raise PermissionDenied("Nobody can give herself a role: ask another org admin.")
    if not may_manage_person(acting_user, person) or not can_invite(acting_user, hub, role):
        raise PermissionDenied("You can't give that role in this hub.")
    if Membership.objects.filter(user=person, hub=hub, role=role).exists():
        raise ValidationError("She already holds that role in this hub.")
    membership = membership_add(user=person, hub=hub, role=role, acting_user=acting_user)
    logger.info("membership %s granted by user %s", membership.pk, acting_user.pk)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, acting_user: User) -> None:
    """An org admin takes a role away from someone in her hubs. The removal is kept in the
    membership's history; her records, and her mentor record if she had one, stay. When it was
    her last role she can no longer use Alongside, so every session she has ends."""
    person = membership.user
    if person.pk == acting_user.pk:
        raise PermissionDenied("Nobody can change her own roles: ask another org admin.")
    if not may_manage_person(acting_user, person) or not can_invite(acting_user, membership.hub, membership.role):
        raise PermissionDenied("You can't take away that role in this hub.")
    # Locked, so two admins removing roles at once can't both pass the checks below.
    membership = Membership.objects.select_for_update().select_related("hub").get(pk=membership.pk)
    if membership.role == Role.ORG_ADMIN and is_last_org_admin(person, membership.hub.organisation_id):
        raise ValidationError(
            "She is the organisation's last org admin: give the role to someone else first, so that someone "
            "can still manage its people and hubs."
        )
    if (
        membership.role == Role.MENTOR
        and Mentor.objects.filter(user=person, hub=membership.hub)
        .filter(Q(stage=MentorStage.ACTIVE) | Q(pairs__status=PairStatus.ACTIVE))
        .exists()
    ):
        # Her right to see a woman follows an active pair, not the role, and matching reads her
        # mentor record's stage: an active mentor without the role could still be matched and given
        # a woman's record. Her coordinator, who runs the record, pauses her or records that she
        # left first (which needs her pairs paused or ended). The record and its history stay.
        raise ValidationError(
            "She is an active mentor on her mentor record, so she could still be matched with a woman. "
            "Her coordinator pauses her or records that she has left first (pausing or ending her pairs); "
            "then the role can be taken away."
        )
    membership_id = membership.pk
    membership.delete()
    forget_memberships(person)
    logger.info("membership %s removed by user %s", membership_id, acting_user.pk)
    if not Membership.objects.filter(user=person).exists():
        transaction.on_commit(lambda: end_all_sessions(user=person, clear_devices=True))


def _require_manager(acting_user: User, person: User) -> None:
    if not may_manage_person(acting_user, person):
        raise PermissionDenied("Only an org admin of one of her hubs can do that.")


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """A deactivated person loses every session at once; her records and history stay."""
    _require_manager(acting_user, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    transaction.on_commit(lambda: end_all_sessions(user=user, clear_devices=True))
    logger.info("user %s deactivated by user %s", user.pk, acting_user.pk)
    return user


@transaction.atomic
def user_reactivate(*, user: User, acting_user: User) -> User:
    _require_manager(acting_user, user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    logger.info("user %s reactivated by user %s", user.pk, acting_user.pk)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invitation_create(
    *, email: str, hub: Hub, role: str, invited_by: User, applicant: MentorApplicant | None = None
) -> Invitation:
    """`applicant`: she is in mentor recruitment, which her mentor record carries on from."""
    if not can_invite(invited_by, hub, role):
        raise PermissionDenied("You can't invite that role to this hub.")
    email = email.strip().lower()
    if email == invited_by.email.lower():
        raise ValidationError({"email": "You can't invite yourself. Ask another org admin to give you a role."})
    # An address another account has added but not yet verified counts too: that account could
    # verify it later, and the invitee could then never accept.
    if address_held_by_another_account(email):
        raise ValidationError(
            {"email": "This address already has an account. Give her the role from the organisation page instead."}
        )
    if Membership.objects.filter(user__email=email, hub=hub, role=role).exists():
        raise ValidationError({"email": "This person already holds that role in this hub."})
    # A fresh invitation replaces any earlier pending one for the same place.
    Invitation.objects.filter(email=email, hub=hub, role=role, status=Invitation.Status.PENDING).update(
        status=Invitation.Status.REVOKED
    )
    invitation = Invitation(
        email=email,
        hub=hub,
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
        applicant=applicant,
    )
    invitation.full_clean()
    invitation.save()
    # The task gets the id only; it makes the token itself, so no secret passes through the broker.
    # It is enqueued by name: the tasks module calls these services, so importing it would loop.
    transaction.on_commit(lambda: celery_app.signature(SEND_INVITATION_TASK, args=(invitation.pk,)).delay())
    return invitation


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Make a new one-time token and email the link. The email carries no personal data.

    Sends nothing while her link is out (a token is held): the task's message is delivered again
    when a worker stopped after the email went but before acknowledging it, or to a second worker
    while the first still sends (which waits for the lock here). Sending again (invitation_resend)
    forgets the token first, and a send that failed committed nothing, so those do send."""
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        return False
    if invitation.token_hash is not None:
        logger.info("invitation %s already sent, not sent again", invitation.pk)
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "sent_at"])
    link = settings.SITE_URL.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})
    days = settings.INVITATION_VALID_FOR.days
    body = (
        "Hello,\n\n"
        "You have been invited to create an account on Alongside.\n\n"
        f"Open this link within {days} days to set your password:\n{link}\n\n"
        "The link works once. If you were not expecting this email, you can ignore it.\n"
    )
    send_mail("Your invitation", body, None, [invitation.email])
    logger.info("invitation %s sent", invitation.pk)
    return True


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("hub").filter(token_hash=_token_hash(token)).first()


@transaction.atomic
def invitation_accept(*, token: str, password: str | None = None, display_name: str = "") -> User:
    """Use the link once: create her account with the role."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError("This invitation link can't be used. Ask whoever invited you for a new one.")
    if address_held_by_another_account(invitation.email):
        # An invitation makes a new account only: a role for an existing one is given by an org
        # admin (`membership_grant`), so nobody can invite herself and accept while signed in.
        raise ValidationError("This address already has an account. Ask your org admin to give you the role instead.")
    if not password:
        raise ValidationError("Choose a password.")
    user = User.objects.create_user(invitation.email, password, display_name=display_name.strip())
    # Opening the emailed link proves she holds the address: two-factor set-up needs a verified one.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    membership_add(user=user, hub=invitation.hub, role=invitation.role, acting_user=invitation.invited_by)
    if invitation.applicant_id is not None and invitation.role == Role.MENTOR:
        mentor_carry_on_recruitment(mentor=user.mentor_record, applicant_id=invitation.applicant_id)
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.token_hash = None
    invitation.save(update_fields=["status", "accepted_at", "accepted_by", "token_hash"])
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, acting_user: User) -> Invitation:
    if not can_invite(acting_user, invitation.hub, invitation.role):
        raise PermissionDenied("You can't withdraw that invitation.")
    if invitation.status == Invitation.Status.PENDING:
        invitation.status = Invitation.Status.REVOKED
        invitation.token_hash = None
        invitation.save(update_fields=["status", "token_hash"])
    return invitation


# An invitation that can be sent again: not yet used, and not withdrawn.
RESENDABLE_STATUSES = (Invitation.Status.PENDING, Invitation.Status.EXPIRED)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, acting_user: User) -> Invitation:
    """Send an unused invitation again (her email went astray, or the week ran out): a fresh
    expiry, and a new link made by the task, the old one stopping at once."""
    if not can_invite(acting_user, invitation.hub, invitation.role):
        raise PermissionDenied("You can't send that invitation again.")
    # Locked: the link may be being accepted at this very moment, or sent by a second click.
    invitation = Invitation.objects.select_for_update().select_related("hub").get(pk=invitation.pk)
    if invitation.status not in RESENDABLE_STATUSES:
        raise ValidationError(
            "This invitation was accepted or withdrawn, so it can't be sent again. Send a new one if she needs it."
        )
    if address_held_by_another_account(invitation.email):
        raise ValidationError(
            "This address has an account now, so an invitation can't be used. Give her the role from the "
            "organisation page instead."
        )
    # As when inviting: one usable invitation per address, hub and role.
    Invitation.objects.filter(
        email=invitation.email, hub=invitation.hub, role=invitation.role, status=Invitation.Status.PENDING
    ).exclude(pk=invitation.pk).update(status=Invitation.Status.REVOKED, token_hash=None)
    invitation.status = Invitation.Status.PENDING
    invitation.expires_at = timezone.now() + settings.INVITATION_VALID_FOR
    # Forget the old token now, not when the email goes: the earlier link must stop working even
    # if the new email is slow to leave.
    invitation.token_hash = None
    invitation.full_clean()
    invitation.save(update_fields=["status", "expires_at", "token_hash"])
    logger.info("invitation %s sent again by user %s", invitation.pk, acting_user.pk)
    transaction.on_commit(lambda: celery_app.signature(SEND_INVITATION_TASK, args=(invitation.pk,)).delay())
    return invitation


def invitations_expire(*, now: object = None) -> int:
    """Mark pending invitations past their expiry as expired and forget their tokens."""
    moment = now or timezone.now()
    return Invitation.objects.filter(status=Invitation.Status.PENDING, expires_at__lte=moment).update(
        status=Invitation.Status.EXPIRED, token_hash=None
    )


HUB_SLUG_LENGTH = 40


def _hub_slug(name: str) -> str:
    """A unique key for a new hub, made from its name (a place, never a person): "coastal-towns",
    then "coastal-towns-2" if another organisation has a hub of that name."""
    base = slugify(name)[:HUB_SLUG_LENGTH].strip("-") or "hub"
    slug, number = base, 1
    while Hub.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _require_unique_hub_name(*, organisation_id: int, name: str, hub: Hub | None = None) -> None:
    others = Hub.objects.filter(organisation_id=organisation_id, name__iexact=name)
    if hub is not None:
        others = others.exclude(pk=hub.pk)
    if others.exists():
        raise ValidationError({"name": f"Your organisation already has a hub called {name}. Choose another name."})


@transaction.atomic
def hub_create(
    *,
    organisation_id: int,
    name: str,
    area_description: str = "",
    review_interval_weeks: int = 12,
    quiet_after_weeks: int | None = None,
    acting_user: User,
) -> Hub:
    """An org admin opens a new hub in an organisation she administers, and is its org admin
    from the start (someone must be, to invite its people). Kept in the hub's history."""
    if organisation_id not in organisations_administered(acting_user):
        raise PermissionDenied("Only an org admin of this organisation can add a hub to it.")
    name = name.strip()
    _require_unique_hub_name(organisation_id=organisation_id, name=name)
    hub = Hub(
        organisation_id=organisation_id,
        name=name,
        slug=_hub_slug(name),
        area_description=area_description.strip(),
        review_interval_weeks=review_interval_weeks,
    )
    if quiet_after_weeks is not None:
        hub.quiet_after_weeks = quiet_after_weeks
    hub.full_clean()
    hub.save()
    membership_add(user=acting_user, hub=hub, role=Role.ORG_ADMIN, acting_user=acting_user)
    logger.info("hub %s created by user %s", hub.pk, acting_user.pk)
    return hub


@transaction.atomic
def hub_update_settings(
    *,
    hub: Hub,
    review_interval_weeks: int,
    acting_user: User,
    name: str | None = None,
    area_description: str | None = None,
    quiet_after_weeks: int | None = None,
) -> Hub:
    """Rename a hub, describe the area it covers, set its review interval (None: unchanged). Its
    key (the slug) stays as it was, so nothing that names the hub by it breaks."""
    if hub.pk not in hub_ids_for(acting_user, [Role.ORG_ADMIN]):
        raise PermissionDenied("Only an org admin of this hub can change its settings.")
    if name is not None:
        hub.name = name.strip()
        _require_unique_hub_name(organisation_id=hub.organisation_id, name=hub.name, hub=hub)
    if area_description is not None:
        hub.area_description = area_description.strip()
    hub.review_interval_weeks = review_interval_weeks
    if quiet_after_weeks is not None:
        hub.quiet_after_weeks = quiet_after_weeks
    hub.full_clean()
    hub.save(update_fields=["name", "area_description", "review_interval_weeks", "quiet_after_weeks"])
    # Her memberships carry hub names for this request's menus: read them again.
    forget_memberships(acting_user)
    return hub


def _tell(user: User, subject: str, what: str, *, address: str = "") -> None:
    """An email with no personal content: what changed on her account, and what to do if it wasn't her.
    Sent to her address, or to `address` (the old one, when it is the address that changed)."""
    body = f"Hello,\n\n{what}\n\nIf you didn't ask for this, tell your organisation admin straight away.\n"
    send_mail(subject, body, None, [address or user.email])


def _email_replace(*, person: User, email: str, who: str, told_who: str) -> User:
    """Her login becomes `email` at once, and the old address is told. Only for a change made by
    someone else for her (an org admin, operations), who vouches for the new address as an
    invitation's link does; her own change waits for the link sent to the new address."""
    # Locked, and the old address read from the row: two changes at once must not both pass.
    old_email = User.objects.select_for_update().values_list("email", flat=True).get(pk=person.pk)
    email = email.strip().lower()
    if email == old_email.lower():
        raise ValidationError({"email": "That is already her address."})
    if address_is_taken(email, user=person):
        raise ValidationError({"email": ADDRESS_TAKEN})
    person.email = email
    person.full_clean()
    person.save(update_fields=["email"])
    # One address per account: the old one (and any change she had waiting) goes.
    EmailAddress.objects.filter(user=person).delete()
    EmailAddress.objects.create(user=person, email=email, primary=True, verified=True)
    logger.info("email address of user %s changed by %s", person.pk, who)
    # The old address hears of it (never the new one, nor any name): if she didn't ask for it,
    # the old mailbox is where she still reads.
    transaction.on_commit(
        lambda: _tell(
            person,
            "Your email address was changed",
            f"The email address of your Alongside account was changed by {told_who}. You now sign in "
            "with the new address, and emails from Alongside go there.",
            address=old_email,
        )
    )
    return person


@transaction.atomic
def user_change_email(*, person: User, email: str, acting_user: User) -> User:
    """An org admin changes the address of someone in her hubs (a lost or mistyped one). Her own
    address she changes on her account page, which asks for her password and a link sent to it."""
    _require_manager(acting_user, person)
    return _email_replace(person=person, email=email, who=f"user {acting_user.pk}", told_who="your organisation admin")


def email_changed_by_self(*, user: User, old_email: str) -> None:
    """She changed her own address (password asked again, the new one verified by its link):
    the old address is told, in case it wasn't her."""
    logger.info("email address of user %s changed by herself", user.pk)
    _tell(
        user,
        "Your email address was changed",
        "The email address of your Alongside account was changed. You now sign in with the new "
        "address, and emails from Alongside go there.",
        address=old_email,
    )


FAILED_SIGN_INS_BEFORE_TELLING = 5
FAILED_SIGN_IN_WINDOW = timedelta(minutes=15)


def failed_sign_in_noted(*, email: str) -> bool:
    """Count a failed sign-in to this address (in the shared cache, by a hash: no address is
    stored); at the fifth in the window, email the account's owner. True when she was told."""
    key = "alongside:failed-sign-in:" + hashlib.sha256(email.encode()).hexdigest()
    seconds = int(FAILED_SIGN_IN_WINDOW.total_seconds())
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    if count != FAILED_SIGN_INS_BEFORE_TELLING:
        return False
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return False
    _tell(
        user,
        "Several failed sign-ins",
        "Someone tried to sign in to your Alongside account several times with the wrong password. "
        "If it was you, there is nothing to do. If not, change your password and tell your "
        "organisation admin.",
    )
    logger.info("user %s told of repeated failed sign-ins", user.pk)
    return True


def _require_operations(acting_user: User) -> None:
    if not (acting_user.is_active and acting_user.is_superuser):
        raise PermissionDenied("Only operations can do that from the admin.")


def account_deactivated_by_operations(*, user: User, acting_user: User) -> None:
    """Operations (the admin) switched her account off: every session she has ends."""
    _require_operations(acting_user)
    logger.info("user %s deactivated from the admin by user %s", user.pk, acting_user.pk)
    transaction.on_commit(lambda: end_all_sessions(user=user, clear_devices=True))


def password_set_by_operations(*, user: User, acting_user: User) -> None:
    _require_operations(acting_user)
    logger.info("password of user %s set from the admin by user %s", user.pk, acting_user.pk)
    _tell(
        user, "Your password was changed", "The password of your Alongside account was changed by our operations team."
    )
    end_all_sessions(user=user)


@transaction.atomic
def email_set_by_operations(*, user: User, email: str, acting_user: User) -> User:
    """Operations change an address from the admin: checked, logged and told as an org admin's is."""
    _require_operations(acting_user)
    return _email_replace(
        person=user, email=email, who=f"operations user {acting_user.pk}", told_who="our operations team"
    )


@transaction.atomic
def mfa_reset(*, user: User, acting_user_label: str) -> int:
    """Remove her authenticators (a lost phone): she sets two-factor up again at her next sign-in."""
    from allauth.mfa.models import Authenticator

    removed, _ = Authenticator.objects.filter(user=user).delete()
    logger.info("two-factor authentication of user %s reset by %s", user.pk, acting_user_label)
    _tell(
        user,
        "Your two-factor sign-in was reset",
        "The two-factor authentication of your Alongside account was reset. You will set it up again "
        "when you next sign in.",
    )
    transaction.on_commit(lambda: end_all_sessions(user=user))
    return removed


@transaction.atomic
def first_org_admin_create(*, email: str, password: str, display_name: str, organisation_slug: str) -> User:
    """The organisation's first org admin, in each of its hubs: made by a management command on
    the server, since nobody in the app may give a role yet and operations accounts hold none."""
    organisation_hubs = list(Hub.objects.filter(organisation__slug=organisation_slug))
    if not organisation_hubs:
        raise ValidationError("No hubs in that organisation: create the organisation and its hubs first.")
    if Membership.objects.filter(hub__in=organisation_hubs, role=Role.ORG_ADMIN).exists():
        raise ValidationError("This organisation has an org admin already: she gives roles in the app.")
    email = email.strip().lower()
    if address_is_taken(email):
        raise ValidationError(ADDRESS_TAKEN)
    user = User.objects.create_user(email, password, display_name=display_name.strip())
    user.full_clean()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    for hub in organisation_hubs:
        membership_add(user=user, hub=hub, role=Role.ORG_ADMIN)
    logger.info("first org admin user %s created for organisation %s", user.pk, organisation_hubs[0].organisation_id)
    return user


STASH_MAX_AGE = timedelta(days=1)


def stash_save(*, user: User, path: str, data: dict[str, list[str]]) -> StashedSubmission:
    clean = {key: values for key, values in data.items() if key != "csrfmiddlewaretoken"}
    StashedSubmission.objects.filter(user=user, path=path).delete()
    return StashedSubmission.objects.create(user=user, path=path[:300], data=json.dumps(clean))


def stash_restore(*, user: User, path: str) -> dict[str, list[str]] | None:
    """Return (and forget) what she typed on this page before her session timed out."""
    stash = StashedSubmission.objects.filter(
        user=user, path=path, created_at__gte=timezone.now() - STASH_MAX_AGE
    ).first()
    if stash is None:
        return None
    StashedSubmission.objects.filter(user=user, path=path).delete()
    data: dict[str, list[str]] = json.loads(stash.data)
    return data


def stashes_purge() -> int:
    deleted, _ = StashedSubmission.objects.filter(created_at__lt=timezone.now() - STASH_MAX_AGE).delete()
    return deleted


# The hidden field `{% once_token %}` puts in a form that saves once.
ONCE_FIELD_NAME = "once_token"

# A form left open longer than this is handled as one without a token: the same-woman check still
# stands behind the referral form.
FORM_TOKEN_MAX_AGE = timedelta(days=1)


def _form_token_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


FORM_TOKEN_SALT = "alongside.form-token"  # noqa: S105 (a signing salt, not a secret)


def form_token_issue(*, user: User, path: str) -> str:
    """A one-time token for the form at `path`: signed, not stored, so showing a form writes
    nothing. It holds her account's id, the path (ids only), the time and a random part: never
    anything about her or anyone else. It is recorded only when the form is sent."""
    payload = {"user": user.pk, "path": path[:300], "nonce": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=FORM_TOKEN_SALT)


def form_token_claim(*, user: User, path: str, token: str) -> FormToken | None:
    """The token she sent with this form, recorded the first time it comes and locked until the
    transaction ends, so a second copy of the same POST waits for the first and then sees it used;
    None if it isn't one we signed, for her and this page, in the last day. Call inside
    `transaction.atomic`."""
    if not token or len(token) > 300:
        return None
    try:
        payload = signing.loads(token, salt=FORM_TOKEN_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.pk or payload.get("path") != path[:300]:
        return None
    key = _form_token_key(token)
    # A copy sent at the same moment waits on the key's unique index until the first copy's
    # transaction ends, then inserts nothing and finds the first one's row.
    FormToken.objects.bulk_create([FormToken(user=user, path=path[:300], key=key)], ignore_conflicts=True)
    return FormToken.objects.select_for_update().get(key=key)


def form_token_spend(*, form_token: FormToken, result_path: str) -> None:
    """The form was saved: a repeat of it is sent to `result_path` (ids only) and saves nothing."""
    form_token.used_at = timezone.now()
    form_token.result_path = result_path[:300]
    form_token.save(update_fields=["used_at", "result_path"])


def form_tokens_purge() -> int:
    deleted, _ = FormToken.objects.filter(created_at__lt=timezone.now() - FORM_TOKEN_MAX_AGE).delete()
    return deleted
