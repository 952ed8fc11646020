"""Organisation settings for org admins: need areas, and each hub's review interval and matching weights."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mentoring import policies, services
from mentoring.forms_mentors import MatchingWeightsForm
from mentoring.http import AuthedRequest
from mentoring.models import MatchingSettings, NeedArea


class NeedAreaForm(forms.Form):
    name = forms.CharField(label="New need area", max_length=100)
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, choices=())


class HubSettingsForm(forms.Form):
    review_interval_weeks = forms.IntegerField(label="Review her assessment every (weeks)", min_value=2, max_value=52)


@require_http_methods(["GET", "POST"])
def need_areas(request: AuthedRequest) -> HttpResponse:
    organisations = policies.organisations_administered(request.user)
    if not organisations:
        raise PermissionDenied
    form = NeedAreaForm(request.POST or None)
    form.fields["organisation"].choices = [  # type: ignore[attr-defined]
        (hub.organisation_id, hub.organisation.name)
        for hub in policies.hubs_for(request.user, ["org_admin"]).select_related("organisation").distinct()
    ]
    if len(organisations) == 1:
        form.fields["organisation"].widget = forms.HiddenInput()
        form.fields["organisation"].initial = organisations[0]
    if request.method == "POST" and form.is_valid():
        try:
            services.need_area_add(
                organisation_id=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Need area added. It appears in every new assessment.")
            return redirect("need_areas")
    areas = NeedArea.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=organisations))
    return render(request, "mentoring/need_areas.html", {"areas": areas, "form": form})


@require_POST
def need_area_toggle(request: AuthedRequest, pk: int) -> HttpResponse:
    area = NeedArea.objects.filter(pk=pk, organisation_id__in=policies.organisations_administered(request.user)).first()
    if area is None:
        raise Http404("No such need area.")
    services.need_area_set_active(area=area, is_active=not area.is_active, acting_user=request.user)
    return redirect("need_areas")


@require_http_methods(["GET", "POST"])
def hub_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    hub = policies.get_hub_for_admin(request.user, pk)
    data = request.POST or None
    form = HubSettingsForm(data, initial={"review_interval_weeks": hub.review_interval_weeks})
    # A hub that never changed its weights has no row yet: the form shows the defaults.
    weights = MatchingSettings.objects.filter(hub=hub).first() or MatchingSettings(hub=hub)
    weights_form = MatchingWeightsForm(data, instance=weights)
    if request.method == "POST" and form.is_valid() and weights_form.is_valid():
        try:
            with transaction.atomic():
                services.hub_update_settings(hub=hub, acting_user=request.user, **form.cleaned_data)
                services.matching_settings_update(hub=hub, acting_user=request.user, **weights_form.cleaned_data)
        except ValidationError as exc:
            weights_form.add_error(None, exc)
        else:
            messages.success(request, f"{hub.name}: settings saved.")
            return redirect("orgadmin_home")
    context = {"hub": hub, "form": form, "weights_form": weights_form}
    return render(request, "mentoring/hub_settings.html", context)
