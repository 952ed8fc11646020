"""The base app's routes, one group per view module, in the order of the modules."""

from django.urls import path

from mentoring.views import (
    applicants,
    expenses,
    homes,
    intake,
    matching,
    mentees,
    mentors,
    offline,
    pairs,
    people,
    relationships,
    sessions,
)

homes_urls = [
    path("", homes.home, name="home"),
    path("healthz", homes.healthz, name="healthz"),
    path("readyz", homes.readyz, name="readyz"),
    path("ping/", homes.ping, name="ping"),
    path("coordinator/", homes.coordinator_home, name="coordinator_home"),
    path("mentor/", homes.mentor_home, name="mentor_home"),
    path("organisation/", homes.orgadmin_home, name="orgadmin_home"),
]

people_urls = [
    path("organisation/people/<int:pk>/deactivate/", people.person_deactivate, name="person_deactivate"),
    path("organisation/people/<int:pk>/reactivate/", people.person_reactivate, name="person_reactivate"),
    path("organisation/people/<int:pk>/roles/", people.person_roles, name="person_roles"),
    path(
        "organisation/people/<int:pk>/roles/<int:membership_pk>/remove/",
        people.person_role_remove,
        name="person_role_remove",
    ),
    path("organisation/people/<int:pk>/email/", people.person_email, name="person_email"),
    path("organisation/hubs/new/", people.hub_create, name="hub_create"),
    path("organisation/hubs/<int:pk>/", people.hub_settings, name="hub_settings"),
    path("invitations/new/", people.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", people.invitation_revoke, name="invitation_revoke"),
    path("invitations/<int:pk>/resend/", people.invitation_resend, name="invitation_resend"),
    path("invite/<str:token>/", people.invitation_accept, name="invitation_accept"),
]

mentees_urls = [
    path("mentees/", mentees.mentee_list, name="mentee_list"),
    path("mentees/waiting/", mentees.waiting_list, name="waiting_list"),
    path("mentees/<int:pk>/", mentees.mentee_detail, name="mentee_detail"),
    path("mentees/<int:pk>/edit/", mentees.mentee_edit, name="mentee_edit"),
    path("mentees/<int:pk>/status/", mentees.mentee_status, name="mentee_status"),
    path("mentees/<int:pk>/history/", mentees.mentee_history, name="mentee_history"),
    path("mentees/<int:pk>/legal-name/", mentees.mentee_reveal_legal_name, name="mentee_reveal_legal_name"),
    path("mentees/<int:pk>/summary/", mentees.mentee_summary, name="mentee_summary"),
]

intake_urls = [
    path("mentees/new/", intake.referral_create, name="referral_create"),
    path("mentees/<int:pk>/referrals/new/", intake.re_referral_create, name="re_referral_create"),
    path("mentees/<int:pk>/consents/", intake.mentee_consents, name="mentee_consents"),
    path("mentees/<int:pk>/assessments/", intake.mentee_assessments, name="mentee_assessments"),
    path("mentees/<int:pk>/assessments/start/", intake.assessment_start, name="assessment_start"),
    path("mentees/<int:pk>/assessments/<int:assessment_pk>/", intake.assessment_edit, name="assessment_edit"),
    path("mentees/<int:pk>/goals/", intake.mentee_goals, name="mentee_goals"),
    path("mentees/<int:pk>/goals/<int:goal_pk>/", intake.goal_progress, name="goal_progress"),
    path("organisation/need-areas/", intake.need_areas, name="need_areas"),
    path("organisation/need-areas/<int:pk>/toggle/", intake.need_area_toggle, name="need_area_toggle"),
]

mentors_urls = [
    path("mentors/", mentors.mentor_list, name="mentor_list"),
    path("mentors/<int:pk>/", mentors.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentors.mentor_edit, name="mentor_edit"),
    path("mentors/<int:pk>/stage/", mentors.mentor_stage, name="mentor_stage"),
    path("mentors/<int:pk>/dbs/", mentors.mentor_dbs, name="mentor_dbs"),
    path("mentors/<int:pk>/training/", mentors.mentor_training, name="mentor_training"),
    path("mentors/<int:pk>/references/new/", mentors.mentor_reference_add, name="mentor_reference_add"),
    path("organisation/training/", mentors.training_modules, name="training_modules"),
    path("organisation/training/<int:pk>/toggle/", mentors.training_module_toggle, name="training_module_toggle"),
]

applicants_urls = [
    path("mentors/recruitment/", applicants.applicant_list, name="applicant_list"),
    path("mentors/recruitment/new/", applicants.applicant_add, name="applicant_add"),
    path("mentors/recruitment/<int:pk>/", applicants.applicant_detail, name="applicant_detail"),
    path("mentors/recruitment/<int:pk>/edit/", applicants.applicant_edit, name="applicant_edit"),
    path("mentors/recruitment/<int:pk>/stage/", applicants.applicant_stage, name="applicant_stage"),
    path("mentors/recruitment/<int:pk>/close/", applicants.applicant_close, name="applicant_close"),
    path("mentors/recruitment/<int:pk>/reopen/", applicants.applicant_reopen, name="applicant_reopen"),
    path(
        "mentors/recruitment/<int:pk>/references/new/",
        applicants.applicant_reference_add,
        name="applicant_reference_add",
    ),
    path("mentors/recruitment/<int:pk>/invite/", applicants.applicant_invite, name="applicant_invite"),
]

relationships_urls = [
    path("mentors/<int:pk>/relationships/new/", relationships.mentor_relationship_add, name="mentor_relationship_add"),
    path("mentees/<int:pk>/relationships/new/", relationships.mentee_relationship_add, name="mentee_relationship_add"),
    path("relationships/<int:pk>/withdraw/", relationships.relationship_withdraw, name="relationship_withdraw"),
]

matching_urls = [
    path("mentees/<int:pk>/match/", matching.mentee_match, name="mentee_match"),
    path("matching/", matching.matching_home, name="matching_home"),
    path("matching/hubs/<int:pk>/", matching.hub_batch_match, name="hub_batch_match"),
]

pairs_urls = [
    path("pairs/", pairs.pair_list, name="pair_list"),
    path("pairs/<int:pk>/", pairs.pair_detail, name="pair_detail"),
    path("pairs/<int:pk>/consent/", pairs.pair_consent, name="pair_consent"),
    path("pairs/<int:pk>/status/", pairs.pair_status, name="pair_status"),
    path("pairs/<int:pk>/end/", pairs.pair_end, name="pair_end"),
    path("pairs/<int:pk>/review/", pairs.pair_review, name="pair_review"),
    path("pairs/<int:pk>/agreement/", pairs.pair_agreement, name="pair_agreement"),
]

sessions_urls = [
    path("mentor/pairs/<int:pk>/sessions/new/", sessions.session_log_view, name="session_log"),
    path("mentor/pairs/<int:pk>/worried/", sessions.session_worry, name="session_worry"),
    path("mentor/sessions/", sessions.my_sessions_view, name="my_sessions"),
    path("mentor/sessions/<int:pk>/edit/", sessions.session_edit_view, name="session_edit"),
    path("pairs/<int:pk>/sessions/", sessions.pair_sessions, name="pair_sessions"),
    path("sessions/<int:pk>/talked/", sessions.session_talked, name="session_talked"),
]

offline_urls = [
    path("mentor/manifest.webmanifest", offline.manifest, name="mentor_manifest"),
    path("mentor/sw.js", offline.service_worker, name="mentor_service_worker"),
    path("mentor/offline/", offline.offline_shell, name="mentor_offline"),
    path("mentor/offline-data.json", offline.offline_data, name="mentor_offline_data"),
    path("weather/", offline.neutral_page, name="neutral_page"),
]

expenses_urls = [
    path("mentor/claims/", expenses.my_claims_view, name="my_claims"),
    path("mentor/claims/<int:pk>/answer/", expenses.claim_answer_view, name="claim_answer"),
    path("claims/", expenses.claims_queue_view, name="claims_queue"),
    path("claims/export/", expenses.claims_export_view, name="claims_export"),
    path("claims/<int:pk>/approve/", expenses.claim_approve_view, name="claim_approve"),
    path("claims/<int:pk>/query/", expenses.claim_query_view, name="claim_query"),
    path("claims/<int:pk>/paid/", expenses.claim_paid_view, name="claim_paid"),
    path("organisation/mileage-rates/", expenses.mileage_rates, name="mileage_rates"),
]

urlpatterns = [
    *homes_urls,
    *people_urls,
    *mentees_urls,
    *intake_urls,
    *mentors_urls,
    *applicants_urls,
    *relationships_urls,
    *matching_urls,
    *pairs_urls,
    *sessions_urls,
    *offline_urls,
    *expenses_urls,
]
