"""The seeded shop: 1,200 products with names, prices, costs, stock and image URLs."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass
from typing import Any

from backend.sandbox.data.rng import rng_for
from backend.sandbox.data.words import BRANDS, CATEGORIES, SELLING_POINTS, VARIANTS

__all__ = ["Product", "products", "product_index", "PRODUCT_COUNT", "retail_price",
           "set_catalog_size", "catalog_size"]

PRODUCT_COUNT = 1200
# The served sandbox may be told to grow the shop (settings.sandbox_products) before it
# serves; products past the seed's 1,200 follow them from the same random stream.
_SIZE = {"products": PRODUCT_COUNT}


def set_catalog_size(count: int) -> None:
    """Make the shop ``count`` products (at least the seed's 1,200)."""
    _SIZE["products"] = max(PRODUCT_COUNT, count)
    products.cache_clear()
    product_index.cache_clear()


def catalog_size() -> int:
    return _SIZE["products"]
# The seed job's example products keep their prices so its numbers make sense.
_FIXED_PRICES = {"PROD001": 150_000, "PROD002": 250_000}
_EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z: "updated" times are spread after it


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    brand: str
    category: str
    description: str
    price: int
    cost: int
    stock: int
    weight_g: int
    image_count: int
    updated_at: int

    def image_paths(self) -> list[str]:
        return [f"/img/{self.sku}/{k}.jpg" for k in range(1, self.image_count + 1)]

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["images"] = self.image_paths()
        out["currency"] = "IDR"
        return out


def retail_price(x: float) -> int:
    """Round like Indonesian shops do: 149,900 rather than 150,000."""
    thousands = max(1, round(x / 1000))
    return thousands * 1000 - 100


@functools.lru_cache(maxsize=4)
def products(seed: int) -> tuple[Product, ...]:
    """All products of the seeded shop, SKU ``PROD001`` .. ``PROD1200`` (or more)."""
    rng = rng_for(seed, "catalog")
    names = list(CATEGORIES)
    out = []
    for i in range(1, _SIZE["products"] + 1):
        sku = f"PROD{i:03d}"
        category = names[rng.randrange(len(names))]
        nouns, (lo, hi), (wlo, whi) = CATEGORIES[category]
        noun = nouns[rng.randrange(len(nouns))]
        brand = BRANDS[rng.randrange(len(BRANDS))]
        variant = VARIANTS[rng.randrange(len(VARIANTS))]
        price = _FIXED_PRICES.get(sku) or retail_price(lo * (hi / lo) ** rng.random())
        cost = int(round(price * rng.uniform(0.45, 0.72), -2))
        points = rng.sample(SELLING_POINTS, 3)
        out.append(
            Product(
                sku=sku,
                name=f"{brand} {noun} - {variant}",
                brand=brand,
                category=category,
                description=(
                    f"{noun} dari {brand}, varian {variant}. "
                    + " ".join(points)
                    + " Cocok untuk kebutuhan sehari-hari."
                ),
                price=price,
                cost=cost,
                stock=rng.choice((0, 3, 12)) if rng.random() < 0.06 else rng.randint(5, 500),
                weight_g=rng.randint(wlo, whi),
                image_count=rng.randint(3, 5),
                updated_at=_EPOCH + rng.randint(0, 300 * 86400),
            )
        )
    return tuple(out)


@functools.lru_cache(maxsize=4)
def product_index(seed: int) -> dict[str, Product]:
    return {p.sku: p for p in products(seed)}
