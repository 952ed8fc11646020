"""Every text column is encrypted, or says here why it may be plain.

The walk covers every model with a table of its own: the project's apps, the history event
models pghistory makes for them, and the third-party apps (a new one that keeps free text fails
here until someone decides). Two kinds of plain column pass by rule, not by name:

- a field with `choices` holds a code from a fixed vocabulary, never what someone typed;
- pghistory's own `pgh_*` columns hold event labels and model names.

Everything else needs an entry below, with its reason. Keep the list short and honest: an entry
is a decision that the column may be read in a copy of the database.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from mentoring.fields import EncryptedTextField

ADDRESS = "a sign-in address: looked up and unique, so it cannot be randomised ciphertext; staff and mentors, not women"
ORGANISATION = "the organisation's own name for itself, its hubs, areas or modules; reference data, not about anyone"
SLUG = "a key in URLs, made from a name that is itself plain"
IDS = "a type or an id, never content"

ALLOW_LIST: dict[str, str] = {
    # Alongside.
    "mentoring.User.email": ADDRESS,
    "mentoring.User.display_name": "what colleagues call a member of staff or a mentor; shown and sorted everywhere",
    "mentoring.User.password": "a salted password hash",
    "mentoring.Organisation.name": ORGANISATION,
    "mentoring.Organisation.slug": SLUG,
    "mentoring.Hub.name": ORGANISATION,
    "mentoring.Hub.slug": SLUG,
    "mentoring.Hub.area_description": "the area a hub covers, as the organisation describes it publicly",
    "mentoring.HubEvent.name": "the history's copy of a hub's name: " + ORGANISATION,
    "mentoring.HubEvent.slug": SLUG,
    "mentoring.HubEvent.area_description": "the history's copy of the area a hub covers",
    "mentoring.NeedArea.name": ORGANISATION,
    "mentoring.NeedArea.slug": SLUG,
    "mentoring.TrainingModule.name": ORGANISATION,
    "mentoring.Invitation.email": ADDRESS + "; compared with existing accounts when inviting",
    "mentoring.Invitation.token_hash": "a SHA-256 hash of the one-time token, looked up on acceptance",
    "mentoring.StashedSubmission.path": "the page's path, ids only (what she typed is in the encrypted data)",
    "mentoring.FormToken.path": "the form's path, ids only",
    "mentoring.FormToken.key": "a SHA-256 hash of a signed one-time form token, kept when the form is sent",
    "mentoring.FormToken.result_path": "the path of what the form made, ids only",
    "mentoring.AccessLog.object_type": IDS,
    "mentoring.AccessLog.object_id": IDS,
    # Lists are searched and sorted by it in the database, which ciphertext cannot be. It is the
    # name she chose to be called by, not her legal name (which is encrypted).
    "mentoring.Mentee.chosen_name": "searched and sorted in the database; the name she chose, not her legal name",
    "mentoring.MenteeEvent.chosen_name": "the history's copy of her chosen name, plain for the same reason",
    # The mentor's own matching profile: read in SQL by the matching loader's one-query load,
    # and about a volunteer who wrote it for matching, not about the women.
    "mentoring.Mentor.languages": "a volunteer's languages, read in SQL by the matching loader",
    "mentoring.Mentor.areas": "places a volunteer can get to, read in SQL by the matching loader",
    "mentoring.Mentor.interests": "a volunteer's interests, read in SQL by the matching loader",
    # Third-party apps.
    "admin.LogEntry.object_id": IDS,
    "admin.LogEntry.object_repr": "the admin registers only people, organisations, hubs and the (read-only) log",
    "admin.LogEntry.change_message": "the names of the fields changed in the admin, not their values",
    "auth.Permission.name": "the permission's description, from the code",
    "auth.Permission.codename": "the permission's code name, from the code",
    "auth.Group.name": "no groups are used; a group's name would be the organisation's",
    "contenttypes.ContentType.app_label": "a model's app, from the code",
    "contenttypes.ContentType.model": "a model's name, from the code",
    "sessions.Session.session_key": "a hash-like key, looked up on every request",
    "sessions.Session.session_data": "ids and sign-in state, signed; typed input is stashed encrypted, not here",
    "account.EmailAddress.email": ADDRESS,
    "account.EmailConfirmation.key": "a one-time key, looked up on confirmation",
    "usersessions.UserSession.session_key": "a hash-like key, looked up to end a session",
    "usersessions.UserSession.user_agent": "the browser's description, shown to her on her sessions page",
    "guardian.UserObjectPermission.object_pk": IDS,
    "guardian.GroupObjectPermission.object_pk": IDS,
}

# The columns found holding identifying text in plain, by canaries typed into every form and a
# grep of pg_dump. Each must stay encrypted.
MUST_BE_ENCRYPTED = [
    "mentoring.NeedRating.other_services",
    "mentoring.Referral.referrer_organisation",
    "mentoring.Consent.what_she_was_told",
    "mentoring.Assessment.reachable_area",
    "mentoring.Assessment.days_and_times",
    "mentoring.Assessment.mentor_language",
    "mentoring.MenteeStatusChange.reason",
    "mentoring.PairStatusChange.reason",
    "mentoring.Pair.not_taken_reason",
    "mentoring.MentorStageChange.note",
    "mentoring.MentorReference.relationship",
    "mentoring.AccessLog.reason",
    # Her languages, like the language she asks her mentor to speak: a rare one can pick her out.
    "mentoring.Mentee.languages",
    # The matcher's reasons kept with a pair repeat where she can get to and what she speaks.
    "mentoring.Pair.reasons",
    # Someone in mentor recruitment has no account: her name and how to reach her are hers alone.
    "mentoring.MentorApplicant.name",
    "mentoring.MentorApplicant.phone",
    "mentoring.MentorApplicant.email",
    "mentoring.MentorApplicant.source_detail",
    "mentoring.MentorApplicant.note",
    "mentoring.MentorApplicant.closed_reason",
]

# JSON columns hold structure, and sometimes text inside it: each is decided here too.
JSON_ALLOW_LIST: dict[str, str] = {
    "mfa.Authenticator.data": "the authenticator's settings; the secrets inside are encrypted by the MFA adapter",
    "usersessions.UserSession.data": "allauth's bookkeeping for a signed-in device: ids and timestamps",
    "pghistory.Context.metadata": "who acted and the page's path (ids only), attached to history events",
}


def text_fields() -> list[tuple[str, models.CharField | models.TextField]]:
    """Every text or char column (subclasses too: email, slug, encrypted) of every table."""
    found: list[tuple[str, models.CharField | models.TextField]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue  # no table of its own (pghistory's aggregate views)
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                found.append((f"{model._meta.label}.{field.name}", field))
    return found


def plain_by_rule(field: models.CharField | models.TextField) -> bool:
    return bool(field.choices) or field.name.startswith("pgh_")


def test_every_text_column_is_encrypted_or_allowed_with_a_reason():
    unexplained = [
        label
        for label, field in text_fields()
        if not isinstance(field, EncryptedTextField) and not plain_by_rule(field) and label not in ALLOW_LIST
    ]
    assert unexplained == [], "Encrypt these (EncryptedTextField / EncryptedCharField) or allow them with a reason"


def test_every_json_column_is_encrypted_or_allowed_with_a_reason():
    plain_json = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
        for field in model._meta.concrete_fields
        if isinstance(field, models.JSONField)
    ]
    assert sorted(set(plain_json) - set(JSON_ALLOW_LIST)) == [], "Encrypt these (EncryptedJSONField) or allow them"
    assert sorted(set(JSON_ALLOW_LIST) - set(plain_json)) == []  # no stale entry


def test_every_allowed_column_exists_and_is_plain():
    """A stale entry (a field since encrypted, renamed or removed) would let its name back in unseen."""
    plain = {label for label, field in text_fields() if not isinstance(field, EncryptedTextField)}
    assert sorted(set(ALLOW_LIST) - plain) == []
    assert all(reason.strip() for reason in ALLOW_LIST.values())


@pytest.mark.parametrize("label", MUST_BE_ENCRYPTED)
def test_identifying_free_text_is_encrypted(label):
    fields = dict(text_fields())
    assert isinstance(fields[label], EncryptedTextField)
    assert label not in ALLOW_LIST


def test_history_tables_copy_no_encrypted_field():
    """pghistory copies a tracked field's class into its event model. Event tables are
    append-only, so an encrypted copy could never be re-encrypted when a key is rotated: encrypted
    fields are left out of the tracked fields instead."""
    from pghistory.models import Event

    copied = [
        label
        for label, field in text_fields()
        if issubclass(field.model, Event) and isinstance(field, EncryptedTextField)
    ]
    assert copied == []
    # The walk does reach the event models (their chosen-name copy is on the allow list).
    assert any(issubclass(field.model, Event) for _, field in text_fields())
