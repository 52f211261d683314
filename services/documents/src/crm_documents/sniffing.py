"""What a file really is, from its first bytes, and whether it may be kept.

The content type an attachment is stored and served with is the one found
here, never the one the client declared: a browser that trusts it then renders
what it really is. Executables and scripts are refused whatever their name
says, and a name whose extension promises another kind of file than the
content is (an EXE named .pdf, a ZIP named .jpg) is refused as a disguise.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_core.errors import FieldProblem, InvalidArgument

# Bytes the sniffer needs before it can decide (an office file's part names lie within the first entries).
SNIFF_BYTES = 64 * 1024

# Names that run code when opened, whatever their content.
REFUSED_EXTENSIONS = frozenset(
    {
        "exe", "dll", "com", "bat", "cmd", "js", "mjs", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "psm1", "msi",
        "msp", "scr", "sh", "bash", "zsh", "csh", "ksh", "pif", "cpl", "jar", "app", "apk", "elf", "bin", "run",
        "hta", "lnk", "reg", "gadget", "appimage", "deb", "rpm", "dmg", "pkg",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Sniffed:
    """The content type found and the extensions a file of that type may carry."""

    content_type: str
    extensions: frozenset[str]
    # A kind of file that may be renamed freely within (text: .txt, .csv, .md, .json ...).
    loose: bool = False


def _kind(content_type: str, *extensions: str, loose: bool = False) -> Sniffed:
    return Sniffed(content_type, frozenset(extensions), loose)


PDF = _kind("application/pdf", "pdf")
PNG = _kind("image/png", "png")
JPEG = _kind("image/jpeg", "jpg", "jpeg", "jpe", "jfif")
GIF = _kind("image/gif", "gif")
WEBP = _kind("image/webp", "webp")
BMP = _kind("image/bmp", "bmp")
TIFF = _kind("image/tiff", "tif", "tiff")
ZIP = _kind("application/zip", "zip")
DOCX = _kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "docm", "dotx")
XLSX = _kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "xlsm", "xltx")
PPTX = _kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "pptm", "potx")
ODT = _kind("application/vnd.oasis.opendocument.text", "odt")
ODS = _kind("application/vnd.oasis.opendocument.spreadsheet", "ods")
ODP = _kind("application/vnd.oasis.opendocument.presentation", "odp")
# Legacy Office (OLE2 compound file): Word, Excel and PowerPoint share one signature.
OLE = _kind("application/x-ole-storage", "doc", "xls", "ppt", "msg", "dot", "xlt", "pps")
OLE_TYPES = {"doc": "application/msword", "dot": "application/msword", "xls": "application/vnd.ms-excel",
             "xlt": "application/vnd.ms-excel", "ppt": "application/vnd.ms-powerpoint",
             "pps": "application/vnd.ms-powerpoint", "msg": "application/vnd.ms-outlook"}  # fmt: skip
RTF = _kind("application/rtf", "rtf")
GZIP = _kind("application/gzip", "gz", "tgz")
SEVEN_ZIP = _kind("application/x-7z-compressed", "7z")
RAR = _kind("application/vnd.rar", "rar")
MP3 = _kind("audio/mpeg", "mp3")
MP4 = _kind("video/mp4", "mp4", "m4a", "m4v", "mov")
OGG = _kind("audio/ogg", "ogg", "oga", "ogv", "opus")
WAV = _kind("audio/wav", "wav")
TEXT = _kind("text/plain", "txt", "text", "log", "md", "json", "xml", "yaml", "yml", "ini", "conf", "eml", loose=True)
CSV = _kind("text/csv", "csv", "tsv", loose=True)
SVG = _kind("image/svg+xml", "svg", loose=True)
HTML = _kind("text/html", "html", "htm", loose=True)
UNKNOWN = _kind("application/octet-stream", loose=True)

# Signatures of programs: refused whatever the name says.
EXECUTABLE_MAGIC = (
    b"MZ",  # DOS/Windows PE (exe, dll, scr, msi's stub)
    b"\x7fELF",  # Linux and BSD
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O universal (and Java class files)
    b"#!",  # a script with its interpreter
)  # fmt: skip


def extension(filename: str) -> str:
    """The lowercase extension of the last dot of the file name ("" without one)."""
    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    return ext.lower().strip() if dot and stem else ""


def _zip_kind(head: bytes) -> Sniffed:
    """A ZIP container's kind by the names of its first entries (OOXML parts, OpenDocument's mimetype)."""
    if head[30:38] == b"mimetype":
        kind = head[38:120]
        for marker, sniffed in ((b"opendocument.text", ODT), (b"opendocument.spreadsheet", ODS),
                                (b"opendocument.presentation", ODP)):  # fmt: skip
            if marker in kind:
                return sniffed
    if b"[Content_Types].xml" in head or b"_rels/.rels" in head:
        for marker, sniffed in ((b"word/", DOCX), (b"xl/", XLSX), (b"ppt/", PPTX)):
            if marker in head:
                return sniffed
    return ZIP


def _text_kind(head: bytes, complete: bool) -> Sniffed | None:
    """Plain text when the bytes decode as UTF-8 (or a UTF-16 with its BOM, or cp1251 without control bytes)."""
    sample = head
    if not complete:
        # A multi-byte character may be cut at the end of what was read.
        sample = head[: max(0, len(head) - 3)]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TEXT
    try:
        text = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1251")
        except UnicodeDecodeError:
            return None
    if any(ord(c) < 32 and c not in "\t\r\n\f" for c in text):
        return None
    stripped = text.lstrip().lower()
    if stripped.startswith("<svg") or (stripped.startswith("<?xml") and "<svg" in stripped[:1000]):
        return SVG
    if stripped.startswith(("<!doctype html", "<html")):
        return HTML
    lines = [line for line in text.splitlines()[:20] if line]
    if len(lines) >= 2 and all(line.count(";") or line.count(",") or line.count("\t") for line in lines):
        return CSV
    return TEXT


def sniff(head: bytes, complete: bool = False) -> Sniffed:
    """The kind of file `head` (its first bytes; `complete`: all of it) begins; UNKNOWN when none is recognised."""
    table: tuple[tuple[bytes, Sniffed], ...] = (
        (b"%PDF-", PDF),
        (b"\x89PNG\r\n\x1a\n", PNG),
        (b"\xff\xd8\xff", JPEG),
        (b"GIF87a", GIF),
        (b"GIF89a", GIF),
        (b"BM", BMP),
        (b"II*\x00", TIFF),
        (b"MM\x00*", TIFF),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
        (b"{\\rtf", RTF),
        (b"\x1f\x8b", GZIP),
        (b"7z\xbc\xaf\x27\x1c", SEVEN_ZIP),
        (b"Rar!\x1a\x07", RAR),
        (b"ID3", MP3),
        (b"OggS", OGG),
    )
    for magic, kind in table:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp":
        return MP4
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(head)
    return _text_kind(head, complete) or UNKNOWN


def is_executable(head: bytes) -> bool:
    """The bytes begin a program or a script (a shebang), which no attachment may be."""
    return head.startswith(EXECUTABLE_MAGIC)


def refused(code: str, message: str) -> InvalidArgument:
    """The refusal of a file, its code also the field problem's (the file, not one of the form's fields)."""
    return InvalidArgument(code, message, [FieldProblem("file", code, message)])


def check_content(filename: str, head: bytes, complete: bool = False) -> str:
    """The content type to store a file named `filename` that begins with `head`, or InvalidArgument:
    `attachment_type_refused` for programs and scripts (by content or by name), `attachment_type_mismatch`
    for a name whose extension promises another kind of file than the content is."""
    ext = extension(filename)
    if is_executable(head) or ext in REFUSED_EXTENSIONS:
        raise refused("attachment_type_refused", "programs and scripts cannot be attached")
    kind = sniff(head, complete)
    if ext and not kind.loose and ext not in kind.extensions:
        raise refused(
            "attachment_type_mismatch", f"the file's name says .{ext}, but its content is {kind.content_type}"
        )
    if not kind.loose or not ext:
        return OLE_TYPES.get(ext, kind.content_type) if kind is OLE else kind.content_type
    # Text and unknown binary content: a name of a known binary kind that the content is not is a disguise.
    if ext in KNOWN_BINARY_EXTENSIONS:
        raise refused(
            "attachment_type_mismatch", f"the file's name says .{ext}, but its content is {kind.content_type}"
        )
    return kind.content_type


BINARY_KINDS = (PDF, PNG, JPEG, GIF, WEBP, BMP, TIFF, ZIP, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE, GZIP, SEVEN_ZIP, RAR,
                MP3, MP4, OGG, WAV)  # fmt: skip
KNOWN_BINARY_EXTENSIONS: frozenset[str] = frozenset().union(*(k.extensions for k in BINARY_KINDS))

# Types a browser may show in the page (previews); everything else is served as a download.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp"})
