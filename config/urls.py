from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin is for operations (superusers) only; its login gets allauth's rate limits too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Alongside operations"

urlpatterns = [
    path("ops/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("insights/", include("funding.urls")),
    path("", include("mentoring.urls")),
]
