"""Image uploads every platform accepts: multipart file (or raw body) -> stored id + URL."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from aiohttp import BodyPartReader, web
from PIL import Image, UnidentifiedImageError

from backend.sandbox.platform import ApiError, state_of

__all__ = ["store_upload"]

_MAX_BYTES = 10 * 1024 * 1024


async def store_upload(request: web.Request, *, platform: str, field: str) -> dict[str, Any]:
    """Read the image in multipart ``field`` (or the raw body), check it is an image."""
    data = b""
    if request.content_type == "multipart/form-data":
        # post() parses once and caches: a platform that read its signed parameters
        # from the same multipart body (Lazada's SDK puts them there) already did.
        upload = (await request.post()).get(field)
        if isinstance(upload, web.FileField):
            data = upload.file.read()
            upload.file.seek(0)
    elif request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        async for part in reader:
            if isinstance(part, BodyPartReader) and part.name == field:
                data = await part.read()
    else:
        data = await request.read()
    if not data:
        raise ApiError("bad_request", f"{field} is required.")
    if len(data) > _MAX_BYTES:
        raise ApiError("bad_request", "Image larger than 10 MB.")
    try:
        with Image.open(io.BytesIO(data)) as im:
            width, height, fmt = im.width, im.height, im.format
    except (UnidentifiedImageError, OSError):
        raise ApiError("bad_request", "File is not a supported image.") from None
    state = state_of(request)
    digest = hashlib.sha256(data).hexdigest()
    image_id = f"{platform[:2]}-{digest[:24]}"
    info = {
        "id": image_id,
        "platform": platform,
        "size": len(data),
        "width": width,
        "height": height,
        "format": fmt,
        "sha256": digest,
        "url": f"{request.scheme}://{request.host}/uploads/{image_id}",
    }
    state.images[image_id] = info
    state.counters.image_uploads[platform] += 1
    return info
