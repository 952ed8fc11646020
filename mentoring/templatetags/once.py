"""`{% once_token %}`: the hidden field of a form whose view is marked `views.shared.saved_once`.

It issues a one-time token for this person and the path the form posts to (this page's, or
`action` when the form posts elsewhere, as the pair review on the pair's page does). When the form
is shown again after a POST (her input needs another look), the token she sent is rendered again,
so that a corrected form and a repeat of it still count once.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from mentoring.services.people import ONCE_FIELD_NAME, form_token_issue

register = template.Library()


@register.simple_tag(takes_context=True)
def once_token(context: template.Context, action: str = "") -> SafeString:
    request = context["request"]
    if not request.user.is_authenticated:
        return SafeString("")
    path = action or request.path
    token = getattr(request, "once_tokens", {}).get(path) or form_token_issue(user=request.user, path=path)
    return format_html('<input type="hidden" name="{}" value="{}">', ONCE_FIELD_NAME, token)
