"""From the database to the matcher's arrays (engine.py); who is eligible is eligibility.py's rule.

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
from django.db import connection
from django.db.models import F, Value
from django.utils import timezone

from mentoring.matching.eligibility import READY_SQL, core_totals, ready_from_row, ready_sql_params
from mentoring.matching.engine import Effect as EngineEffect
from mentoring.matching.engine import MenteeNeeds, MentorPool, PairConstraint, Vocabulary, Weights
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
from mentoring.models.matching import DEFAULT_PRIORITY_NEEDS

SLOT_CODES = [code for code, _ in AVAILABILITY_SLOTS]
SLOT_LABELS = [label for _, label in AVAILABILITY_SLOTS]
MODE_CODES = list(MeetingMode.values)
# As read inside a reason: "Both can meet in person or by video call".
MODE_PHRASES: dict[str, str] = {
    MeetingMode.IN_PERSON: "in person",
    MeetingMode.PHONE: "by phone",
    MeetingMode.VIDEO: "by video call",
    MeetingMode.WALK: "out and about (walks, cafés)",
}
MODE_LABELS = [MODE_PHRASES.get(code, str(label).lower()) for code, label in MeetingMode.choices]
NOT_TAKEN_LABEL = "Proposed before and didn't go ahead"
_SPLIT = re.compile(r"[,;/\n]|\band\b")


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """'English, Polish and Urdu' -> ('english', 'polish', 'urdu'). Cached: the same few
    strings ("English", a town's name) come back for most of a hub's mentors."""
    return tuple(part.strip().lower() for part in _SPLIT.split(text or "") if part.strip())


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


MENTOR_SQL = """
SELECT m.id, h.organisation_id, u.display_name, u.email,
       {ready},
       m.languages, m.areas, array_to_string(m.meeting_modes, ','), array_to_string(m.availability, ','),
       m.capacity, m.interests,
       CASE WHEN m.lived_experience_consent THEN COALESCE(lived.areas, '') ELSE '' END,
       COALESCE(core.done, 0), COALESCE(open_pairs.taken, 0)
  FROM {mentor} m
  JOIN {hub} h ON h.id = m.hub_id
  JOIN {user} u ON u.id = m.user_id
  LEFT JOIN (SELECT le.mentor_id, string_agg(le.needarea_id::text, ',') AS areas
               FROM {lived} le JOIN {mentor} lm ON lm.id = le.mentor_id
              WHERE lm.hub_id = ANY(%(hubs)s) GROUP BY le.mentor_id) lived ON lived.mentor_id = m.id
  LEFT JOIN (SELECT tc.mentor_id, count(*) AS done
               FROM {completion} tc JOIN {module} tm ON tm.id = tc.module_id JOIN {mentor} cm ON cm.id = tc.mentor_id
              WHERE tm.is_core AND tm.is_active AND cm.hub_id = ANY(%(hubs)s) GROUP BY tc.mentor_id) core
         ON core.mentor_id = m.id
  LEFT JOIN (SELECT p.mentor_id, count(*) AS taken
               FROM {pair} p
              WHERE p.hub_id = ANY(%(hubs)s) AND p.status = ANY(%(open)s) GROUP BY p.mentor_id) open_pairs
         ON open_pairs.mentor_id = m.id
 WHERE m.hub_id = ANY(%(hubs)s) AND m.stage <> %(left)s
 ORDER BY m.id
"""


def _mentor_rows(hub_ids: Sequence[int], today: date) -> list[tuple[Any, ...]]:
    """Every mentor of the hubs (but those who left), with her consented lived-experience
    areas, core modules done and open pairs, in one query (each count grouped once, then
    joined): the ORM's several querysets and per-row conversions would cost more than the
    database's work here."""
    sql = MENTOR_SQL.format(
        lived=Mentor.lived_experience.through._meta.db_table,
        completion=TrainingCompletion._meta.db_table,
        module=TrainingModule._meta.db_table,
        pair=Pair._meta.db_table,
        mentor=Mentor._meta.db_table,
        hub=Hub._meta.db_table,
        ready=READY_SQL,
        user=Mentor._meta.get_field("user").related_model._meta.db_table,  # type: ignore[union-attr]
    )
    with connection.cursor() as cursor:
        # Lists come back as comma-joined text and the DBS rule as a boolean: parsing arrays and
        # dates for thousands of rows cost psycopg more than the query itself.
        cursor.execute(
            sql,
            {
                "open": list(OPEN_PAIR_STATUSES),
                "hubs": list(hub_ids),
                "left": MentorStage.LEFT,
                **ready_sql_params(today),
            },
        )
        return cursor.fetchall()


def load(
    *,
    hub_ids: Sequence[int],
    mentee_ids: Iterable[int],
    priority_needs: int = DEFAULT_PRIORITY_NEEDS,
    today: date | None = None,
) -> MatchingInput:
    """Everything the engine needs to match these women with the mentors of these hubs."""
    today = today or timezone.localdate()
    mentors = _mentor_rows(hub_ids, today)
    mentor_ids = [row[0] for row in mentors]
    mentor_row = {pk: j for j, pk in enumerate(mentor_ids)}
    organisations = {row[1] for row in mentors}
    core_total = core_totals(organisations)
    area_ids = list(NeedArea.objects.order_by("order", "name").values_list("pk", "name"))
    need_column = {pk: a for a, (pk, _) in enumerate(area_ids)}
    languages, places, interests = _Columns(), _Columns(), _Columns()
    mode_column = {code: k for k, code in enumerate(MODE_CODES)}
    slot_column = {code: s for s, code in enumerate(SLOT_CODES)}

    # Most mentors share a few strings ("English", a town): work out each string's columns once.
    seen: dict[tuple[int, str], list[int]] = {}

    def columns(kind: int, value: str, make: Any) -> list[int]:
        key = (kind, value)
        found = seen.get(key)
        if found is None:
            found = seen[key] = make(value)
        return found

    def by_tokens(vocabulary: _Columns) -> Any:
        return lambda text: [vocabulary.add(token) for token in tokens(text)]

    def by_code(table: dict[str, int]) -> Any:
        return lambda text: [table[code] for code in text.split(",") if code in table]

    def by_ids(text: str) -> list[int]:
        return [need_column[int(pk)] for pk in text.split(",") if pk and int(pk) in need_column]

    pool = MentorPool(
        ids=np.array(mentor_ids, dtype=np.int64),
        lived=_matrix([columns(5, row[11], by_ids) for row in mentors], len(area_ids)),
        languages=np.zeros((0, 0), dtype=bool),
        modes=_matrix([columns(3, row[7], by_code(mode_column)) for row in mentors], len(MODE_CODES)),
        availability=_matrix([columns(4, row[8], by_code(slot_column)) for row in mentors], len(SLOT_CODES)),
        areas=np.zeros((0, 0), dtype=bool),
        interests=np.zeros((0, 0), dtype=bool),
        capacity=np.array([row[9] for row in mentors], dtype=np.int64),
        taken=np.array([row[13] for row in mentors], dtype=np.int64),
        # Active with an in-date DBS check (worked out in SQL), and every core module done.
        eligible=np.array([ready_from_row(row[4], row[12], core_total.get(row[1], 0)) for row in mentors], dtype=bool),
    )
    mentor_langs = [columns(0, row[5], by_tokens(languages)) for row in mentors]
    mentor_places = [columns(1, row[6], by_tokens(places)) for row in mentors]
    mentor_interests = [columns(2, row[10], by_tokens(interests)) for row in mentors]

    # --- the women ---
    # Her row and her latest assessment's wishes in one query (a join on her own row's key).
    wishes = ("mentor_language", "meeting_modes", "availability", "reachable_area", "interests")
    mentee_rows: list[Any] = list(
        Mentee.objects.filter(pk__in=list(mentee_ids))
        .values(
            "pk",
            "chosen_name",
            "languages",
            "status_changed_at",
            "latest_assessment_id",
            *(f"latest_assessment__{name}" for name in wishes),
        )
        .order_by("pk")
    )
    assessment_ids = [row["latest_assessment_id"] for row in mentee_rows if row["latest_assessment_id"]]
    assessments = {
        row["latest_assessment_id"]: {name: row[f"latest_assessment__{name}"] for name in wishes}
        for row in mentee_rows
        if row["latest_assessment_id"]
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
    # Recorded relationships, and proposals that didn't go ahead (not offered again to the
    # same two women), in one round trip.
    labels = {**dict(RelationshipKind.choices), "": NOT_TAKEN_LABEL}
    relationships = RecordedRelationship.objects.filter(
        mentee_id__in=list(mentee_row), mentor__hub_id__in=hub_ids, withdrawn_at__isnull=True
    ).values_list("mentee_id", "mentor_id", "effect", "kind")
    not_taken = (
        Pair.objects.filter(mentee_id__in=list(mentee_row), mentor__hub_id__in=hub_ids, status=PairStatus.NOT_TAKEN)
        .annotate(effect=Value(EngineEffect.EXCLUDE.value), kind=Value(""))
        .values_list("mentee_id", "mentor_id", "effect", "kind")
    )
    constraints = [
        PairConstraint(
            mentee=mentee_row[mentee_id],
            mentor=mentor_row[mentor_id],
            effect=EngineEffect(effect),
            label=str(labels[kind]),
        )
        for mentee_id, mentor_id, effect, kind in relationships.union(not_taken, all=True)
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
        mentor_names={row[0]: row[2] or row[3] for row in mentors},
        mentee_names={row["pk"]: row["chosen_name"] for row in mentee_rows},
        language_labels=dict(enumerate(languages.labels)),
    )


def _matrix(columns_per_row: list[list[int]], width: int) -> np.ndarray:
    """Rows of column indexes -> a boolean matrix, set in one assignment (not one per row)."""
    out = np.zeros((len(columns_per_row), width), dtype=bool)
    lengths = np.fromiter((len(columns) for columns in columns_per_row), dtype=np.intp, count=len(columns_per_row))
    if lengths.sum():
        rows = np.repeat(np.arange(len(columns_per_row)), lengths)
        out[rows, np.fromiter((c for columns in columns_per_row for c in columns), dtype=np.intp)] = True
    return out


def waiting_mentee_ids(hub: Hub) -> list[int]:
    """Women of this hub waiting for a mentor with no open proposal."""
    return list(
        Mentee.objects.filter(hub=hub, status=MenteeStatus.WAITING)
        .exclude(pairs__status__in=OPEN_PAIR_STATUSES)
        .values_list("pk", flat=True)
    )
