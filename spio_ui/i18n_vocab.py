"""Words the UI shows for values that come from data: run and job statuses, priorities,
workflow kinds, triggers, log levels, connector modes, channels.

A page builds the key from the value (``"status." + run.status``), so a status is never
shown as its code. Every value of the backend's vocabulary has a key here (a test checks
``backend.domain.vocab`` against it).
"""

from __future__ import annotations

__all__ = ["VOCAB", "word_key"]

# key: (Indonesian, English)
VOCAB: dict[str, tuple[str, str]] = {
    # run and step statuses (backend.domain.vocab.RUN_STATUSES and the UI's own)
    "status.queued": ("Antre", "Queued"),
    "status.dispatched": ("Dikirim ke worker", "Dispatched"),
    "status.running": ("Berjalan", "Running"),
    "status.retrying": ("Diulang", "Retrying"),
    "status.succeeded": ("Berhasil", "Succeeded"),
    "status.failed": ("Gagal", "Failed"),
    "status.timed_out": ("Melewati batas waktu", "Timed out"),
    "status.cancelled": ("Dibatalkan", "Cancelled"),
    "status.skipped": ("Dilewati", "Skipped"),
    "status.pending": ("Menunggu", "Pending"),
    # price reviews, incidents, users
    "status.approved": ("Disetujui", "Approved"),
    "status.rejected": ("Ditolak", "Rejected"),
    "status.applied": ("Diterapkan", "Applied"),
    "status.open": ("Terbuka", "Open"),
    "status.closed": ("Ditutup", "Closed"),
    "status.enabled": ("Aktif", "Enabled"),
    "status.revoked": ("Dicabut", "Revoked"),
    # priorities
    "priority.critical": ("Kritis", "Critical"),
    "priority.high": ("Tinggi", "High"),
    "priority.normal": ("Normal", "Normal"),
    "priority.low": ("Rendah", "Low"),
    # workflow kinds
    "workflow.noop": ("Tanpa aksi", "No-op"),
    "workflow.sleep": ("Tunggu", "Wait"),
    "workflow.price_intelligence": ("Intelijen harga", "Price intelligence"),
    "workflow.campaign": ("Kampanye", "Campaign"),
    "workflow.bi_report": ("Laporan BI", "BI report"),
    "workflow.catalog_sync": ("Sinkron katalog", "Catalog sync"),
    "workflow.crisis_monitor": ("Pemantau krisis", "Crisis monitor"),
    "workflow.agent": ("Agen", "Agent"),
    # what started a run
    "trigger.schedule": ("Jadwal", "Schedule"),
    "trigger.manual": ("Manual", "Manual"),
    "trigger.retry": ("Ulang", "Retry"),
    "trigger.dry_run": ("Uji coba", "Dry run"),
    "trigger.event": ("Peristiwa", "Event"),
    # events a job's trigger waits for (backend.domain.triggers.EVENT_KINDS)
    "event.order.created": ("Pesanan dibuat", "Order placed"),
    "event.order.paid": ("Pesanan dibayar", "Order paid"),
    "event.order.cancelled": ("Pesanan dibatalkan", "Order cancelled"),
    "event.stock.low": ("Stok menipis", "Stock low"),
    "event.price.competitor_changed": ("Harga kompetitor berubah", "Competitor price changed"),
    "event.social.mention": ("Mention di media sosial", "Social media mention"),
    "event.webhook": ("Webhook bertanda tangan", "Signed webhook"),
    # log levels
    "level.debug": ("debug", "debug"),
    "level.info": ("info", "info"),
    "level.warning": ("peringatan", "warning"),
    "level.error": ("galat", "error"),
    # connector modes
    "mode.sandbox": ("Sandbox", "Sandbox"),
    "mode.live": ("Live", "Live"),
    # steps of a run (a workflow's ``ctx.step`` names)
    # accounts under Settings → Connectors that are not a brand's name
    "platform.crm": ("CRM (data pelanggan)", "CRM (customers)"),
    "platform.fx": ("Kurs mata uang", "Exchange rates"),
    "platform.pim": ("PIM (data produk)", "PIM (product data)"),
    "platform.inventory": ("Inventaris", "Inventory"),
    "platform.market": ("Data pasar (harga pesaing)", "Market data (competitor prices)"),
    "platform.social": ("Media sosial", "Social media"),
    "platform.email": ("Email (SMTP)", "Email (SMTP)"),
    "platform.website": ("Toko web sendiri", "Own web shop"),
    # a run's files, by what they are (not their MIME type)
    "filetype.pdf": ("PDF", "PDF"),
    "filetype.excel": ("Excel", "Excel"),
    "filetype.csv": ("CSV", "CSV"),
    "filetype.json": ("Data JSON", "JSON data"),
    "filetype.image": ("Gambar", "Image"),
    "filetype.other": ("Berkas", "File"),
    "step.load": ("Muat", "Load"),
    "step.load-products": ("Muat produk", "Load products"),
    "step.competitor-prices": ("Harga kompetitor", "Competitor prices"),
    "step.fetch": ("Ambil data", "Fetch"),
    "step.history": ("Riwayat", "History"),
    "step.reprice": ("Hitung harga", "Reprice"),
    "step.commit": ("Terapkan", "Commit"),
    "step.report": ("Laporan", "Report"),
    "step.plan": ("Rencana", "Plan"),
    "step.send": ("Kirim", "Send"),
    "step.order": ("Pesan untuk pesanan", "Order message"),
    "step.claim": ("Ambil dari stok", "Take from stock"),
    "step.cancel": ("Batalkan pesanan", "Cancel the order"),
    "step.push": ("Tulis stok ke platform", "Write stock to platforms"),
    "step.finish": ("Selesaikan", "Finish"),
    "step.aggregate": ("Hitung angka", "Aggregate"),
    "step.insights": ("Wawasan", "Insights"),
    "step.render": ("Tulis berkas", "Render"),
    "step.distribute": ("Bagikan", "Distribute"),
    "step.sync": ("Sinkronkan", "Sync"),
    "step.verify": ("Periksa", "Verify"),
    "step.analyze": ("Analisis", "Analyze"),
    "step.alert": ("Peringatan", "Alert"),
    # campaign funnel stages
    "stage.sent": ("Terkirim", "Sent"),
    "stage.delivered": ("Diterima", "Delivered"),
    "stage.opened": ("Dibuka", "Opened"),
    "stage.clicked": ("Diklik", "Clicked"),
    "stage.converted": ("Konversi", "Converted"),
    # crisis responses (backend.services.crisis_incidents.count_response kinds)
    "response.auto_reply": ("Balasan otomatis", "Automatic replies"),
    "response.alert": ("Peringatan terkirim", "Alerts sent"),
    # message channels
    "channel.whatsapp": ("WhatsApp", "WhatsApp"),
    "channel.telegram": ("Telegram", "Telegram"),
    "channel.email": ("Email", "Email"),
    "channel.sms": ("SMS", "SMS"),
}


def word_key(kind: str, value: str) -> str:
    """``word_key("status", "failed")`` -> ``"status.failed"`` (for state code)."""
    return f"{kind}.{value}"
