"""Access rules for the mentor screens, recorded relationships and the training curriculum.

Merged into the table of tests/access_matrix/test_matrix.py. A mentor's record is her hub's
coordinators' work only: everyone else gets 404 for a record (it might as well not exist)
and 403 for the list. The curriculum is the org admin's.
"""

from __future__ import annotations

from tests.access_matrix.checker import Rule, only

COORDINATORS = ("coordinator", "other_hub_coordinator")


def _ros(ctx) -> dict[str, int]:
    return {"pk": ctx.ros_mentor.pk}


MENTOR_RULES: dict[str, Rule] = {
    "mentors/": Rule(only(*COORDINATORS), name="mentor_list", note="each coordinator sees her own hubs' mentors"),
    "mentors/<int:pk>/": Rule(only("coordinator", denied=404), name="mentor_detail", kwargs=_ros),
    "mentors/<int:pk>/edit/": Rule(only("coordinator", denied=404), name="mentor_edit", kwargs=_ros),
    "mentors/<int:pk>/stage/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="mentor_stage",
        kwargs=_ros,
        data=lambda ctx: {"to_stage": "application", "note": "Matrix test"},
    ),
    "mentors/<int:pk>/dbs/": Rule(only("coordinator", denied=404), name="mentor_dbs", kwargs=_ros),
    "mentors/<int:pk>/training/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="mentor_training",
        kwargs=_ros,
        data=lambda ctx: {"module": ctx.module.pk},
    ),
    "mentors/<int:pk>/references/new/": Rule(only("coordinator", denied=404), name="mentor_reference_add", kwargs=_ros),
    "mentors/<int:pk>/relationships/new/": Rule(
        only("coordinator", denied=404), name="mentor_relationship_add", kwargs=_ros
    ),
    "mentees/<int:pk>/relationships/new/": Rule(
        only("coordinator", denied=404),
        name="mentee_relationship_add",
        kwargs=lambda ctx: {"pk": ctx.amber.pk},
        note="her safeguarding lead sees her record but doesn't do matching work",
    ),
    "relationships/<int:pk>/withdraw/": Rule(
        only("coordinator", ok=302, denied=404),
        method="post",
        name="relationship_withdraw",
        kwargs=lambda ctx: {"pk": ctx.relationship.pk},
    ),
    "organisation/training/": Rule(only("org_admin"), name="training_modules"),
    "organisation/training/<int:pk>/toggle/": Rule(
        only("org_admin", ok=302, denied=404),
        method="post",
        name="training_module_toggle",
        kwargs=lambda ctx: {"pk": ctx.module.pk},
        data=lambda ctx: {"what": "core"},
    ),
}
