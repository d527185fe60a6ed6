from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import include, path, re_path
from django.views.decorators.http import require_GET
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from moderation import views as moderation_views
from ideas import search_views
from inputs.refusals import Refused
from ideas import people_views, views as idea_views
from ideas.api import ERRORS, api
from opendata import routes as open_data
from opendata import downloads as open_data_downloads
from opendata import feeds as open_data_feeds
from opinions import api as opinion_api
from participation import views as participation_views
from pilots import page_views as pilot_views
from pilots import ledger_views
from pilots import views as pilot_actions

from . import sitemaps
from .health import health
from .limits import too_large_response
from .middleware import busy_response, database_busy


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc):
    # A body whose size was not declared up front (cms/limits.py answers the rest).
    return too_large_response(request)


@api.exception_handler(OperationalError)
def database_error(request, exc):
    """Overload is 503 with Retry-After, in the API's JSON (cms/middleware.py)."""
    if database_busy(exc):
        return busy_response(request)
    raise exc

# The read-only open data operations go on the participation API itself,
# with its errors and docs (ninja answers a path from one router, and
# POST /calls/{id}/ideas is the API's); wired here because ideas, below
# opendata, may not import it.
open_data.register(api, ERRORS)
opinion_api.register(api, ERRORS)  # GET /calls/{id}/opinion-map: opinions sits above ideas too


@require_GET
def api_schema(request):
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1"))


@require_GET
def api_docs(request):
    return render(request, "api_docs.html", {"schema_url": "/api/schema"})


def api_not_found(request):
    """Under /api/ a wrong address is a JSON 404 in the API's error shape,
    not the site's HTML page (ninja matches only its own routes: an id that
    is not a number, or a trailing slash, fell through to Wagtail)."""
    return JsonResponse(Refused("No such API address: see /api/docs.", status=404, code="not_found").as_json(),
                        status=404)


urlpatterns = [
    path("health", health, name="health"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps.SECTIONS, "sitemap_url_name": "sitemap_section"},
         name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps.SECTIONS},
         name="sitemap_section"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/tokens/", idea_views.tokens, name="tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", idea_views.token_revoke, name="token_revoke"),
    path("accounts/activity/", people_views.my_activity, name="my_activity"),
    path("people/<int:user_id>/", people_views.profile, name="profile"),
    path("", include("people.urls")),  # before the organisation page: organisations/new/ is not a slug
    path("organisations/<slug:slug>/", people_views.organisation, name="organisation"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("api/schema", api_schema, name="api_schema"),
    path("api/docs", api_docs, name="api_docs"),
    re_path(r"^api/", api_not_found),
    # Flagging sits under /ideas/ but belongs to moderation, above ideas.
    path("ideas/<int:pk>/flag/", moderation_views.flag, {"kind": "idea"}, name="idea_flag"),
    path("ideas/comments/<int:pk>/flag/", moderation_views.flag, {"kind": "comment"}, name="comment_flag"),
    # Any other kind of contribution (ideas/kinds.py), by its registered name.
    path("contributions/<slug:kind>/<int:pk>/flag/", moderation_views.flag, name="contribution_flag"),
    path("ideas/<int:idea_id>/take-forward/", pilot_actions.take_forward, name="idea_take_forward"),
    path("ideas/", include("ideas.urls")),
    path("notifications/", include("notifications.urls")),
    path("search/", search_views.search, name="search"),
    path("moderation/", include("moderation.urls")),
    path("missions/<slug:mission_slug>/participation/", participation_views.mission_dashboard,
         name="participation_mission"),
    path("missions/<slug:mission_slug>/you-said-we-did/", ledger_views.mission_ledger, name="ledger_mission"),
    path("missions/<slug:mission_slug>/participation/reference/<str:dimension>/", participation_views.set_reference,
         name="participation_reference"),
    path("missions/<slug:mission_slug>/pilots/", pilot_views.mission_pilot_list, name="pilot_list"),
    # Open data downloads (opendata/downloads.py): kind is ideas, comments, tallies, participation, metrics,
    # pilots, results or ledger.
    path("missions/<slug:mission_slug>/data/<slug:kind>.<slug:fmt>", open_data_downloads.download,
         name="opendata_mission_download"),
    path("missions/<slug:mission_slug>/calls/<slug:call_slug>/data/<slug:kind>.<slug:fmt>",
         open_data_downloads.download, name="opendata_call_download"),
    # Before Wagtail's: /missions/<m>/pilots/<slug>/ are pilot pages (no pilot may take the slug "feed").
    path("missions/<slug:mission_slug>/pilots/feed/", open_data_feeds.mission_pilots_feed,
         name="opendata_pilots_feed"),
    path("transparency/<slug:mission_slug>/", moderation_views.transparency, name="transparency"),
    path("transparency/<slug:mission_slug>.csv", moderation_views.transparency, {"fmt": "csv"}, name="transparency_csv"),
    path("transparency/<slug:mission_slug>.json", moderation_views.transparency, {"fmt": "json"}, name="transparency_json"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
