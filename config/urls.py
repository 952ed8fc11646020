from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mentoring.views.people import account_email

# The admin is for operations (superusers) only; its login gets allauth's rate limits too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Alongside operations"

urlpatterns = [
    path("ops/", admin.site.urls),
    # Before allauth's own: her address page, where an unverified address never becomes her login by hand.
    path("accounts/email/", account_email, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("safeguarding/", include("safeguarding.urls")),
    path("insights/", include("funding.urls")),
    path("", include("mentoring.urls")),
]
