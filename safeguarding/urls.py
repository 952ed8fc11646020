"""Safeguarding's routes, one group per view module."""

from django.urls import path

from safeguarding.views import access_log, homes

app_name = "safeguarding"

homes_urls = [path("", homes.home, name="home")]

access_log_urls = [path("access-log/", access_log.access_log, name="access_log")]

urlpatterns = [*homes_urls, *access_log_urls]
