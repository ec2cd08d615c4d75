"""File names from members are made harmless and given the extension of what the file really is."""

import re
import unicodedata

from commonroom.core.uploads import policy

MAX_NAME_LENGTH = 120
FALLBACK_STEM = "file"
# Names Windows refuses to create, so a downloaded copy would fail to save.
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}


def _keep(char: str) -> bool:
    # Letters of any script (accents included) and digits; no symbols,
    # punctuation or control characters that shells and browsers interpret.
    return unicodedata.category(char) in {"Lu", "Ll", "Lt", "Lm", "Lo", "Nd"} or char in "-_."


def safe_name(original: str, mime_type: str) -> str:
    """Return a short, portable file name ending in the extension of the sniffed type.

    "C:\\Users\\Eva\\Photosynthesis worksheet.PDF" of a PDF becomes
    "Photosynthesis-worksheet.pdf"; a PNG called "scan.pdf" becomes "scan.png".
    """
    base = re.split(r"[\\/]", original or "")[-1]
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"\s+", "-", base.strip())
    base = "".join(char for char in base if _keep(char))
    base = re.sub(r"-{2,}", "-", re.sub(r"\.{2,}", ".", base))

    extensions = policy.EXTENSIONS.get(mime_type, (".bin",))
    stem, dot, suffix = base.rpartition(".")
    current = f".{suffix.lower()}" if dot else ""
    if not dot:
        stem = base
    if current in extensions:
        extension = current
    else:
        extension = extensions[0]
        if current and current not in policy.REPLACED_EXTENSIONS:
            # "report.v2" keeps its ".v2"; only a real extension is replaced.
            stem = f"{stem}{current}"
    if stem.lower().endswith(extension):
        # "photo.jpg.exe" becomes "photo.jpg", not "photo.jpg.jpg".
        stem = stem[: -len(extension)]

    # No leading dot (hidden file) or dash (read as an option by command lines).
    stem = stem.strip(".-_") or FALLBACK_STEM
    if stem.upper() in _RESERVED:
        stem = f"{FALLBACK_STEM}-{stem}"
    stem = stem[: MAX_NAME_LENGTH - len(extension)].rstrip(".-")
    return f"{stem or FALLBACK_STEM}{extension}"
