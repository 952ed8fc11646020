from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def keeps_typed_input(view: F) -> F:
    """Mark a form view whose POST is kept if her session times out mid-typing.

    SessionTimeoutMiddleware stashes the POST (encrypted) before signing her out; the
    view's GET calls services.stash_restore and shows the form filled in again.
    """
    view.keeps_typed_input = True  # type: ignore[attr-defined]
    return view
