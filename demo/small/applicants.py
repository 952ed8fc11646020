"""Mentor recruitment demo data: in each hub, a few women who have asked about mentoring and have
no account yet, at different stages, one with references asked for.

Written through the services, as coordinators would; fictional and clearly synthetic.
Idempotent: a hub that has any recruitment already is left alone.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mentoring.models import Hub, MentorApplicant, MentorStage, User
from mentoring.services.applicants import applicant_change_stage, applicant_create, applicant_reference_add

# (hub key, name, email local part or "" for none, source, how the enquiry came, days ago, stage reached)
APPLICANTS = [
    ("coast", "Lena (enquiry)", "lena", "event", "Saltmarsh Bay spring fair", 3, "enquiry"),
    ("coast", "Tess (enquiry)", "", "phone", "", 12, "application"),
    ("coast", "Maya (enquiry)", "maya", "referral", "The food bank", 40, "references"),
    ("city", "Zara (enquiry)", "zara", "web_form", "", 5, "enquiry"),
    ("city", "Ola (enquiry)", "ola", "referral", "The women's centre", 30, "references"),
    ("county", "Bryony (enquiry)", "bryony", "event", "Lydcombe library open day", 8, "application"),
    ("county", "Cerys (enquiry)", "", "phone", "", 2, "enquiry"),
]


@transaction.atomic
def seed_applicants(*, hubs: dict[str, Hub], coordinators: dict[str, User], domain: str) -> int:
    """Returns how many enquiries were made."""
    today = timezone.localdate()
    seeded = {key for key, hub in hubs.items() if MentorApplicant.objects.filter(hub=hub).exists()}
    made = 0
    for key, name, local, source, detail, days_ago, stage in APPLICANTS:
        if key in seeded:
            continue
        coordinator = coordinators[key]
        enquired_on = today - timedelta(days=days_ago)
        applicant = applicant_create(
            hub=hubs[key],
            name=name,
            phone="07700 900" + f"{made:03d}",  # Ofcom's range for drama: never a real number
            email=f"applicant.{local}@{domain}" if local else "",
            safe_ways=["phone", "email"] if local else ["phone"],
            source=source,
            source_detail=detail,
            enquired_on=enquired_on,
            note="Would like to give back after her own support (synthetic).",
            acting_user=coordinator,
        )
        made += 1
        path = [MentorStage.APPLICATION, MentorStage.REFERENCES]
        reached = path[: path.index(MentorStage(stage)) + 1] if stage != MentorStage.ENQUIRY else []
        for step, on in zip(reached, (enquired_on + timedelta(days=days_ago // 3), today), strict=False):
            applicant_change_stage(applicant=applicant, to_stage=step, on=on, acting_user=coordinator)
        if stage == MentorStage.REFERENCES:
            applicant_reference_add(
                applicant=applicant,
                referee="A volunteer manager (synthetic)",
                relationship="volunteer manager",
                outcome="satisfactory",
                received_on=today,
                acting_user=coordinator,
            )
            applicant_reference_add(
                applicant=applicant,
                referee="A former employer (synthetic)",
                relationship="employer",
                acting_user=coordinator,
            )
    return made
