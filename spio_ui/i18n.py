"""UI strings in Indonesian (default) and English.

Components read them through ``AppState.tr["key"]``, a computed dict that changes when
the user switches language, so every label follows the switch without a reload.
"""

from __future__ import annotations

import functools

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "STRINGS", "translations"]

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
    "auto.use_ai": ("Gunakan LLM bila tersedia", "Use the LLM when configured"),
    "auto.plan": ("Susun rencana", "Draft plan"),
    "auto.proposal": ("Usulan", "Proposal"),
    "auto.what": ("Apa", "What"),
    "auto.when": ("Kapan", "When"),
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
    "jobs.any_workflow": ("Semua alur", "Any workflow"),
    "jobs.any_status": ("Semua status", "Any status"),
    "jobs.any_priority": ("Semua prioritas", "Any priority"),
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
    "editor.schedule": (
        "Jadwal (cron: … atau interval_sec: …)",
        "Schedule (cron: … or interval_sec: …)",
    ),
    "editor.timezone": ("Zona waktu", "Time zone"),
    "editor.save": ("Simpan", "Save"),
    "editor.discard": ("Buang perubahan", "Discard changes"),
    "editor.saved": ("Tersimpan sebagai", "Saved as"),
    "editor.versions": ("Riwayat versi", "Version history"),
    "editor.diff": ("Beda", "Diff"),
    "editor.no_diff": ("Tidak ada perbedaan.", "No differences."),
    "editor.revert": ("Kembalikan", "Revert"),
    # runs
    "run.title": ("Run", "Run"),
    "run.progress": ("Kemajuan", "Progress"),
    "run.steps": ("Langkah", "Steps"),
    "run.logs": ("Log", "Log"),
    "run.artifacts": ("Artefak", "Artifacts"),
    "run.attempts": ("Percobaan", "Attempts"),
    "run.cancel": ("Batalkan run", "Cancel run"),
    "run.retry": ("Ulangi", "Retry"),
    "run.started": ("Mulai", "Started"),
    "run.finished": ("Selesai", "Finished"),
    "run.duration": ("Durasi", "Duration"),
    "run.trigger": ("Pemicu", "Trigger"),
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


@functools.cache
def translations(lang: str) -> dict[str, str]:
    """All strings in ``lang`` (falls back to Indonesian for an unknown language)."""
    index = LANGUAGES.index(lang) if lang in LANGUAGES else 0
    return {key: pair[index] for key, pair in STRINGS.items()}
