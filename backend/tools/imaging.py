"""The image work itself, run inside the multimedia tool's worker processes.

Kept apart from ``multimedia.py`` and importing only Pillow, so a freshly spawned
worker starts in a fraction of a second. Each call hashes the source, returns the
earlier output when the same source was already processed with the same settings, and
otherwise decodes (JPEG draft mode: the decoder scales by 1/2, 1/4 or 1/8 in the DCT,
never below the target), resizes with Lanczos, and encodes to the target format.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

__all__ = ["process_image", "FORMATS", "output_name"]

FORMATS: dict[str, tuple[str, str, str]] = {
    # our name: (Pillow format, extension, content type)
    "webp": ("WEBP", "webp", "image/webp"),
    "jpeg": ("JPEG", "jpg", "image/jpeg"),
    "jpg": ("JPEG", "jpg", "image/jpeg"),
    "png": ("PNG", "png", "image/png"),
}


def output_name(digest: str, width: int, height: int, fmt: str, quality: int) -> str:
    """Where the output of one source and one setting lives (content-addressed)."""
    ext = FORMATS[fmt][1]
    return f"{digest[:2]}/{digest}-{width}x{height}-q{quality}.{ext}"


def _fit(size: tuple[int, int], box: tuple[int, int]) -> tuple[int, int]:
    scale = min(box[0] / size[0], box[1] / size[1], 1.0)
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _encode(image: Image.Image, fmt: str, quality: int) -> bytes:
    pil_format = FORMATS[fmt][0]
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    if pil_format == "JPEG" or not has_alpha:
        image = image.convert("RGB") if image.mode != "RGB" else image
    elif image.mode != "RGBA":
        image = image.convert("RGBA")
    out = io.BytesIO()
    if pil_format == "WEBP":
        image.save(out, "WEBP", quality=quality, method=4)
    elif pil_format == "JPEG":
        image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    else:
        image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def _write_atomic(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def process_image(
    source: bytes | str, *, out_root: str, width: int, height: int, fmt: str, quality: int
) -> dict[str, Any]:
    """Fit ``source`` (bytes or a file path) within width×height and encode it.

    Returns a plain dict (it crosses a process boundary): relative ``path`` under
    ``out_root``, output ``width``/``height``, ``size`` in bytes, ``source_hash``,
    ``source_size`` and ``reused``.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    relative = output_name(digest, width, height, fmt, quality)
    target = Path(out_root) / relative
    if target.exists():
        with Image.open(target) as done:
            size = done.size
        return {
            "path": relative,
            "width": size[0],
            "height": size[1],
            "size": target.stat().st_size,
            "source_hash": digest,
            "source_size": None,
            "reused": True,
        }
    with Image.open(io.BytesIO(data)) as original:
        source_size = original.size
        orientation = original.getexif().get(0x0112, 1)
        # Rotated photos swap their sides; fit the box as the viewer will see it.
        upright = source_size[::-1] if orientation in (5, 6, 7, 8) else source_size
        final = _fit(upright, (width, height))
        if original.format == "JPEG":
            decode = final[::-1] if orientation in (5, 6, 7, 8) else final
            original.draft("RGB", decode)
        image = ImageOps.exif_transpose(original)
        if image.size != final:
            image = image.resize(final, Image.Resampling.LANCZOS)
        encoded = _encode(image, fmt, quality)
    _write_atomic(target, encoded)
    return {
        "path": relative,
        "width": final[0],
        "height": final[1],
        "size": len(encoded),
        "source_hash": digest,
        "source_size": list(source_size),
        "reused": False,
    }
