"""A prize call with two stages: an open stage scored on three weighted
criteria with two questions, then a final stage with the big prize."""

from datetime import timedelta

import factory
from django.utils import timezone

from prizes.models import Application, PanelMember, PrizeCallPage

from ..factories import CallFactory, UserFactory


def stage_blocks(now=None):
    now = now or timezone.now()
    return [
        {"type": "stage", "value": {
            "name": "Open", "opens": now - timedelta(days=1), "closes": now + timedelta(days=30),
            "awards": "Up to 10 discovery awards of £25,000", "threshold": 70, "assessors": 3,
            "criteria": [
                {"name": "Impact", "meaning": "How much it would cut emissions", "weight": 2, "low": 0, "high": 10},
                {"name": "Feasibility", "meaning": "Whether the team can deliver it", "weight": 1, "low": 0, "high": 10},
                {"name": "Team", "meaning": "The skills to do it", "weight": 1, "low": 1, "high": 5},
            ],
            "questions": [
                {"question": "What is your innovation?", "guidance": "", "word_limit": 300},
                {"question": "Who will use it?", "guidance": "Name the first customers.", "word_limit": 200},
            ]}},
        {"type": "stage", "value": {
            "name": "Final", "opens": now + timedelta(days=60), "closes": now + timedelta(days=90),
            "awards": "A final prize of £1m", "threshold": None, "assessors": 5,
            "criteria": [{"name": "Evidence", "meaning": "Results of the trial", "weight": 1, "low": 0, "high": 10}],
            "questions": []}},
    ]


class PrizeFactory(CallFactory):
    class Meta:
        model = PrizeCallPage

    title = factory.Sequence(lambda n: f"Prize {n}")
    slug = factory.Sequence(lambda n: f"prize-{n}")
    prize_stages = factory.LazyFunction(stage_blocks)


# --- the panel's work (tests/prizes/test_assigning.py, test_assessing.py) ------

class PanelMemberFactory(factory.django.DjangoModelFactory):
    """A seat on a prize's panel (pass `prize`)."""

    class Meta:
        model = PanelMember

    user = factory.SubFactory(UserFactory)
    is_chair = False


class SubmittedApplicationFactory(factory.django.DjangoModelFactory):
    """An application submitted to the prize's first stage (pass `prize`)."""

    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    stage = factory.LazyAttribute(lambda o: o.prize.stages()[0].id)
    status = Application.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


# --- applications' files (tests/prizes/test_attachments.py) ---------------------

# The EICAR test string: every virus scanner reports it, and it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def pdf_bytes(text=b"A budget for tidal kites", size=0):
    """A small PDF (only its header matters to prizes/files.py), padded to
    `size` bytes if given."""
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + text + b"\n%%EOF\n"
    return data + b"%" * max(0, size - len(data))


def photo_with_gps(image_format="JPEG"):
    """A photo carrying EXIF with a camera model and a GPS position (London)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (32, 24), (200, 40, 40))
    exif = image.getexif()
    exif[0x0110] = "Spy Camera 3000"
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    out = io.BytesIO()
    image.save(out, image_format, exif=exif)
    return out.getvalue()
