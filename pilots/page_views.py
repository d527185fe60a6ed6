"""The public list of a mission's pilots: /missions/<slug>/pilots/ (issue #18).

MissionPage.route answers only /pilots/<slug>/ (each pilot's own page), so
the list is a Django view, mounted in cms/urls.py before Wagtail's
catch-all. Live pilots only, grouped by status, each with its hypothesis and
latest result; 50 to a page."""

from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import render

from consult.models import MissionPage
from consult.visibility import public_pages
from ideas.restrictions import response_for

from .models import PilotPage
from .selectors import STATUS_ORDER, mission_pilots_by_status, with_latest_results

PER_PAGE = 50


def mission_pilot_list(request, mission_slug):
    mission = MissionPage.objects.live().filter(slug=mission_slug).first()
    if mission is None:
        raise Http404("No such mission.")
    restricted = response_for(request, mission)
    if restricted is not None:
        return restricted
    # Ordered by status (running, planned, concluded, stopped), then newest
    # first, so each page of 50 holds whole runs of a status in the same order.
    rank = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)],
                default=Value(len(STATUS_ORDER)), output_field=IntegerField())
    pilots = (public_pages(PilotPage.objects.child_of(mission))
              .annotate(status_rank=rank).order_by("status_rank", "-first_published_at", "pk"))
    page_obj = Paginator(pilots, PER_PAGE).get_page(request.GET.get("page"))
    listed = with_latest_results(list(page_obj.object_list), latest=1)
    return render(request, "pilots/pilot_list.html", {
        "mission": mission,
        "page": mission,
        "groups": mission_pilots_by_status(listed),
        "page_obj": page_obj,
        "total": page_obj.paginator.count,
    })
