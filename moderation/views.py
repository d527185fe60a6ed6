"""The moderation screens: the queue, item detail, the audit log, suspensions,
and the public transparency report. Decisions go through moderation/services.py."""

import difflib

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from consult.models import MissionPage
from consult.rules import can
from ideas.restrictions import response_for


from ideas.csvsafe import writer as safe_csv_writer  # formula injection: see ideas/csvsafe.py
from inputs.refusals import Refused
from ideas import kinds
from ideas.ratelimits import enforce
from ideas.validation import parse_id
from inputs.redirects import safe_next
from ideas.kinds import is_public

from . import selectors as sel, services as moderation
from .models import FlagReason


def _mission(slug):
    mission = MissionPage.objects.filter(slug=slug).first()
    if mission is None:
        raise Http404("No such mission.")
    return mission


def _moderator_mission(request, slug):
    mission = _mission(slug)
    if not can(request.user, "consult.moderate_mission", mission):
        raise PermissionError
    return mission


def _guard(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionError:
            return _not_a_moderator(request, of_this_mission=True)

    wrapped.__name__ = view.__name__
    return login_required(wrapped)


def _item(kind, pk, mission):
    """An item of any kind of contribution (ideas/kinds.py) in this mission's calls."""
    entry = kinds.get(kind)
    if entry is None:
        raise Http404
    item = kinds.in_pages(entry, sel.mission_calls(mission)).select_related(f"{entry.author_field}__profile").filter(
        pk=pk).first()
    if item is None:
        raise Http404
    return item


def _back(request, mission):
    """Where to go after an action: `next` if it stays on this site, else the queue."""
    return safe_next(request, f"/moderation/{mission.slug}/")


def _not_a_moderator(request, of_this_mission=False):
    """The site's page for a signed-in person who is not a moderator (of
    this mission, or of any), with a 403: not a bare "Forbidden". The
    mission is not named: it may be under a view restriction."""
    return render(request, "moderation/forbidden.html", {"of_this_mission": of_this_mission}, status=403)


@login_required
@require_GET
def index(request):
    """The queues this person works, with what waits in each."""
    missions = list(sel.moderated_missions(request.user))
    if not missions:
        return _not_a_moderator(request)
    waiting = sel.waiting_counts(missions)
    rows = [{"mission": m, "waiting": waiting.get(m.pk, 0)} for m in missions]
    return render(request, "moderation/index.html", {"rows": rows})


@_guard
@require_GET
def queue(request, mission_slug):
    mission = _moderator_mission(request, mission_slug)
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    reason = request.GET.get("reason", "")
    rows = sel.queue(mission, state=state if state in sel.STATES else "", kind=kind if kinds.get(kind) else "",
                     reason=reason if reason in FlagReason.values else "")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {
        "mission": mission, "page_obj": page, "rows": page.object_list, "states": sel.STATES, "state": state,
        "kind": kind, "reason": reason, "reasons": FlagReason.choices, "counts": sel.counts(mission),
        "kinds": [(entry.name, entry.label) for entry in kinds.all_kinds()],
    })


@_guard
@require_POST
def act(request, mission_slug):
    """One or many items (bulk), one decision."""
    mission = _moderator_mission(request, mission_slug)
    keys = request.POST.getlist("items")
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    reason_text = request.POST.get("reason_text", "")
    back = _back(request, mission)
    if not keys:
        messages.error(request, "Select at least one item.")
        return redirect(back)
    if action not in moderation.ACTIONS:
        messages.error(request, "Choose a decision: approve, hide, restore, reject or ask for an edit.")
        return redirect(back)
    done = 0
    errors = []
    for key in keys[:200]:
        kind, _, pk = key.partition(":")
        pk = parse_id(pk)
        if pk is None:
            errors.append("An item is no longer in this mission's queue.")
            continue
        try:
            item = _item(kind, pk, mission)
            moderation.moderate(request.user, item, action, reason=reason, reason_text=reason_text)
            done += 1
        except Refused as error:
            errors.append(error.message)
        except Http404:
            errors.append("An item is no longer in this mission's queue.")
    if done:
        messages.success(request, f"Done for {done} item{'s' if done != 1 else ''}.")
    if errors:
        messages.error(request, " ".join(sorted(set(errors))))
    return redirect(back)


@_guard
@require_GET
def item_detail(request, mission_slug, kind, pk):
    mission = _moderator_mission(request, mission_slug)
    item = _item(kind, pk, mission)
    entry = kinds.get(kind)
    flags = sel.item_flags(item)
    diffs = []
    if kind == "idea":
        previous = None
        for revision in item.revisions.select_related("editor__profile").order_by("created_at", "pk"):
            if previous is not None:
                diffs.append({"revision": revision, "lines": list(difflib.unified_diff(
                    f"{previous.title}\n{previous.summary}\n{previous.body}".splitlines(),
                    f"{revision.title}\n{revision.summary}\n{revision.body}".splitlines(), lineterm="", n=1))})
            previous = revision
    actions = sel.item_actions(item)
    return render(request, "moderation/item.html", {
        "mission": mission, "kind": kind, "label": entry.label, "text": entry.text(item), "item": item,
        "flags": flags, "diffs": diffs, "actions": actions,
        "reasons": FlagReason.choices,
    })


@_guard
@require_GET
def log(request, mission_slug):
    mission = _moderator_mission(request, mission_slug)
    page = Paginator(sel.audit_log(mission), 50).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"mission": mission, "page_obj": page})


@_guard
@require_POST
def suspend(request, mission_slug):
    mission = _moderator_mission(request, mission_slug)
    user_id = parse_id(request.POST.get("user"))
    if user_id is None:
        raise Http404("No such person.")
    user = get_object_or_404(get_user_model(), pk=user_id)
    try:
        moderation.suspend(request.user, mission, user, request.POST.get("days"), request.POST.get("reason", ""))
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The person is suspended from this mission's calls and has been told why.")
    return redirect(_back(request, mission))


@require_GET
def transparency(request, mission_slug, fmt="html"):
    mission = _mission(mission_slug)
    if not mission.live:
        raise Http404
    restricted = response_for(request, mission)
    if restricted is not None:
        return restricted
    rows = sel.transparency(mission)
    if fmt == "json":
        return JsonResponse({"mission": mission.title, "rows": [{k: r[k] for k in ("month", "action", "reason", "count")} for r in rows]})
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="moderation-{mission.slug}.csv"'

        writer = safe_csv_writer(response)
        writer.writerow(["month", "action", "reason", "count"])
        for r in rows:
            writer.writerow([r["month"], r["action"], r["reason"], r["count"]])
        return response
    return render(request, "moderation/transparency.html", {"mission": mission, "rows": rows})


@login_required
def flag(request, kind, pk):
    """GET: the flag form (works without JavaScript). POST: flag once.

    Only public items can be flagged, so the form is found through the one
    visibility query: a hidden or pending item's text never shows here. A
    call under a view restriction answers as its idea page does until the
    restriction is passed (and the `ideas.flag` rule refuses until then)."""
    entry = kinds.get(kind)
    item = entry.public_rows().select_related(entry.page).filter(pk=pk).first() if entry else None
    if item is None:
        raise Http404("Nothing to report here.")
    call = entry.call_of(item)
    idea = item if kind == "idea" else getattr(item, "idea", None)
    restricted = response_for(request, call)
    if restricted is not None:  # the call's password form or sign-in, as on the idea page
        return restricted
    if idea is not None:
        back = idea.get_absolute_url() + ("" if kind == "idea" else f"#comment-{item.pk}")
    else:  # another kind of contribution: its own page, or its call's
        back = item.get_absolute_url() if hasattr(item, "get_absolute_url") else call.url
    error = None
    if request.method == "POST":
        try:
            enforce(request, "flag")
            moderation.flag(request.user, item, request.POST.get("reason", ""), request.POST.get("text", ""))
        except Refused as exc:
            error = exc
        else:
            item.refresh_from_db(fields=["visibility"])
            if is_public(item):
                messages.success(request, "Thank you. A moderator will look at it.")
                return redirect(back)
            # This flag held the item: its page is gone for now, so say thank
            # you here rather than send the person to a 404.
            return render(request, "moderation/flag_thanks.html", {"kind": kind, "call": call})
    return render(request, "moderation/flag.html", {
        "kind": kind, "item": item, "idea": idea, "text": entry.text(item), "reasons": FlagReason.choices, "error": error, "back": back,
        "posted": request.POST,
    }, status=(error.status if error else 200))
