from django.contrib import admin

from funding.models import SuppressionThreshold


@admin.register(SuppressionThreshold)
class SuppressionThresholdAdmin(admin.ModelAdmin):
    """Operations set an organisation's threshold when it asks for one above 5."""

    list_display = ["organisation", "threshold"]
