"""What may be published of a consultation's counts (for the open data and
the published responses to come): the stored tallies with the one
suppression rule of the site, participation/equity.py's. Counts of 1 to 4
are not shown, and where the parts of a question add up to a total anyone
can see (the respondents), the next smallest part is withheld too
(`equity.protect`), so that the total less the parts shown never gives a
small count back. The "no answer" of each question is one of its parts.
The team's analysis page shows exact counts; nothing public starts
anywhere but here."""

from participation import equity

from . import questions as asking
from . import tallies
from .models import ConsultationPage, TalliedResponse, Tally

NO_ANSWER = "#no_answer"
# One answer each (a ranking's first place too): the options and "no answer" add up to the respondents.
ADDITIVE = (asking.SINGLE, asking.AGREE, asking.YES_NO, asking.RANKING)


def _hide_total(group):
    """The respondents are not shown: no group adding up to them may show
    every part (their sum would give the total back), so every part that
    is not 0 is withheld, as participation/report.py does."""
    withheld = frozenset(k for k, n in group.values.items() if n) - group.small
    return equity.Protected({k: (None if k in withheld or k in group.small else n) for k, n in group.values.items()},
                            group.small, withheld, False)


def public_results(consultation: ConsultationPage) -> dict:
    """{"respondents": n or None, "questions": [{"id", "number", "text",
    "kind", "answered": n or None, "options": {option: n or None},
    "texts": {option: "12" / "fewer than 5" / "withheld"}, "mean": the
    mean of a number question's answers or None}]}: overall counts only
    (no cross-tab), None wherever a count is not shown. Each question's
    parts are protected together: its options and "no answer" when each
    respondent gives one answer (single, scale, yes/no; a ranking's first
    places), its answered and not answered otherwise; a multiple choice's
    options (one respondent ticks many) have only their small counts hidden."""
    respondents = TalliedResponse.objects.filter(response__consultation_id=consultation.pk).count()
    counts = {(t.question, t.option): (t.count, t.total)
              for t in Tally.objects.filter(consultation_id=consultation.pk, dimension=tallies.OVERALL)}
    rows = []
    for q in consultation.question_list():
        answered, total = counts.get((q.id, tallies.ANSWERED), (0, 0))
        options = {o: counts.get((q.id, o), (0, 0))[0] for o in q.choices} if q.choices else {}
        if q.kind in ADDITIVE:
            parts = equity.protect({**options, NO_ANSWER: respondents - answered})
            choices = None
        else:
            parts = equity.protect({tallies.ANSWERED: answered, NO_ANSWER: respondents - answered})
            choices = equity.protect(options, total_known=False) if options else None
        rows.append((q, answered, total, options, parts, choices))
    respondents_shown = equity.suppressed(respondents) is not None and all(r[4].total_shown for r in rows)
    found = []
    for q, answered, total, options, parts, choices in rows:
        if not respondents_shown:
            parts = _hide_total(parts)
        if q.kind in ADDITIVE:
            shown = all(v is not None for v in parts.values.values())
            answered_shown, group = (answered if shown else None), parts
        else:
            answered_shown, group = parts.values[tallies.ANSWERED], choices
        found.append({
            "id": q.id, "number": q.number, "text": q.text, "kind": q.kind, "answered": answered_shown,
            "options": {o: group.values.get(o) for o in options} if group else {},
            "texts": {o: group.text(o) for o in options} if group else {},
            "mean": total / answered if q.kind == asking.NUMBER and answered_shown else None,
        })
    return {"respondents": respondents if respondents_shown else None, "questions": found}
