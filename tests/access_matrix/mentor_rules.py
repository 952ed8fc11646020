"""Access rules for the mentor screens, mentor recruitment, recorded relationships and the
training curriculum.

Merged into the table of tests/access_matrix/test_matrix.py. A mentor's record is her hub's
coordinators' work only: everyone else gets 404 for a record (it might as well not exist)
and 403 for the list. Someone in recruitment (no account yet) is the same: her hub's
coordinators only. The curriculum belongs to the org admins of the organisation.
"""

from __future__ import annotations

from django.utils import timezone

from tests.access_matrix.checker import Route, only
from tests.access_matrix.world import HER_COORDINATORS, HER_ORG_ADMINS

COORDINATORS = ("coordinator", "other_hub_coordinator", "other_org_coordinator")


def _hers(*, ok: int = 200, data=None, **kw):
    return only(HER_COORDINATORS, ok=ok, denied=404, data=data, **kw)


def _today() -> str:
    return timezone.localdate().isoformat()


MENTOR_RULES: dict[str, Route] = {
    "mentors/": Route("mentor_list", get=only(*COORDINATORS), note="each coordinator sees her own hubs' mentors"),
    "mentors/<int:pk>/": Route("mentor_detail", on="mentors", get=_hers()),
    "mentors/<int:pk>/edit/": Route(
        "mentor_edit",
        on="mentors",
        get=_hers(),
        post=_hers(ok=302, data=lambda s, w, p: {"languages": "English", "capacity": "2"}),
    ),
    "mentors/<int:pk>/stage/": Route(
        "mentor_stage",
        on="mentors",
        post=_hers(ok=302, data=lambda s, w, p: {"to_stage": "application", "note": "Matrix test"}),
    ),
    "mentors/<int:pk>/dbs/": Route(
        "mentor_dbs",
        on="mentors",
        get=_hers(),
        post=_hers(
            ok=302,
            data=lambda s, w, p: {"level": "enhanced", "certificate_number": "009876543210", "issued_on": _today()},
        ),
    ),
    "mentors/<int:pk>/training/": Route(
        "mentor_training",
        on="mentors",
        post=_hers(ok=302, data=lambda s, w, p: {"module": w.modules[0].pk}),
    ),
    "mentors/<int:pk>/references/new/": Route(
        "mentor_reference_add",
        on="mentors",
        get=_hers(),
        post=_hers(ok=302, data=lambda s, w, p: {"referee": "A referee", "outcome": "requested"}),
    ),
    # --- mentor recruitment: women with no account yet ---
    "mentors/recruitment/": Route(
        "applicant_list", get=only(*COORDINATORS), note="each coordinator sees her own hubs' recruitment"
    ),
    "mentors/recruitment/new/": Route(
        "applicant_add",
        get=only(*COORDINATORS),
        post=only(
            *COORDINATORS,
            ok=302,
            data=lambda s, w, p: {"name": "Matrix", "source": "phone", "enquired_on": _today(), "hub": w.hub_of(p)},
        ),
    ),
    "mentors/recruitment/<int:pk>/": Route("applicant_detail", on="applicants", get=_hers()),
    "mentors/recruitment/<int:pk>/edit/": Route(
        "applicant_edit",
        on="applicants",
        get=_hers(),
        post=_hers(ok=302, data=lambda s, w, p: {"name": "Matrix", "source": "event"}),
    ),
    "mentors/recruitment/<int:pk>/stage/": Route(
        "applicant_stage",
        on="applicants",
        post=_hers(ok=302, data=lambda s, w, p: {"to_stage": "references", "note": "Matrix test"}),
    ),
    "mentors/recruitment/<int:pk>/close/": Route(
        "applicant_close",
        on="applicants",
        post=_hers(ok=302, data=lambda s, w, p: {"status": "withdrawn", "reason": "Matrix test"}),
    ),
    "mentors/recruitment/<int:pk>/reopen/": Route(
        "applicant_reopen", on="applicants", post=_hers(ok=302), note="an open one: refused with a message"
    ),
    "mentors/recruitment/<int:pk>/references/new/": Route(
        "applicant_reference_add",
        on="applicants",
        get=_hers(),
        post=_hers(ok=302, data=lambda s, w, p: {"referee": "A referee", "outcome": "requested"}),
    ),
    "mentors/recruitment/<int:pk>/invite/": Route(
        "applicant_invite", on="applicants", post=_hers(ok=302), note="her hub's coordinator invites her as a mentor"
    ),
    "mentors/<int:pk>/relationships/new/": Route(
        "mentor_relationship_add",
        on="mentors",
        get=_hers(),
        post=_hers(ok=302, data=lambda s, w, p: {"other": w.waiting_in(s.hub), "kind": "known"}),
    ),
    "mentees/<int:pk>/relationships/new/": Route(
        "mentee_relationship_add",
        on="women",
        get=_hers(),
        post=_hers(
            ok=302, ok_in={"other hub": 200}, data=lambda s, w, p: {"other": w.mentor_in(s.hub), "kind": "friends"}
        ),
        note="her safeguarding lead sees her record but doesn't do matching work",
    ),
    "relationships/<int:pk>/withdraw/": Route("relationship_withdraw", on="relationships", post=_hers(ok=302)),
    "organisation/training/": Route(
        "training_modules",
        get=only("org_admin", "other_org_admin"),
        post=only(
            "org_admin", "other_org_admin", ok=302, data=lambda s, w, p: {"name": "Matrix module", "is_core": "true"}
        ),
    ),
    "organisation/training/<int:pk>/toggle/": Route(
        "training_module_toggle",
        on="modules",
        post=only(HER_ORG_ADMINS, ok=302, denied=404, data=lambda s, w, p: {"what": "core"}),
    ),
}
