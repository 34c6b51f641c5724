"""Product title, description and tags per platform (catalog sync's "AI copywriting").

Offline: the title is built from brand, name and key attributes (translated EN -> ID when
asked), cut at a word boundary to the platform's limit; the description is a short
template with the attributes as bullets; tags come from the name, category and
attributes. The LLM path writes all three and is held to the same limits.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.ai.llm import ask_llm
from backend.ai.translate import translate_en_id, translate_title_en_id
from backend.core.config import Settings

__all__ = ["ProductCopy", "PLATFORM_RULES", "product_copy"]

# title characters, description characters, tags; conservative values from the platforms'
# seller guides (adjust here when a platform changes them).
# fmt: off
PLATFORM_RULES: dict[str, tuple[int, int, int]] = {
    "shopee": (120, 3000, 18), "tokopedia": (70, 2000, 10), "lazada": (255, 5000, 10),
    "tiktok_shop": (255, 5000, 10), "blibli": (150, 5000, 10), "instagram_shop": (150, 2200, 30),
    "facebook_shop": (150, 5000, 20), "website": (150, 10000, 20),
    "google_shopping": (150, 5000, 10), "priceza": (150, 3000, 10), "idealo": (150, 3000, 10),
}
_STOP = frozenset({"dan", "untuk", "dengan", "yang", "di", "ke", "and", "for", "with", "the",
                   "a", "of", "-", "&", "original", "ori", "murah", "promo"})
_LABELS = {"id": {"material": "Bahan", "color": "Warna", "size": "Ukuran", "weight": "Berat"},
           "en": {"material": "Material", "color": "Colour", "size": "Size", "weight": "Weight"}}
# fmt: on


class ProductCopy(BaseModel):
    """Copy for one product on one platform."""

    platform: str
    title: str
    description: str
    tags: list[str]
    engine: Literal["offline", "llm"] = "offline"
    fallback_reason: str | None = None


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return cut.rstrip(" -,/")


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z']+", text.lower())
    english = {"the", "and", "for", "with", "men's", "women's", "shoes", "made", "of", "black",
               "white", "lightweight", "perfect", "bag", "shirt", "bottle"}  # fmt: skip
    return sum(w in english for w in words) >= max(1, len(words) // 6)


def _offline(product: dict[str, Any], platform: str, language: str) -> tuple[str, str, list[str]]:
    title_limit, desc_limit, tag_limit = PLATFORM_RULES.get(platform, (150, 5000, 10))
    name = str(product.get("name") or "").strip()
    brand = str(product.get("brand") or "").strip()
    description = str(product.get("description") or "").strip()
    attrs: dict[str, Any] = dict(product.get("attributes") or {})
    if language == "id" and _looks_english(name + " " + description):
        name = translate_title_en_id(name)
        description = translate_en_id(description)
        attrs = {k: translate_en_id(str(v)) for k, v in attrs.items()}
    head = name if not brand or brand.lower() in name.lower() else f"{brand} {name}"
    extras = [str(attrs[k]) for k in ("material", "color", "size") if attrs.get(k)]
    extras = [e for e in extras if e.lower() not in head.lower()]
    title = _cut(" ".join([head, *extras]), title_limit)
    labels = _LABELS[language]
    bullets = [f"• {labels.get(k, k.title())}: {v}" for k, v in attrs.items() if v]
    intro = description or (
        f"{head} siap kirim." if language == "id" else f"{head}, ready to ship."
    )
    body = "\n".join([intro, *bullets])
    if product.get("category"):
        body += ("\nKategori: " if language == "id" else "\nCategory: ") + str(product["category"])
    words = [w.lower() for w in re.findall(r"[\w'-]+", f"{name} {product.get('category', '')}")]
    candidates = [name.lower()]
    candidates += [str(v).lower() for k, v in attrs.items() if v and k not in ("size", "weight")]
    candidates += [w for w in words if w not in _STOP and len(w) > 2 and not w.isdigit()]
    if product.get("category"):
        candidates.insert(1, str(product["category"]).lower())
    tags = list(dict.fromkeys(c.strip() for c in candidates if c.strip()))[:tag_limit]
    return title, _cut_lines(body, desc_limit), tags


def _cut_lines(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _LLMAnswer(BaseModel):
    title: str = Field(min_length=3)
    description: str = Field(min_length=10)
    tags: list[str] = Field(min_length=1)


def product_copy(
    product: dict[str, Any],
    *,
    platform: str,
    language: str = "id",
    use_ai: bool = False,
    settings: Settings | None = None,
) -> ProductCopy:
    """Title, description and tags of ``product`` for ``platform``, in ``language``."""
    lang = "en" if language == "en" else "id"
    title_limit, desc_limit, tag_limit = PLATFORM_RULES.get(platform, (150, 5000, 10))
    reason = None
    if use_ai:

        def parse(data: Any) -> _LLMAnswer:
            answer = _LLMAnswer.model_validate(data)
            if len(answer.title) > title_limit:
                raise ValueError(f"title: {platform} allows {title_limit} characters")
            if len(answer.description) > desc_limit:
                raise ValueError(f"description: {platform} allows {desc_limit} characters")
            return answer

        limits = {"title": title_limit, "description": desc_limit, "tags": tag_limit}
        request = {"product": product, "platform": platform, "language": lang,
                   "limits": limits}  # fmt: skip
        answer, why = ask_llm(settings, system=_SYSTEM, payload=request, parse=parse)
        if answer is not None:
            tags = answer.tags[:tag_limit]
            return ProductCopy(platform=platform, title=answer.title, tags=tags,
                               description=_with_hashtags(answer.description, tags,
                                                          platform=platform),
                               engine="llm")  # fmt: skip
        reason = f"{why}; used the offline templates"
    title, description, tags = _offline(product, platform, lang)
    return ProductCopy(platform=platform, title=title, tags=tags,
                       description=_with_hashtags(description, tags, platform=platform),
                       fallback_reason=reason)  # fmt: skip


# Platforms without a keyword field whose search reads hashtags in the description
# (Shopee indexes up to 18; the Meta shops show them as tags).
HASHTAG_PLATFORMS = frozenset({"shopee", "instagram_shop", "facebook_shop"})


def _with_hashtags(description: str, tags: list[str], *, platform: str) -> str:
    """On a hashtag platform, ``description`` and a line of ``#tags`` within the
    platform's limit (the description gives way, so the tags always fit)."""
    if platform not in HASHTAG_PLATFORMS or not tags:
        return description
    limit = PLATFORM_RULES.get(platform, (150, 2000, 10))[1]
    line = " ".join("#" + "".join(t.split()) for t in tags)
    return f"{_cut_lines(description, max(1, limit - len(line) - 1))}\n{line}"


_SYSTEM = (
    "TASK: copy_product\n"
    "Write marketplace copy for one product: an SEO title, a description and search tags for "
    "the given platform and language (translate English to Indonesian when language is id), "
    'within the given limits. Reply with JSON {"title", "description", "tags": [..]}.'
)
