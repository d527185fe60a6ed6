"""Header links that depend on the person's roles, read only when a page
that shows them asks (a lazy value, so pages without a header pay nothing)."""

from django.utils.functional import SimpleLazyObject

from .selectors import moderated_missions


def moderation(request):
    def moderates_anything():
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated and moderated_missions(user).exists())

    return {"moderates_anything": SimpleLazyObject(moderates_anything)}
