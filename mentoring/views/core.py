"""Thin views: fetch through policies and selectors, write through services."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentoring import policies, selectors, selectors_pairs, services
from mentoring.forms import InvitationAcceptForm, InvitationForm
from mentoring.http import AuthedRequest
from mentoring.models import Role, TrainingModule
from mentoring.navigation import ROLE_HOMES


def _require_role(request: AuthedRequest, *roles: str) -> None:
    if not any(policies.can_use_role_home(request.user, role) for role in roles):
        raise PermissionDenied


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def ping(request: AuthedRequest) -> HttpResponse:
    """The bare authenticated page the benchmark compares every key page against."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    held = policies.roles_of(request.user)
    for role, url_name in ROLE_HOMES.items():
        if role in held:
            return redirect(url_name)
    return render(request, "mentoring/no_role.html")


@require_GET
def coordinator_home(request: AuthedRequest) -> HttpResponse:
    _require_role(request, Role.COORDINATOR)
    hubs = selectors.hubs_with_counts(user=request.user, roles=(Role.COORDINATOR,))
    return render(request, "mentoring/coordinator_home.html", {"hubs": hubs})


@require_GET
def mentor_home(request: AuthedRequest) -> HttpResponse:
    _require_role(request, Role.MENTOR)
    record = selectors_pairs.own_mentor_record(user=request.user)
    context: dict[str, object] = {"pairs": selectors_pairs.mentor_active_pairs(user=request.user), "record": record}
    if record is not None:
        today = timezone.localdate()
        done = {c.module_id: c for c in record.training.all()}
        modules = TrainingModule.objects.filter(organisation_id=record.hub.organisation_id, is_active=True)
        context.update(
            training=[(module, done.get(module.pk)) for module in modules],
            dbs_overdue=bool(record.dbs_renewal_due and record.dbs_renewal_due <= today),
            dbs_soon=bool(record.dbs_renewal_due and record.dbs_renewal_due <= today + timedelta(days=60)),
        )
    return render(request, "mentoring/mentor_home.html", context)


PEOPLE_PAGE_SIZE = 25
RECENT_INVITATIONS = 10  # the full list is on the invitation page


@require_GET
def orgadmin_home(request: AuthedRequest) -> HttpResponse:
    _require_role(request, Role.ORG_ADMIN)
    user = request.user
    params = request.GET
    filters = selectors.PeopleFilters(
        search=params.get("q", "")[:100],
        role=params.get("role", "") if params.get("role") in Role.values else "",
    )
    paginator = Paginator(selectors.people_for_admin(user=user, filters=filters), PEOPLE_PAGE_SIZE)
    paginator.count = selectors.count_people_for_admin(user=user, filters=filters)  # a cheaper count
    people = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    hubs = selectors.hubs_administered(user=user)
    context = {
        "hubs": hubs,
        "page": people,
        "people": selectors.with_visible_roles(people=people.object_list, hubs=hubs),
        "filters": filters,
        "roles": Role.choices,
        "querystring": query.urlencode(),
        "this_page": request.get_full_path(),
        "me": user.pk,
        "invitations": selectors.invitations_to_hubs(hubs=hubs)[:RECENT_INVITATIONS],
        "recent_invitations": RECENT_INVITATIONS,
    }
    return render(request, "mentoring/orgadmin_home.html", context)


@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthedRequest) -> HttpResponse:
    _require_role(request, *policies.INVITABLE_ROLES.keys())
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(invited_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Invitation sent. The link works once and expires in 7 days.")
            return redirect("invitation_create")
    invitations = selectors.invitations_for(user=request.user)[:20]
    return render(request, "mentoring/invitation_form.html", {"form": form, "invitations": invitations})


@require_POST
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = policies.get_invitation_for_user(request.user, pk)
    services.invitation_revoke(invitation=invitation, acting_user=request.user)
    messages.success(request, "Invitation withdrawn. Its link no longer works.")
    return redirect(request.POST.get("next") or "invitation_create")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None or not invitation.is_usable:
        return render(request, "mentoring/invitation_unusable.html", status=410 if invitation else 404)
    from mentoring.models import User

    existing = User.objects.filter(email=invitation.email).first()
    if existing is not None:
        # She already has an account: she must be signed in as it to add the new role.
        if request.method == "POST" and request.user.is_authenticated:
            try:
                services.invitation_accept(token=token, existing_user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, "Your new role has been added.")
                return redirect("home")
        return render(request, "mentoring/invitation_existing.html", {"invitation": invitation})
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                password=form.cleaned_data["password1"],
                display_name=form.cleaned_data["display_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, "Welcome to Alongside.")
            return redirect("home")
    return render(request, "mentoring/invitation_accept.html", {"form": form, "invitation": invitation})


def _back_to_people(request: AuthedRequest) -> HttpResponse:
    """Back to the page of people she was on (search, role, page); only ever to that screen."""
    home = reverse("orgadmin_home")
    target = request.POST.get("next", "")
    return redirect(target if target == home or target.startswith(home + "?") else home)


@require_POST
def person_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    person = policies.get_person_for_admin(request.user, pk)
    services.user_deactivate(user=person, acting_user=request.user)
    messages.success(request, f"{person} can no longer sign in; every session they had has ended.")
    return _back_to_people(request)


@require_POST
def person_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    person = policies.get_person_for_admin(request.user, pk)
    services.user_reactivate(user=person, acting_user=request.user)
    messages.success(request, f"{person} can sign in again.")
    return _back_to_people(request)
