"""The platform sandbox: plays marketplaces, messaging, ads, analytics and social APIs.

Start it with ``python -m backend.sandbox`` (or ``spio sandbox``); build it in-process
with :func:`backend.sandbox.server.create_app`; in tests use
``tests.sandbox_fixture.start_sandbox``. Test credentials: ``credentials.py``.

Where each platform lives (one module each; their docstrings give the details)::

    whatsapp.py     /{version}/{phone_number_id}/messages          WhatsApp Cloud API
    telegram.py     /bot{token}/sendMessage|sendDocument|getMe     Telegram Bot API
    sms.py          /sms/2010-04-01/Accounts/{sid}/Messages.json   Twilio-style SMS
    mail.py         SMTP on settings.sandbox_smtp_port             stored, deduplicated
    shopee.py       /shopee/api/v2/...                             Shopee Open Platform v2
    tiktok_shop.py  /tiktok-shop/..., /tokopedia/...               TikTok Shop Partner API
    tiktok_auth.py  /tiktok-shop-auth/api/v2/token/refresh         its auth host
    lazada.py       /lazada/rest/...                               Lazada Open Platform
    retail.py       /website/api/v1/..., /blibli/proxy/seller/v1/...
    feeds.py        /priceza/api/v1/..., /idealo/api/v2/...
    google.py       /google/oauth2/token, /google/content/v2.1/... Google Shopping
    meta_shop.py    /{version}/{catalog_id}/products|items_batch   Instagram/Facebook shop
    market.py       /market/{platform}/search|shops|orders|stats   competitor prices, stats
    ads.py          Facebook insights, Google Ads search, TikTok reports, GA4 runReport
    crm.py          /crm/api/v1/customers|orders|metrics/daily
    social.py       /twitter/2/..., /instagram/..., /facebook/..., /tiktok/v2/...
    images.py       /img/{sku}/{n}.jpg                             generated, cached JPEGs
    tracking.py     /t/{token}; funnel events POSTed to the webhook
    admin.py        /_admin/...: counters, faults, limits, reset, mail, webhook, clock

Every platform endpoint runs the same pipeline (``platform.endpoint``): count, fault
draw, authenticate, Idempotency-Key replay, rate limit, handler; errors take the
platform's own shape. Data comes from ``data/`` (a pure function of the seed and time).
"""
