"""What an application's file is, read from its bytes: never from its name
nor from the type the browser claimed. Pure: no I/O beyond the bytes given
(the service, prizes/services/attachments.py, reads the upload and stores
what this module returns).

Accepted: PDF, PNG, JPEG, GIF, WebP, Word/Excel/PowerPoint documents
(.docx, .xlsx, .pptx: a zip whose [Content_Types].xml names the main part
and which holds it; the macro-enabled variants are refused), OpenDocument
text, spreadsheets and presentations (.odt, .ods, .odp: a zip whose first
entry `mimetype` says so) and CSV (UTF-8 text, no NUL byte, lines with the
same number of delimited fields, a header and a line at least). Anything
else is refused, whatever it is called: an .exe named report.pdf is
refused because it starts with MZ, not %PDF. The sniffing is written here (a few dozen lines) rather than taken
from a library: the office formats need a look inside the zip, and CSV a
look at the lines, which the sniffing libraries do by guesswork on the
first bytes.

Images are re-encoded with Pillow from their pixels alone (`reencode`), so
EXIF (a camera's GPS position, its serial number), XMP, comments and text
chunks are not kept; the orientation EXIF asked for is applied first, and
the colour profile (colour data, nothing about the person) is kept."""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError


@dataclass(frozen=True)
class Kind:
    """A type of file we accept: what people call it, its content type and
    the extensions it goes by (the first is given to a name without one)."""

    label: str
    content_type: str
    extensions: tuple[str, ...]
    image: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = Kind("PDF", "application/pdf", ("pdf",))
PNG = Kind("PNG image", "image/png", ("png",), image=True)
JPEG = Kind("JPEG image", "image/jpeg", ("jpg", "jpeg"), image=True)
GIF = Kind("GIF image", "image/gif", ("gif",), image=True)
WEBP = Kind("WebP image", "image/webp", ("webp",), image=True)
DOCX = Kind("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",))
XLSX = Kind("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = Kind("PowerPoint presentation", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            ("pptx",))
ODT = Kind("OpenDocument text", "application/vnd.oasis.opendocument.text", ("odt",))
ODS = Kind("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", ("ods",))
ODP = Kind("OpenDocument presentation", "application/vnd.oasis.opendocument.presentation", ("odp",))
CSV = Kind("CSV file", "text/csv", ("csv",))

KINDS = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV)
ACCEPTED_EXTENSIONS = tuple(dict.fromkeys(ext for kind in KINDS for ext in kind.extensions))

# OOXML: the main part's content type in [Content_Types].xml, and the part
# itself. The macro-enabled types (docm, xlsm, pptm) are not here: refused.
_OOXML = (
    (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/"),
    (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/"),
    (PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "ppt/"),
)
_ODF = {ODT.content_type: ODT, ODS.content_type: ODS, ODP.content_type: ODP}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SMALL_PART = 1024 * 1024  # [Content_Types].xml and `mimetype` are small: never inflate more
MAX_PIXELS = 60_000_000   # an image larger than this is refused, not decoded (a decompression bomb)
MAX_NAME = 120


def sniff(data: bytes) -> Kind | None:
    """The kind of file these bytes are, or None if not one we accept."""
    head = data[:16]
    if data[:1024].lstrip(b"\x00\t\n\r \x0c")[:5] == b"%PDF-":  # readers allow a little junk before the header
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zipped(data)
    return _csv(data)


def _read_small(archive, info):
    if info.file_size > _SMALL_PART:
        return None
    with archive.open(info) as member:
        return member.read(_SMALL_PART + 1)[:_SMALL_PART]


def _zipped(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if not infos:
            return None
        # OpenDocument: the first entry is `mimetype`, stored, naming the type.
        if infos[0].filename == "mimetype":
            found = _read_small(archive, infos[0])
            return _ODF.get((found or b"").decode("ascii", "replace").strip())
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
            return None
        types = (_read_small(archive, archive.getinfo("[Content_Types].xml")) or b"").decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError,
            ValueError):
        return None
    for kind, main, folder in _OOXML:
        if f'ContentType="{main}"' in types and any(n.startswith(folder) for n in names):
            return kind
    return None


_DELIMITERS = (",", ";", "\t")
_CSV_ROWS = 500  # the lines looked at


def _csv(data):
    if b"\x00" in data or not data.strip():
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    # Control characters other than tab and line ends are not text.
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in text[:200_000]):
        return None
    first = text.lstrip().split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first.count)
    if first.count(delimiter) == 0:
        return None
    try:
        rows = []
        for row in csv.reader(io.StringIO(text.strip()), delimiter=delimiter, strict=True):
            if any(cell.strip() for cell in row):
                rows.append(len(row))
            if len(rows) >= _CSV_ROWS:
                break
    except csv.Error:
        return None
    if len(rows) < 2:  # a header and at least one line under it
        return None
    width = rows[0]
    # Lines of the same width as the header, a few ragged ones forgiven.
    return CSV if width >= 2 and sum(n == width for n in rows) >= 0.8 * len(rows) else None


def kind_problem(name: str, data: bytes) -> str | None:
    """Why these bytes are refused, naming the file, or None."""
    if not data:
        return f"“{name}” is empty."
    if data.startswith(_OLE2):
        return (f"“{name}” is an old Word, Excel or PowerPoint (97–2003) file: save it as .docx, .xlsx or "
                f".pptx, or as a PDF, and attach that.")
    if sniff(data) is None:
        return f"“{name}” is not a PDF, image, office document or CSV file: its content says otherwise."
    return None


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value >= 10 or value == int(value) else f"{value:.1f} MB"


def size_problem(name: str, size: int, max_mb: int) -> str | None:
    """Why a file of `size` bytes is refused for a prize taking `max_mb`, or None."""
    if size > max_mb * 1024 * 1024:
        return f"“{name}” is {megabytes(size)}: each file must be {max_mb} MB or smaller."
    return None


def count_problem(name: str, attached: int, max_files: int) -> str | None:
    """Why one more file is refused when `attached` are there already, or None."""
    if attached >= max_files:
        return (f"You can attach up to {max_files} file{'' if max_files == 1 else 's'}: remove one to attach "
                f"“{name}”.")
    return None


_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,5}")


def clean_name(name: str, kind: Kind | None = None) -> str:
    """The file's name as shown to those who may see it: no folder, no
    control or direction-changing characters, at most 120 characters, and,
    given its kind, an extension that says what it is ("notes.txt" that is
    a CSV becomes "notes.csv"; "photo.jpeg" keeps its own)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    # Cc: control characters; Cf: format characters (right-to-left override,
    # zero-width joiners) that can disguise "fdp.exe" as "exe.pdf".
    name = _SPACES.sub(" ", name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn")).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(extension):
        stem, extension = name, ""  # "v1.2 final" has no extension
    if kind is not None and extension.lower() not in kind.extensions:
        extension = kind.extension
    stem = stem.strip(" .") or "file"
    suffix = f".{extension}" if extension else ""
    return stem[:MAX_NAME - len(suffix)].rstrip(" .") + suffix


class ImageProblem(ValueError):
    """An image Pillow cannot decode, or too large to."""


def reencode(data: bytes, kind: Kind) -> bytes:
    """The image's pixels in a new file of the same kind, with no metadata:
    a new image is built from the decoded pixels, so nothing of the
    original's EXIF, XMP, comments or text chunks can follow it."""
    try:
        with Image.open(io.BytesIO(data)) as original:
            if original.width * original.height > MAX_PIXELS:
                raise ImageProblem("too many pixels")
            icc = original.info.get("icc_profile")
            frames, durations = [], []
            for n, frame in enumerate(ImageSequence.Iterator(original), start=1):
                if n * original.width * original.height > MAX_PIXELS:  # all the frames of an animation
                    raise ImageProblem("too many pixels")
                durations.append(frame.info.get("duration", 100))
                frames.append(_pixels(frame, kind))
            loop = original.info.get("loop", 0)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError,
            EOFError) as problem:
        raise ImageProblem(str(problem)) from problem
    if not frames:
        raise ImageProblem("no picture")
    options = {"icc_profile": icc} if icc else {}
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:], duration=durations, loop=loop)
    out = io.BytesIO()
    first = frames[0]
    if kind is JPEG:
        first.save(out, "JPEG", quality=90, optimize=True, icc_profile=icc)
    elif kind is PNG:
        first.save(out, "PNG", optimize=True, icc_profile=icc)
    elif kind is GIF:
        options.pop("icc_profile", None)
        first.save(out, "GIF", **options)
    elif kind is WEBP:
        first.save(out, "WEBP", quality=90, **options)
    else:
        raise ImageProblem(f"{kind.label} is not an image")
    return out.getvalue()


def _pixels(frame, kind):
    """A new image holding only the frame's pixels (upright), in a mode its
    kind can store."""
    frame = ImageOps.exif_transpose(frame) if kind in (JPEG, PNG, WEBP) else frame.copy()
    if kind is JPEG:
        mode = frame.mode if frame.mode in ("L", "RGB", "CMYK") else "RGB"
    elif kind is GIF:
        mode = "RGBA" if "transparency" in frame.info or frame.mode in ("RGBA", "LA", "PA") else "RGB"
    else:
        mode = frame.mode if frame.mode in ("L", "LA", "RGB", "RGBA") else (
            "RGBA" if "transparency" in frame.info or "A" in frame.mode else "RGB")
    frame = frame.convert(mode)
    return Image.frombytes(mode, frame.size, frame.tobytes())
