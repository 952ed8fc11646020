from django.urls import path

from mentoring import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping/", views.ping, name="ping"),
    path("coordinator/", views.coordinator_home, name="coordinator_home"),
    path("mentor/", views.mentor_home, name="mentor_home"),
    path("organisation/", views.orgadmin_home, name="orgadmin_home"),
    path("organisation/people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("organisation/people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("mentees/", views.mentee_list, name="mentee_list"),
    path("mentees/<int:pk>/", views.mentee_detail, name="mentee_detail"),
    path("mentees/<int:pk>/legal-name/", views.mentee_reveal_legal_name, name="mentee_reveal_legal_name"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
