"""The coordinator's mentor screens, recorded relationships, and the org admin's curriculum."""

from django.urls import path

from mentoring.views import mentors

urlpatterns = [
    path("mentors/", mentors.mentor_list, name="mentor_list"),
    path("mentors/<int:pk>/", mentors.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentors.mentor_edit, name="mentor_edit"),
    path("mentors/<int:pk>/stage/", mentors.mentor_stage, name="mentor_stage"),
    path("mentors/<int:pk>/dbs/", mentors.mentor_dbs, name="mentor_dbs"),
    path("mentors/<int:pk>/training/", mentors.mentor_training, name="mentor_training"),
    path("mentors/<int:pk>/references/new/", mentors.mentor_reference_add, name="mentor_reference_add"),
    path("mentors/<int:pk>/relationships/new/", mentors.mentor_relationship_add, name="mentor_relationship_add"),
    path("mentees/<int:pk>/relationships/new/", mentors.mentee_relationship_add, name="mentee_relationship_add"),
    path("relationships/<int:pk>/withdraw/", mentors.relationship_withdraw, name="relationship_withdraw"),
    path("organisation/training/", mentors.training_modules, name="training_modules"),
    path("organisation/training/<int:pk>/toggle/", mentors.training_module_toggle, name="training_module_toggle"),
]
