"""Mentoring sessions: her mentor logs and corrects them on her phone; coordinators read a pair's
timeline and answer a mentor who asked to talk.

The log form answers the phone's offline queue in JSON (Accept: application/json): 201 for a new
log, 200 for one already stored (the same client id sent again), 422 with the problems by field.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring.forms.sessions import SessionEditForm, SessionLogForm
from mentoring.http import AuthedRequest
from mentoring.models import SESSION_FIELDS, MentoringSession, Role
from mentoring.policies.pairs import get_pair_for_user
from mentoring.policies.sessions import (
    get_pair_for_logging,
    get_session_for_coordinator,
    get_session_for_edit,
    stored_log_of,
)
from mentoring.selectors.expenses import volunteer_hours
from mentoring.selectors.sessions import log_defaults, my_sessions, need_area_choices, pair_timeline
from mentoring.services.sessions import SessionConflict, session_edit, session_log, session_talk_answered
from mentoring.views.shared import add_service_errors, keeps_typed_input, require_role, restored_input


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _saved(session: MentoringSession, *, created: bool) -> JsonResponse:
    body = {"saved": True, "id": session.pk, "client_id": str(session.client_id), "replayed": not created}
    return JsonResponse(body, status=201 if created else 200)


def _refused(errors: dict[str, list[str]], status: int = 422) -> JsonResponse:
    return JsonResponse({"saved": False, "errors": errors}, status=status)


def _form_errors(form: SessionLogForm) -> dict[str, list[str]]:
    return {field: [str(error) for error in errors] for field, errors in form.errors.items()}


def _client_id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def session_log_view(request: AuthedRequest, pk: int) -> HttpResponse:
    json = _wants_json(request)
    if request.method == "POST":
        # A log her phone sent before (the answer was lost) is answered as stored, first: even if
        # the pair has ended since, it was saved while it was hers.
        stored = stored_log_of(request.user, _client_id(request.POST.get("client_id")), pair_id=pk)
        if stored is not None:
            if json:
                return _saved(stored, created=False)
            messages.info(request, "This session was already saved. Nothing new was added.")
            return redirect("mentor_home")
    pair = get_pair_for_logging(request.user, pk, purpose="Logging a session")
    choices = need_area_choices(pair=pair)
    if request.method == "POST":
        form = SessionLogForm(request.POST, need_areas=choices)
        if form.is_valid():
            client_id = form.cleaned_data.get("client_id")
            if client_id is None and json:
                return _refused({"client_id": ["The log has no id: open the form again."]})
            try:
                session, created = session_log(
                    pair=pair, acting_user=request.user, client_id=client_id or uuid.uuid4(), **form.service_fields()
                )
            except PermissionDenied:
                return _refused({"__all__": ["That log can't be saved here."]}, status=404)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if json:
                    return _saved(session, created=created)
                messages.success(request, f"Session with {pair.mentee.chosen_name} saved. Thank you.")
                return redirect("mentor_home")
        if json:
            return _refused(_form_errors(form))
    else:
        defaults = log_defaults(user=request.user)
        initial = {"held_on": defaults.held_on, "duration_minutes": defaults.duration_minutes, "mode": defaults.mode}
        form = SessionLogForm(restored_input(request), initial=initial, need_areas=choices)
    return render(request, "mentoring/sessions/log.html", {"pair": pair, "form": form})


def _initial_from(session: MentoringSession) -> dict[str, Any]:
    initial = {name: getattr(session, name) for name in SESSION_FIELDS}
    initial["version"] = session.version
    return initial


@keeps_typed_input
@require_http_methods(["GET", "POST"])
def session_edit_view(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_session_for_edit(request.user, pk, purpose="Correcting her log")
    pair = session.pair
    choices = need_area_choices(pair=pair)
    conflict: MentoringSession | None = None
    if request.method == "POST":
        form = SessionEditForm(request.POST, need_areas=choices)
        if form.is_valid():
            fields = form.service_fields()
            base = fields.pop("version")
            try:
                session_edit(session=session, acting_user=request.user, base_version=base, **fields)
            except SessionConflict as exc:
                conflict = exc.current
                # Her typing stays in the form; saving it again replaces the version shown beside it.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = SessionEditForm(data, need_areas=choices)
                form.is_valid()
            except PermissionDenied:
                messages.error(request, "This log can't be corrected any more.")
                return redirect("my_sessions")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your correction is saved. The earlier version is kept.")
                return redirect("my_sessions")
    else:
        form = SessionEditForm(restored_input(request), initial=_initial_from(session), need_areas=choices)
    context = {"pair": pair, "form": form, "session": session, "conflict": conflict}
    if conflict is not None:
        context["conflict_areas"] = dict((pk, name) for pk, name, _ in choices)
    return render(request, "mentoring/sessions/edit.html", context, status=409 if conflict else 200)


@require_GET
def my_sessions_view(request: AuthedRequest) -> HttpResponse:
    require_role(request, Role.MENTOR)
    context = {
        "sessions": my_sessions(user=request.user),
        "hours": volunteer_hours(mentor_user_id=request.user.pk),
        "now": timezone.now(),
    }
    return render(request, "mentoring/sessions/mine.html", context)


@require_GET
def pair_sessions(request: AuthedRequest, pk: int) -> HttpResponse:
    pair = get_pair_for_user(request.user, pk, purpose="The pair's sessions")
    context = {"pair": pair, "timeline": pair_timeline(user=request.user, pair=pair)}
    return render(request, "mentoring/sessions/timeline.html", context)


@require_POST
def session_talked(request: AuthedRequest, pk: int) -> HttpResponse:
    session = get_session_for_coordinator(request.user, pk, purpose="Answering her call to talk")
    session_talk_answered(session=session, acting_user=request.user)
    messages.success(request, "Marked as talked. Thank you for calling her back.")
    return redirect("coordinator_home")


@require_GET
def session_worry(request: AuthedRequest, pk: int) -> HttpResponse:
    """What to do now when she is worried about the woman's safety: kept apart from the session
    notes, which are for the work they do together."""
    pair = get_pair_for_logging(request.user, pk, purpose="Worried about her safety")
    return render(request, "mentoring/sessions/worry.html", {"pair": pair})
