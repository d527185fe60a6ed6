"""HTML views of the participation loop. Forms post and redirect, so every
action works without JavaScript; with JavaScript the same endpoints answer
JSON (the client asks with Accept: application/json) and the page updates
in place. All writes go through ideas/services/."""

import secrets

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from inputs.redirects import safe_next
from inputs.refusals import Refused, refusal
from people.selectors import organisations_of

from . import call_ideas, fate, organisations, restrictions, selectors
from .services import comments, follows, statements, submissions, tokens as token_services, votes
from .ratelimits import enforce as rate_limit
from .search_documents import similar_ideas
from .visibility import is_public_idea, is_published, removed_idea
from .forms import CommentForm, IdeaEditForm, IdeaForm, ResponseForm, StatusForm, TokenForm
from .models import ApiToken, Comment, Follow, Idea, IdeaStatus, Vote
from .rules import can


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _idea_or_404(request, idea_id, related=selectors.IDEA_PAGE_RELATED):
    idea = selectors.get_idea_for(request.user, idea_id, related=related)
    if idea is not None and restrictions.response_for(request, idea.call) is not None:
        idea = None  # a restricted call's idea is not there for this request (ideas/restrictions.py)
    if idea is None:
        raise Http404("No such idea.")
    return idea


def _fail(request, error, fallback_url):
    if wants_json(request):
        return JsonResponse(error.as_json(), status=error.status)
    messages.error(request, error.message)
    return redirect(fallback_url)


def _form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def random_seed(session):
    """A per-visitor seed kept in the session, so "random" is stable while paging."""
    seed = session.get("idea_seed")
    if seed is None:
        seed = secrets.randbelow(998_983) + 1000
        session["idea_seed"] = seed
    return seed


def call_page_context(call, request):
    """The ideas half of the call page (registered with consult/call_page.py):
    the request stays here; the selector takes plain values."""
    seed = random_seed(request.session) if request.GET.get("sort") == "random" else None
    context = call_ideas.page_context(call, request, seed=seed)
    context.update(selectors.call_actions_context(call, request.user))
    sectors = list(call.sectors.all()) if call.eligibility != "citizens" else []
    context.update({
        "call_sectors": sectors,
        "who_may_submit": organisations.who_may_submit(call, sectors),
        "who_takes_part": organisations.who_takes_part(call, sectors),
        "organisations_only": organisations.organisations_only(call),
        # People's page of one's organisations (consult, beside people, names none of its routes).
        "organisations_url": reverse("people:profile_edit"),
        # Told at the start when none of their organisations may submit here.
        "organisation_needed": organisations.organisation_needed(call, organisations_of(request.user), sectors)
        if organisations.organisations_only(call) and request.user.is_authenticated else None,
    })
    return context


def idea_context(request, idea):
    user = request.user
    page, threads = selectors.comment_threads(user, idea, request.GET.get("page"))
    my_vote = None
    following = False
    if user.is_authenticated:
        my_vote = Vote.objects.filter(user=user, idea=idea).values_list("value", flat=True).first()
        following = Follow.objects.filter(user=user, idea=idea).exists()
    call = idea.call
    # Pilots named only for ideas taken forward (an idea in a pilot keeps
    # that status: ideas/fate.py), what became of it by the ledger's rule.
    pilots = fate.pilots_of([idea.pk]).get(idea.pk, []) if idea.status == IdeaStatus.TAKEN_FORWARD else []
    can_set_status = can(user, "ideas.set_idea_status", idea)
    held_by = fate.held_by(idea) if can_set_status and idea.status == IdeaStatus.TAKEN_FORWARD else []
    return {
        "idea": idea,
        "call": call,
        "mission": call.get_parent(),
        "tags": list(idea.tags.all()),
        "questions": list(idea.learning_questions.all()),
        "threads": threads,
        "page_obj": page,
        "my_vote": my_vote,
        "following": following,
        "comment_form": CommentForm(call=call),
        "can_vote": can(user, "ideas.vote_idea", idea),
        "can_comment": can(user, "ideas.comment_idea", idea),
        "can_edit": can(user, "ideas.change_idea", idea),
        "can_set_status": can_set_status,
        # The status form says why it cannot change before anyone chooses.
        "in_pilot_warning": submissions.in_pilot_message(held_by) if held_by else "",
        "can_see_history": can(user, "ideas.view_idea_history", idea),
        "can_moderate": can(user, "ideas.moderate_idea", idea),
        "can_mark_about_participant": can(user, "ideas.mark_about_participant", idea),
        # Signed out, the link leads to sign-in first.
        "can_flag": not user.is_authenticated or can(user, "ideas.flag", idea),
        "vote_closed_reason": selectors._reason(call, "vote"),
        "comment_closed_reason": selectors._reason(call, "comment") if call.comments_open else "Comments are closed for this call.",
        "supports_left": selectors.supports_left(user, call),
        "status_form": StatusForm(initial={"status": idea.status}),
        "response_form": ResponseForm(initial={"response": idea.response}),
        # "Taken forward" is set by naming the pilot (pilots' team tool).
        "statuses": [(k, v) for k, v in IdeaStatus.choices if k != IdeaStatus.TAKEN_FORWARD or k == idea.status],
        "agree_choices": selectors.AGREE_CHOICES,
        "pilots": pilots,
        "fate": fate.outcome(idea, pilots) if pilots else None,
        "team_tools": fate.team_tools(user, idea) if user.is_authenticated else [],
    }


def idea_detail(request, idea_id):
    idea = selectors.get_idea_for(request.user, idea_id)
    if idea is not None:
        restricted = restrictions.response_for(request, idea.call)
        if restricted is not None:  # the call's password form or sign-in, as on the call page
            return restricted
    if idea is None:
        gone = removed_idea(idea_id)
        if gone is not None:
            # The content leaves; the reason stays, so people see why.
            return render(request, "ideas/idea_removed.html", {"idea": gone}, status=410)
        raise Http404("No such idea.")
    return render(request, "ideas/idea_detail.html", idea_context(request, idea))


@login_required
@require_http_methods(["GET", "POST"])
def idea_edit(request, idea_id):
    idea = _idea_or_404(request, idea_id)
    refused = refusal(request.user, "ideas.change_idea", idea)
    if refused is not None:
        if refused.code == "forbidden":  # not theirs: nothing to wait for
            return HttpResponseForbidden(refused.message)
        messages.error(request, refused.message)
        return redirect(idea.get_absolute_url())
    initial = {
        "title": idea.title,
        "summary": idea.summary,
        "body": idea.body,
        "tags": ", ".join(t.name for t in idea.tags.all()),
    }
    form = IdeaEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit(request, "edit")
            submissions.edit_idea(request.user, idea, **form.cleaned_data)
        except Refused as error:
            _form_error(form, error)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(idea.get_absolute_url())
    return render(request, "ideas/idea_edit.html", {"form": form, "idea": idea}, status=400 if form.errors else 200)


def submit_to_call(request, call):
    """GET shows the form; POST shows similar ideas first, then saves on confirm."""
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    refused = refusal(request.user, "ideas.submit_idea", call)
    if refused is not None:
        return render(request, "ideas/submit_closed.html", {"call": call, "reason": refused.message}, status=403)
    form = IdeaForm(request.POST or None, call=call, user=request.user)
    if form.organisation_needed:
        # Said before anyone types: no organisation of theirs may submit here.
        return render(request, "ideas/submit.html", {
            "form": None, "call": call, "page": call, "organisation_needed": form.organisation_needed,
        }, status=400 if request.method == "POST" else 200)
    similar = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.POST.get("confirm"):
            similar = similar_ideas(call, f"{data['title']} {data['summary']}", limit=5)
        if not similar:
            try:
                rate_limit(request, "idea")
                idea = submissions.submit_idea(request.user, call, **data)
            except Refused as error:
                _form_error(form, error)
            else:
                if is_public_idea(idea):
                    messages.success(request, "Your idea is published.")
                else:
                    messages.success(request, "Thank you. Your idea will appear once a moderator has approved it.")
                return redirect(idea.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "ideas/submit.html", {"form": form, "call": call, "similar": similar, "page": call}, status=status
    )


@require_POST
def idea_vote(request, idea_id):
    idea = _idea_or_404(request, idea_id, related=("call",))
    value = request.POST.get("value") or Vote.SUPPORT
    remove = request.POST.get("action") == "remove"
    try:
        rate_limit(request, "vote")
        idea = votes.remove_vote(request.user, idea) if remove else votes.cast_vote(request.user, idea, value)
    except Refused as error:
        return _fail(request, error, idea.get_absolute_url())
    if wants_json(request):
        my_vote = None if remove else value
        return JsonResponse(
            {
                "id": idea.pk,
                "my_vote": my_vote,
                "tally": selectors.tally(idea),
                "supports_left": selectors.supports_left(request.user, idea.call),
            }
        )
    messages.success(request, "Your vote is withdrawn." if remove else "Your vote is counted.")
    return redirect(safe_next(request, idea.get_absolute_url()))


@require_POST
def idea_comment(request, idea_id):
    idea = _idea_or_404(request, idea_id)
    form = CommentForm(request.POST, call=idea.call)
    if not form.is_valid():
        message = "; ".join(e for errs in form.errors.values() for e in errs)
        error = Refused(
            "Enter your comment." if "body" in form.errors and not request.POST.get("body", "").strip() else message,
            field="body",
        )
        return _fail(request, error, idea.get_absolute_url() + "#comment-form")
    parent = None
    if form.cleaned_data.get("parent"):
        parent = Comment.objects.filter(pk=form.cleaned_data["parent"], idea=idea).first()
        if parent is None:
            return _fail(request, Refused("The comment you replied to is no longer available.", status=409), idea.get_absolute_url())
    try:
        rate_limit(request, "comment")
        comment = comments.add_comment(
            request.user, idea, form.cleaned_data["body"], parent=parent, anonymous=form.cleaned_data.get("anonymous", False)
        )
    except Refused as error:
        if wants_json(request):
            return JsonResponse(error.as_json(), status=error.status)
        # Without JavaScript: show the page again with the error and the text kept.
        context = idea_context(request, idea)
        context.update({"comment_error": error.message, "comment_body": form.cleaned_data["body"]})
        return render(request, "ideas/idea_detail.html", context, status=error.status)
    if not is_published(comment):
        if wants_json(request):
            return JsonResponse({"id": comment.pk, "parent": comment.parent_id, "held": True,
                                 "message": "Thank you. Your comment will appear once a moderator has checked it."}, status=202)
        messages.success(request, "Thank you. Your comment will appear once a moderator has checked it.")
        return redirect(idea.get_absolute_url() + "#comments")
    if wants_json(request):
        comment.children, comment.mine, comment.i_support, comment.placeholder = [], True, False, ""
        comment.by_team = not comment.anonymous and request.user.pk in selectors.team_member_ids(idea.call)
        html = render_to_string(
            "ideas/_comment.html", {"comment": comment, "idea": idea, "can_comment": True}, request=request
        )
        return JsonResponse({"id": comment.pk, "parent": comment.parent_id, "html": html}, status=201)
    messages.success(request, "Your comment is posted.")
    return redirect(f"{idea.get_absolute_url()}#comment-{comment.pk}")


def comment_fragment(request, idea_id, comment_id):
    """One comment as HTML, for the live client. Visibility is checked here,
    at fetch time, so a live event never carries content itself."""
    idea = _idea_or_404(request, idea_id)
    comment = Comment.objects.select_related("author__profile").filter(pk=comment_id, idea=idea).first()
    if comment is None or not can(request.user, "ideas.view_comment", comment) or comment.is_deleted:
        raise Http404("No such comment.")
    comment.children, comment.placeholder = [], ""
    comment.by_team = not comment.anonymous and comment.author_id in selectors.team_member_ids(idea.call)
    comment.mine = request.user.is_authenticated and comment.author_id == request.user.pk
    comment.i_support = False
    can_comment = can(request.user, "ideas.comment_idea", idea)
    return render(request, "ideas/_comment.html", {"comment": comment, "idea": idea, "can_comment": can_comment})


def _comment_or_404(request, comment_id):
    comment = get_object_or_404(Comment.objects.select_related("idea", "idea__call", "author"), pk=comment_id)
    if not can(request.user, "ideas.view_idea", comment.idea) or restrictions.response_for(
            request, comment.idea.call) is not None:
        raise Http404("No such comment.")
    return comment


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    url = f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    refused = refusal(request.user, "ideas.change_comment", comment)
    if refused is not None and refused.code == "forbidden":  # not theirs
        return HttpResponseForbidden(refused.message)
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit(request, "edit")
            comments.edit_comment(request.user, comment, form.cleaned_data["body"])
        except Refused as error:
            if error.field == "body":
                _form_error(form, error)
                return render(request, "ideas/comment_edit.html", {"form": form, "comment": comment}, status=error.status)
            return _fail(request, error, url)
        messages.success(request, "Your comment is updated.")
        return redirect(url)
    if refused is not None:
        messages.error(request, refused.message)
        return redirect(url)
    return render(request, "ideas/comment_edit.html", {"form": form, "comment": comment}, status=400 if form.errors else 200)


@login_required
@require_POST
def comment_delete(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    try:
        comments.delete_comment(request.user, comment)
    except Refused as error:
        return _fail(request, error, comment.idea.get_absolute_url())
    if wants_json(request):
        return JsonResponse({"id": comment.pk, "deleted": True})
    messages.success(request, "Your comment is deleted.")
    return redirect(comment.idea.get_absolute_url() + "#comments")


@require_POST
def comment_support(request, comment_id):
    comment = _comment_or_404(request, comment_id)
    remove = request.POST.get("action") == "remove"
    try:
        comment = (comments.unsupport_comment if remove else comments.support_comment)(request.user, comment)
    except Refused as error:
        return _fail(request, error, comment.idea.get_absolute_url())
    if wants_json(request):
        return JsonResponse({"id": comment.pk, "support": comment.support_count, "i_support": not remove})
    return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def idea_follow(request, idea_id):
    idea = _idea_or_404(request, idea_id)
    try:
        if request.POST.get("action") == "remove":
            follows.unfollow(request.user, idea=idea)
            messages.success(request, "You no longer follow this idea.")
        else:
            follows.follow(request.user, idea=idea)
            messages.success(request, "You follow this idea: its status, the team's answers and new comments will appear in your notifications.")
    except Refused as error:
        return _fail(request, error, idea.get_absolute_url())
    return redirect(idea.get_absolute_url())


def follow_call(request, call):
    if request.method != "POST":
        return redirect(call.url)
    try:
        if request.POST.get("action") == "remove":
            follows.unfollow(request.user, call=call)
            messages.success(request, "You no longer follow this call.")
        else:
            follows.follow(request.user, call=call)
            messages.success(request, "You follow this call: new ideas in it will appear in your notifications.")
    except Refused as error:
        return _fail(request, error, call.url)
    return redirect(call.url)


@login_required
@require_POST
def idea_status(request, idea_id):
    idea = _idea_or_404(request, idea_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _fail(request, Refused("Choose a status from the list.", field="status"), idea.get_absolute_url())
    merged_into = None
    if form.cleaned_data.get("merged_into"):
        merged_into = Idea.objects.filter(pk=form.cleaned_data["merged_into"]).first()
        if merged_into is None:
            return _fail(request, Refused("There is no idea with that number.", field="merged_into"), idea.get_absolute_url())
    try:
        submissions.set_idea_status(request.user, idea, form.cleaned_data["status"], merged_into=merged_into)
    except Refused as error:
        return _fail(request, error, idea.get_absolute_url())
    messages.success(request, "The status is updated and followers are told.")
    return redirect(idea.get_absolute_url())


@login_required
@require_POST
def idea_about_participant(request, idea_id):
    """Mark (value=1) or unmark (value=0) a statement as one about the
    participant. Refused people get a 403 saying why, not a redirect: the form
    is only ever shown to the team and moderators, so anyone else posting it
    is not someone a message on the page would help."""
    idea = _idea_or_404(request, idea_id)
    value = request.POST.get("value", "1") not in ("0", "false", "")
    try:
        statements.mark_about_participant(request.user, idea, value)
    except Refused as error:
        if wants_json(request):
            return JsonResponse(error.as_json(), status=error.status)
        return HttpResponse(error.message, status=error.status, content_type="text/plain; charset=utf-8")
    if wants_json(request):
        return JsonResponse({"id": idea.pk, "about_participant": value})
    if value:
        messages.success(request, "Marked as a statement about the participant: it is left out of the opinion "
                                  "groups, the consensus and \"divided\", and shown as who took part.")
    else:
        messages.success(request, "No longer marked as a statement about the participant: it counts as an "
                                  "opinion again.")
    return redirect(idea.get_absolute_url())


@login_required
@require_POST
def idea_respond(request, idea_id):
    idea = _idea_or_404(request, idea_id)
    try:
        submissions.respond_to_idea(request.user, idea, request.POST.get("response", ""))
    except Refused as error:
        return _fail(request, error, idea.get_absolute_url() + "#response")
    messages.success(request, "Your response is published.")
    return redirect(idea.get_absolute_url() + "#response")


@login_required
def idea_history(request, idea_id):
    idea = _idea_or_404(request, idea_id)
    refused = refusal(request.user, "ideas.view_idea_history", idea)
    if refused is not None:
        return HttpResponseForbidden(refused.message)
    revisions = list(idea.revisions.select_related("editor__profile").order_by("created_at", "pk"))
    entries = []
    previous = None
    for revision in revisions:
        diff = []
        if previous is not None:
            before = f"{previous.title}\n\n{previous.summary}\n\n{previous.body}".splitlines()
            after = f"{revision.title}\n\n{revision.summary}\n\n{revision.body}".splitlines()
            diff = list(difflib.unified_diff(before, after, "before", "after", lineterm="", n=1))
        entries.append({"revision": revision, "diff": diff})
        previous = revision
    entries.reverse()
    return render(request, "ideas/idea_history.html", {"idea": idea, "entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            rate_limit(request, "token")
            _, new_key = token_services.create_api_token(request.user, form.cleaned_data["name"])
        except Refused as error:
            _form_error(form, error)
        else:
            form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "account/tokens.html", {"form": form, "tokens": rows, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token_services.revoke_api_token(request.user, token)
    messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("tokens")
