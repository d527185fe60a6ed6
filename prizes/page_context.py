"""What a prize call's page shows beyond a challenge call's: its stages, each
with its dates, awards, threshold, criteria (with weights as shares) and
questions, and where the clock stands. Registered on consult's call page."""


from .models import Application, PrizeCallPage
from .rules import clock, stage_takes_applications


def prize_context(call, request):
    if not isinstance(call, PrizeCallPage):
        return {}
    found = call.stages()
    return {
        "prize": {
            "stages": found,
            "now": clock(call),
            "blind": call.blind,
            "max_file_mb": call.max_file_mb,
            "max_files": call.max_files,
            # Signed out: the button too (the form asks them to sign in first).
            "can_apply": stage_takes_applications(request.user, call),
            "applied": request.user.is_authenticated
            and Application.objects.filter(prize=call, applicant=request.user).exists(),
        },
        "call_caption": "Challenge prize",
    }
