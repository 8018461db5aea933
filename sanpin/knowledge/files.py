"""Checking and storing a document's file: accepted by its content (PDF for the text, JPEG or PNG
for a wall chart or card scanned as an image), at most 20 MB, named by its digest in private
media, as application materials are (sanpin.certification.services)."""

import hashlib

from django.http import FileResponse
from django.utils.translation import gettext as _

from sanpin.core.errors import ValidationFailed

MAX_BYTES = 20 * 1024 * 1024
SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
)


def checked(upload) -> tuple[str, str, str]:
    """(file name, content type, sha256) of an acceptable upload, or ValidationFailed on `file`."""
    if upload is None or not getattr(upload, "size", 0):
        raise ValidationFailed(fields={"file": _("请选择文件（文件不能为空）")})
    if upload.size > MAX_BYTES:
        raise ValidationFailed(fields={"file": _("文件不能超过 20 MB")})
    name = (getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1][:200]
    upload.seek(0)
    head = upload.read(16)
    known = next((s for s in SIGNATURES if head.startswith(s[0])), None)
    if known is None:
        raise ValidationFailed(fields={"file": _("只接受 PDF、JPG 或 PNG 文件")})
    _magic, content_type, extensions = known
    if not name.lower().endswith(extensions):
        raise ValidationFailed(fields={"file": _("文件内容与扩展名不符")})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return name, content_type, digest.hexdigest()


def attach(document, upload) -> dict:
    """Put a checked upload on `document` (not yet saved); returns what the audit event records."""
    name, content_type, sha256 = checked(upload)
    document.filename, document.content_type, document.size, document.sha256 = name, content_type, upload.size, sha256
    document.file.save(name, upload, save=False)
    return {"filename": name, "size": upload.size, "sha256": sha256}


def response(document) -> FileResponse:
    """The stored file as a download under the name it was uploaded with."""
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename,
                        content_type=document.content_type)
