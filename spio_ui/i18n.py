"""UI strings in Indonesian (default) and English.

Components read them through ``AppState.tr["key"]``, a computed dict that changes when
the user switches language, so every label follows the switch without a reload.
"""

from __future__ import annotations

import functools

from spio_ui.i18n_vocab import VOCAB

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "STRINGS", "translations", "word"]

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"

# key: (Indonesian, English)
STRINGS: dict[str, tuple[str, str]] = {
    # navigation
    "nav.dashboard": ("Dasbor", "Dashboard"),
    "nav.automation": ("Otomasi", "Automation"),
    "nav.workflows": ("Alur kerja", "Workflows"),
    "nav.campaigns": ("Kampanye", "Campaigns"),
    "nav.crisis": ("Krisis", "Crisis"),
    "nav.pricing": ("Tinjau harga", "Price review"),
    "nav.reports": ("Laporan", "Reports"),
    "nav.settings": ("Pengaturan", "Settings"),
    "nav.logout": ("Keluar", "Log out"),
    "nav.menu": ("Menu", "Menu"),
    "app.tagline": ("Otomasi untuk penjual online", "Automation for online sellers"),
    "role.viewer": ("Pengamat", "Viewer"),
    "role.operator": ("Operator", "Operator"),
    "role.admin": ("Admin", "Admin"),
    "live.connected": ("Langsung", "Live"),
    "live.offline": ("Tidak langsung", "Not live"),
    # system health (dashboard badge and banner)
    "health.degraded": ("Terganggu", "Degraded"),
    "health.banner": (
        "Sistem terganggu: pekerjaan tidak berjalan sampai ini pulih.",
        "The system is degraded: work is not getting done until this recovers.",
    ),
    "health.workers.none_alive": (
        "Tidak ada worker yang hidup; {waiting} run menunggu.",
        "No worker is alive; {waiting} runs are waiting.",
    ),
    "health.scheduler.not_leading": (
        "Tidak ada scheduler yang memimpin: tidak ada yang dijadwalkan atau dikirim.",
        "No scheduler is leading: nothing is scheduled or sent.",
    ),
    "health.redis.unavailable": ("Redis tidak menjawab.", "Redis does not answer."),
    "health.database.unavailable": ("Database tidak menjawab.", "The database does not answer."),
    "health.other": ("Pemeriksaan gagal: {part}.", "Check failed: {part}."),
    # login
    "login.title": ("Masuk ke SPIO Agent", "Sign in to SPIO Agent"),
    "login.token": ("Token API", "API token"),
    "login.token_hint": (
        "Token admin dicetak sekali oleh scripts/up saat pertama kali berjalan.",
        "The admin token is printed once by scripts/up on its first run.",
    ),
    "login.submit": ("Masuk", "Sign in"),
    "login.local": ("Lanjut sebagai pengguna lokal", "Continue as local user"),
    "login.local_hint": (
        "Mode demo aktif: permintaan dari mesin ini diterima tanpa token.",
        "Demo mode is on: requests from this machine are accepted without a token.",
    ),
    "login.invalid": ("Token tidak valid atau dicabut.", "Invalid or revoked token."),
    "login.username": ("Nama pengguna", "Username"),
    "login.password": ("Kata sandi", "Password"),
    "login.with_token": ("Atau masuk dengan token API", "Or sign in with an API token"),
    "login.submit_token": ("Masuk dengan token", "Sign in with token"),
    "login.missing": ("Isi nama pengguna dan kata sandi.", "Enter a username and password."),
    "login.wrong_password": (
        "Nama pengguna atau kata sandi salah.",
        "Wrong username or password.",
    ),
    "login.too_many": (
        "Terlalu banyak percobaan masuk; tunggu satu menit.",
        "Too many sign-in attempts; wait a minute.",
    ),
    # dashboard
    "dash.title": ("Dasbor", "Dashboard"),
    "dash.runs_today": ("Run hari ini", "Runs today"),
    "dash.success_rate": ("Tingkat sukses", "Success rate"),
    "dash.queue_depth": ("Antrean", "Queue depth"),
    "dash.scheduler_lag": ("Keterlambatan penjadwal", "Scheduler lag"),
    "dash.active_runs": ("Run aktif", "Active runs"),
    "dash.failing_jobs": ("Job yang gagal", "Failing jobs"),
    "dash.nothing_done": ("Selesai tanpa mengerjakan apa pun (24 jam)",
                           "Ended without doing their work (24 h)"),
    "dash.by_status": ("Run hari ini per status", "Runs today by status"),
    "dash.queue_by_priority": ("Antrean per prioritas", "Queue depth per priority"),
    "dash.none_active": ("Tidak ada run aktif.", "No active runs."),
    "dash.none_failing": ("Tidak ada job yang gagal.", "No failing jobs."),
    "dash.failures_in_row": ("gagal berturut-turut", "failures in a row"),
    "perf.title": ("Kinerja vs target", "Performance vs target"),
    "perf.metric": ("Ukuran", "Measure"),
    "perf.target": ("Target", "Target"),
    "perf.now": ("Sekarang", "Now"),
    "perf.job_success": ("Tingkat sukses job", "Job success rate"),
    "perf.api_success": ("Sukses panggilan API", "API call success"),
    "perf.duration": ("Rata-rata durasi vs batas waktu", "Average duration vs timeout"),
    "perf.memory": ("Memori pekerja", "Worker memory"),
    "perf.queue": ("Kedalaman antrean", "Queue depth"),
    "dash.worker_util": ("utilisasi pekerja", "worker utilisation"),
    "dash.updated": ("Diperbarui", "Updated"),
    # automation
    "auto.title": ("Otomasi", "Automation"),
    "auto.intro": (
        "Tulis apa yang ingin diotomasi (Bahasa Indonesia atau Inggris). SPIO menyusun "
        "job-nya; periksa, ubah, lalu buat.",
        "Describe what to automate (Indonesian or English). SPIO drafts the job; check "
        "it, adjust it, then create it.",
    ),
    "auto.prompt": ("Perintah", "Prompt"),
    "auto.placeholder": (
        "Contoh: Monitor harga 100 produk di 5 marketplace tiap 5 menit",
        "Example: Monitor prices of 100 products on 5 marketplaces every 5 minutes",
    ),
    "auto.examples": ("Contoh", "Examples"),
    "example.black_friday": ("Black Friday", "Black Friday"),
    "auto.use_ai": ("Gunakan AI bila terhubung", "Use AI when connected"),
    "auto.plan": ("Susun rencana", "Draft plan"),
    "auto.proposal": ("Usulan", "Proposal"),
    "auto.offline_planner": (
        "Disusun oleh perencana bawaan SPIO. Untuk rencana dari AI, admin dapat "
        "menghubungkan layanan AI (lihat Pengaturan › Integrasi).",
        "Drafted by SPIO's built-in planner. For plans written by AI, an admin can connect "
        "an AI service (see Settings › Integrations).",
    ),
    "auto.llm_failed": (
        "Layanan AI tidak menjawab dengan benar; rencana ini disusun oleh perencana bawaan.",
        "The AI service did not answer properly; this plan was drafted by the built-in "
        "planner.",
    ),
    "auto.what": ("Apa", "What"),
    "auto.when": ("Kapan", "When"),
    "auto.job_name": ("Nama job", "Job name"),
    "auto.next_fires": ("Jadwal berikutnya", "Next fire times"),
    "auto.estimate": ("Perkiraan per run", "Estimate per run"),
    "auto.api_calls": ("Panggilan API", "API calls"),
    "auto.messages": ("Pesan", "Messages"),
    "auto.duration": ("Durasi", "Duration"),
    "auto.assumptions": ("Asumsi", "Assumptions"),
    "auto.inputs": ("Masukan (bisa diubah)", "Inputs (editable)"),
    "auto.spec_json": ("Spesifikasi job (JSON)", "Job spec (JSON)"),
    "auto.create_run": ("Buat & Jalankan", "Create & Run"),
    "auto.create": ("Buat", "Create"),
    "auto.dry_run": ("Uji coba di sandbox", "Dry run on sandbox"),
    "auto.dry_run_title": ("Uji coba di sandbox", "Dry run on sandbox"),
    "auto.dry_run_hint": (
        "Dijalankan sekali oleh worker terhadap sandbox; job tidak disimpan.",
        "Run once by a worker against the sandbox; the job is not saved.",
    ),
    "auto.dry_run_outputs": ("Hasil", "Outputs"),
    "auto.created": ("Job dibuat", "Job created"),
    "auto.open_run": ("Lihat run", "Open run"),
    "auto.open_job": ("Lihat job", "Open job"),
    # jobs
    "jobs.title": ("Alur kerja", "Workflows"),
    "jobs.search": ("Cari job…", "Search jobs…"),
    "jobs.count": ("job", "jobs"),
    "jobs.any_workflow": ("Semua alur", "Any workflow"),
    "jobs.any_status": ("Semua status", "Any status"),
    "jobs.any_priority": ("Semua prioritas", "Any priority"),
    "auto.trigger": ("Pemicu", "Trigger"),
    "jobs.any_trigger": ("Semua pemicu", "Any trigger"),
    "jobs.trigger_schedule": ("Jadwal atau manual", "Schedule or by hand"),
    "jobs.trigger_event": ("Peristiwa apa pun", "Any event"),
    "jobs.flow_group": ("Grup alur", "Flow group"),
    "jobs.job": ("Job", "Job"),
    "jobs.workflow": ("Alur", "Workflow"),
    "jobs.status": ("Status", "Status"),
    "jobs.priority": ("Prioritas", "Priority"),
    "jobs.next_run": ("Run berikutnya", "Next run"),
    "jobs.last_run": ("Run terakhir", "Last run"),
    "jobs.actions": ("Aksi", "Actions"),
    "jobs.pause": ("Jeda", "Pause"),
    "jobs.resume": ("Lanjutkan", "Resume"),
    "jobs.run_now": ("Jalankan sekarang", "Run now"),
    "jobs.delete": ("Hapus", "Delete"),
    "jobs.confirm_delete": (
        "Hapus job ini beserta riwayatnya?",
        "Delete this job and its history?",
    ),
    "jobs.cancel": ("Batal", "Cancel"),
    "jobs.empty": ("Belum ada job.", "No jobs yet."),
    "jobs.recent_runs": ("Run terakhir", "Recent runs"),
    "status.active": ("Aktif", "Active"),
    "status.paused": ("Dijeda", "Paused"),
    "status.disabled": ("Nonaktif", "Disabled"),
    "status.nothing_done": ("Tidak ada yang dikerjakan", "Nothing done"),
    # job editor
    "editor.form": ("Formulir", "Form"),
    # job editor form: a label and a line of help per field (spio_ui/spec_fields.py)
    "form.section.run": ("Cara job berjalan", "How the job runs"),
    "form.section.trigger": ("Pemicu: jadwal atau peristiwa", "Trigger: a schedule or an event"),
    "form.order_message": ("Pesan per pesanan", "Message per order"),
    "form.order_message.help": (
        "Dengan pemicu pesanan: satu pesan ke pembeli setiap pesanan. Kosong: ucapan terima "
        "kasih untuk 'pesanan dibayar', pengingat untuk 'pesanan dibuat'.",
        "With an order trigger: one message to each order's buyer. Empty: a thank-you for "
        "'order paid', a reminder for 'order placed'."),
    "form.trigger_event": ("Mulai saat", "Starts when"),
    "form.trigger_event.help": (
        "Jadwal: job berjalan menurut jadwal di bawah (atau saat dijalankan). Peristiwa: satu "
        "run untuk setiap peristiwa yang cocok, dengan peristiwa itu sebagai inputs.event.",
        "Schedule: the job runs on the schedule below (or when run by hand). An event: one "
        "run for each matching event, with the event as inputs.event."),
    "form.trigger_threshold": ("Batas stok", "Stock threshold"),
    "form.trigger_threshold.help": ("Mulai saat stok turun ke angka ini atau di bawahnya "
                                    "(bawaan 5).", "Start when stock falls to this or below "
                                    "(default 5)."),
    "form.trigger_min_change": ("Perubahan harga minimal (%)", "Smallest price change (%)"),
    "form.trigger_min_change.help": ("Perubahan harga kompetitor yang lebih kecil diabaikan.",
                                     "Smaller competitor price moves are ignored."),
    "form.trigger_keywords": ("Kata kunci", "Keywords"),
    "form.trigger_keywords.help": ("Postingan harus menyebut salah satunya; pisahkan dengan "
                                   "koma.", "The post must mention one of them; separate with "
                                   "commas."),
    "form.trigger_platforms": ("Hanya dari platform", "Only from platforms"),
    "form.trigger_platforms.help": ("Kosong: semua platform. Mis. shopee, tiktok_shop.",
                                    "Empty: every platform. E.g. shopee, tiktok_shop."),
    "form.trigger_delay": ("Tunda (jam)", "Delay (hours)"),
    "form.trigger_delay.help": ("Mulai run sekian jam setelah peristiwa, mis. 3 untuk "
                                "pengingat keranjang. Kosong: segera.", "Start the run this "
                                "many hours after the event, e.g. 3 for a cart reminder. "
                                "Empty: at once."),
    "form.trigger_filter": ("Filter data peristiwa", "Filter on the event's data"),
    "form.trigger_filter.help": ("Satu baris per kolom: 'kolom: nilai' (beberapa nilai dipisah "
                                 "koma), mis. 'status: READY_TO_SHIP'.", "One line per field: "
                                 "'field: value' (several values with commas), e.g. "
                                 "'status: READY_TO_SHIP'."),
    "form.section.price_intelligence": ("Harga & pesaing", "Prices & competitors"),
    "form.section.campaign": ("Kampanye", "Campaign"),
    "form.section.bi_report": ("Laporan", "Report"),
    "form.section.catalog_sync": ("Sinkron katalog", "Catalog sync"),
    "form.section.crisis_monitor": ("Pantauan krisis", "Crisis watch"),
    "form.schedule": ("Kapan berjalan", "When it runs"),
    "form.schedule.help": (
        "Tulis dengan kata-kata: 'setiap 10 menit', 'tiap hari jam 7', 'setiap Senin jam 9'. "
        "Kosongkan agar hanya berjalan saat Anda menekan Jalankan.",
        "In words: 'every 10 minutes', 'every day at 7', 'every monday 9am'. Leave empty "
        "to run only when you press Run.",
    ),
    "form.timezone": ("Zona waktu", "Time zone"),
    "form.timezone.help": ("Mis. Asia/Jakarta (WIB).", "E.g. Asia/Jakarta (WIB)."),
    "form.timeout": ("Batas waktu (detik)", "Time limit (seconds)"),
    "form.timeout.help": (
        "Satu percobaan dihentikan setelah selama ini.",
        "One attempt is stopped after this long.",
    ),
    "form.max_retry": ("Coba lagi bila gagal (kali)", "Retries after a failure"),
    "form.max_retry.help": (
        "0 = tidak dicoba lagi; kesalahan yang tak terbantu dengan mencoba lagi langsung gagal.",
        "0 = no retry; errors a retry cannot help fail at once.",
    ),
    "form.backoff": ("Jeda sebelum coba lagi (detik)", "Wait before a retry (seconds)"),
    "form.backoff.help": (
        "Satu angka, atau beberapa dipisah koma untuk percobaan ke-1, ke-2, …",
        "One number, or several separated by commas for the 1st, 2nd, … retry.",
    ),
    "form.priority": ("Prioritas", "Priority"),
    "form.priority.help": (
        "Saat antrean penuh, prioritas rendah menunggu lebih dulu.",
        "When queues are deep, lower priorities wait first.",
    ),
    "form.flow_group": ("Grup kerja", "Work group"),
    "form.flow_group.help": (
        "Job dalam grup yang sama berbagi batas jalan bersamaan.",
        "Jobs in the same group share their limit of runs at once.",
    ),
    "form.flow_max": ("Maks. jalan bersamaan", "Max. runs at once"),
    "form.flow_max.help": (
        "Untuk seluruh grup; sisanya menunggu giliran. Kosong = tanpa batas.",
        "For the whole group; the rest wait their turn. Empty = no limit.",
    ),
    "form.overlap": ("Boleh tumpang tindih", "May overlap"),
    "form.overlap.help": (
        "Mati: jadwal yang tiba saat job masih berjalan dilewati.",
        "Off: a time that comes while the job still runs is skipped.",
    ),
    "form.enabled": ("Aktif", "Enabled"),
    "form.enabled.help": (
        "Job nonaktif menyimpan riwayatnya tetapi tidak pernah berjalan.",
        "A disabled job keeps its history but never runs.",
    ),
    "form.products": ("Produk", "Products"),
    "form.products.help": (
        "Satu produk per baris: SKU; nama; harga jual; biaya (mis. PROD001; Produk A; 150000)."
        " Atau satu baris 'katalog: 100' untuk 100 produk dari inventaris.",
        "One product a line: SKU; name; selling price; cost (e.g. PROD001; Product A; 150000)."
        " Or one line 'catalog: 100' for 100 products from the inventory.",
    ),
    "form.marketplaces": ("Marketplace", "Marketplaces"),
    "form.marketplaces.help": (
        "Dipisah koma: shopee, tokopedia, lazada, tiktok, blibli.",
        "Comma-separated: shopee, tokopedia, lazada, tiktok, blibli.",
    ),
    "form.competitors": ("Pesaing yang dibandingkan", "Competitors compared"),
    "form.competitors.help": (
        "Akun toko pesaing, dipisah koma. Kosong = semua penjual.",
        "Competitors' shop accounts, comma-separated. Empty = every seller.",
    ),
    "form.strategy": ("Strategi harga", "Pricing strategy"),
    "form.strategy.help": (
        "Bagaimana harga Anda mengikuti pesaing termurah yang punya stok.",
        "How your price follows the cheapest competitor in stock.",
    ),
    "form.undercut": ("Selisih di bawah termurah (%)", "Under the cheapest by (%)"),
    "form.undercut.help": (
        "Mis. 5: harga Anda 5 % di bawah pesaing termurah.",
        "E.g. 5: your price 5% under the cheapest competitor.",
    ),
    "form.min_margin": ("Margin minimal (%)", "Minimum margin (%)"),
    "form.min_margin.help": (
        "Harga tidak pernah turun sampai margin di bawah ini.",
        "A price never drops until the margin is under this.",
    ),
    "form.max_discount": ("Diskon maksimal (%)", "Maximum discount (%)"),
    "form.max_discount.help": (
        "Sekali ubah, harga turun paling banyak segini dari harga sekarang dan harga daftar.",
        "One change lowers a price at most this much from its current and list price.",
    ),
    "form.price_floor": ("Harga terendah (Rp)", "Lowest price (Rp)"),
    "form.price_floor.help": (
        "Harga tidak pernah di bawah ini. Kosong = tanpa batas tambahan.",
        "A price never goes under this. Empty = no extra limit.",
    ),
    "form.price_ceiling": ("Harga tertinggi (Rp)", "Highest price (Rp)"),
    "form.price_ceiling.help": (
        "Harga tidak pernah di atas ini. Kosong = harga daftar produk.",
        "A price never goes above this. Empty = the product's list price.",
    ),
    "form.auto_update": ("Ubah harga otomatis", "Change prices automatically"),
    "form.auto_update.help": (
        "Mati: hanya memutuskan dan melaporkan, harga tidak diubah.",
        "Off: only decide and report, prices are not changed.",
    ),
    "form.max_changes": ("Maks. perubahan harga per jalan", "Max. price changes per run"),
    "form.max_changes.help": (
        "Selebihnya menunggu persetujuan di Tinjau harga.",
        "The rest wait for approval in Price review.",
    ),
    "form.preview_first": ("Tinjau dulu aturan baru", "Review a new rule first"),
    "form.preview_first.help": (
        "Jalan pertama aturan baru atau yang diubah hanya mengusulkan perubahannya.",
        "A new or edited rule's first run only proposes its changes.",
    ),
    "form.report_channels": ("Kirim laporan ke", "Send the report to"),
    "form.report_channels.help": (
        "Dipisah koma: telegram, email.",
        "Comma-separated: telegram, email.",
    ),
    "form.campaign_name": ("Nama kampanye", "Campaign name"),
    "form.campaign_name.help": ("Tampil di halaman Kampanye.", "Shown on the Campaigns page."),
    "form.channels": ("Kanal", "Channels"),
    "form.channels.help": (
        "Dipisah koma: whatsapp, telegram, email, sms. Hanya ke pelanggan yang setuju.",
        "Comma-separated: whatsapp, telegram, email, sms. Only to customers who consented.",
    ),
    "form.segment": ("Segmen penerima", "Audience segment"),
    "form.segment.help": (
        "Mis. vip, new. Kosong = semua pelanggan.",
        "E.g. vip, new. Empty = every customer.",
    ),
    "form.audience_limit": ("Maks. penerima", "Max. recipients"),
    "form.audience_limit.help": ("Kosong = semua yang cocok.", "Empty = everyone who matches."),
    "form.start_date": ("Mulai kirim", "Send from"),
    "form.start_date.help": (
        "Tanggal dan jam, mis. 2026-11-24T00:00:00+07:00.",
        "Date and time, e.g. 2026-11-24T00:00:00+07:00.",
    ),
    "form.end_date": ("Berhenti kirim", "Send until"),
    "form.end_date.help": (
        "Tidak ada pesan terkirim setelah ini.",
        "No message is sent after this.",
    ),
    "form.rate": ("Pesan per menit per kanal", "Messages a minute per channel"),
    "form.rate.help": ("Batas kecepatan kirim.", "The sending speed limit."),
    "form.discount": ("Diskon yang ditawarkan", "Discount offered"),
    "form.discount.help": (
        "Mis. 30-70%; dipakai di isi pesan.",
        "E.g. 30-70%; used in the message.",
    ),
    "form.tone": ("Gaya pesan", "Message tone"),
    "form.tone.help": ("Nada sapaan di setiap pesan.", "The voice of every message."),
    "form.use_ai": ("Tulis pesan dengan AI", "Write messages with AI"),
    "form.use_ai.help": (
        "Hanya bila LLM sudah diatur; tanpa itu pesan memakai templat.",
        "Only when an LLM is set up; otherwise messages use the templates.",
    ),
    "form.quiet_start": ("Jam tenang mulai", "Quiet hours from"),
    "form.quiet_start.help": (
        "Mis. 21:00: tidak ada pesan sampai jam tenang selesai.",
        "E.g. 21:00: no message until quiet hours end.",
    ),
    "form.quiet_end": ("Jam tenang selesai", "Quiet hours until"),
    "form.quiet_end.help": ("Mis. 08:00.", "E.g. 08:00."),
    "form.report_date": ("Periode laporan", "Report period"),
    "form.report_date.help": (
        "kemarin, hari ini, atau tanggal seperti 2026-12-01.",
        "yesterday, today or a date like 2026-12-01.",
    ),
    "form.recipients": ("Penerima", "Recipients"),
    "form.recipients.help": (
        "Satu per baris, 'kanal: alamat': email: bos@toko.id, telegram: -1001234, "
        "whatsapp: +62812….",
        "One a line, 'channel: address': email: boss@shop.id, telegram: -1001234, "
        "whatsapp: +62812….",
    ),
    "form.formats": ("Format", "Formats"),
    "form.formats.help": (
        "Dipisah koma: pdf, excel, dashboard.",
        "Comma-separated: pdf, excel, dashboard.",
    ),
    "form.sources": ("Sumber data", "Data sources"),
    "form.sources.help": (
        "Satu per baris, 'platform: ukuran, …': shopee: sales, orders.",
        "One a line, 'platform: metrics, …': shopee: sales, orders.",
    ),
    "form.report_language": ("Bahasa laporan", "Report language"),
    "form.report_language.help": (
        "Bahasa isi PDF dan Excel.",
        "The language of the PDF and workbook.",
    ),
    "form.message_language": ("Bahasa pesan", "Message language"),
    "form.message_language.help": (
        "Bahasa pesan yang ditulis kampanye ini untuk pelanggan.",
        "The language of the messages this campaign writes to customers.",
    ),
    "form.platforms": ("Platform tujuan", "Platforms"),
    "form.platforms.help": (
        "Dipisah koma: shopee, tokopedia, lazada, tiktok_shop, website, ….",
        "Comma-separated: shopee, tokopedia, lazada, tiktok_shop, website, ….",
    ),
    "form.catalog_limit": ("Maks. produk per sinkron", "Max. products per sync"),
    "form.catalog_limit.help": ("Dari basis data produk Anda.", "From your product database."),
    "form.sync_prices": ("Sinkronkan harga", "Sync prices"),
    "form.sync_prices.help": (
        "Harga ditambah biaya tiap platform.",
        "Prices plus each platform's fees.",
    ),
    "form.sync_inventory": ("Sinkronkan stok", "Sync stock"),
    "form.sync_inventory.help": ("Stok dikurangi stok pengaman.", "Stock minus the safety stock."),
    "form.sync_descriptions": ("Sinkronkan deskripsi", "Sync descriptions"),
    "form.sync_descriptions.help": (
        "Judul dan deskripsi produk.",
        "Product titles and descriptions.",
    ),
    "form.sync_images": ("Sinkronkan foto", "Sync photos"),
    "form.sync_images.help": (
        "Foto diperkecil dan dikompres sekali.",
        "Photos are resized and compressed once.",
    ),
    "form.image_width": ("Lebar foto maks. (px)", "Max. photo width (px)"),
    "form.image_width.help": (
        "Foto yang lebih besar diperkecil.",
        "Larger photos are scaled down.",
    ),
    "form.image_height": ("Tinggi foto maks. (px)", "Max. photo height (px)"),
    "form.image_height.help": (
        "Foto yang lebih tinggi diperkecil.",
        "Taller photos are scaled down.",
    ),
    "form.image_quality": ("Kualitas foto (1–100)", "Photo quality (1–100)"),
    "form.image_quality.help": ("Lebih rendah = file lebih kecil.", "Lower = smaller files."),
    "form.image_format": ("Format foto", "Photo format"),
    "form.image_format.help": ("WebP paling kecil.", "WebP is the smallest."),
    "form.safety_stock": ("Stok pengaman", "Safety stock"),
    "form.safety_stock.help": (
        "Ditahan agar pesanan dari dua platform sekaligus tidak melebihi stok.",
        "Held back so orders on two platforms at once never exceed stock.",
    ),
    "form.keywords": ("Kata kunci", "Keywords"),
    "form.keywords.help": (
        "Dipisah koma: nama merek, nama produk.",
        "Comma-separated: brand name, product name.",
    ),
    "form.accounts": ("Akun yang dipantau", "Accounts watched"),
    "form.accounts.help": (
        "Satu per baris, 'platform: akun': instagram: brand_official.",
        "One a line, 'platform: account': instagram: brand_official.",
    ),
    "form.volume": ("Sebutan minimal untuk krisis", "Mentions needed for a crisis"),
    "form.volume.help": ("Per pemeriksaan.", "Per check."),
    "form.spike": ("Lonjakan (× biasanya)", "Spike (× usual)"),
    "form.spike.help": (
        "Mis. 5: lima kali jumlah sebutan biasanya.",
        "E.g. 5: five times the usual mentions.",
    ),
    "form.negative_share": ("Porsi negatif (0–1)", "Negative share (0–1)"),
    "form.negative_share.help": (
        "Mis. 0.8: 80 % sebutan negatif.",
        "E.g. 0.8: 80% of mentions negative.",
    ),
    "form.alert_negative": ("Peringatan sebutan negatif lewat", "Negative mention alerts via"),
    "form.alert_negative.help": (
        "Satu pesan per postingan negatif.",
        "One message per negative post.",
    ),
    "form.alert_crisis": ("Peringatan krisis lewat", "Crisis alerts via"),
    "form.alert_crisis.help": ("Sekali per insiden.", "Once per incident."),
    "form.alert_viral": ("Peringatan negatif viral lewat", "Viral negative alerts via"),
    "form.alert_viral.help": (
        "Untuk postingan negatif yang menyebar cepat.",
        "For negative posts spreading fast.",
    ),
    "form.auto_response": ("Balas permintaan maaf otomatis", "Reply with an apology automatically"),
    "form.auto_response.help": ("Sekali per postingan.", "Once per post."),
    "choice.critical": ("Kritis", "Critical"),
    "choice.high": ("Tinggi", "High"),
    "choice.normal": ("Normal", "Normal"),
    "choice.low": ("Rendah", "Low"),
    "choice.undercut": ("Di bawah pesaing termurah", "Under the cheapest competitor"),
    "choice.match_lowest": ("Samakan dengan termurah", "Match the cheapest"),
    "choice.monitor_only": ("Hanya pantau", "Watch only"),
    "choice.friendly_urgent": ("Ramah & mendesak", "Friendly & urgent"),
    "choice.friendly": ("Ramah", "Friendly"),
    "choice.formal": ("Formal", "Formal"),
    "choice.urgent": ("Mendesak", "Urgent"),
    "choice.schedule": ("Jadwal (tanpa peristiwa)", "Schedule (no event)"),
    "choice.thank_you": ("Ucapan terima kasih", "Thank-you"),
    "choice.cart_reminder": ("Pengingat pembayaran", "Payment reminder"),
    "choice.order.created": ("Pesanan dibuat", "Order placed"),
    "choice.order.paid": ("Pesanan dibayar", "Order paid"),
    "choice.order.cancelled": ("Pesanan dibatalkan", "Order cancelled"),
    "choice.stock.low": ("Stok menipis", "Stock low"),
    "choice.price.competitor_changed": ("Harga kompetitor berubah", "Competitor price changed"),
    "choice.social.mention": ("Mention di media sosial", "Social media mention"),
    "choice.webhook": ("Webhook bertanda tangan", "Signed webhook"),
    "choice.id": ("Bahasa Indonesia", "Indonesian"),
    "choice.en": ("Bahasa Inggris", "English"),
    "choice.webp": ("WebP", "WebP"),
    "choice.jpeg": ("JPEG", "JPEG"),
    "choice.png": ("PNG", "PNG"),
    "choice.telegram": ("Telegram", "Telegram"),
    "choice.whatsapp": ("WhatsApp", "WhatsApp"),
    "choice.email": ("Email", "Email"),
    "choice.sms": ("SMS", "SMS"),
    "editor.save": ("Simpan", "Save"),
    "editor.discard": ("Buang perubahan", "Discard changes"),
    "editor.saved": ("Tersimpan sebagai", "Saved as"),
    "editor.versions": ("Riwayat versi", "Version history"),
    "editor.diff": ("Beda", "Diff"),
    "editor.no_diff": ("Tidak ada perbedaan.", "No differences."),
    "editor.revert": ("Kembalikan", "Revert"),
    # runs
    "run.title": ("Run", "Run"),
    "run.summary": ("Hasil run ini", "What this run did"),
    # run summary figures (backend/services/run_summary.py)
    "summary.prices_changed": ("harga diubah", "prices changed"),
    "summary.average_change": ("rata-rata perubahan harga", "average price change"),
    "summary.proposed_for_review": ("usulan menunggu tinjauan", "proposals awaiting review"),
    "summary.listings_priced": ("listing dinilai", "listings priced"),
    "summary.competitor_offers": ("penawaran pesaing dibaca", "competitor offers read"),
    "summary.price_writes_failed": ("perubahan harga gagal", "price changes failed"),
    "summary.messages_sent": ("pesan terkirim", "messages sent"),
    "summary.sent_on": ("terkirim lewat {channel}", "sent on {channel}"),
    "summary.messages_failed": ("pesan gagal", "messages failed"),
    "summary.customers_left_out": ("pelanggan tidak dikirimi", "customers left out"),
    "summary.revenue": ("pendapatan tercatat", "revenue recorded"),
    "summary.rows_reported": ("baris data dilaporkan", "rows reported"),
    "summary.report_files": ("berkas laporan", "report files"),
    "summary.reports_sent": ("laporan terkirim", "reports sent"),
    "summary.sales": ("penjualan", "sales"),
    "summary.sources_failed": ("sumber data gagal", "data sources failed"),
    "summary.listings_written": ("listing ditulis", "listings written"),
    "summary.stock_skus": ("SKU dengan stok baru", "SKUs with new stock"),
    "summary.orders_cancelled_oversold": ("pesanan dibatalkan karena stok habis",
                                          "orders cancelled as out of stock"),
    "summary.products_synced": ("produk disinkronkan", "products synced"),
    "summary.platforms": ("platform", "platforms"),
    "summary.images_processed": ("foto diproses", "photos processed"),
    "summary.listings_verified": ("listing diperiksa cocok", "listings verified"),
    "summary.listings_failed": ("listing gagal", "listings failed"),
    "summary.posts_read": ("postingan dibaca", "posts read"),
    "summary.mentions": ("sebutan", "mentions"),
    "summary.alerts_sent": ("peringatan terkirim", "alerts sent"),
    "summary.auto_responses": ("balasan otomatis", "automatic replies"),
    "run.progress": ("Kemajuan", "Progress"),
    "run.steps": ("Langkah", "Steps"),
    "run.error_detail": ("Detail teknis", "Technical detail"),
    "run.logs": ("Log", "Log"),
    "run.artifacts": ("Artefak", "Artifacts"),
    "run.attempts": ("Percobaan", "Attempts"),
    "run.cancel": ("Batalkan run", "Cancel run"),
    "run.retry": ("Ulangi", "Retry"),
    "run.started": ("Mulai", "Started"),
    "run.finished": ("Selesai", "Finished"),
    "run.duration": ("Durasi", "Duration"),
    "run.trigger": ("Pemicu", "Trigger"),
    "run.event": ("Peristiwa yang memulai run ini", "The event that started this run"),
    "run.event_kind": ("Peristiwa", "Event"),
    "run.event_source": ("Pengirim", "Sent by"),
    "run.event_id": ("ID peristiwa", "Event id"),
    "run.event_occurred": ("Terjadi", "Happened"),
    "run.event_received": ("Diterima", "Received"),
    "run.event_data": ("Data peristiwa (inputs.event.data)", "Event data (inputs.event.data)"),
    "run.error": ("Galat", "Error"),
    "run.no_steps": ("Belum ada langkah.", "No steps yet."),
    "run.no_logs": ("Belum ada log.", "No log lines yet."),
    "run.no_artifacts": ("Tidak ada artefak.", "No artifacts."),
    "run.nothing_done": (
        "Run ini selesai tanpa mengerjakan tugasnya",
        "This run ended without doing its work",
    ),
    "run.download": ("Unduh", "Download"),
    # campaigns
    "campaign.sent": ("Terkirim", "Sent"),
    "campaign.planned": ("Direncanakan", "Planned"),
    "campaign.converted": ("Konversi", "Converted"),
    "campaign.revenue": ("Pendapatan", "Revenue"),
    "campaign.funnel": ("Corong per kanal", "Funnel per channel"),
    "campaign.channel": ("Kanal", "Channel"),
    "campaign.failed": ("Gagal", "Failed"),
    "campaign.open_rate": ("Tingkat buka", "Open rate"),
    "campaign.rate": ("Kirim/menit vs batas", "Sends/min vs limit"),
    "campaign.pause": ("Jeda", "Pause"),
    "campaign.resume": ("Lanjutkan", "Resume"),
    "campaign.cancel": ("Batalkan", "Cancel"),
    "campaign.none": (
        "Belum ada kampanye yang berjalan. Buat dari halaman Otomasi.",
        "No campaign has run yet. Create one on the Automation page.",
    ),
    # price review
    "pricing.intro": (
        "Perubahan harga yang perlu keputusan Anda (di bawah batas margin, potongan terlalu "
        "besar). Yang disetujui diterapkan oleh run berikutnya.",
        "Price changes that need your decision (below the margin floor, too large a cut). "
        "Approved ones are applied by the next run.",
    ),
    "pricing.proposal": ("Usulan", "Proposal"),
    "pricing.status_pending": ("Menunggu", "Pending"),
    "pricing.status_approved": ("Disetujui", "Approved"),
    "pricing.status_applied": ("Diterapkan", "Applied"),
    "pricing.status_rejected": ("Ditolak", "Rejected"),
    "pricing.platform_all": ("Semua marketplace", "All marketplaces"),
    "pricing.product_filter": ("Cari produk (SKU)", "Find a product (SKU)"),
    "pricing.direction_all": ("Naik & turun", "Up & down"),
    "pricing.direction_lower": ("Turun", "Down"),
    "pricing.direction_raise": ("Naik", "Up"),
    "pricing.pick_page": ("Pilih semua di halaman ini", "Tick all on this page"),
    "pricing.approve_picked": ("Setujui yang dipilih", "Approve ticked"),
    "pricing.reject_picked": ("Tolak yang dipilih", "Reject ticked"),
    "pricing.approved_picked": (
        "{n} usulan disetujui; run berikutnya menerapkannya.",
        "{n} proposals approved; the next run applies them.",
    ),
    "pricing.rejected_picked": ("{n} usulan ditolak.", "{n} proposals rejected."),
    "pricing.approve": ("Setujui", "Approve"),
    "pricing.reject": ("Tolak", "Reject"),
    "pricing.approve_all": ("Setujui semua", "Approve all"),
    "pricing.approved_all": (
        "{n} usulan disetujui; run berikutnya menerapkannya.",
        "{n} proposals approved; the next run applies them.",
    ),
    "pricing.empty": ("Tidak ada yang perlu ditinjau.", "Nothing to review."),
    # crisis
    "crisis.indicator": ("Indikator krisis", "Crisis indicator"),
    "crisis.green": ("Aman", "Calm"),
    "crisis.yellow": ("Waspada", "Watch"),
    "crisis.red": ("Krisis", "Crisis"),
    "crisis.open_since": ("Insiden terbuka sejak", "Incident open since"),
    "crisis.mentions": ("Sebutan (tick terakhir)", "Mentions (last tick)"),
    "crisis.negative_share": ("Porsi negatif", "Negative share"),
    "crisis.mean_score": ("Rata-rata sentimen", "Mean sentiment"),
    "crisis.sentiment": ("Sentimen dari waktu ke waktu", "Sentiment over time"),
    "crisis.volume": ("Volume sebutan", "Mention volume"),
    "crisis.series_sentiment": ("sentimen", "sentiment"),
    "crisis.series_mentions": ("sebutan", "mentions"),
    "crisis.series_negative": ("negatif", "negative"),
    "crisis.top_negative": ("Postingan paling negatif", "Top negative posts"),
    "crisis.score": ("skor", "score"),
    "crisis.incidents": ("Insiden", "Incidents"),
    "crisis.close": ("Tutup", "Close"),
    "crisis.peak": ("Puncak sebutan", "Peak mentions"),
    "crisis.responses": ("Status respons", "Response status"),
    "crisis.no_job": (
        "Belum ada job pemantau krisis. Buat dari halaman Otomasi.",
        "No crisis-monitor job yet. Create one on the Automation page.",
    ),
    # reports
    "reports.preview": ("Pratinjau", "Preview"),
    "reports.open_tab": ("Buka di tab baru", "Open in a new tab"),
    "reports.date": ("Tanggal", "Date"),
    "reports.files": ("Berkas", "Files"),
    "reports.empty": ("Belum ada laporan.", "No reports yet."),
    # settings
    "settings.tokens": ("Token API", "API tokens"),
    "settings.token_name": ("Nama", "Name"),
    "settings.prefix": ("Awalan", "Prefix"),
    "settings.role": ("Peran", "Role"),
    "settings.created": ("Dibuat", "Created"),
    "settings.last_used": ("Terakhir dipakai", "Last used"),
    "settings.create_token": ("Buat token", "Create token"),
    "settings.revoke": ("Cabut", "Revoke"),
    "settings.shown_once": (
        "Simpan token ini sekarang: token hanya ditampilkan sekali.",
        "Store this token now: it is shown only once.",
    ),
    "settings.integrations": ("Integrasi", "Integrations"),
    "settings.env_hint": (
        "Diatur lewat variabel lingkungan (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL); kunci "
        "tidak pernah ditampilkan.",
        "Set through environment variables (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL); keys "
        "are never shown.",
    ),
    "settings.llm": ("Layanan AI", "AI service"),
    "settings.llm_llm": ("Terhubung", "Connected"),
    "settings.llm_offline": ("Tidak ada (perencana dan model bawaan dipakai)",
                             "None (the built-in planner and models are used)"),
    "settings.endpoint": ("Alamat", "Endpoint"),
    "settings.model": ("Model", "Model"),
    "settings.api_key": ("Kunci API", "API key"),
    "settings.sandbox": ("Sandbox", "Sandbox"),
    "settings.connectors": ("Konektor platform", "Platform connectors"),
    "settings.platform": ("Platform", "Platform"),
    "settings.mode": ("Mode", "Mode"),
    "settings.secrets": ("Rahasia tersimpan", "Stored secrets"),
    "settings.updated": ("Diubah", "Updated"),
    "settings.configure": ("Atur", "Configure"),
    "settings.connector_hint": (
        "Mode sandbox memakai simulator bawaan; mode live memakai akun ini untuk setiap "
        "run. Rahasia dienkripsi dan tidak pernah ditampilkan lagi; kosongkan untuk "
        "mempertahankan yang tersimpan.",
        "Sandbox mode uses the built-in simulator; live mode uses this account for every "
        "run. Secrets are encrypted and never shown again; leave one empty to keep the "
        "stored value.",
    ),
    "settings.connector_invalid": (
        "Akun ini tidak dapat disimpan.", "This account cannot be saved."),
    "settings.shops": ("Toko per platform", "Shops per platform"),
    "settings.shop": ("Toko (akun)", "Shop (account)"),
    "settings.shop_source": ("Asal", "Source"),
    "settings.shop_saved": ("tersimpan", "saved"),
    "settings.shop_demo": ("toko demo sandbox", "sandbox demo shop"),
    "settings.shops_hint": (
        "Setiap toko adalah satu akun platform. Job bekerja di semua toko live sebuah "
        "platform kecuali inputs.accounts menyebut tokonya (mis. {\"shopee\": [\"toko-a\", "
        "\"toko-b\"]}); tanpa toko live, di toko sandbox.",
        "Each shop is one platform account. A job acts on every live shop of a platform "
        "unless its inputs.accounts names some (e.g. {\"shopee\": [\"toko-a\", "
        "\"toko-b\"]}); with no live shop, on the sandbox's.",
    ),
    "settings.add_shop": ("Tambah toko", "Add shop"),
    "settings.shop_name": ("Nama toko, mis. toko-b", "Shop name, e.g. toko-b"),
    "settings.shop_name_invalid": (
        "Nama toko: huruf kecil, angka dan tanda hubung (mis. toko-b).",
        "Shop name: lowercase letters, digits and hyphens (e.g. toko-b)."),
    "settings.secret_stored": ("•••• tersimpan", "•••• stored"),
    "settings.live_required": ("wajib untuk live", "required for live"),
    "settings.save_connector": ("Simpan akun", "Save account"),
    "settings.saved": ("Tersimpan.", "Saved."),
    "settings.users": ("Pengguna", "Users"),
    "settings.create_user": ("Tambah pengguna", "Add user"),
    "settings.password_optional": (
        "Kata sandi (kosong = dibuatkan)", "Password (empty = generated)"),
    "settings.password_shown_once": (
        "Kata sandi yang dibuatkan, hanya ditampilkan sekali:",
        "The generated password, shown only once:",
    ),
    "settings.username_required": ("Nama pengguna wajib diisi", "A username is required"),
    "settings.disable": ("Nonaktifkan", "Disable"),
    "settings.enable": ("Aktifkan", "Enable"),
    "common.close": ("Tutup", "Close"),
    # shared
    "common.prev": ("Sebelumnya", "Previous"),
    "common.next": ("Berikutnya", "Next"),
    "common.page_of": ("dari", "of"),
    "common.not_found": ("Tidak ditemukan.", "Not found."),
    "common.forbidden": ("Peran Anda tidak boleh melakukan ini.", "Your role may not do this."),
}

# Words for data values (statuses, priorities, workflow kinds ...) live in i18n_vocab.
STRINGS.update(VOCAB)


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """All strings in ``lang`` (falls back to Indonesian for an unknown language)."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return {key: pair[index] for key, pair in STRINGS.items()}


def word(lang: str, kind: str, value: str) -> str:
    """The word for a data value (``word("id", "status", "failed")`` -> ``"Gagal"``);
    a value without a key shows as itself rather than as nothing."""
    return translations(lang).get(f"{kind}.{value}", value)
