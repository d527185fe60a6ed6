"""From stored counts to what the dashboard says: rows for its tables and
sentences for people (pure; the counts come from participation/selectors.py
through the snapshot, the references from the team or the defaults)."""

from datetime import date

from people.choices import OrganisationSize, OrganisationType, Region

from . import equity


def present(counts, references):
    by_type, by_size, by_region = counts["by_type"], counts["by_size"], counts["by_region"]
    from_organisations = sum(by_type.values())
    size_rows = equity.compare(by_size, OrganisationSize.choices, references["size"]["shares"])
    region_rows = equity.compare(by_region, Region.choices, references["region"]["shares"])
    type_rows = equity.compare(by_type, OrganisationType.choices)
    gaps = []
    if from_organisations:
        gaps += equity.gaps(region_rows, noun="ideas", dimension="region", against=references["region"]["against"])
        gaps += equity.gaps(size_rows, noun="ideas", dimension="size", against=references["size"]["against"])
    elif counts["totals"]["ideas"]:
        gaps.append("No ideas yet from organisations: every idea so far is from an individual.")
    else:
        gaps.append("No ideas yet.")
    questions = [tuple(q) for q in counts["questions"]]
    timeline = [
        {**w, "week": date.fromisoformat(w["week"]), "participants_text": equity.shown(w["participants"])}
        for w in counts["weeks"]
    ]
    return {
        "totals": counts["totals"],
        "individuals_text": equity.shown(counts["individuals"]),
        "from_organisations_text": equity.shown(from_organisations),
        "type_rows": type_rows,
        "size_rows": size_rows,
        "region_rows": region_rows,
        "references": references,
        "gaps": gaps,
        "questions": questions,
        "unanswered": equity.unanswered(questions),
        "timeline": timeline,
    }
