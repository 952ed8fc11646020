"""Claims in the browser's pages: hers on /mentor/claims/, the coordinators' queue with its actions,
finance's CSV (its columns, what it never holds, cells a spreadsheet would run escaped), and the
volunteer hours on her record and her own page."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AccessLog, ClaimState, ExpenseClaim, Mentor, MentoringSession, Pair, Role, User
from mentoring.services.expenses import claim_approve, claim_mark_paid, claim_query
from mentoring.services.people import membership_add
from mentoring.services.sessions import session_log
from mentoring.views.expenses import csv_cell
from tests.conftest import make_active_pair, make_person, shows_name
from tests.querycount import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

NOTES = "She told me about the flat on Elm Road"


def log(pair: Pair, user: User, **money) -> ExpenseClaim:
    fields = {"travel_miles": Decimal("12.3"), "travel_fare": Decimal("3.40"), **money}
    session, _ = session_log(
        pair=pair,
        acting_user=user,
        client_id=uuid.uuid4(),
        held_on=timezone.localdate(),
        duration_minutes=50,
        travel_minutes=20,
        mode="in_person",
        notes=NOTES,
        **fields,
    )
    return ExpenseClaim.objects.get(session=session)


def page(client, name: str, **kw) -> str:
    response = client.get(reverse(name, kwargs=kw or None))
    assert response.status_code == 200
    return response.content.decode()


# --- hers ---


def test_her_claims_say_where_each_is_without_the_womans_name_or_notes(client, dee, dee_pair, carys):
    claim = log(dee_pair, dee, expenses_amount=Decimal("2.50"), expenses_what="Tea at the café")
    client.force_login(dee)
    mine = page(client, "my_claims")
    assert "Submitted" in mine and "£3.40" in mine and "12.3" in mine
    assert not shows_name(mine, "Amber") and NOTES not in mine
    claim_approve(claim=claim, acting_user=carys)
    mine = page(client, "my_claims")
    assert "Approved" in mine and "£11.44" in mine and "at 45p" in mine  # 12.3 × 45p = £5.54, + £3.40 + £2.50
    claim_mark_paid(claim=claim, acting_user=carys)
    assert f"Paid on {timezone.localdate():%-d %b %Y}" in page(client, "my_claims")


def test_she_sees_a_query_and_answers_it(client, dee, dee_pair, carys):
    claim = log(dee_pair, dee)
    claim_query(claim=claim, acting_user=carys, reason="Was the fare a return?")
    client.force_login(dee)
    mine = page(client, "my_claims")
    assert "Queried" in mine and "Was the fare a return?" in mine and "Or correct the session log" in mine
    url = reverse("claim_answer", kwargs={"pk": claim.pk})
    assert client.post(url, {"answer": ""}).status_code == 302
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.QUERIED  # nothing to send
    assert client.post(url, {"answer": "Yes, a return"}).status_code == 302
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.SUBMITTED
    assert "Yes, a return" in page(client, "my_claims")


def test_another_mentors_claim_cant_be_answered(client, dee, dee_pair, carys, ros):
    claim = log(dee_pair, dee)
    claim_query(claim=claim, acting_user=carys, reason="Why?")
    client.force_login(ros)
    assert client.post(reverse("claim_answer", kwargs={"pk": claim.pk}), {"answer": "Mine"}).status_code == 404
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.QUERIED


# --- the coordinators' queue ---


def test_the_queue_shows_her_hubs_claims_logs_each_read_and_approves(client, dee, dee_pair, carys, priya):
    claim = log(dee_pair, dee, expenses_amount=Decimal("2.50"), expenses_what="Tea at the café")
    client.force_login(carys)
    queue = page(client, "claims_queue")
    assert "Dee" in queue and "Tea at the café" in queue and "Submitted (1)" in queue
    assert NOTES not in queue and not shows_name(queue, "Amber")
    assert AccessLog.objects.filter(user=carys, object_type="mentoring.expenseclaim", object_id=str(claim.pk)).exists()
    response = client.post(reverse("claim_approve", kwargs={"pk": claim.pk}), {"back": "submitted"})
    assert response.status_code == 302 and response["Location"].endswith("?state=submitted")
    assert ExpenseClaim.objects.get(pk=claim.pk).total == Decimal("11.44")
    approved = client.get(reverse("claims_queue"), {"state": "approved"}).content.decode()
    assert "Mark paid" in approved and "£11.44" in approved
    client.force_login(priya)
    assert "Dee" not in page(client, "claims_queue")
    assert client.post(reverse("claim_paid", kwargs={"pk": claim.pk})).status_code == 404


def test_a_query_needs_a_reason_and_keeps_the_claim_as_it_was_without_one(client, dee, dee_pair, carys):
    claim = log(dee_pair, dee)
    client.force_login(carys)
    url = reverse("claim_query", kwargs={"pk": claim.pk})
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say what you need to know" in response.content.decode()
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.SUBMITTED
    client.post(url, {"reason": "Which bus?"})
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.QUERIED


def test_paid_on_a_date_in_the_future_is_refused(client, dee, dee_pair, carys):
    claim = log(dee_pair, dee)
    claim_approve(claim=claim, acting_user=carys)
    client.force_login(carys)
    url = reverse("claim_paid", kwargs={"pk": claim.pk})
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"paid_on": tomorrow.isoformat()}, follow=True)
    assert "can&#x27;t be in the future" in response.content.decode()
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.APPROVED
    client.post(url, {"paid_on": timezone.localdate().isoformat()})
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.PAID


def test_a_coordinator_who_mentors_sees_her_own_claim_but_cant_decide_it(client, hub, carys, june):
    cora = make_person("cora@example.test", "Cora", hub, Role.COORDINATOR)
    membership_add(user=carys, hub=hub, role=Role.MENTOR)
    pair = make_active_pair(june, carys, cora)
    claim = log(pair, carys)
    client.force_login(carys)
    assert "another coordinator of the hub decides it" in page(client, "claims_queue")
    assert client.post(reverse("claim_approve", kwargs={"pk": claim.pk})).status_code == 403
    assert ExpenseClaim.objects.get(pk=claim.pk).state == ClaimState.SUBMITTED


def test_the_queue_makes_the_same_queries_however_many_claims(client, dee, dee_pair, carys):
    client.force_login(carys)
    assert_queries_do_not_grow(
        client, reverse("claims_queue"), lambda n: [log(dee_pair, dee) for _ in range(n)], rows=6
    )


# --- finance's export ---


def export(client, **dates) -> list[list[str]]:
    today = timezone.localdate().isoformat()
    response = client.get(reverse("claims_export"), {"approved_from": today, "approved_to": today, **dates})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="claims-{today}-to-{today}.csv"'
    assert response.content.startswith("\ufeff".encode())  # so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_export_has_a_row_per_approved_or_paid_claim_and_logs_it(client, dee, dee_pair, carys, priya):
    paid = log(dee_pair, dee, expenses_amount=Decimal("2.50"), expenses_what="Tea at the café")
    claim_approve(claim=paid, acting_user=carys)
    claim_mark_paid(claim=paid, acting_user=carys)
    approved = log(dee_pair, dee, travel_miles=None, travel_fare=Decimal("5"))
    claim_approve(claim=approved, acting_user=carys)
    log(dee_pair, dee)  # submitted: not yet for finance
    client.force_login(carys)
    header, *rows = export(client)
    assert header[:4] == ["Claim", "Mentor", "Hub", "Session date"]
    today = timezone.localdate().isoformat()
    assert rows == [
        [str(paid.pk), "Dee", "Saltmarsh Bay", today, "12.3", "45p", "5.54", "3.40", "2.50", "Tea at the café",
         "11.44", "Paid", "Carys", today, today],
        [str(approved.pk), "Dee", "Saltmarsh Bay", today, "0.0", "", "0.00", "5.00", "0.00", "", "5.00",
         "Approved", "Carys", today, ""],
    ]  # fmt: skip
    text = "\n".join(",".join(row) for row in rows)
    assert NOTES not in text and "Amber" not in text
    exported = AccessLog.objects.filter(user=carys, action=AccessLog.Action.EXPORT)
    assert sorted(exported.values_list("object_id", flat=True)) == sorted([str(paid.pk), str(approved.pk)])
    # Another hub's coordinator exports her own hubs' claims: none of these.
    client.force_login(priya)
    assert export(client)[1:] == []
    # Approved before the range asked: not in it.
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.force_login(carys)
    response = client.get(reverse("claims_export"), {"approved_from": yesterday, "approved_to": yesterday})
    assert response.content.decode("utf-8-sig").splitlines()[1:] == []


def test_cells_a_spreadsheet_would_run_are_escaped(client, dee, dee_pair, carys):
    User.objects.filter(pk=dee.pk).update(display_name='=HYPERLINK("http://x.test")')
    claim = log(dee_pair, dee, expenses_amount=Decimal("1"), expenses_what="@SUM(A1:A9)")
    claim_approve(claim=claim, acting_user=carys)
    client.force_login(carys)
    (row,) = export(client)[1:]
    assert row[1] == '\'=HYPERLINK("http://x.test")'
    assert row[9] == "'@SUM(A1:A9)"
    assert row[6] == "5.54"  # numbers untouched


@pytest.mark.parametrize(
    ("cell", "safe"),
    [("=1+1", "'=1+1"), ("+44 7700", "'+44 7700"), ("-2", "'-2"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("Tea", "Tea")],
)
def test_csv_cell(cell, safe):
    assert csv_cell(cell) == safe


def test_bad_dates_show_the_form_again_with_what_was_wrong(client, carys):
    client.force_login(carys)
    response = client.get(reverse("claims_export"), {"approved_from": "2026-05-02", "approved_to": "2026-05-01"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "The end can&#x27;t be before the start." in body and 'value="2026-05-02"' in body


def test_mentors_and_others_dont_export(client, dee, ann):
    for who in (dee, ann):
        client.force_login(who)
        assert client.get(reverse("claims_export")).status_code == 403


# --- volunteer hours ---


def test_her_hours_with_travel_are_on_her_record_and_her_own_page(client, dee, dee_pair, carys):
    log(dee_pair, dee)
    log(dee_pair, dee)  # 2 × (50 + 20 minutes) = 140 minutes = 2.3 hours
    client.force_login(carys)
    record = page(client, "mentor_detail", pk=Mentor.objects.get(user=dee).pk)
    assert "<strong>2.3</strong> hours in 2 sessions" in record
    client.force_login(dee)
    assert "this tax year" in page(client, "my_sessions") and "<strong>2.3</strong>" in page(client, "my_sessions")


def test_correcting_the_miles_of_an_approved_claim_is_refused_with_her_typing_kept(client, dee, dee_pair, carys):
    claim = log(dee_pair, dee)
    claim_approve(claim=claim, acting_user=carys)
    client.force_login(dee)
    response = client.post(
        reverse("session_edit", kwargs={"pk": claim.session_id}),
        {
            "held_on": timezone.localdate().isoformat(),
            "duration_minutes": "55",
            "mode": "in_person",
            "wellbeing": "fine",
            "notes": "A fuller note",
            "travel_miles": "40",
            "travel_fare": "3.40",
            "version": "1",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your claim for this session was approved" in body and "A fuller note" in body
    assert ExpenseClaim.objects.get(pk=claim.pk).miles == Decimal("12.3")
    assert MentoringSession.objects.get(pk=claim.session_id).version == 1


# --- mileage rates ---


def test_her_organisations_admin_sets_a_rate_and_a_bad_one_keeps_what_she_typed(client, olu, hub):
    client.force_login(olu)
    assert "HMRC" in page(client, "mileage_rates")
    url = reverse("mileage_rates")
    bad = client.post(
        url,
        {
            "organisation": hub.organisation_id,
            "effective_from": "2026-04-06",
            "first_pence": "abc",
            "after_pence": "30",
        },
    )
    assert bad.status_code == 200 and "Pence a mile, like 45" in bad.content.decode()
    assert 'value="2026-04-06"' in bad.content.decode()
    good = client.post(
        url,
        {"organisation": hub.organisation_id, "effective_from": "2026-04-06", "first_pence": "50", "after_pence": "30"},
    )
    assert good.status_code == 302
    assert "50p" in page(client, "mileage_rates")


def test_only_org_admins_open_the_rates(client, carys, dee):
    for who in (carys, dee):
        client.force_login(who)
        assert client.get(reverse("mileage_rates")).status_code == 403
