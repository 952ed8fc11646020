"""Encryption at rest for sensitive free text (her words, notes, contact details).

Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first. New values are
written with the first key; reads try every key, so a key can be rotated by
adding a new one in front, running `manage.py rotate_encryption_keys`, then
removing the old one. A value no key can read raises DecryptionError: returning
the stored ciphertext (or anything else) as if it were text would hide a
misconfiguration and could leak into pages or exports.
"""

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: sensitive fields cannot be stored.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        # Never include the token or any part of it: error pages and logs must stay clean.
        raise DecryptionError("A sensitive field could not be decrypted with the configured keys.") from exc


def rotate(token: str) -> str:
    """Re-encrypt a stored token with the newest key."""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise DecryptionError("A sensitive field could not be decrypted with the configured keys.") from exc


# The secrets allauth keeps in an authenticator's JSON, each written through the MFA adapter.
AUTHENTICATOR_SECRET_KEYS = ("secret", "seed")
AUTHENTICATOR_SECRET_LISTS = ("migrated_codes",)


def map_authenticator_secrets(data: dict[str, Any], change: Any) -> dict[str, Any]:
    """The authenticator's data with `change` applied to each secret it holds (for rotation and
    for encrypting secrets stored before encryption)."""
    data = dict(data)
    for key in AUTHENTICATOR_SECRET_KEYS:
        if isinstance(data.get(key), str):
            data[key] = change(data[key])
    for key in AUTHENTICATOR_SECRET_LISTS:
        if isinstance(data.get(key), list):
            data[key] = [change(value) for value in data[key]]
    return data


class EncryptedTextField(models.TextField):
    """Text encrypted with Fernet (AES-128-CBC + HMAC). Blank is stored as NULL.

    Not searchable or sortable in the database: the ciphertext is randomised.
    """

    description = "Encrypted text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs["null"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("null", None)
        return name, path, args, kwargs

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return None
        return encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if value is None:
            return ""
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Equality on randomised ciphertext is never true; only NULL checks make sense.
        if lookup_name not in {"isnull"}:
            return None
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """A short encrypted answer (a line, not a paragraph): a one-line input and a length limit.

    The column is text, because the ciphertext is longer than what she typed; the limit is on
    what she typed, checked by full_clean and by the form.
    """

    description = "Encrypted short text"

    def __init__(self, *args: Any, max_length: int, **kwargs: Any) -> None:
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(max_length))

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (a list, a dict), stored as encrypted JSON text. Empty is stored as NULL and
    read back as the field's default. For values that repeat what is encrypted elsewhere (the
    matcher's reasons name where she can get to and the languages she speaks)."""

    description = "Encrypted JSON"
    # For django-stubs: a JSON value, not the text the column holds.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == [] or value == {}:
            return None
        return encrypt(json.dumps(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return self.get_default()
        return json.loads(decrypt(value))

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj))
