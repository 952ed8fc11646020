"""What every view module shares: role checks for pages that aren't one object, the typed
input kept across a timed-out session, and turning a service's refusal into form errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect

from mentoring.http import AuthedRequest
from mentoring.models import Mentee
from mentoring.policies.mentees import can_edit_mentee
from mentoring.policies.people import has_role
from mentoring.selectors.intake import consents_in_force
from mentoring.services.people import ONCE_FIELD_NAME, form_token_claim, form_token_spend, stash_restore

F = TypeVar("F", bound=Callable[..., Any])


def require_role(request: AuthedRequest, *roles: str) -> None:
    """For pages that list or create rather than show one record: she holds one of these roles
    somewhere. A record's own page asks its policy instead."""
    if not any(has_role(request.user, role) for role in roles):
        raise PermissionDenied


def keeps_typed_input(view: F) -> F:
    """Mark a form view whose POST is kept if her session times out mid-typing.

    SessionTimeoutMiddleware stashes the POST (encrypted) before signing her out; the
    view's GET calls `restored_input` and shows the form filled in again.
    """
    view.keeps_typed_input = True  # type: ignore[attr-defined]
    return view


def restored_input(request: AuthedRequest) -> QueryDict | None:
    """What she typed here before her session timed out, if anything."""
    stashed = stash_restore(user=request.user, path=request.path)
    if stashed is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in stashed.items():
        data.setlist(key, values)
    messages.info(request, "Your session ended, but we kept what you typed. Check it and save.")
    return data


def saved_once(view: F) -> F:
    """Make a create form's POST count once: a second copy of it (a double click, a reload, a form
    sent again from history) saves nothing new and sends her to what the first one made.

    The form renders `{% once_token %}` (mentoring/templatetags/once.py), a one-time token for this
    user and the path it posts to. A POST with the token claims it, locked, so two copies sent at
    once are taken one after the other; when the view answers with a redirect (it saved) the token
    is spent in the same transaction, recording where the redirect went. An answer that shows the
    form again (her input needs another look, or "Is this the same woman?") leaves the token
    unspent and renders it again. A POST without a token we issued (a page opened before tokens, or
    longer ago than a day) is handled as it always was.
    """

    @wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            response: HttpResponse = view(request, *args, **kwargs)
            return response
        token = request.POST.get(ONCE_FIELD_NAME, "")
        with transaction.atomic():
            claimed = form_token_claim(user=request.user, path=request.path, token=token)
            if claimed is not None and claimed.used_at is not None:
                messages.info(request, "This was already saved. Nothing new was added.")
                return redirect(claimed.result_path or request.path)
            if claimed is not None:
                request.once_tokens = {request.path: token}  # type: ignore[attr-defined]
            response = view(request, *args, **kwargs)
            if claimed is not None and isinstance(response, HttpResponseRedirect):
                form_token_spend(form_token=claimed, result_path=response.url)
            return response

    return wrapped  # type: ignore[return-value]


# PostgreSQL's integer: an id or count from a URL beyond it is nobody's record.
LARGEST_ID = 2_147_483_647


def int_or_none(value: str | None, *, most: int = LARGEST_ID) -> int | None:
    """A whole number from 0 to `most` from a query string or form, or None for anything else."""
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    if number is None or not 0 <= number <= most:
        return None
    return number


def search_text(value: str | None) -> str:
    """What she typed in a search box, safe to give the database: at most 100 characters, without
    the NUL and control characters PostgreSQL refuses (a hostile URL would otherwise answer 500)."""
    return "".join(ch for ch in (value or "") if ch >= " " or ch == "\t")[:100].strip()


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def error_texts(form: forms.Form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's error against the field it names, when the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def mentee_record_context(request: AuthedRequest, mentee: Mentee, tab: str) -> dict[str, object]:
    """What every tab of her record shows around its own content."""
    return {
        "mentee": mentee,
        "tab": tab,
        "can_edit": can_edit_mentee(request.user, mentee),
        "consents": consents_in_force(mentee),
    }
