"""Which Wagtail pages the public, or one person, may see: written once.

A page is public when it is live, no view restriction (a password, signed-in
people only, some groups) covers it or a page above it, and its type is not
one that is never listed (a page class saying `listed = False`). Every
listing of pages starts from here, whatever the page type (missions, calls,
pilots, and the instruments to come): the home page, the missions index, the
mission page, search, open data, CSV, Atom, the opinion map, participation,
"you said, we did" and the page cache. Before this the rule was spelled four
ways in about thirty places, and the home page listed a restricted call that
open data hid.

Like ideas/visibility.py, the rule has a query form (for lists) and a form
for one loaded page, and `tests/consult/test_page_visibility.py` checks that
they agree and that every surface leaves restricted pages out. "Visible to
this person" takes plain values: the user and the ids of the password
restrictions their session has passed (`passed_ids` reads them; views pass
them on, the rule never sees a request).

A restriction is a subquery, not a read: the restriction's page path is a
prefix of the page's path (Wagtail's paths are fixed-width steps, so a
prefix is an ancestor, as in `PageQuerySet.public()`), and lists keep their
query counts whatever the number of restrictions."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import Page, PageViewRestriction, get_page_models

SESSION_KEY = PageViewRestriction.passed_view_restrictions_session_key


def under_restriction(path):
    """Exists(a view restriction on the page at `path`, an expression such as
    OuterRef("call__path"), or on a page above it)."""
    return Exists(PageViewRestriction.objects.filter(StartsWith(path, F("page__path"))))


def _blocking(path, user, passed):
    """The restrictions on the page at `path` or above that this person has
    not passed (Wagtail's `accept_request`, as a query)."""
    restrictions = PageViewRestriction.objects.filter(StartsWith(path, F("page__path")))
    passed = [int(pk) for pk in passed or () if str(pk).isascii() and str(pk).isdigit()]
    if passed:
        restrictions = restrictions.exclude(restriction_type=PageViewRestriction.PASSWORD, pk__in=passed)
    if user is not None and user.is_authenticated:
        restrictions = restrictions.exclude(restriction_type=PageViewRestriction.LOGIN)
        if user.is_superuser:
            restrictions = restrictions.exclude(restriction_type=PageViewRestriction.GROUPS)
        else:
            theirs = PageViewRestriction.groups.through.objects.filter(group__user=user)
            restrictions = restrictions.exclude(
                Q(restriction_type=PageViewRestriction.GROUPS, pk__in=theirs.values("pageviewrestriction_id"))
            )
    return restrictions


def never_listed_models():
    """Page types that no listing shows (`listed = False` on the class)."""
    return [model for model in get_page_models() if not getattr(model, "listed", True)]


def _listed(queryset):
    queryset = queryset.live()
    unlisted = never_listed_models()
    if unlisted:
        types = ContentType.objects.get_for_models(*unlisted, for_concrete_models=False).values()
        queryset = queryset.exclude(content_type__in=list(types))
    return queryset


def _queryset(pages):
    """A page model or a page queryset, as a queryset."""
    return pages.objects.all() if isinstance(pages, type) else pages


def public_pages(pages=Page):
    """The pages of `pages` (a page model or a queryset of pages) anyone may
    see: live, listed, not under a view restriction."""
    return _listed(_queryset(pages)).exclude(under_restriction(OuterRef("path")))


def pages_visible_to(pages, user=None, passed=()):
    """The pages of `pages` this person may see: public, or under
    restrictions they pass (signed in, in one of the groups, or a password
    their session holds: `passed`, the ids from `passed_ids`)."""
    if (user is None or not user.is_authenticated) and not passed:
        return public_pages(pages)
    return _listed(_queryset(pages)).exclude(Exists(_blocking(OuterRef("path"), user, passed)))


def _paths(page):
    return [page.path[:end] for end in range(page.steplen, len(page.path) + 1, page.steplen)]


def is_public_page(page):
    """The same rule for one loaded page (one query for its restrictions)."""
    return is_visible_to(page, None)


def is_visible_to(page, user=None, passed=()):
    """`pages_visible_to` for one loaded page."""
    if not page.live or not getattr(type(page), "listed", True):
        return False
    restrictions = PageViewRestriction.objects.filter(page__path__in=_paths(page))
    for restriction in restrictions.prefetch_related("groups"):
        if not _passes(restriction, user, passed):
            return False
    return True


def _passes(restriction, user, passed):
    if restriction.restriction_type == PageViewRestriction.PASSWORD:
        return restriction.pk in {int(pk) for pk in passed or () if str(pk).isdigit()}
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return user is not None and user.is_authenticated
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        if user is None or not user.is_authenticated:
            return False
        return user.is_superuser or bool(set(restriction.groups.all()) & set(user.groups.all()))
    return False  # a type the query would not know either


def passed_ids(session):
    """The password restrictions this session has passed (Wagtail keeps
    them there): what a view passes to `pages_visible_to`."""
    if session is None:
        return ()
    return tuple(session.get(SESSION_KEY, ()))
