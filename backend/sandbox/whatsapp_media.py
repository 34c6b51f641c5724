"""WhatsApp media: uploads (``POST /{version}/{phone_number_id}/media``) and the
documents that messages carry.

An upload is multipart with ``messaging_product=whatsapp``, ``file`` and its ``type``
(MIME); the answer is ``{"id": <media id>}``, which a message names instead of a link.
A document message is ``{"type": "document", "document": {"link" | "id", "caption"?,
"filename"?}}``; the Cloud API takes the document types and sizes below and refuses
anything else with (#100). A link is fetched by the platform after it answered, so it is
not checked here.
"""

from __future__ import annotations

import hashlib
from typing import Any

from aiohttp import web

from backend.sandbox.platform import ApiError, state_of

__all__ = ["store_media", "document_text", "DOCUMENT_TYPES"]

# The Cloud API's supported document types, 100 MB each; images 5 MB.
DOCUMENT_TYPES = frozenset({
    "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
})  # fmt: skip
_LIMITS = {**dict.fromkeys(DOCUMENT_TYPES, 100 * 2**20), "image/jpeg": 5 * 2**20,
           "image/png": 5 * 2**20}  # fmt: skip


async def store_media(request: web.Request) -> str:
    """Keep one uploaded file; returns its media id."""
    if not request.content_type.startswith("multipart/"):
        raise ApiError("bad_request", "(#100) The parameter file is required.")
    form = await request.post()
    if form.get("messaging_product") != "whatsapp":
        raise ApiError("bad_request", "(#100) The parameter messaging_product is required.")
    upload = form.get("file")
    if not isinstance(upload, web.FileField):
        raise ApiError("bad_request", "(#100) The parameter file is required.")
    data = upload.file.read()
    mime = str(form.get("type") or upload.content_type or "").split(";", 1)[0].strip()
    limit = _LIMITS.get(mime)
    if limit is None:
        raise ApiError("bad_request", f"(#100) Param file must be a file with one of the "
                       f"following types: {', '.join(sorted(_LIMITS))}. Received file of "
                       f"type '{mime}'.")  # fmt: skip
    if not data or len(data) > limit:
        raise ApiError("bad_request", f"(#100) Param file must be between 1 and {limit} bytes.")
    digest = hashlib.sha256(data).hexdigest()
    media_id = str(10**15 + int(digest[:12], 16) % 10**15)
    state_of(request).whatsapp_media[media_id] = {
        "id": media_id, "mime_type": mime, "file_size": len(data), "sha256": digest,
        "filename": upload.filename,
    }  # fmt: skip
    return media_id


def document_text(request: web.Request, document: Any) -> str:
    """What a document message shows (its file name and caption); refuses one that names
    no file, or a media id this number never uploaded."""
    doc = document if isinstance(document, dict) else {}
    link, media_id = doc.get("link"), doc.get("id")
    if bool(link) == bool(media_id):
        raise ApiError("bad_request", "(#100) The parameter document['link'] or "
                       "document['id'] is required (one of them).")  # fmt: skip
    if link and not str(link).startswith(("http://", "https://")):
        raise ApiError("bad_request", "(#100) Invalid parameter document['link'].")
    if media_id:
        media = state_of(request).whatsapp_media.get(str(media_id))
        if media is None or media["mime_type"] not in DOCUMENT_TYPES:
            raise ApiError("bad_request", f"(#100) Invalid parameter: media id {media_id} "
                           "is not a document uploaded by this phone number.")  # fmt: skip
    name = str(doc.get("filename") or (str(link).rsplit("/", 1)[-1] if link else "document"))
    caption = str(doc.get("caption") or "")
    return f"{name} {caption}".strip()
