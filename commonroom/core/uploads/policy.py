"""What may be uploaded for which kind of resource, and how each type is named and served (R36).

Everything here is keyed by the MIME type libmagic reads from the bytes; the
name and the browser's Content-Type are never trusted.
"""

PDF = "application/pdf"
ZIP = "application/zip"
SVG = "image/svg+xml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
ODP = "application/vnd.oasis.opendocument.presentation"
# Macro-enabled Office files are named so they can be refused: macros are the
# classic way a "worksheet" carries malware.
DOCM = "application/vnd.ms-word.document.macroEnabled.12"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
PPTM = "application/vnd.ms-powerpoint.presentation.macroEnabled.12"

RASTER_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
IMAGE_TYPES = RASTER_IMAGE_TYPES | {SVG}
OFFICE_TYPES = {
    ODT,
    ODS,
    ODP,
    DOCX,
    XLSX,
    PPTX,
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/rtf",
}
TEXT_TYPES = {"text/plain", "text/markdown", "text/csv"}
# Only raster images with documents: an SVG is a drawing, and a script carrier.
DOCUMENT_TYPES = {PDF} | OFFICE_TYPES | TEXT_TYPES | RASTER_IMAGE_TYPES
VIDEO_TYPES = {"video/mp4", "video/webm", "video/ogg"}
# libmagic calls every WebM file video/webm, audio-only ones included.
AUDIO_TYPES = {
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "audio/x-wav",
    "audio/mp4",
    "audio/webm",
    "video/webm",
}

# No executable type is in any list: .exe, ELF, shell or Python scripts and
# Java archives are refused whatever the kind.
ALLOWED_TYPES: dict[str, set[str]] = {
    "document": set(DOCUMENT_TYPES),
    "worksheet": set(DOCUMENT_TYPES),
    "lesson-plan": set(DOCUMENT_TYPES),
    "text": set(DOCUMENT_TYPES),
    "presentation": {PDF, PPTX, "application/vnd.ms-powerpoint", ODP},
    "photo": set(IMAGE_TYPES),
    "image": set(IMAGE_TYPES),
    "drawing": set(IMAGE_TYPES),
    "video": set(VIDEO_TYPES),
    "audio": set(AUDIO_TYPES),
    "website": {"text/html", ZIP},
    "software": {ZIP, "text/plain"},
}

# libmagic has more than one name for some types; we store one.
ALIASES = {
    "text/rtf": "application/rtf",
    "audio/x-m4a": "audio/mp4",
    "application/x-zip-compressed": ZIP,
    "text/x-csv": "text/csv",
    "application/csv": "text/csv",
}

# The first extension is the one given to a file; the others are kept when the
# member already used them (a teacher's notes.md stays notes.md).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    ODT: (".odt",),
    ODS: (".ods",),
    ODP: (".odp",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    DOCM: (".docm",),
    XLSM: (".xlsm",),
    PPTM: (".pptm",),
    "application/msword": (".doc",),
    "application/vnd.ms-excel": (".xls",),
    "application/vnd.ms-powerpoint": (".ppt",),
    "application/rtf": (".rtf",),
    "text/plain": (".txt", ".md", ".markdown", ".text"),
    "text/markdown": (".md", ".markdown"),
    "text/csv": (".csv",),
    "text/html": (".html", ".htm"),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    SVG: (".svg",),
    "video/mp4": (".mp4", ".m4v"),
    "video/webm": (".webm",),
    "video/ogg": (".ogv", ".ogg"),
    "audio/mpeg": (".mp3",),
    "audio/ogg": (".ogg", ".oga", ".opus"),
    "audio/wav": (".wav",),
    "audio/x-wav": (".wav",),
    "audio/mp4": (".m4a", ".mp4"),
    "audio/webm": (".weba", ".webm"),
    ZIP: (".zip",),
}
# Other extensions a member's file name may end in that we replace rather than
# keep in the middle of the name ("virus.exe" must not become "virus.exe.txt").
REPLACED_EXTENSIONS = {ext for exts in EXTENSIONS.values() for ext in exts} | {
    ".exe",
    ".com",
    ".bat",
    ".cmd",
    ".msi",
    ".scr",
    ".dll",
    ".js",
    ".mjs",
    ".vbs",
    ".ps1",
    ".sh",
    ".py",
    ".php",
    ".jar",
    ".apk",
    ".xml",
    ".xhtml",
    ".tif",
    ".tiff",
    ".bmp",
    ".heic",
    ".rar",
    ".7z",
    ".gz",
    ".tar",
    ".mov",
    ".avi",
    ".mkv",
    ".bin",
}

# Shown in the browser only when the browser cannot be made to run script
# from it: no HTML, SVG or XML, and no format a plug-in opens.
INLINE_TYPES = {PDF, *RASTER_IMAGE_TYPES, *VIDEO_TYPES, *AUDIO_TYPES}

# Zip archives: more members than a real teaching package has, and a hard cap
# on what unpacking may produce whatever the upload limit is.
MAX_ARCHIVE_MEMBERS = 2_000
MAX_ARCHIVE_TOTAL = 1024**3
ARCHIVE_SIZE_FACTOR = 10
MAX_COMPRESSION_RATIO = 100
# A member this small cannot fill a disk, however well it compresses (a blank
# spreadsheet's XML easily beats 100:1).
RATIO_EXEMPT_BELOW = 1024 * 1024
