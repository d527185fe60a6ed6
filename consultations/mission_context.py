"""What a mission page shows of its consultations: the public ones (the one
page rule, consult/visibility.py), newest first, with where each stands."""

from django.utils import timezone

from consult.visibility import public_pages

from .models import ConsultationPage


def mission_section(mission) -> dict:
    consultations = list(public_pages(ConsultationPage).child_of(mission).order_by("-opens", "pk")
                         .only("title", "url_path", "summary", "opens", "closes", "path", "depth"))
    now = timezone.now()
    for page in consultations:
        page.state = "open" if page.opens <= now < page.closes else ("closed" if now >= page.closes else "coming")
    return {"mission_consultations": consultations}
