"""mentoring.services.pairs with mentors: over any sequence of pair and mentor changes, a mentor
holds a view right on exactly the women of her active pairs, and only while she may be matched.

A stateful property test (hypothesis): each example builds a small hub through the services, then
runs a random sequence of starts, pauses, resumes, endings and mentor stage changes, some of them
refused; the invariant is checked after every step. Each example rolls back its own data.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from hypothesis.strategies import integers, sampled_from

from mentoring.matching.eligibility import is_ready
from mentoring.models import Mentee, MenteeUserObjectPermission, Mentor, MentorStage, Pair, PairStatus, Role
from mentoring.services.mentees import mentee_create
from mentoring.services.mentors import mentor_change_stage
from mentoring.services.pairs import pair_activate, pair_end, pair_pause, pair_propose, pair_record_consent, pair_resume
from tests.conftest import make_person, make_waiting
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

MENTORS, WOMEN = 2, 3


def _machine(make_ready: Callable[..., Mentor]) -> type[RuleBasedStateMachine]:
    class PairsAndMentors(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            hub = HubFactory.create(name="Property hub", slug="property-hub")
            self.coordinator = make_person("coordinator@example.test", "Coord", hub, Role.COORDINATOR)
            self.mentors = [
                make_ready(make_person(f"m{n}@example.test", f"M{n}", hub, Role.MENTOR), self.coordinator)
                for n in range(MENTORS)
            ]
            for mentor in self.mentors:
                mentor.capacity = 2
                mentor.save(update_fields=["capacity"])
            self.women = [
                make_waiting(
                    mentee_create(hub=hub, chosen_name=f"W{n}", acting_user=self.coordinator), self.coordinator
                )
                for n in range(WOMEN)
            ]

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def _try(self, action: Callable[[], object]) -> None:
            # refused by the rules (not waiting, not ready, wrong state): nothing changes
            with contextlib.suppress(ValidationError):
                action()

        def _pair(self, status: str, pick: int) -> Pair | None:
            pairs = list(Pair.objects.filter(hub=self.mentors[0].hub, status=status).order_by("pk"))
            return pairs[pick % len(pairs)] if pairs else None

        @rule(woman=integers(0, WOMEN - 1), mentor=integers(0, MENTORS - 1))
        def start(self, woman: int, mentor: int) -> None:
            def start_pair() -> None:
                with transaction.atomic():
                    mentee = Mentee.objects.get(pk=self.women[woman].pk)
                    pair = pair_propose(
                        mentee=mentee,
                        mentor=Mentor.objects.get(pk=self.mentors[mentor].pk),
                        acting_user=self.coordinator,
                    )
                    for who in ("mentee", "mentor"):
                        pair_record_consent(pair=pair, who=who, method="verbal", acting_user=self.coordinator)
                    pair_activate(pair=pair, acting_user=self.coordinator)

            self._try(start_pair)

        @rule(pick=integers(0, 5))
        def pause(self, pick: int) -> None:
            pair = self._pair(PairStatus.ACTIVE, pick)
            if pair:
                self._try(lambda: pair_pause(pair=pair, acting_user=self.coordinator, reason="A break"))

        @rule(pick=integers(0, 5))
        def resume(self, pick: int) -> None:
            pair = self._pair(PairStatus.PAUSED, pick)
            if pair:
                self._try(lambda: pair_resume(pair=pair, acting_user=self.coordinator))

        @rule(pick=integers(0, 5), from_active=sampled_from([True, False]))
        def end(self, pick: int, from_active: bool) -> None:
            pair = self._pair(PairStatus.ACTIVE if from_active else PairStatus.PAUSED, pick)
            if pair:
                self._try(
                    lambda: pair_end(
                        pair=pair, end_reason="mentor_left", wants_new_mentor=True, acting_user=self.coordinator
                    )
                )

        @rule(
            mentor=integers(0, MENTORS - 1),
            stage=sampled_from([MentorStage.ACTIVE, MentorStage.PAUSED, MentorStage.LEFT]),
        )
        def mentor_stage(self, mentor: int, stage: str) -> None:
            record = Mentor.objects.get(pk=self.mentors[mentor].pk)
            self._try(lambda: mentor_change_stage(mentor=record, to_stage=stage, acting_user=self.coordinator))

        @invariant()
        def rights_follow_the_active_pairs_of_mentors_who_may_be_matched(self) -> None:
            rights = set(
                MenteeUserObjectPermission.objects.filter(permission__codename="view_mentee").values_list(
                    "user_id", "content_object_id"
                )
            )
            expected = {
                (pair.mentor.user_id, pair.mentee_id)
                for pair in Pair.objects.filter(status=PairStatus.ACTIVE).select_related("mentor__hub")
                if is_ready(pair.mentor)
            }
            assert rights == expected

    return PairsAndMentors


def test_mentor_rights_always_equal_the_active_pairs_of_ready_mentors(make_ready):
    run_state_machine_as_test(
        _machine(make_ready), settings=settings(max_examples=100, stateful_step_count=20, deadline=None)
    )
