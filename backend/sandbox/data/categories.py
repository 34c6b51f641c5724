"""The marketplaces' own leaf categories the sandbox accepts (id -> name).

A listing written with a category id outside its platform's tree is refused, as the real
APIs refuse it; the catalog sync maps our categories onto these ids.
"""

from __future__ import annotations

__all__ = ["PLATFORM_CATEGORIES"]

PLATFORM_CATEGORIES: dict[str, dict[str, str]] = {
    "shopee": {"100017": "Pakaian Wanita", "100011": "Pakaian Pria",
               "100013": "Handphone & Aksesoris", "100630": "Perawatan & Kecantikan",
               "100636": "Perlengkapan Rumah", "100629": "Makanan & Minuman",
               "100639": "Olahraga & Outdoor", "100632": "Ibu & Bayi",
               "100644": "Lainnya"},
    "tiktok_shop": {"601152": "Womenswear & Underwear", "824328": "Menswear & Underwear",
                    "601739": "Phones & Electronics", "601450": "Beauty & Personal Care",
                    "600001": "Home Supplies", "700437": "Food & Beverages",
                    "603014": "Sports & Outdoor", "601534": "Baby & Maternity",
                    "600024": "Collectibles"},
    "tokopedia": {"1758": "Pakaian Wanita", "1759": "Pakaian Pria", "65": "Elektronik",
                  "61": "Kecantikan", "984": "Rumah Tangga", "35": "Makanan & Minuman",
                  "62": "Olahraga", "1": "Ibu & Bayi", "0": "Lainnya"},
    "lazada": {"10000": "Lainnya", "1805": "Women's Clothing", "1806": "Men's Clothing",
               "3": "Mobiles & Tablets", "6": "Health & Beauty", "11829": "Home & Living",
               "10100": "Groceries", "3008": "Sports & Outdoors", "5095": "Mother & Baby"},
}  # fmt: skip
