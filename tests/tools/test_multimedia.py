"""The multimedia tool: sizes, formats, EXIF rotation, reuse of unchanged sources."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from aiohttp import web
from PIL import Image

from backend.tools.http import HttpTool
from backend.tools.multimedia import ImageError, MultimediaTool, shutdown_pool
from tests.tools.loopback import serve_in_thread

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module", autouse=True)
def _pool() -> Iterator[None]:
    yield
    shutdown_pool()


def _photo(size: tuple[int, int], *, fmt: str = "JPEG", mode: str = "RGB", **save) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert(mode)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


async def test_jpeg_fits_box_as_webp(tmp_path) -> None:
    tool = MultimediaTool(artifacts_dir=tmp_path, workers=2)
    result = await tool.fit(_photo((3000, 2000)), width=1200, height=1200, fmt="webp", quality=85)
    assert (result.width, result.height) == (1200, 800)
    assert result.content_type == "image/webp" and result.path.startswith("media/")
    with Image.open(tool.absolute(result)) as out:
        assert out.format == "WEBP" and out.size == (1200, 800)
    assert tool.absolute(result).stat().st_size == result.size


async def test_unchanged_source_is_reused(tmp_path) -> None:
    tool = MultimediaTool(artifacts_dir=tmp_path, workers=1)
    source = tmp_path / "p.jpg"
    source.write_bytes(_photo((1000, 1000)))
    first = await tool.fit(source, width=500, height=500, fmt="jpeg", quality=80)
    again = await tool.fit(source, width=500, height=500, fmt="jpeg", quality=80)
    other = await tool.fit(source, width=400, height=400, fmt="jpeg", quality=80)
    assert not first.reused and again.reused and not other.reused
    assert again.path == first.path and again.source_hash == first.source_hash
    with Image.open(tool.absolute(first)) as out:
        assert out.format == "JPEG" and out.size == (500, 500)


async def test_small_images_not_upscaled_and_alpha_kept(tmp_path) -> None:
    tool = MultimediaTool(artifacts_dir=tmp_path, workers=1)
    result = await tool.fit(
        _photo((300, 200), fmt="PNG", mode="RGBA"), width=1200, height=1200, fmt="png"
    )
    assert (result.width, result.height) == (300, 200)
    with Image.open(tool.absolute(result)) as out:
        assert out.format == "PNG" and out.mode == "RGBA"


async def test_exif_rotation_respected(tmp_path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # camera held upright: stored landscape, shown portrait
    tool = MultimediaTool(artifacts_dir=tmp_path, workers=1)
    result = await tool.fit(_photo((1600, 1200), exif=exif), width=600, height=600, fmt="webp")
    assert (result.width, result.height) == (450, 600)


async def test_not_an_image_is_a_clear_error(tmp_path) -> None:
    tool = MultimediaTool(artifacts_dir=tmp_path, workers=1)
    with pytest.raises(ImageError, match="cannot process image"):
        await tool.fit(b"<html>not found</html>", width=10, height=10)
    with pytest.raises(ValueError, match="format"):
        await tool.fit(b"x", width=10, height=10, fmt="gif")


async def test_fetches_by_url_through_the_http_tool(tmp_path, settings) -> None:
    photo = _photo((800, 800))

    async def image(request: web.Request) -> web.Response:
        return web.Response(body=photo, content_type="image/jpeg")

    app = web.Application()
    app.router.add_get("/p.jpg", image)
    base, stop = serve_in_thread(app)
    http = HttpTool(settings=settings)
    try:
        tool = MultimediaTool(artifacts_dir=tmp_path, http=http, workers=1)
        many = await tool.fit_many([f"{base}/p.jpg"] * 3, width=100, height=100, fmt="webp")
    finally:
        await http.aclose()
        stop()
    assert {(m.width, m.height) for m in many} == {(100, 100)}
    assert len({m.path for m in many}) == 1
