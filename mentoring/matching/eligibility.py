"""Who may be matched: the one rule of a mentor's readiness, and the DBS windows.

She is ready when she is Active, her account is active (an org admin who deactivates her has
ended her access, whatever her record's stage still says), her DBS check is recorded and in date
(its renewal date is after today: due on the day counts as overdue), and she has completed every
active core training module of her organisation.

The rule is written here in three forms, because three kinds of reader need it: Python for one
mentor's record (`missing_for_matching`, with the reasons a coordinator can act on), the ORM
for a page of mentors (`with_readiness`), and SQL for the matcher's one-query load of a whole
hub (`READY_SQL`). `tests/mentoring/matching/test_eligibility.py` checks that the three agree
on every mentor of the seeded demo.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentoring.models import Mentor, MentorStage, TrainingCompletion, TrainingModule

# A DBS check due for renewal this soon is flagged, so there is time to apply for a new one.
DBS_DUE_SOON_DAYS = 60


def core_modules(organisation_id: int) -> QuerySet[TrainingModule]:
    return TrainingModule.objects.filter(organisation_id=organisation_id, is_core=True, is_active=True)


def core_module_ids(organisation_id: int) -> list[int]:
    return list(core_modules(organisation_id).values_list("pk", flat=True))


def dbs_valid_on(mentor: Mentor, day: date) -> bool:
    return bool(mentor.dbs_issued_on and mentor.dbs_renewal_due and mentor.dbs_renewal_due > day)


def dbs_flag(renewal_due: date | None, today: date) -> str:
    """ "overdue", "soon" (within DBS_DUE_SOON_DAYS) or "" for a renewal date."""
    if renewal_due is None:
        return ""
    if renewal_due <= today:
        return "overdue"
    if renewal_due <= today + timedelta(days=DBS_DUE_SOON_DAYS):
        return "soon"
    return ""


def missing_for_matching(
    mentor: Mentor, *, today: date | None = None, core_to_do: list[str] | None = None
) -> list[str]:
    """What stands between her and being matched, in words a coordinator can act on. Empty: ready.

    `core_to_do`: the names of the active core modules she hasn't done, where the caller has read
    her training already (her record page); otherwise they are read here."""
    today = today or timezone.localdate()
    missing = []
    if mentor.stage != MentorStage.ACTIVE:
        missing.append(f"Her stage is “{mentor.get_stage_display()}”: she must be Active.")
    if not mentor.user.is_active:
        missing.append("Her account is deactivated: she can't sign in until an org admin reactivates it.")
    if not mentor.dbs_issued_on:
        missing.append("No DBS check recorded.")
    elif not dbs_valid_on(mentor, today):
        missing.append(f"Her DBS check needed renewing by {mentor.dbs_renewal_due:%-d %b %Y}.")
    if core_to_do is None:
        core_to_do = [m.name for m in core_modules(mentor.hub.organisation_id).exclude(completions__mentor=mentor)]
    if core_to_do:
        missing.append("Core training to complete: " + ", ".join(core_to_do) + ".")
    return missing


def core_still_to_do(training: list[tuple[TrainingModule, date | None]]) -> list[str]:
    """`missing_for_matching`'s core_to_do from her training as already read (each module with the
    day she did it, or None): the active core modules she hasn't done, by name."""
    return [module.name for module, done in training if module.is_core and module.is_active and done is None]


def is_ready(mentor: Mentor, *, today: date | None = None) -> bool:
    return not missing_for_matching(mentor, today=today)


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """A correlated COUNT per row: one query for the page however many rows it has."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_readiness(mentors: QuerySet[Mentor], *, today: date | None = None) -> QuerySet[Mentor]:
    """The same rule for a queryset: `core_total`, `core_done`, `dbs_flag` and `ready` on each row.

    Subqueries rather than joins, so counting her training doesn't multiply her rows.
    """
    today = today or timezone.localdate()
    core = TrainingModule.objects.filter(organisation_id=OuterRef("hub__organisation_id"), is_core=True, is_active=True)
    core_done = TrainingCompletion.objects.filter(
        mentor_id=OuterRef("pk"), module__is_core=True, module__is_active=True
    )
    return mentors.annotate(
        core_total=_count(core, "organisation_id"),
        core_done=_count(core_done, "mentor_id"),
        dbs_flag=Case(
            When(dbs_renewal_due__lte=today, then=Value("overdue")),
            When(dbs_renewal_due__lte=today + timedelta(days=DBS_DUE_SOON_DAYS), then=Value("soon")),
            default=Value(""),
            output_field=CharField(),
        ),
        ready=Case(
            When(
                Q(
                    stage=MentorStage.ACTIVE,
                    user__is_active=True,
                    dbs_issued_on__isnull=False,
                    dbs_renewal_due__gt=today,
                )
                & Q(core_done__gte=F("core_total")),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


# The stage, account and DBS half of the rule for the matcher's raw query over mentor `m` and her
# user `u`; the loader
# compares each mentor's core modules done with her organisation's total, as `with_readiness` does.
READY_SQL = "(m.stage = %(active)s AND u.is_active AND m.dbs_issued_on IS NOT NULL AND m.dbs_renewal_due > %(today)s)"


def ready_sql_params(today: date) -> dict[str, str | date]:
    return {"active": MentorStage.ACTIVE, "today": today}


def core_totals(organisation_ids: set[int]) -> dict[int, int]:
    """Active core modules per organisation, for the loader's half of the training rule."""
    return dict(
        TrainingModule.objects.filter(organisation_id__in=organisation_ids, is_core=True, is_active=True)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )


def ready_from_row(stage_and_dbs_ok: bool, core_done: int, core_total: int) -> bool:
    return bool(stage_and_dbs_ok) and core_done >= core_total
