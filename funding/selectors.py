from __future__ import annotations

from dataclasses import dataclass

from funding import policies
from funding.suppression import MIN_THRESHOLD, TOTAL, Figure, suppress
from mentoring.models import Hub, User
from mentoring.selectors.homes import with_hub_counts


@dataclass(frozen=True)
class HubFigures:
    name: str
    mentees: str
    mentors: str


@dataclass(frozen=True)
class ProgrammeOverview:
    hubs: list[HubFigures]
    mentees_total: str
    mentors_total: str
    threshold: int  # counts from 1 to threshold - 1 show as "<threshold"


def programme_overview(*, user: User) -> ProgrammeOverview:
    """Mentees and mentors per hub, with their totals, suppressed together in one call: a reader
    can combine the two columns' figures, so they are checked as one page. One query: the hubs,
    with their organisation's threshold and each kind's count (mentoring.selectors.homes)."""
    rows: list[tuple[int, str, int | None, int, int]] = list(
        with_hub_counts(Hub.objects.filter(pk__in=policies.dashboard_hub_ids(user)))
        .order_by("name")
        .values_list("pk", "name", "organisation__suppression_threshold__threshold", "mentee_count", "mentor_count")  # type: ignore[misc]
    )
    hubs = [(pk, name, own) for pk, name, own, _, _ in rows]
    # Hubs of several organisations share the page's totals: the highest threshold protects them all.
    threshold = max((own or MIN_THRESHOLD for _, _, own in hubs), default=MIN_THRESHOLD)
    mentee_counts = {pk: mentees for pk, _, _, mentees, _ in rows}
    mentor_counts = {pk: mentors for pk, _, _, _, mentors in rows}
    counts: dict[tuple[str, int], int] = {}
    figures: list[Figure] = []
    for kind, by_hub in (("mentees", mentee_counts), ("mentors", mentor_counts)):
        cells = [(kind, pk) for pk, _, _ in hubs]
        counts.update({cell: by_hub.get(cell[1], 0) for cell in cells})
        figures += [Figure.of_cell(cell) for cell in cells]
        figures.append(Figure.sum_of((kind, TOTAL), cells))
    shown = suppress(counts, figures, threshold=threshold)
    return ProgrammeOverview(
        hubs=[
            HubFigures(name=name, mentees=shown["mentees", pk].text, mentors=shown["mentors", pk].text)
            for pk, name, _ in hubs
        ],
        mentees_total=shown["mentees", TOTAL].text,
        mentors_total=shown["mentors", TOTAL].text,
        threshold=threshold,
    )
