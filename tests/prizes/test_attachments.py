"""Files attached to prize applications: the type read from the content
(a disguised .exe refused), the prize's size and count limits, images
stored without their metadata, who may download (others get 404) and how
(a download, nosniff, sandboxed), blind names for assessors, the virus scan
by a real clamd started here with the EICAR signature, and the S3 storage
through moto's in-process S3 (no real S3 is reachable here)."""

import io
import shutil
import socket
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from moto import mock_aws
from PIL import Image

from cms.settings.base import prize_files_storage
from cms.tasks import run_scheduled
from inputs.refusals import Refused
from prizes import files, scan_tasks, scanning
from prizes.models import Application, Assignment, Attachment, Conflict
from prizes.services import applications, attachments

from ..factories import MembershipFactory, MissionFactory, UserFactory
from .factories import EICAR, PanelMemberFactory, PrizeFactory, pdf_bytes, photo_with_gps

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    """Files in this test's own folder, and no scanner unless a test sets one."""
    folder = tmp_path / "private" / "prize-files"
    settings.STORAGES = {**settings.STORAGES, "prize_files": prize_files_storage({}, tmp_path)}
    settings.CLAMD_URL = ""
    return folder


def stored_files(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def prize(site):
    return PrizeFactory(parent=MissionFactory())


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def signed_in(user):
    browser = Client()
    browser.force_login(user)
    return browser


def first_question(prize):
    return f"q_{prize.stages()[0].questions[0].id}"


# --- attaching, listing, downloading ----------------------------------------------

@pytest.mark.django_db
def test_a_pdf_is_attached_on_the_apply_page_listed_and_downloaded_as_an_attachment(prize, storage):
    person = UserFactory()
    browser = signed_in(person)
    form = browser.get(prize.url + "apply/").content.decode()
    assert 'enctype="multipart/form-data"' in form and "Add a file" in form
    assert "up to 5 files, each 20 MB or smaller" in form
    answered = browser.post(prize.url + "apply/", {first_question(prize): "Tidal kites", "action": "upload",
                                                   "file": upload("C:\\Users\\me\\Budget 2027.pdf", pdf_bytes())})
    assert answered.status_code == 302 and answered["Location"].endswith("/apply/#files")
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.content_type, attachment.scan) == ("Budget 2027.pdf", "application/pdf",
                                                                          Attachment.UNSCANNED)
    assert attachment.application.applicant == person and len(stored_files(storage)) == 1
    # The answer typed beside the upload was saved too.
    page = browser.get(prize.url + "apply/").content.decode()
    assert "Tidal kites" in page and "Budget 2027.pdf" in page and "1 KB" in page
    assert f'value="remove:{attachment.pk}"' in page
    assert "Budget 2027.pdf" in browser.get(prize.url + "apply/check/").content.decode()

    download = browser.get(f"{prize.url}apply/files/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Budget 2027.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(download.streaming_content) == pdf_bytes()


@pytest.mark.django_db
def test_the_existing_save_and_continue_buttons_still_work_beside_the_files(prize):
    browser = signed_in(UserFactory())
    saved = browser.post(prize.url + "apply/", {first_question(prize): "Tidal kites", "action": "save"})
    assert saved.status_code == 200 and "Your answers are saved" in saved.content.decode()
    onward = browser.post(prize.url + "apply/", {first_question(prize): "Tidal kites", "action": "continue"})
    assert onward.status_code == 302 and onward["Location"].endswith("/apply/check/")
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_disguised_exe_named_pdf_is_refused_with_its_name_and_nothing_is_stored(prize, storage):
    person = UserFactory()
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run"
    with pytest.raises(Refused) as refused:
        attachments.attach(person, prize, upload("report.pdf", program))
    assert refused.value.message == ("“report.pdf” is not a PDF, image, office document or CSV file: "
                                     "its content says otherwise.")
    assert refused.value.field == "file" and refused.value.code == "file_type"
    # On the page: the message on the file field, the answers kept.
    answer = signed_in(person).post(prize.url + "apply/", {first_question(prize): "Kites", "action": "upload",
                                                           "file": upload("report.pdf", program)})
    assert answer.status_code == 400
    assert "its content says otherwise" in answer.content.decode() and 'href="#file"' in answer.content.decode()
    assert not Attachment.objects.exists() and stored_files(storage) == []


@pytest.mark.django_db
def test_a_file_over_the_prizes_size_limit_is_refused_naming_it_and_the_limit(prize, storage):
    prize.max_file_mb = 1
    prize.save()
    with pytest.raises(Refused) as refused:
        attachments.attach(UserFactory(), prize, upload("plans.pdf", pdf_bytes(size=1024 * 1024 + 1)))
    assert refused.value.message == "“plans.pdf” is 1.0 MB: each file must be 1 MB or smaller."
    assert refused.value.code == "too_large"
    assert not Attachment.objects.exists() and stored_files(storage) == []
    # Exactly the limit is fine.
    attachments.attach(UserFactory(), prize, upload("plans.pdf", pdf_bytes(size=1024 * 1024)))


@pytest.mark.django_db
def test_one_file_more_than_the_prize_takes_is_refused_and_nothing_is_stored(prize, storage):
    prize.max_files = 2
    prize.save()
    person = UserFactory()
    for n in (1, 2):
        attachments.attach(person, prize, upload(f"part {n}.pdf", pdf_bytes()))
    with pytest.raises(Refused) as refused:
        attachments.attach(person, prize, upload("part 3.pdf", pdf_bytes()))
    assert refused.value.message == "You can attach up to 2 files: remove one to attach “part 3.pdf”."
    assert Attachment.objects.count() == 2 and len(stored_files(storage)) == 2
    # The page offers no upload once full.
    assert "Add a file" not in signed_in(person).get(prize.url + "apply/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("image_format, name, content_type", [("JPEG", "kite.jpg", "image/jpeg"),
                                                               ("PNG", "kite.png", "image/png")])
def test_a_photo_is_stored_re_encoded_without_its_gps_position_or_camera(prize, storage, image_format, name,
                                                                         content_type):
    original = photo_with_gps(image_format)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS position is there to start with
    attachment = attachments.attach(UserFactory(), prize, upload(name, original))
    assert attachment.content_type == content_type
    (stored,) = stored_files(storage)
    kept = Image.open(stored)
    assert kept.format == image_format and kept.size == (32, 24)
    exif = kept.getexif()
    assert 0x8825 not in exif and not exif.get_ifd(0x8825) and 0x0110 not in exif
    assert b"Spy Camera" not in stored.read_bytes() and attachment.size == stored.stat().st_size


@pytest.mark.django_db
def test_a_file_is_removed_from_the_apply_page_or_its_own_page_and_deleted_from_the_storage(prize, storage):
    person = UserFactory()
    browser = signed_in(person)
    first = attachments.attach(person, prize, upload("one.pdf", pdf_bytes()))
    second = attachments.attach(person, prize, upload("two.pdf", pdf_bytes()))
    removed = browser.post(prize.url + "apply/", {first_question(prize): "", "action": f"remove:{first.pk}"})
    assert removed.status_code == 302
    assert list(Attachment.objects.values_list("name", flat=True)) == ["two.pdf"]
    confirm = browser.get(f"{prize.url}apply/files/{second.pk}/remove/")
    assert confirm.status_code == 200 and "Are you sure you want to remove “two.pdf”?" in confirm.content.decode()
    assert browser.post(f"{prize.url}apply/files/{second.pk}/remove/").status_code == 302
    assert not Attachment.objects.exists()
    # Another's file is not there for them.
    other = attachments.attach(UserFactory(), prize, upload("theirs.pdf", pdf_bytes()))
    assert browser.post(f"{prize.url}apply/files/{other.pk}/remove/").status_code == 404
    assert Attachment.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_removed_file_leaves_the_storage_once_committed(prize, storage):
    person = UserFactory()
    attachment = attachments.attach(person, prize, upload("one.pdf", pdf_bytes()))
    assert len(stored_files(storage)) == 1
    attachments.remove(person, prize, attachment.pk)
    assert stored_files(storage) == []


@pytest.mark.django_db
def test_once_submitted_files_can_no_longer_be_added_or_removed(prize):
    person = UserFactory()
    attachment = attachments.attach(person, prize, upload("one.pdf", pdf_bytes()))
    applications.save_draft(person, prize, {q.id: "An answer" for q in prize.stages()[0].questions})
    applications.submit(person, prize)
    for act in (lambda: attachments.attach(person, prize, upload("two.pdf", pdf_bytes())),
                lambda: attachments.remove(person, prize, attachment.pk)):
        with pytest.raises(Refused) as refused:
            act()
        assert (refused.value.status, refused.value.code) == (409, "already_submitted")
    assert Attachment.objects.count() == 1


# --- who may download ------------------------------------------------------------

def assessor_of(application, conflict=False):
    member = PanelMemberFactory(prize=application.prize)
    Assignment.objects.create(application=application, stage=application.stage, assessor=member.user)
    if conflict:
        Conflict.objects.create(member=member, person=application.applicant)
    return member.user


@pytest.mark.django_db
def test_only_the_applicant_the_team_and_an_unconflicted_assessor_may_download(prize):
    applicant = UserFactory()
    attachment = attachments.attach(applicant, prize, upload("Kites Ltd plan.pdf", pdf_bytes()))
    application = attachment.application
    url = f"{prize.url}apply/files/{attachment.pk}/"
    other_applicant = UserFactory()
    attachments.attach(other_applicant, prize, upload("mine.pdf", pdf_bytes()))
    for nobody in (UserFactory(), other_applicant, assessor_of(application, conflict=True)):
        answer = signed_in(nobody).get(url)
        assert answer.status_code == 404 and "No such file." in answer.content.decode()
    assert Client().get(url).status_code == 302  # signed out: sign in first
    team = MembershipFactory(mission=prize.get_parent().specific, role="team").user
    for allowed in (applicant, team, assessor_of(application)):
        answer = signed_in(allowed).get(url)
        assert answer.status_code == 200
        assert answer["Content-Disposition"] == 'attachment; filename="Kites Ltd plan.pdf"'
        assert answer["X-Content-Type-Options"] == "nosniff"
    # An id of another prize's file is not found under this prize.
    elsewhere = PrizeFactory(parent=prize.get_parent())
    assert signed_in(applicant).get(f"{elsewhere.url}apply/files/{attachment.pk}/").status_code == 404


@pytest.mark.django_db
def test_blind_assessment_hides_file_names_from_assessors_only(prize):
    prize.blind = True
    prize.save()
    applicant = UserFactory()
    attachments.attach(applicant, prize, upload("cover.pdf", pdf_bytes()))
    second = attachments.attach(applicant, prize, upload("Kites Ltd - Jane Doe CV.pdf", pdf_bytes()))
    assessor = assessor_of(second.application)
    url = f"{prize.url}apply/files/{second.pk}/"
    blind = signed_in(assessor).get(url)
    assert blind.status_code == 200
    assert blind["Content-Disposition"] == 'attachment; filename="attachment-2.pdf"'
    assert "Jane" not in str(blind.headers)
    team = MembershipFactory(mission=prize.get_parent().specific, role="team").user
    for sees_names in (applicant, team):
        assert "Jane Doe CV.pdf" in signed_in(sees_names).get(url)["Content-Disposition"]


# --- what a file is (prizes/files.py) -----------------------------------------------

def zipped(entries):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in entries:
            archive.writestr(name, text)
    return out.getvalue()


def ooxml(main_type, part):
    return zipped([("[Content_Types].xml", f'<Types><Override PartName="/{part}" ContentType="{main_type}"/></Types>'),
                   (part, "<x/>")])


OOXML_MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"


@pytest.mark.parametrize("data, kind", [
    (pdf_bytes(), files.PDF),
    (ooxml(OOXML_MAIN.format("wordprocessingml.document"), "word/document.xml"), files.DOCX),
    (ooxml(OOXML_MAIN.format("spreadsheetml.sheet"), "xl/workbook.xml"), files.XLSX),
    (ooxml(OOXML_MAIN.format("presentationml.presentation"), "ppt/presentation.xml"), files.PPTX),
    (zipped([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")]), files.ODT),
    (zipped([("mimetype", "application/vnd.oasis.opendocument.spreadsheet")]), files.ODS),
    (zipped([("mimetype", "application/vnd.oasis.opendocument.presentation")]), files.ODP),
    (b"name,score\r\nKites,7\r\n\"Tides, Ltd\",9\r\n", files.CSV),
    ("\ufeffnom;note\nÉcole;8\n".encode(), files.CSV),
    (photo_with_gps("GIF"), files.GIF),
    (photo_with_gps("WEBP"), files.WEBP),
    # Refused: an executable, a zip of anything, a macro-enabled document,
    # prose, binary junk, a PDF's name on an HTML page.
    (b"MZ\x90\x00" + b"\x00" * 64, None),
    (zipped([("evil.exe", "MZ")]), None),
    (zipped([("[Content_Types].xml", OOXML_MAIN.format("wordprocessingml.document")), ("word/document.xml", "x"),
             ("word/vbaProject.bin", "macro")]), None),
    (b"Dear panel, please find attached.\n", None),
    (b"a,b\n\x00\x01,\x02\n", None),
    (b"<html><script>alert(1)</script></html>", None),
])
def test_the_type_is_read_from_the_content(data, kind):
    assert files.sniff(data) is kind


@pytest.mark.parametrize("given, kind, cleaned", [
    ("../../etc/passwd.pdf", files.PDF, "passwd.pdf"),
    ("C:\\Users\\me\\Budget.PDF", files.PDF, "Budget.PDF"),
    ("invoice\u202efdp.exe", files.PDF, "invoicefdp.pdf"),  # a right-to-left override is removed
    ("tab\there\x00.csv", files.CSV, "tab here.csv"),
    ("results.txt", files.CSV, "results.csv"),
    ("photo.jpeg", files.JPEG, "photo.jpeg"),
    ("v1.2 final", files.PDF, "v1.2 final.pdf"),
    ("a" * 300 + ".pdf", files.PDF, "a" * 116 + ".pdf"),
])
def test_the_stored_name_has_no_folder_no_control_characters_and_the_right_extension(given, kind, cleaned):
    assert files.clean_name(given, kind) == cleaned


def test_an_old_office_file_is_refused_with_what_to_do():
    assert "save it as .docx" in files.kind_problem("budget.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)


# --- the virus scan, with a real clamd -------------------------------------------------

def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def clamd():
    """clamd started here, on a unix socket and a TCP port, with a database
    of one signature: the EICAR test string anywhere in a file (an .ndb body
    signature; the real signatures cannot be downloaded here). Stopped after."""
    if not Path(CLAMD).exists():
        pytest.skip("clamd is not installed (apt-get install clamav-daemon; CI installs it in .ci/run)")
    folder = Path(tempfile.mkdtemp(prefix="clamd-", dir="/tmp"))  # short: a unix socket's path is limited
    (folder / "db").mkdir()
    (folder / "db" / "eicar.ndb").write_text(f"Eicar-Test-Signature:0:*:{EICAR.hex()}\n")
    port = free_port()
    (folder / "clamd.conf").write_text(
        f"LocalSocket {folder}/clamd.sock\nTCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {folder}/db\n"
        f"Foreground yes\nLogFile {folder}/clamd.log\nStreamMaxLength 30M\n")
    process = subprocess.Popen([CLAMD, f"--config-file={folder}/clamd.conf"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT)
    urls = {"unix": f"unix://{folder}/clamd.sock", "tcp": f"tcp://127.0.0.1:{port}"}
    try:
        deadline = time.monotonic() + 60
        while not (scanning.ping(urls["unix"], 1) and scanning.ping(urls["tcp"], 1)):
            log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
            assert process.poll() is None, f"clamd stopped: {log}"
            assert time.monotonic() < deadline, f"clamd did not answer PING: {log}"
            time.sleep(0.05)
        yield urls
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def infected_pdf():
    return pdf_bytes(b"Appendix\n" + EICAR)


@pytest.mark.django_db
@pytest.mark.parametrize("via", ["unix", "tcp"])
def test_an_infected_file_is_refused_and_nothing_is_stored_or_served(prize, storage, settings, clamd, via):
    settings.CLAMD_URL = clamd[via]
    assert scanning.scan_bytes(clamd[via], infected_pdf(), 10).signature.startswith("Eicar-Test-Signature")
    person = UserFactory()
    answer = signed_in(person).post(prize.url + "apply/", {first_question(prize): "Kites", "action": "upload",
                                                           "file": upload("appendix.pdf", infected_pdf())})
    assert answer.status_code == 400
    assert "“appendix.pdf” contains a virus, so it was not attached." in answer.content.decode()
    assert not Attachment.objects.exists() and stored_files(storage) == []


@pytest.mark.django_db
def test_a_clean_file_is_scanned_stored_clean_and_downloadable(prize, settings, clamd):
    settings.CLAMD_URL = clamd["tcp"]
    person = UserFactory()
    attachment = attachments.attach(person, prize, upload("plan.pdf", pdf_bytes()))
    assert attachment.scan == Attachment.CLEAN
    browser = signed_in(person)
    assert "Scanned" in browser.get(prize.url + "apply/").content.decode()
    assert browser.get(f"{prize.url}apply/files/{attachment.pk}/").status_code == 200


@pytest.mark.django_db
def test_without_a_reachable_clamd_a_file_is_held_until_the_worker_scans_it(prize, settings, clamd, huey_queue,
                                                                            commit):
    settings.CLAMD_URL = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    person = UserFactory()
    browser = signed_in(person)
    with commit():  # the worker's task runs after the commit (immediate mode), fails and is retried later
        held = attachments.attach(person, prize, upload("plan.pdf", pdf_bytes()))
        virus = attachments.attach(person, prize, upload("appendix.pdf", infected_pdf()))
    held.refresh_from_db()
    assert held.scan == virus.scan == Attachment.PENDING
    answer = browser.get(f"{prize.url}apply/files/{held.pk}/")
    assert answer.status_code == 409 and "waiting for its virus scan" in answer.content.decode()
    assert "Waiting for a virus scan" in browser.get(prize.url + "apply/").content.decode()

    # clamd is back: the retry scans both.
    settings.CLAMD_URL = clamd["unix"]
    assert run_scheduled(huey_queue, seconds_ahead=60) == 2
    held.refresh_from_db()
    virus.refresh_from_db()
    assert (held.scan, virus.scan) == (Attachment.CLEAN, Attachment.INFECTED)
    assert browser.get(f"{prize.url}apply/files/{held.pk}/").status_code == 200
    gone = browser.get(f"{prize.url}apply/files/{virus.pk}/")
    assert gone.status_code == 404 and "refused by the virus scan" in gone.content.decode()
    assert virus.file.name == ""
    # The applicant is told on their application, and may attach another in its place.
    page = browser.get(prize.url + "apply/").content.decode()
    assert "found a virus in this file, so it was deleted" in page


@pytest.mark.django_db(transaction=True)
def test_an_infected_file_found_by_the_worker_is_deleted_from_the_storage(prize, storage, settings, clamd):
    settings.CLAMD_URL = f"tcp://127.0.0.1:{free_port()}"
    virus = attachments.attach(UserFactory(), prize, upload("appendix.pdf", infected_pdf()))
    assert len(stored_files(storage)) == 1
    settings.CLAMD_URL = clamd["tcp"]
    assert scanning.record_verdict(virus.pk, 10) == Attachment.INFECTED
    assert stored_files(storage) == []


@pytest.mark.django_db
def test_a_slow_clamd_does_not_hold_the_upload(prize, settings):
    """A scanner that accepts the connection and never answers: the upload
    waits CLAMD_INLINE_TIMEOUT, then leaves the file to the worker."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings.CLAMD_URL = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        settings.CLAMD_INLINE_TIMEOUT = 0.3
        started = time.monotonic()
        attachment = attachments.attach(UserFactory(), prize, upload("plan.pdf", pdf_bytes()))
        assert time.monotonic() - started < 3
    assert attachment.scan == Attachment.PENDING


@pytest.mark.django_db
def test_the_sweep_scans_files_left_pending(prize, settings, clamd):
    settings.CLAMD_URL = f"tcp://127.0.0.1:{free_port()}"
    attachment = attachments.attach(UserFactory(), prize, upload("plan.pdf", pdf_bytes()))
    Attachment.objects.filter(pk=attachment.pk).update(uploaded_at=attachment.uploaded_at - scan_tasks.SWEEP_AFTER * 2)
    assert scan_tasks.sweep_pending_scans.call_local() == 0  # clamd still away: left pending
    settings.CLAMD_URL = clamd["tcp"]
    assert scan_tasks.sweep_pending_scans.call_local() == 1
    attachment.refresh_from_db()
    assert attachment.scan == Attachment.CLEAN


# --- the S3 storage (moto's S3, in-process) ------------------------------------------

@pytest.mark.django_db
def test_files_go_to_a_private_s3_bucket_when_one_is_configured(prize, settings):
    s3 = {"bucket_name": "prize-files", "region_name": "eu-west-2", "access_key": "test", "secret_key": "test",
          "endpoint_url": ""}
    config = prize_files_storage(s3, "/unused")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] == "private" and config["OPTIONS"]["querystring_auth"] is True
    assert "endpoint_url" not in config["OPTIONS"]  # empty: AWS itself
    assert prize_files_storage({**s3, "endpoint_url": "https://minio.example:9000"}, "/unused")[
        "OPTIONS"]["endpoint_url"] == "https://minio.example:9000"
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-2")
        client.create_bucket(Bucket="prize-files", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        settings.STORAGES = {**settings.STORAGES, "prize_files": config}
        person = UserFactory()
        attachment = attachments.attach(person, prize, upload("plan.pdf", pdf_bytes()))
        (key,) = [o["Key"] for o in client.list_objects_v2(Bucket="prize-files")["Contents"]]
        assert key == f"prize-files/{attachment.file.name}" and key.startswith(f"prize-files/prize-{prize.pk}/")
        grants = client.get_object_acl(Bucket="prize-files", Key=key)["Grants"]
        assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner's alone: private
        assert "URI" not in grants[0]["Grantee"]
        answer = signed_in(person).get(f"{prize.url}apply/files/{attachment.pk}/")
        assert answer.status_code == 200 and b"".join(answer.streaming_content) == pdf_bytes()
        attachments.remove(person, prize, attachment.pk)
        assert Application.objects.get().attachments.count() == 0
