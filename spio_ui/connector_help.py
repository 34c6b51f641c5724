"""The connector settings' help lines in Indonesian.

Each connector describes its settings in English (``Field(description=...)``: the API and
the code read them). The settings form shows the line in the reader's language: this
table holds the Indonesian of each; a test fails when a connector gains a setting whose
line is missing here.
"""

from __future__ import annotations

__all__ = ["INDONESIAN", "field_help"]

_S = "<sandbox>"

INDONESIAN: dict[str, str] = {
    # addresses of the platforms' APIs
    "API host, e.g. https://partner.shopeemobile.com (sandbox: <sandbox>/shopee).":
        f"Alamat API, mis. https://partner.shopeemobile.com (sandbox: {_S}/shopee).",
    "API root, e.g. https://api.twilio.com (the sandbox's /sms by default).":
        "Alamat dasar API, mis. https://api.twilio.com (bawaan: /sms di sandbox).",
    "API root, e.g. https://business-api.tiktok.com/open_api/v1.3.":
        "Alamat dasar API, mis. https://business-api.tiktok.com/open_api/v1.3.",
    "API root, e.g. https://googleads.googleapis.com/v17.":
        "Alamat dasar API, mis. https://googleads.googleapis.com/v17.",
    "Bot API root, e.g. https://api.telegram.org (the sandbox by default).":
        "Alamat dasar Bot API, mis. https://api.telegram.org (bawaan: sandbox).",
    "CRM API root (sandbox: <sandbox>/crm/api/v1).":
        f"Alamat dasar API CRM (sandbox: {_S}/crm/api/v1).",
    "Catalog API root, e.g. https://shop.example/api/v1.":
        "Alamat dasar API katalog, mis. https://shop.example/api/v1.",
    "Content API root, e.g. https://shoppingcontent.googleapis.com/content/v2.1.":
        "Alamat dasar Content API, mis. https://shoppingcontent.googleapis.com/content/v2.1.",
    "Data API root, e.g. https://analyticsdata.googleapis.com/v1beta.":
        "Alamat dasar Data API, mis. https://analyticsdata.googleapis.com/v1beta.",
    "Graph API root, e.g. https://graph.facebook.com (the sandbox by default).":
        "Alamat dasar Graph API, mis. https://graph.facebook.com (bawaan: sandbox).",
    "Graph API root, e.g. https://graph.facebook.com.":
        "Alamat dasar Graph API, mis. https://graph.facebook.com.",
    "Inventory API root (sandbox: <sandbox>/inventory/v1).":
        f"Alamat dasar API stok (sandbox: {_S}/inventory/v1).",
    "Market data root (sandbox: <sandbox>/market).":
        f"Alamat dasar data pasar (sandbox: {_S}/market).",
    "Merchant API root (sandbox: <sandbox>/idealo/api/v2).":
        f"Alamat dasar API merchant (sandbox: {_S}/idealo/api/v2).",
    "Merchant API root (sandbox: <sandbox>/priceza/api/v1).":
        f"Alamat dasar API merchant (sandbox: {_S}/priceza/api/v1).",
    "Open API host, e.g. https://open-api.tiktokglobalshop.com (sandbox: <sandbox>/tiktok-shop).":
        f"Alamat Open API, mis. https://open-api.tiktokglobalshop.com (sandbox: "
        f"{_S}/tiktok-shop).",
    "Open API host, e.g. https://open-api.tiktokglobalshop.com (sandbox: <sandbox>/tokopedia).":
        f"Alamat Open API, mis. https://open-api.tiktokglobalshop.com (sandbox: "
        f"{_S}/tokopedia).",
    "PIM API root (sandbox: <sandbox>/pim/api/v1).":
        f"Alamat dasar API PIM (sandbox: {_S}/pim/api/v1).",
    "REST endpoint, e.g. https://api.lazada.co.id/rest (sandbox: <sandbox>/lazada/rest).":
        f"Alamat REST, mis. https://api.lazada.co.id/rest (sandbox: {_S}/lazada/rest).",
    "Rates API root (sandbox: <sandbox>/fx/api/v1).":
        f"Alamat dasar API kurs (sandbox: {_S}/fx/api/v1).",
    "Root under which /twitter, /instagram, /facebook and /tiktok APIs live (the sandbox "
    "by default).":
        "Alamat dasar tempat API /twitter, /instagram, /facebook dan /tiktok berada "
        "(bawaan: sandbox).",
    "Seller API root (sandbox: <sandbox>/blibli/proxy/seller/v1).":
        f"Alamat dasar API penjual (sandbox: {_S}/blibli/proxy/seller/v1).",
    "Token endpoint root, https://auth.lazada.com/rest (sandbox: <sandbox>/lazada-auth/rest); "
    "left unset beside a base_url of your own, it is Lazada's.":
        f"Alamat dasar token, https://auth.lazada.com/rest (sandbox: {_S}/lazada-auth/rest); "
        "jika kosong sementara base_url diisi alamat sendiri, dipakai milik Lazada.",
    "Token endpoint, e.g. https://oauth2.googleapis.com/token.":
        "Alamat token, mis. https://oauth2.googleapis.com/token.",
    "Token host, https://auth.tiktok-shops.com (sandbox: <sandbox>/tiktok-shop-auth); left "
    "unset beside a base_url of your own, it is TikTok's.":
        f"Alamat token, https://auth.tiktok-shops.com (sandbox: {_S}/tiktok-shop-auth); "
        "jika kosong sementara base_url diisi alamat sendiri, dipakai milik TikTok.",
    "Graph API version.": "Versi Graph API.",
    "Graph version for Instagram/Facebook.": "Versi Graph untuk Instagram/Facebook.",
    "Graph version, e.g. v19.0.": "Versi Graph, mis. v19.0.",
    # who the account is
    "API client id.": "ID klien API.",
    "API client secret (Basic auth).": "Rahasia klien API (Basic auth).",
    "Account SID (AC...).": "SID akun (AC...).",
    "Ad account id, act_<digits>.": "ID akun iklan, act_<angka>.",
    "Advertiser id.": "ID pengiklan.",
    "App key from the Partner Center.": "Kunci aplikasi dari Partner Center.",
    "App key.": "Kunci aplikasi.",
    "App secret; signs calls.": "Rahasia aplikasi; menandatangani setiap panggilan.",
    "App secret; signs every request.": "Rahasia aplikasi; menandatangani setiap permintaan.",
    "Commerce catalog id.": "ID katalog Commerce.",
    "Customer id without dashes.": "ID pelanggan tanpa tanda hubung.",
    "GA4 property id.": "ID properti GA4.",
    "Merchant Center account id.": "ID akun Merchant Center.",
    "Merchant id.": "ID merchant.",
    "OAuth client id.": "ID klien OAuth.",
    "OAuth client secret.": "Rahasia klien OAuth.",
    "Store code.": "Kode toko.",
    "The shop id.": "ID toko.",
    "The shop's cipher from the authorized-shops API.":
        "Cipher toko dari API toko yang diizinkan (authorized shops).",
    "The store's Api-Seller-Key.": "Api-Seller-Key milik toko.",
    "Your app's partner id.": "ID partner aplikasi Anda.",
    "Your app's partner key; signs every request.":
        "Kunci partner aplikasi Anda; menandatangani setiap permintaan.",
    "idealo shop id.": "ID toko idealo.",
    "Target country / feed label.": "Negara tujuan / label feed.",
    # keys and tokens
    "Back-office API key (X-API-Key).": "Kunci API back-office (X-API-Key).",
    "Bearer API key of the catalog API.": "Kunci API (Bearer) untuk API katalog.",
    "Bearer token for the social APIs.": "Token Bearer untuk API media sosial.",
    "CRM API key (X-API-Key).": "Kunci API CRM (X-API-Key).",
    "Merchant API key (X-API-Key).": "Kunci API merchant (X-API-Key).",
    "Current access token (refreshed on expiry).":
        "Token akses saat ini (diperbarui saat kedaluwarsa).",
    "Google Ads developer token.": "Token pengembang Google Ads.",
    "Long-lived refresh token.": "Token refresh berumur panjang.",
    "Long-term access token (Access-Token header).":
        "Token akses jangka panjang (header Access-Token).",
    "Per marketplace, the shop token that reads stats and orders.":
        "Per marketplace, token toko yang membaca statistik dan pesanan.",
    "Refresh token (30 days) used to get new access tokens.":
        "Token refresh (30 hari) untuk mendapatkan token akses baru.",
    "Refresh token used to get new access tokens.":
        "Token refresh untuk mendapatkan token akses baru.",
    "Seller access token; refreshed automatically.":
        "Token akses penjual; diperbarui otomatis.",
    "Shop access token (4 h); refreshed automatically.":
        "Token akses toko (4 jam); diperbarui otomatis.",
    "System-user access token with whatsapp_business_messaging.":
        "Token akses system user dengan izin whatsapp_business_messaging.",
    "System-user token with catalog_management.":
        "Token system user dengan izin catalog_management.",
    "Token with ads_read.": "Token dengan izin ads_read.",
    "The Meta app's secret: checks the status webhooks' X-Hub-Signature-256.":
        "Rahasia aplikasi Meta: memeriksa X-Hub-Signature-256 pada webhook status.",
    "The account's auth token (HTTP Basic password).":
        "Token autentikasi akun (kata sandi HTTP Basic).",
    "The token @BotFather gave, `<bot id>:<secret>`.":
        "Token dari @BotFather, `<id bot>:<rahasia>`.",
    "The verify token typed in the app's webhook settings (GET handshake).":
        "Token verifikasi yang diketik di pengaturan webhook aplikasi (jabat tangan GET).",
    # messaging
    "A Messaging Service (MG...) to send from instead of from_number; empty: from_number.":
        "Messaging Service (MG...) sebagai pengirim, bukan from_number; kosong: from_number.",
    "Sender number in E.164 (+62...) or an approved alphanumeric sender id.":
        "Nomor pengirim dalam format E.164 (+62...) atau ID pengirim alfanumerik yang "
        "disetujui.",
    "The sending phone number's id (not the phone number itself).":
        "ID nomor telepon pengirim (bukan nomor teleponnya).",
    "Where Twilio reports delivery and failure: this app's /webhooks/twilio at its public "
    "address; empty: no reports.":
        "Tempat Twilio melaporkan terkirim dan gagal: /webhooks/twilio aplikasi ini di "
        "alamat publiknya; kosong: tanpa laporan.",
    "From header.": "Header From (pengirim).",
    "Implicit TLS (port 465).": "TLS langsung (port 465).",
    "Per SMTP command.": "Per perintah SMTP.",
    "SMTP connections kept open at most (sends in parallel).":
        "Koneksi SMTP yang dibuka paling banyak (mengirim bersamaan).",
    "SMTP host.": "Host SMTP.",
    "SMTP login; empty sends without AUTH.": "Login SMTP; kosong: kirim tanpa AUTH.",
    "SMTP password.": "Kata sandi SMTP.",
    "SMTP port.": "Port SMTP.",
    "Upgrade with STARTTLS (port 587).": "Naikkan ke STARTTLS (port 587).",
}


def field_help(description: str, *, lang: str) -> str:
    """A setting's help line in ``lang`` (the English line when none is known)."""
    if lang != "id":
        return description
    return INDONESIAN.get(description, description)
