"""Matching and pairs: the coordinator's screens, and the pair agreement her mentor co-writes."""

from django.urls import path

from mentoring.views import pairs

urlpatterns = [
    path("mentees/<int:pk>/match/", pairs.mentee_match, name="mentee_match"),
    path("matching/", pairs.matching_home, name="matching_home"),
    path("matching/hubs/<int:pk>/", pairs.hub_batch_match, name="hub_batch_match"),
    path("pairs/", pairs.pair_list, name="pair_list"),
    path("pairs/<int:pk>/", pairs.pair_detail, name="pair_detail"),
    path("pairs/<int:pk>/consent/", pairs.pair_consent, name="pair_consent"),
    path("pairs/<int:pk>/status/", pairs.pair_status, name="pair_status"),
    path("pairs/<int:pk>/end/", pairs.pair_end, name="pair_end"),
    path("pairs/<int:pk>/review/", pairs.pair_review, name="pair_review"),
    path("pairs/<int:pk>/agreement/", pairs.pair_agreement, name="pair_agreement"),
]
