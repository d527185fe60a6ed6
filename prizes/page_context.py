"""What a prize call's page shows beyond a challenge call's: its stages, each
with its dates, awards, threshold, criteria (with weights as shares) and
questions, and where the clock stands. Registered on consult's call page."""


from consult.visibility import public_pages
from inputs.refusals import can

from . import results
from .models import Application, Assignment, PanelMember, PrizeCallPage
from .rules import clock, stage_takes_applications


def prize_context(call, request):
    if not isinstance(call, PrizeCallPage):
        return {}
    found = call.stages()
    signed_in = request.user.is_authenticated
    return {
        "prize": {
            "stages": found,
            "now": clock(call),
            "blind": call.blind,
            "max_file_mb": call.max_file_mb,
            "max_files": call.max_files,
            # Signed out: the button too (the form asks them to sign in first).
            "can_apply": stage_takes_applications(request.user, call),
            "applied": signed_in and Application.objects.filter(prize=call, applicant=request.user).exists(),
            # Links to the panel's own pages, for those who have them.
            "sees_sheet": signed_in and can(request.user, "prizes.view_sheet", call),
            "runs_panel": signed_in and can(request.user, "prizes.manage_panel", call),
            "on_panel": signed_in and PanelMember.objects.filter(prize=call, user=request.user).exists(),
            "assesses": signed_in and Assignment.objects.filter(application__prize=call,
                                                                assessor=request.user).exists(),
        },
        # Who advanced and what was awarded, once the team publishes a stage.
        "prize_results": results.published_results([call])[0][1],
        "call_caption": "Challenge prize",
    }


def ledger_context(mission, call):
    """The mission's (or the prize call's) published prize results for "you
    said, we did": only prizes the page rule says are public."""
    prizes = public_pages(PrizeCallPage)
    prizes = prizes.filter(pk=call.pk) if call is not None else prizes.descendant_of(mission)
    found = [(prize, rows) for prize, rows in results.published_results(prizes.order_by("path")) if rows]
    return {"ledger_prizes": found}
