"""mentoring.views.intake: referral to waiting list, consents and assessments on screen, and the org
admin's need areas."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Assessment, Mentee, MenteeStatus, NeedArea, NeedRating
from mentoring.services.intake import assessment_start, consent_record, need_area_set_active, referral_create
from tests.factories import MenteeFactory
from tests.once import form_token

pytestmark = pytest.mark.django_db


def assessment_post(areas, **overrides):
    data = {"assessed_on": timezone.localdate().isoformat(), "strengths": "I never give up"}
    for slug, rating in (("housing", 2), ("mental-health", 4), ("isolation", 3)):
        pk = areas[slug].pk
        data.update(
            {
                f"need_{pk}_affects": "yes",
                f"need_{pk}_words": f"My words about {slug}",
                f"need_{pk}_rating": str(rating),
            }
        )
    data.update(overrides)
    return data


def test_referral_to_waiting_list_in_the_browser_flow(client, carys, hub, areas):
    client.force_login(carys)
    response = client.post(
        reverse("referral_create"),
        {"chosen_name": "Nova", "hub": hub.pk, "source": "self", "referred_on": timezone.localdate().isoformat()},
    )
    mentee = Mentee.objects.get(chosen_name="Nova")
    assert response["Location"] == reverse("mentee_consents", args=[mentee.pk])
    assert mentee.status == MenteeStatus.REFERRED

    # No assessment without her consent to keeping her information.
    client.post(reverse("assessment_start", args=[mentee.pk]))
    assert not mentee.assessments.exists()

    client.post(
        reverse("mentee_consents", args=[mentee.pk]),
        {
            "kind": "data_processing",
            "given": "true",
            "method": "verbal",
            "decided_on": timezone.localdate().isoformat(),
            "what_she_was_told": "Who sees her record and why",
        },
    )
    client.post(reverse("assessment_start", args=[mentee.pk]))
    assessment = mentee.assessments.get()
    url = reverse("assessment_edit", args=[mentee.pk, assessment.pk])

    client.post(url, {**assessment_post(areas), "save": "1"})  # a draft first
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT
    page = client.get(url).content.decode()
    assert "My words about housing" in page  # resumable

    # Completing asks once: the first press saves and asks, nothing is completed yet.
    page = client.post(url, {**assessment_post(areas), "complete": "1"}).content.decode()
    assert "Complete her intake?" in page and "with 3 need areas that affect her now" in page
    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.ASSESSING
    client.post(url, {**assessment_post(areas), "confirm_complete": "1"})
    mentee.refresh_from_db()
    assert mentee.status == MenteeStatus.WAITING
    assert mentee.need_count == 3
    assert mentee.review_due_on == timezone.localdate() + timedelta(weeks=12)
    assert "Nova" in client.get(reverse("waiting_list")).content.decode()


def test_rating_of_11_is_refused_and_everything_typed_stays(client, carys, amber, areas, consent):
    consent(amber, carys)
    client.force_login(carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    pk = areas["housing"].pk
    data = assessment_post(areas, **{f"need_{pk}_rating": "11"})
    response = client.post(reverse("assessment_edit", args=[amber.pk, assessment.pk]), {**data, "complete": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Her rating goes from 0 to 10." in page
    assert 'value="11"' in page and "My words about mental-health" in page and "I never give up" in page
    assessment.refresh_from_db()
    assert assessment.state == Assessment.State.DRAFT
    assert not NeedRating.objects.filter(assessment=assessment, self_rating=11).exists()


def test_assessment_without_data_consent_is_refused_and_keeps_typing(client, carys, amber, areas, consent):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    consent(amber, carys, given=False)  # she withdraws
    client.force_login(carys)
    response = client.post(
        reverse("assessment_edit", args=[amber.pk, assessment.pk]), {**assessment_post(areas), "save": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "consented to us keeping her information" in page
    assert "My words about housing" in page
    assert not assessment.needs.exists()
    with pytest.raises(ValidationError):
        assessment_start(mentee=MenteeFactory.create(hub=amber.hub), acting_user=carys)


# --- need areas (org admin) ---


def test_org_admin_adds_a_need_area_that_assessments_then_use(client, olu, carys, amber, hub):
    client.force_login(olu)
    client.post(reverse("need_areas"), {"name": "Gambling", "organisation": hub.organisation_id})
    area = NeedArea.objects.get(name="Gambling")
    assert area.organisation_id == hub.organisation_id
    consent_record(mentee=amber, kind="data_processing", given=True, method="verbal", acting_user=carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    client.force_login(carys)
    page = client.get(reverse("assessment_edit", args=[amber.pk, assessment.pk])).content.decode()
    assert "Gambling" in page
    client.force_login(olu)
    client.post(reverse("need_area_toggle", args=[area.pk]))
    client.force_login(carys)
    assert "Gambling" not in client.get(reverse("assessment_edit", args=[amber.pk, assessment.pk])).content.decode()


def test_duplicate_and_standard_areas_are_protected(client, olu, hub):
    client.force_login(olu)
    response = client.post(
        reverse("need_areas"), {"name": "Housing and homelessness", "organisation": hub.organisation_id}
    )
    assert "already a need area" in response.content.decode()
    standard = NeedArea.objects.get(slug="housing", organisation__isnull=True)
    assert client.post(reverse("need_area_toggle", args=[standard.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        need_area_set_active(area=standard, is_active=False, acting_user=olu)


def test_the_organisation_is_offered_once_however_many_of_its_hubs_she_administers(client, olu, hub, other_hub):
    from mentoring.models import Role
    from mentoring.services.people import membership_add
    from tests.factories import HubFactory

    membership_add(user=olu, hub=other_hub, role=Role.ORG_ADMIN)
    membership_add(user=olu, hub=HubFactory.create(organisation=hub.organisation, name="Hillside"), role=Role.ORG_ADMIN)
    client.force_login(olu)
    page = client.get(reverse("need_areas")).content.decode()
    # One organisation: nothing to choose, so it is a hidden field, not a menu of the same name three times.
    assert f'<input type="hidden" name="organisation" value="{hub.organisation_id}"' in page
    assert page.count(f'<option value="{hub.organisation_id}"') == 0


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_completing_with_none_of_her_needs_in_her_words_says_what_is_missing_and_keeps_the_draft(
    client, carys, amber, areas, consent
):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    url = reverse("assessment_edit", args=[amber.pk, assessment.pk])
    client.force_login(carys)
    pk = areas["housing"].pk
    response = client.post(
        url,
        {
            "assessed_on": timezone.localdate().isoformat(),
            "strengths": "I make people laugh",
            f"need_{pk}_affects": "yes",
            f"need_{pk}_rating": "3",
            "complete": "1",
        },
    )
    page = _page(response)
    assert "can't be completed yet. No need area has her words yet" in page
    assert "She'd rather not talk about her needs yet" in page
    assert "I make people laugh" in page and "Complete her intake?" not in page
    amber.refresh_from_db()
    assessment.refresh_from_db()
    assert amber.status == MenteeStatus.ASSESSING and assessment.state == Assessment.State.DRAFT
    assert assessment.strengths == "I make people laugh"  # what she typed is saved as the draft


def test_her_wish_not_to_say_yet_completes_once_confirmed(client, carys, amber, consent):
    consent(amber, carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    url = reverse("assessment_edit", args=[amber.pk, assessment.pk])
    client.force_login(carys)
    data = {"assessed_on": timezone.localdate().isoformat(), "needs_not_said": "on"}
    page = _page(client.post(url, {**data, "complete": "1"}))
    assert "Complete her intake?" in page and "with her wish not to talk about her needs yet recorded" in page
    client.post(url, {**data, "confirm_complete": "1"})
    amber.refresh_from_db()
    assert amber.status == MenteeStatus.WAITING
    page = _page(client.get(reverse("mentee_assessments", args=[amber.pk])))
    assert "She'd rather not talk about her needs yet (said on" in page
    assert "after her first assessment" not in page


def test_an_assessment_dated_before_her_referral_names_both_dates_and_keeps_what_was_typed(
    client, carys, hub, areas, consent
):
    referral = referral_create(
        hub=hub, chosen_name="Nova", acting_user=carys, referred_on=timezone.localdate() - timedelta(days=2)
    )
    mentee = referral.mentee
    consent(mentee, carys)
    assessment = assessment_start(mentee=mentee, acting_user=carys)
    client.force_login(carys)
    early = timezone.localdate() - timedelta(days=5)
    page = _page(
        client.post(
            reverse("assessment_edit", args=[mentee.pk, assessment.pk]),
            assessment_post(areas, assessed_on=early.isoformat(), save="1"),
        )
    )
    assert f"The assessment date ({early:%-d %b %Y}) is before her referral" in page
    assert "My words about housing" in page and early.isoformat() in page


def test_a_priority_of_0_is_refused_in_the_products_words_only(client, carys, amber, areas, consent):
    consent(amber, carys)
    client.force_login(carys)
    assessment = assessment_start(mentee=amber, acting_user=carys)
    pk = areas["housing"].pk
    data = assessment_post(areas, **{f"need_{pk}_priority": "0", f"need_{pk}_rating": "-1"})
    page = client.post(reverse("assessment_edit", args=[amber.pk, assessment.pk]), data).content.decode()
    assert "Her priority is a number from 1 (matters most) to 20." in page
    assert "Her rating goes from 0 to 10." in page
    assert "Ensure this value" not in page


def referral_data(hub, **more):
    return {
        "chosen_name": "Nova",
        "hub": hub.pk,
        "source": "self",
        "referred_on": timezone.localdate().isoformat(),
        **more,
    }


def test_a_referral_sent_twice_with_its_token_opens_one_record_and_sends_the_repeat_to_it(client, carys, hub):
    client.force_login(carys)
    url = reverse("referral_create")
    data = referral_data(hub, once_token=form_token(client, url))
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    mentee = Mentee.objects.get(chosen_name="Nova")
    assert first["Location"] == reverse("mentee_consents", args=[mentee.pk])
    assert second.redirect_chain == [(reverse("mentee_consents", args=[mentee.pk]), 302)]
    assert "This was already saved" in second.content.decode()
    assert mentee.referrals.count() == 1


def test_showing_a_form_writes_nothing_and_a_token_tampered_with_or_a_day_old_counts_as_none(client, carys, hub):
    from django.core import signing

    from mentoring.models import FormToken
    from mentoring.services.people import FORM_TOKEN_SALT

    client.force_login(carys)
    url = reverse("referral_create")
    token = form_token(client, url)
    assert not FormToken.objects.exists()
    payload = signing.loads(token, salt=FORM_TOKEN_SALT)
    assert set(payload) == {"user", "path", "nonce"} and payload["path"] == url
    tampered = signing.dumps({**payload, "path": reverse("mentee_list")}, salt="another salt")

    class DayOldSigner(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int((timezone.now() - timedelta(days=1, minutes=1)).timestamp()))

    day_old = DayOldSigner(salt=FORM_TOKEN_SALT).sign_object(payload)
    for name, sent in (("Nova", tampered), ("Iris", day_old)):
        # Handled as a form without a token: saved, and a copy of it is no repeat.
        client.post(url, referral_data(hub, chosen_name=name, once_token=sent))
    assert not FormToken.objects.exists()
    assert Mentee.objects.filter(chosen_name__in=["Nova", "Iris"]).count() == 2


@pytest.mark.usefixtures("committed_db")
def test_two_copies_of_a_referral_sent_at_the_same_moment_make_one_record(carys, hub):
    import threading

    from django.db import connections
    from django.test import Client

    browser = Client()
    browser.force_login(carys)
    url = reverse("referral_create")
    data = referral_data(hub, once_token=form_token(browser, url))
    together = threading.Barrier(2)
    answers: list[int] = []

    def send() -> None:
        copy = Client()
        copy.cookies = browser.cookies
        together.wait()
        try:
            answers.append(copy.post(url, data).status_code)
        finally:
            connections.close_all()

    copies = [threading.Thread(target=send) for _ in range(2)]
    for thread in copies:
        thread.start()
    for thread in copies:
        thread.join(timeout=30)
    assert answers == [302, 302]
    assert Mentee.objects.filter(chosen_name="Nova").count() == 1


def test_a_refused_referral_keeps_its_token_so_the_corrected_one_saves(client, carys, hub):
    client.force_login(carys)
    url = reverse("referral_create")
    token = form_token(client, url)
    refused = client.post(url, referral_data(hub, chosen_name="", once_token=token))
    assert refused.status_code == 200
    assert f'value="{token}"' in refused.content.decode()
    saved = client.post(url, referral_data(hub, once_token=token))
    assert saved.status_code == 302
    assert Mentee.objects.filter(chosen_name="Nova").count() == 1


def test_a_token_is_for_its_own_person_and_page(client, carys, hub, amber):
    client.force_login(carys)
    token = form_token(client, reverse("mentee_goals", args=[amber.pk]))
    url = reverse("referral_create")
    client.post(url, referral_data(hub, once_token=token))
    client.post(url, referral_data(hub, chosen_name="Iris", once_token=token))
    # Another page's token doesn't make the referral form a repeat: both are saved.
    assert Mentee.objects.filter(chosen_name__in=["Nova", "Iris"]).count() == 2


def test_a_goal_and_a_consent_sent_twice_are_recorded_once(client, carys, amber):
    client.force_login(carys)
    goals = reverse("mentee_goals", args=[amber.pk])
    goal = {"her_words": "Find a flat", "once_token": form_token(client, goals)}
    client.post(goals, goal)
    client.post(goals, goal)
    assert amber.goals.count() == 1
    consents = reverse("mentee_consents", args=[amber.pk])
    consent = {
        "kind": "contact_text",
        "given": "true",
        "method": "verbal",
        "decided_on": timezone.localdate().isoformat(),
        "once_token": form_token(client, consents),
    }
    client.post(consents, consent)
    client.post(consents, consent)
    assert amber.consents.filter(kind="contact_text").count() == 1


def test_a_re_referral_sent_twice_is_recorded_once(client, carys, amber):
    client.force_login(carys)
    client.post(reverse("mentee_status", args=[amber.pk]), {"to_status": "withdrawn", "reason": "Moved away"})
    url = reverse("re_referral_create", args=[amber.pk])
    data = {"source": "self", "referred_on": timezone.localdate().isoformat(), "once_token": form_token(client, url)}
    client.post(url, data)
    repeat = client.post(url, data)
    assert repeat["Location"] == reverse("mentee_detail", args=[amber.pk])
    assert amber.referrals.count() == 1


def test_a_referral_like_a_woman_already_known_asks_before_opening_a_second_record(client, carys, hub, amber):
    amber.date_of_birth = timezone.localdate().replace(year=1990)
    amber.save()
    client.force_login(carys)
    url = reverse("referral_create")
    data = referral_data(
        hub,
        chosen_name=" amber ",
        date_of_birth=amber.date_of_birth.isoformat(),
        referrer_reason="Her GP is worried",
        once_token=form_token(client, url),
    )
    asked = client.post(url, data)
    page = html.unescape(asked.content.decode())
    assert asked.status_code == 200
    assert "Is this the same woman?" in page
    assert reverse("mentee_detail", args=[amber.pk]) in page
    assert "Her GP is worried" in page  # what she typed is kept
    assert Mentee.objects.filter(chosen_name__iexact="amber").count() == 1

    confirmed = client.post(url, {**data, "confirmed_new": "yes"})
    assert confirmed.status_code == 302
    assert Mentee.objects.filter(chosen_name__iexact="amber").count() == 2


def test_a_possible_match_in_a_hub_she_cannot_see_shows_only_the_hub_and_whom_to_ask(
    client, carys, hub, other_hub, priya
):
    known = MenteeFactory.create(hub=other_hub, chosen_name="Bea", contact_details="07700 900123")
    known_status = known.get_status_display()
    client.force_login(carys)
    url = reverse("referral_create")
    asked = client.post(
        url,
        referral_data(hub, chosen_name="Bea", contact_details="07700900123", once_token=form_token(client, url)),
    )
    page = html.unescape(asked.content.decode())
    assert "A possible match in Kingsmere" in page
    assert "Ask a coordinator there: Priya" in page
    assert reverse("mentee_detail", args=[known.pk]) not in page
    assert f"Bea</a>, Kingsmere: {known_status}" not in page
    assert not Mentee.objects.filter(hub=hub, chosen_name="Bea").exists()


def test_the_same_name_alone_is_not_asked_about(client, carys, hub, amber):
    client.force_login(carys)
    response = client.post(reverse("referral_create"), referral_data(hub, chosen_name="Amber"))
    assert response.status_code == 302
