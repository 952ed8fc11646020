"""From the database to the matcher's arrays (mentoring/matching.py), and the eligibility rules.

A handful of queries load every mentor of the hubs and the women to match as plain values;
the arrays are then filled with one short loop per person (a few tokens each), never one per
mentor-woman cell: the scores themselves are matrix products in the engine.

Her words stay out of the arrays: her interests are matched against the mentors' interest
tags in memory, and only need-area names, languages and tags ever reach a reason's label.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
from django.db.models import Count, F
from django.utils import timezone

from mentoring.matching import Effect as EngineEffect
from mentoring.matching import MenteeNeeds, MentorPool, PairConstraint, Vocabulary, Weights
from mentoring.models import (
    AVAILABILITY_SLOTS,
    OPEN_PAIR_STATUSES,
    AffectsNow,
    Assessment,
    Hub,
    MatchingSettings,
    MeetingMode,
    Mentee,
    MenteeStatus,
    Mentor,
    MentorStage,
    NeedArea,
    NeedRating,
    Pair,
    PairStatus,
    RecordedRelationship,
    RelationshipKind,
    TrainingCompletion,
    TrainingModule,
)

SLOT_CODES = [code for code, _ in AVAILABILITY_SLOTS]
SLOT_LABELS = [label for _, label in AVAILABILITY_SLOTS]
MODE_CODES = list(MeetingMode.values)
MODE_LABELS = [str(label) for label in MeetingMode.labels]
NOT_TAKEN_LABEL = "Proposed before and didn't go ahead"
_SPLIT = re.compile(r"[,;/\n]|\band\b")


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """'English, Polish and Urdu' -> ('english', 'polish', 'urdu'). Cached: the same few
    strings ("English", a town's name) come back for most of a hub's mentors."""
    return tuple(part.strip().lower() for part in _SPLIT.split(text or "") if part.strip())


# --- eligibility ---


def core_module_ids(organisation_id: int) -> list[int]:
    return list(
        TrainingModule.objects.filter(organisation_id=organisation_id, is_core=True, is_active=True).values_list(
            "pk", flat=True
        )
    )


def missing_for_matching(mentor: Mentor, *, today: date | None = None) -> list[str]:
    """What stands between her and being matched, in words a coordinator can act on. Empty: ready."""
    today = today or timezone.localdate()
    missing = []
    if mentor.stage != MentorStage.ACTIVE:
        missing.append(f"Her stage is “{mentor.get_stage_display()}”: she must be Active.")
    if not mentor.dbs_issued_on:
        missing.append("No DBS check recorded.")
    elif not mentor.dbs_valid_on(today):
        missing.append(f"Her DBS check needed renewing by {mentor.dbs_renewal_due:%-d %b %Y}.")
    core = TrainingModule.objects.filter(
        organisation_id=mentor.hub.organisation_id, is_core=True, is_active=True
    ).exclude(completions__mentor=mentor)
    names = [module.name for module in core]
    if names:
        missing.append("Core training to complete: " + ", ".join(names) + ".")
    return missing


def weights_for(hub: Hub) -> tuple[Weights, int]:
    """The hub's weights (defaults when never set) and how many of her needs count as priorities."""
    settings = MatchingSettings.objects.filter(hub=hub).first() or MatchingSettings(hub=hub)
    weights = Weights(**{name: float(getattr(settings, name)) for name in MatchingSettings.WEIGHT_FIELDS})
    return weights, settings.priority_needs


# --- loading ---


@dataclass
class MatchingInput:
    needs: MenteeNeeds
    pool: MentorPool
    vocab: Vocabulary
    constraints: list[PairConstraint]
    mentor_names: dict[int, str]  # mentor id -> her name, for the screens
    mentee_names: dict[int, str]  # mentee id -> her chosen name
    language_labels: dict[int, str]  # language column -> how it's written, for "doesn't speak X"


class _Columns:
    """Column index for tokens seen so far (languages, areas, interests)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.labels: list[str] = []

    def add(self, token: str) -> int:
        if token not in self.index:
            self.index[token] = len(self.labels)
            self.labels.append(token.capitalize() if token.islower() else token)
        return self.index[token]


def _mentor_values(hub_ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[Any] = list(
        Mentor.objects.filter(hub_id__in=hub_ids)
        .exclude(stage=MentorStage.LEFT)
        .values(
            "pk",
            "hub__organisation_id",
            "user__display_name",
            "user__email",
            "stage",
            "languages",
            "areas",
            "meeting_modes",
            "availability",
            "capacity",
            "interests",
            "dbs_issued_on",
            "dbs_renewal_due",
        )
        .order_by("pk")
    )
    return rows


def load(
    *,
    hub_ids: Sequence[int],
    mentee_ids: Iterable[int],
    priority_needs: int = 3,
    today: date | None = None,
) -> MatchingInput:
    """Everything the engine needs to match these women with the mentors of these hubs."""
    today = today or timezone.localdate()
    mentors = _mentor_values(hub_ids)
    mentor_ids = [row["pk"] for row in mentors]
    mentor_row = {pk: j for j, pk in enumerate(mentor_ids)}
    organisations = {row["hub__organisation_id"] for row in mentors}
    core_total = dict(
        TrainingModule.objects.filter(organisation_id__in=organisations, is_core=True, is_active=True)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values_list("organisation_id", "n")
    )
    # Her core training, counted once per mentor and compared with her organisation's core
    # curriculum below: one grouped query, not one per mentor.
    core_done = dict(
        TrainingCompletion.objects.filter(mentor__hub_id__in=hub_ids, module__is_core=True, module__is_active=True)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    taken = dict(
        Pair.objects.filter(mentor__hub_id__in=hub_ids, status__in=OPEN_PAIR_STATUSES)
        .values("mentor_id")
        .annotate(n=Count("pk"))
        .values_list("mentor_id", "n")
    )
    # Filtered by hub, not by a list of thousands of ids: building that query costs more than running it.
    lived_pairs = Mentor.lived_experience.through.objects.filter(
        mentor__hub_id__in=hub_ids, mentor__lived_experience_consent=True
    ).values_list("mentor_id", "needarea_id")

    area_ids = list(NeedArea.objects.order_by("order", "name").values_list("pk", "name"))
    need_column = {pk: a for a, (pk, _) in enumerate(area_ids)}
    languages, places, interests = _Columns(), _Columns(), _Columns()

    m = len(mentors)
    pool = MentorPool(
        ids=np.array(mentor_ids, dtype=np.int64),
        lived=np.zeros((m, len(area_ids)), dtype=bool),
        languages=np.zeros((m, 0), dtype=bool),
        modes=np.zeros((m, len(MODE_CODES)), dtype=bool),
        availability=np.zeros((m, len(SLOT_CODES)), dtype=bool),
        areas=np.zeros((m, 0), dtype=bool),
        interests=np.zeros((m, 0), dtype=bool),
        capacity=np.array([row["capacity"] for row in mentors], dtype=np.int64),
        taken=np.array([taken.get(pk, 0) for pk in mentor_ids], dtype=np.int64),
        eligible=np.array(
            [
                row["stage"] == MentorStage.ACTIVE
                and row["dbs_issued_on"] is not None
                and row["dbs_renewal_due"] is not None
                and row["dbs_renewal_due"] > today
                and core_done.get(row["pk"], 0) >= core_total.get(row["hub__organisation_id"], 0)
                for row in mentors
            ],
            dtype=bool,
        ),
    )
    for mentor_id, area_id in lived_pairs:
        if mentor_id in mentor_row:
            pool.lived[mentor_row[mentor_id], need_column[area_id]] = True
    mentor_langs = [[languages.add(t) for t in tokens(row["languages"])] for row in mentors]
    mentor_places = [[places.add(t) for t in tokens(row["areas"])] for row in mentors]
    mentor_interests = [[interests.add(t) for t in tokens(row["interests"])] for row in mentors]
    mode_column = {code: k for k, code in enumerate(MODE_CODES)}
    slot_column = {code: s for s, code in enumerate(SLOT_CODES)}
    for j, row in enumerate(mentors):
        for code in row["meeting_modes"]:
            if code in mode_column:
                pool.modes[j, mode_column[code]] = True
        for code in row["availability"]:
            if code in slot_column:
                pool.availability[j, slot_column[code]] = True

    # --- the women ---
    mentee_rows: list[Any] = list(
        Mentee.objects.filter(pk__in=list(mentee_ids))
        .values("pk", "chosen_name", "languages", "status_changed_at", "latest_assessment_id")
        .order_by("pk")
    )
    assessment_ids = [row["latest_assessment_id"] for row in mentee_rows if row["latest_assessment_id"]]
    assessments = {
        row["pk"]: row
        for row in Assessment.objects.filter(pk__in=assessment_ids).values(
            "pk", "mentor_language", "meeting_modes", "availability", "reachable_area", "interests"
        )
    }
    ratings: dict[int, list[int]] = defaultdict(list)
    for assessment_id, area_id in (
        NeedRating.objects.filter(assessment_id__in=assessment_ids, affects_now=AffectsNow.YES)
        .order_by("assessment_id", F("priority").asc(nulls_last=True), "need_area__order", "need_area_id")
        .values_list("assessment_id", "need_area_id")
    ):
        if len(ratings[assessment_id]) < priority_needs:
            ratings[assessment_id].append(area_id)
    wanted = Assessment.shared_experience_wanted.through.objects.filter(assessment_id__in=assessment_ids).values_list(
        "assessment_id", "needarea_id"
    )

    n = len(mentee_rows)
    now = timezone.now()
    needs = MenteeNeeds(
        ids=np.array([row["pk"] for row in mentee_rows], dtype=np.int64),
        priority=np.zeros((n, len(area_ids)), dtype=bool),
        wanted=np.zeros((n, len(area_ids)), dtype=bool),
        languages=np.zeros((n, 0), dtype=bool),
        required_language=np.full(n, -1, dtype=np.int64),
        modes=np.zeros((n, len(MODE_CODES)), dtype=bool),
        availability=np.zeros((n, len(SLOT_CODES)), dtype=bool),
        areas=np.zeros((n, 0), dtype=bool),
        interests=np.zeros((n, 0), dtype=bool),
        waited_days=np.array([(now - row["status_changed_at"]).days for row in mentee_rows], dtype=np.int64),
    )
    row_of_assessment = {row["latest_assessment_id"]: i for i, row in enumerate(mentee_rows)}
    for assessment_id, area_id in wanted:
        needs.wanted[row_of_assessment[assessment_id], need_column[area_id]] = True
    her_langs, her_places, her_interests = [], [], []
    interest_patterns = [(k, re.compile(rf"\b{re.escape(tag)}", re.IGNORECASE)) for tag, k in interests.index.items()]
    for i, row in enumerate(mentee_rows):
        assessment: dict[str, Any] = dict(assessments.get(row["latest_assessment_id"]) or {})
        for area_id in ratings.get(row["latest_assessment_id"], []):
            needs.priority[i, need_column[area_id]] = True
        her_langs.append([languages.add(t) for t in tokens(row["languages"])])
        # She asked for a mentor who speaks a language: a requirement, not a preference.
        asked = tokens(assessment.get("mentor_language", ""))
        if asked:
            needs.required_language[i] = languages.add(asked[0])
        her_places.append([places.add(t) for t in tokens(assessment.get("reachable_area", ""))])
        text = assessment.get("interests") or ""
        her_interests.append([k for k, pattern in interest_patterns if pattern.search(text)])
        for code in assessment.get("meeting_modes") or []:
            if code in mode_column:
                needs.modes[i, mode_column[code]] = True
        for code in assessment.get("availability") or []:
            if code in slot_column:
                needs.availability[i, slot_column[code]] = True

    pool.languages = _matrix(mentor_langs, len(languages.labels))
    pool.areas = _matrix(mentor_places, len(places.labels))
    pool.interests = _matrix(mentor_interests, len(interests.labels))
    needs.languages = _matrix(her_langs, len(languages.labels))
    needs.areas = _matrix(her_places, len(places.labels))
    needs.interests = _matrix(her_interests, len(interests.labels))

    mentee_row = {row["pk"]: i for i, row in enumerate(mentee_rows)}
    kinds = dict(RelationshipKind.choices)
    constraints = [
        PairConstraint(
            mentee=mentee_row[rel["mentee_id"]],
            mentor=mentor_row[rel["mentor_id"]],
            effect=EngineEffect(rel["effect"]),
            label=str(kinds[rel["kind"]]),
        )
        for rel in RecordedRelationship.objects.filter(
            mentee_id__in=list(mentee_row), mentor__hub_id__in=hub_ids, withdrawn_at__isnull=True
        ).values("mentee_id", "mentor_id", "effect", "kind")
        if rel["mentor_id"] in mentor_row
    ]
    # A proposal that didn't go ahead isn't offered again to the same two women.
    constraints += [
        PairConstraint(
            mentee=mentee_row[mentee_id],
            mentor=mentor_row[mentor_id],
            effect=EngineEffect.EXCLUDE,
            label=NOT_TAKEN_LABEL,
        )
        for mentee_id, mentor_id in Pair.objects.filter(
            mentee_id__in=list(mentee_row), mentor__hub_id__in=hub_ids, status=PairStatus.NOT_TAKEN
        ).values_list("mentee_id", "mentor_id")
        if mentor_id in mentor_row
    ]
    vocab = Vocabulary(
        need_areas=[name for _, name in area_ids],
        languages=languages.labels,
        meeting_modes=MODE_LABELS,
        slots=SLOT_LABELS,
        areas=places.labels,
        interests=interests.labels,
    )
    return MatchingInput(
        needs=needs,
        pool=pool,
        vocab=vocab,
        constraints=constraints,
        mentor_names={row["pk"]: row["user__display_name"] or row["user__email"] for row in mentors},
        mentee_names={row["pk"]: row["chosen_name"] for row in mentee_rows},
        language_labels=dict(enumerate(languages.labels)),
    )


def _matrix(columns_per_row: list[list[int]], width: int) -> np.ndarray:
    out = np.zeros((len(columns_per_row), width), dtype=bool)
    for row, columns in enumerate(columns_per_row):
        out[row, columns] = True
    return out


def waiting_mentee_ids(hub: Hub) -> list[int]:
    """Women of this hub waiting for a mentor with no open proposal."""
    return list(
        Mentee.objects.filter(hub=hub, status=MenteeStatus.WAITING)
        .exclude(pairs__status__in=OPEN_PAIR_STATUSES)
        .values_list("pk", flat=True)
    )
