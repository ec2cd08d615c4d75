"""Zip archives (plain zips and the Office formats built on them) are checked without unpacking.

Nothing is written to disk: the central directory is read for names and sizes,
then every member is streamed through the decompressor once so that an
archive lying about its sizes fails its checksum.
"""

import re
import struct
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from commonroom.core.uploads import policy

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_MAX_COMMENT = 0xFFFF
_READ_CHUNK = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
_SYMLINK = 0o120000
# What a damaged or hostile archive raises somewhere inside zipfile and zlib.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
    struct.error,
)


def _unsafe(message: str) -> ValidationError:
    return ValidationError(message, code="archive_unsafe")


def _declared_member_count(fp: File) -> int | None:
    """The member count from the end record, read before zipfile builds an object per member.

    A central directory can claim millions of entries in a few megabytes;
    counting them this way refuses such a file without parsing it. None when
    the record is not found (zipfile will then report the damage).
    """
    fp.seek(0, 2)
    size = fp.tell()
    start = max(0, size - _END_RECORD_SIZE - _MAX_COMMENT)
    fp.seek(start)
    tail = fp.read()
    fp.seek(0)
    at = tail.rfind(_END_RECORD)
    if at < 0 or len(tail) - at < _END_RECORD_SIZE:
        return None
    # Offset 10: total number of entries (0xFFFF means "see the Zip64 record",
    # which only archives far larger than ours need).
    (total,) = struct.unpack_from("<H", tail, at + 10)
    return int(total)


def open_zip(upload: File) -> zipfile.ZipFile:
    """Open an upload as a zip, refusing directories too large to parse."""
    count = _declared_member_count(upload)
    if count is not None and count > policy.MAX_ARCHIVE_MEMBERS:
        raise _too_many_members()
    try:
        return zipfile.ZipFile(upload)
    except ZIP_ERRORS as exc:
        raise ValidationError(_("The archive could not be read."), code="unreadable") from exc


def _too_many_members() -> ValidationError:
    return _unsafe(
        _("The archive holds more than %(count)s files.") % {"count": policy.MAX_ARCHIVE_MEMBERS}
    )


def _check_name(name: str) -> None:
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
        raise _unsafe(
            _("The archive holds a file that would be unpacked outside its folder: %(name)s")
            % {"name": name[:200]}
        )


def _check_member(info: zipfile.ZipInfo) -> None:
    _check_name(info.filename)
    if (info.external_attr >> 16) & 0o170000 == _SYMLINK:
        raise _unsafe(
            _("The archive holds a symbolic link, which is not accepted: %(name)s")
            % {"name": info.filename[:200]}
        )
    if info.flag_bits & 0x1:
        # An encrypted member cannot be scanned for malware.
        raise _unsafe(_("The archive holds password-protected files, which cannot be checked."))
    if info.file_size >= policy.RATIO_EXEMPT_BELOW and (
        info.compress_size == 0
        or info.file_size / info.compress_size > policy.MAX_COMPRESSION_RATIO
    ):
        raise _unsafe(
            _("The archive holds a file that unpacks to far more than its size (a zip bomb).")
        )
    # Compressed data larger than what it claims to unpack to can only be a
    # lie about the size, which unpackers other than Python's may not believe.
    if info.compress_size > info.file_size + info.file_size // 100 + 1024:
        raise _unsafe(_("The archive's table of contents does not match its contents."))


def check_archive(upload: File, *, max_bytes: int) -> None:
    """Refuse zips that would escape their folder, explode on unpacking or hide content."""
    limit = min(policy.ARCHIVE_SIZE_FACTOR * max_bytes, policy.MAX_ARCHIVE_TOTAL)
    with open_zip(upload) as archive:
        members = archive.infolist()
        if len(members) > policy.MAX_ARCHIVE_MEMBERS:
            raise _too_many_members()
        total = 0
        for info in members:
            _check_member(info)
            total += info.file_size
        if total > limit:
            raise _unsafe(_("The archive unpacks to more than the size allowed."))
        try:
            for info in members:
                if info.is_dir():
                    continue
                # zipfile stops at the declared size and checks the CRC at the
                # end, so a member hiding more data than it declares fails here.
                with archive.open(info) as member:
                    while member.read(_READ_CHUNK):
                        pass
        except ZIP_ERRORS as exc:
            raise _unsafe(_("The archive is damaged or its contents do not match.")) from exc
    upload.seek(0)


# --- telling Office files from plain zips ----------------------------------

_ODF_TYPES = {policy.ODT, policy.ODS, policy.ODP}
# Checked in this order: a macro-enabled part makes the file macro-enabled,
# whatever else it contains.
_OOXML_MAIN_PARTS = (
    (b"application/vnd.ms-word.document.macroEnabled", policy.DOCM),
    (b"application/vnd.ms-excel.sheet.macroEnabled", policy.XLSM),
    (b"application/vnd.ms-powerpoint.presentation.macroEnabled", policy.PPTM),
    (b"application/vnd.ms-office.vbaProject", policy.DOCM),
    (b"wordprocessingml.document.main+xml", policy.DOCX),
    (b"spreadsheetml.sheet.main+xml", policy.XLSX),
    (b"presentationml.presentation.main+xml", policy.PPTX),
)
_MAX_MANIFEST = 256 * 1024


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.flag_bits & 0x1:
        return None
    try:
        with archive.open(info) as member:
            return member.read(limit)
    except ZIP_ERRORS:
        return None


def classify_zip(upload: File) -> str:
    """Say which zip-based type an upload really is, from its own manifest.

    libmagic names an Office file only when its manifest happens to be the
    first member, and can be fooled by a first member's name; reading the
    manifest settles it either way. Anything else is a plain zip.
    """
    with open_zip(upload) as archive:
        mimetype = _read_member(archive, "mimetype", 200)
        if mimetype is not None:
            declared = mimetype.decode("ascii", "replace").strip()
            if declared in _ODF_TYPES:
                upload.seek(0)
                return declared
        content_types = _read_member(archive, "[Content_Types].xml", _MAX_MANIFEST)
    upload.seek(0)
    if content_types is not None:
        for needle, mime in _OOXML_MAIN_PARTS:
            if needle in content_types:
                return mime
    return policy.ZIP
