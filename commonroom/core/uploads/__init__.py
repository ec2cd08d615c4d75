"""The file-safety pipeline for uploaded resource files (R36).

Uploaded files are checked: type by content, size limits, images re-encoded;
files that may carry malware are refused or quarantined. In order:

1. check_upload(upload, kind=..., max_bytes=...) refuses what may not be
   stored (ValidationError with a stable code) and returns a CheckedFile:
   what to store, under which name and type, and whether it may be shown
   in the browser.
2. scan_file(checked.content) asks clamd, when configured; a result that is
   not clean means quarantine (not published, kept for a moderator).
3. make_thumbnails(checked) gives WebP previews, in two widths, for images and PDFs.
"""

from commonroom.core.uploads.checks import CheckedFile, check_upload
from commonroom.core.uploads.policy import ALLOWED_TYPES
from commonroom.core.uploads.scanning import ScanResult, scan_file
from commonroom.core.uploads.thumbnails import Thumbnails, make_thumbnails

__all__ = [
    "ALLOWED_TYPES",
    "CheckedFile",
    "ScanResult",
    "Thumbnails",
    "check_upload",
    "make_thumbnails",
    "scan_file",
]
