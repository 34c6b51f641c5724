"""How each kind of form field shows a spec value as text and reads typed text back.

Lists are written one item per line (or comma-separated where items are words); a line
"kanal: alamat" reads as a pair. What cannot be read is written as typed, for the
validator (or the workflow) to refuse with the field's path, or reported here as a
problem (Indonesian, English) at the field.
"""

from __future__ import annotations

from typing import Any

__all__ = ["show_value", "read_value", "Problem"]

Problem = tuple[str, str] | None

_RECIPIENT_KEYS = ("to", "address", "chat_id", "phone")


def _number(text: str) -> Any:
    cleaned = text.strip().replace(" ", "")
    try:
        return int(cleaned)
    except ValueError:
        try:
            return float(cleaned.replace(",", "."))
        except ValueError:
            return text.strip()  # left for the validator to refuse, with its message


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _words(value: Any) -> str:
    return ", ".join(_plain(v) for v in value) if isinstance(value, list) else _plain(value)


def _products_text(value: Any) -> str:
    if isinstance(value, dict):
        return f"katalog: {value.get('limit', '')}".strip()
    lines = []
    for p in value or []:
        if isinstance(p, dict):
            parts = [p.get("sku"), p.get("name"), p.get("my_price"), p.get("cost")]
            while parts and parts[-1] in (None, ""):
                parts.pop()
            lines.append("; ".join(_plain(x) for x in parts))
    return "\n".join(lines)


def _read_products(text: str) -> tuple[Any, Problem]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and lines[0].split(":")[0].strip().lower() in ("katalog", "catalog"):
        limit = lines[0].partition(":")[2].strip()
        return {"source": "catalog", **({"limit": _number(limit)} if limit else {})}, None
    products = []
    for n, line in enumerate(lines, 1):
        parts = [p.strip() for p in line.split(";")]
        product: dict[str, Any] = {"sku": parts[0]}
        for key, part in zip(("name", "my_price", "cost"), parts[1:], strict=False):
            if part:
                product[key] = part if key == "name" else _number(part)
        bad = [k for k in ("my_price", "cost") if isinstance(product.get(k), str)]
        if not product["sku"] or bad:
            return text, (f"baris {n}: tulis 'SKU; nama; harga jual; biaya' (angka tanpa Rp)",
                          f"line {n}: write 'SKU; name; selling price; cost' (numbers, no Rp)")
        products.append(product)
    return products, None


def _pairs_text(value: Any, *, key: str, values: tuple[str, ...]) -> str:
    lines = []
    for item in value or []:
        if isinstance(item, dict):
            found = next((item[k] for k in values if item.get(k) not in (None, "")), "")
            shown = _words(found)
            lines.append(f"{item.get(key, '')}: {shown}" if shown else str(item.get(key, "")))
    return "\n".join(lines)


# The key each channel's address is written under (the seed's shape; ``to`` otherwise).
_ADDRESS_KEY = {"email": "address", "telegram": "chat_id", "whatsapp": "phone", "sms": "phone"}


def _read_pairs(text: str, *, key: str, value_key: str, split: bool) -> tuple[Any, Problem]:
    items = []
    for n, line in enumerate((x.strip() for x in text.splitlines()), 1):
        if not line:
            continue
        name, sep, rest = line.partition(":")
        if not name.strip() or (sep and not rest.strip()):
            return text, (f"baris {n}: tulis 'nama: nilai'", f"line {n}: write 'name: value'")
        item: dict[str, Any] = {key: name.strip()}
        if rest.strip():
            where = _ADDRESS_KEY.get(name.strip(), "to") if value_key == "to" else value_key
            item[where] = ([w.strip() for w in rest.split(",") if w.strip()] if split
                               else rest.strip())  # fmt: skip
        items.append(item)
    return items, None


def _filter_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    return "\n".join(f"{k}: {_words(v)}" for k, v in value.items())


def _read_filter(text: str) -> tuple[Any, Problem]:
    """``status: PAID, COMPLETED`` per line: the field must equal one of the values."""
    out: dict[str, Any] = {}
    for n, line in enumerate((x.strip() for x in text.splitlines()), 1):
        if not line:
            continue
        key, sep, rest = line.partition(":")
        values = [v.strip() for v in rest.split(",") if v.strip()]
        if not sep or not key.strip() or not values:
            return text, (f"baris {n}: tulis 'kolom: nilai' (beberapa nilai dipisah koma)",
                          f"line {n}: write 'field: value' (several values with commas)")
        out[key.strip()] = values[0] if len(values) == 1 else values
    return out or None, None


# A report's period in words (either language reads back); a date stays a date.
_PERIODS = {"yesterday": ("kemarin", "yesterday"), "today": ("hari ini", "today")}


def show_value(kind: str, value: Any, *, default: Any = None, lang: str = "id") -> str:
    """The text a field of ``kind`` shows for ``value`` (None: the field's default)."""
    if value is None:
        value = default
    if kind == "period":
        words = _PERIODS.get(str(value))
        return words[0 if lang == "id" else 1] if words else _plain(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "ms_as_sec":
        return _plain(value / 1000) if isinstance(value, int | float) else _plain(value)
    if kind == "sec_as_hours":
        return _plain(round(value / 3600, 2)) if isinstance(value, int | float) else _plain(value)
    if kind == "filter":
        return _filter_text(value)
    if kind in ("numbers", "list"):
        return _words(value)
    if kind == "products":
        return _products_text(value)
    if kind == "recipients":
        return _pairs_text(value, key="channel", values=_RECIPIENT_KEYS)
    if kind == "sources":
        return _pairs_text(value, key="platform", values=("metrics",))
    if kind == "accounts":
        return _pairs_text(value, key="platform", values=("account",))
    return _plain(value)


def read_value(kind: str, text: str | bool) -> tuple[Any, Problem]:
    """The spec value typed as ``text`` in a field of ``kind``; None removes the key."""
    if kind == "bool":
        return (text if isinstance(text, bool) else str(text) == "true"), None
    raw = str(text).strip()
    if kind == "period":
        said = raw.lower()
        return next((k for k, words in _PERIODS.items() if said in words), raw or None), None
    if kind in ("optional_int", "optional_number", "optional_str", "choice", "list",
                "sec_as_hours", "filter") and raw == "":
        return None, None
    if kind == "sec_as_hours":
        value = _number(raw)
        return (round(value * 3600) if isinstance(value, int | float) else raw), None
    if kind == "filter":
        return _read_filter(str(text))
    if kind in ("int", "number", "optional_int", "optional_number"):
        return _number(raw), None
    if kind == "ms_as_sec":
        value = _number(raw)
        return (round(value * 1000) if isinstance(value, int | float) else raw), None
    if kind == "numbers":
        return [_number(p) for p in raw.split(",") if p.strip()], None
    if kind == "list":
        return [p.strip() for p in raw.replace("\n", ",").split(",") if p.strip()], None
    if kind == "products":
        return _read_products(str(text))
    if kind == "recipients":
        return _read_pairs(str(text), key="channel", value_key="to", split=False)
    if kind == "sources":
        return _read_pairs(str(text), key="platform", value_key="metrics", split=True)
    if kind == "accounts":
        return _read_pairs(str(text), key="platform", value_key="account", split=False)
    return raw, None
