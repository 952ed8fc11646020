from django.urls import include, path

from mentoring.views import assessments, mentees, organisation
from mentoring.views import core as views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
    path("coordinator/", views.coordinator_home, name="coordinator_home"),
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("organisation/", views.orgadmin_home, name="orgadmin_home"),
    path("organisation/people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("organisation/people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("organisation/need-areas/", organisation.need_areas, name="need_areas"),
    path("organisation/need-areas/<int:pk>/toggle/", organisation.need_area_toggle, name="need_area_toggle"),
    path("organisation/hubs/<int:pk>/", organisation.hub_settings, name="hub_settings"),
    path("mentees/", mentees.mentee_list, name="mentee_list"),
    path("mentees/waiting/", mentees.waiting_list, name="waiting_list"),
    path("mentees/new/", mentees.referral_create, name="referral_create"),
    path("mentees/<int:pk>/", mentees.mentee_detail, name="mentee_detail"),
    path("mentees/<int:pk>/edit/", mentees.mentee_edit, name="mentee_edit"),
    path("mentees/<int:pk>/status/", mentees.mentee_status, name="mentee_status"),
    path("mentees/<int:pk>/consents/", mentees.mentee_consents, name="mentee_consents"),
    path("mentees/<int:pk>/history/", mentees.mentee_history, name="mentee_history"),
    path("mentees/<int:pk>/referrals/new/", mentees.re_referral_create, name="re_referral_create"),
    path("mentees/<int:pk>/legal-name/", mentees.mentee_reveal_legal_name, name="mentee_reveal_legal_name"),
    path("mentees/<int:pk>/assessments/", assessments.mentee_assessments, name="mentee_assessments"),
    path("mentees/<int:pk>/assessments/start/", assessments.assessment_start, name="assessment_start"),
    path("mentees/<int:pk>/assessments/<int:assessment_pk>/", assessments.assessment_edit, name="assessment_edit"),
    path("mentees/<int:pk>/goals/", assessments.mentee_goals, name="mentee_goals"),
    path("mentees/<int:pk>/goals/<int:goal_pk>/", assessments.goal_progress, name="goal_progress"),
    path("mentees/<int:pk>/summary/", assessments.mentee_summary, name="mentee_summary"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("", include("mentoring.urls_pairs")),
    path("", include("mentoring.urls_mentors")),
]
