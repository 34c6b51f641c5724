"""The texts runs write for their users, in Indonesian and English (see
``backend.core.messages``). A test checks every ``message("key", ...)`` written in the code
names a key here and every template of a key has the same fields in both languages."""

from __future__ import annotations

from backend.core.problem_catalog import PROBLEMS
from backend.domain.problems import SPEC_PROBLEMS

__all__ = ["MESSAGES"]

# key: (Indonesian, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # progress (runs.progress_message)
    "progress.done": ("selesai", "done"),
    "progress.nothing_changed": ("tidak ada yang berubah", "nothing changed"),
    "progress.catalog_listings": (
        "{listed:num}/{items:num} listing", "{listed:num}/{items:num} listings"),
    "progress.catalog_images": (
        "gambar {imaged:num}/{total:num} produk, {listed:num}/{items:num} listing",
        "images of {imaged:num}/{total:num} products, {listed:num}/{items:num} listings",
    ),
    "progress.campaign_sent": ("kampanye terkirim", "campaign sent"),
    "progress.messages_sent": (
        "{sent:num}/{total:num} pesan terkirim", "{sent:num}/{total:num} messages sent"),
    "progress.agent_turn": ("giliran agen {turn}/{budget}", "agent turn {turn}/{budget}"),
    "progress.step_of": ("langkah {step} dari {steps}", "step {step} of {steps}"),
    "progress.fetched_pages": (
        "{pages:num} halaman data diambil", "fetched {pages:num} pages of data"),
    "progress.aggregating": ("menghitung angka", "aggregating"),
    "progress.insights": ("menyusun wawasan", "writing insights"),
    "progress.writing_files": ("menulis berkas laporan", "writing the report files"),
    "progress.sending": ("mengirim", "sending"),
    "progress.listings_repriced": (
        "{done:num}/{total:num} listing dihargai ulang",
        "{done:num}/{total:num} listings repriced",
    ),
    # errors the UI shows (SpioError.key)
    "error.job_exists": (
        "Job {job} sudah ada. Pilih nama lain, atau buka job itu untuk mengubahnya.",
        "A job named {job} already exists. Pick another name, or open that job to change it.",
    ),
    "error.no_job": ("Job {job} tidak ditemukan.", "There is no job {job}."),
    "error.run_ended": (
        "Run #{run} sudah selesai; tidak ada yang bisa dibatalkan.",
        "Run #{run} has already ended; there is nothing to cancel.",
    ),
    "error.run_not_retryable": (
        "Run #{run} hanya bisa diulang setelah gagal, melewati batas waktu atau dibatalkan.",
        "Run #{run} can be retried only once it failed, timed out or was cancelled.",
    ),
    "error.review_decided": (
        "Usulan ini sudah diputuskan orang lain; halaman dimuat ulang.",
        "Someone already decided this proposal; the page has been reloaded.",
    ),
    "error.incident_closed": ("Insiden ini sudah ditutup.", "This incident is already closed."),
    "error.campaign_cancelled": (
        "Kampanye ini sudah dibatalkan dan tidak bisa dilanjutkan.",
        "This campaign was cancelled; it cannot be resumed.",
    ),
    "error.user_exists": ("Pengguna {user} sudah ada.", "A user named {user} already exists."),
    "error.conflict": (
        "Keadaan sudah berubah; muat ulang halaman lalu coba lagi.",
        "Things changed meanwhile; reload the page and try again.",
    ),
    "error.not_found": ("Tidak ditemukan.", "Not found."),
    "error.forbidden": ("Peran Anda tidak boleh melakukan ini.", "Your role may not do this."),
    "error.unavailable": (
        "Database atau Redis sedang tidak menjawab; coba lagi sebentar lagi.",
        "The database or Redis does not answer right now; try again in a moment.",
    ),
    "error.json": (
        "Bukan JSON yang benar (baris {line}, kolom {column}).",
        "This is not valid JSON (line {line}, column {column}).",
    ),
    "error.json_object": (
        "Spesifikasi job harus berupa objek JSON ({{ … }}).",
        "A job spec must be a JSON object ({{ … }}).",
    ),
    "error.invalid": ("Isian belum benar: {detail}", "Something to fix: {detail}"),
    "error.unexpected": (
        "Terjadi galat tak terduga; coba lagi. Detail ada di log server.",
        "Something went wrong; try again. The server log has the details.",
    ),
    # a field's problem (pydantic's kinds, see backend.jobs.validation)
    "validation.missing": ("wajib diisi", "is required"),
    "validation.int": ("harus berupa bilangan bulat", "must be a whole number"),
    "validation.number": ("harus berupa angka", "must be a number"),
    "validation.string": ("harus berupa teks", "must be text"),
    "validation.bool": ("harus ya atau tidak (true/false)", "must be true or false"),
    "validation.ge": ("minimal {ge}", "must be at least {ge}"),
    "validation.gt": ("harus lebih dari {gt}", "must be more than {gt}"),
    "validation.le": ("maksimal {le}", "must be at most {le}"),
    "validation.lt": ("harus kurang dari {lt}", "must be less than {lt}"),
    "validation.too_long": ("maksimal {max_length} karakter", "at most {max_length} characters"),
    "validation.too_short": (
        "minimal {min_length} karakter", "at least {min_length} characters"),
    "validation.literal": ("pilih salah satu: {expected}", "choose one of: {expected}"),
    "validation.pattern": ("bentuknya tidak sesuai", "does not have the expected form"),
    "validation.extra": ("isian tidak dikenal; hapus", "is not a known field; remove it"),
    "validation.list": ("harus berupa daftar", "must be a list"),
    "validation.object": ("harus berupa objek", "must be an object"),
    # a run's, a step's or a platform's error in words (backend.core.failures)
    "failure.on_platform": ("{platform}: {what}", "{platform}: {what}"),
    "failure.auth": (
        "kredensial akun ditolak; periksa akunnya di Pengaturan → Konektor",
        "the account's credentials were refused; check the account under Settings → "
        "Connectors",
    ),
    "failure.token": (
        "token akses kedaluwarsa dan tidak bisa diperbarui",
        "the access token expired and could not be renewed",
    ),
    "failure.rate_limited": (
        "terlalu banyak panggilan; platform meminta menunggu",
        "too many calls; the platform asked to wait",
    ),
    "failure.rejected": ("platform menolak isi permintaan", "the platform refused the request"),
    "failure.invalid": (
        "masukan job tidak bisa dipakai; periksa isiannya", "the job's inputs cannot be used"),
    "failure.unreachable": (
        "platform tidak bisa dihubungi", "the platform could not be reached"),
    "failure.platform_down": (
        "platform sedang bermasalah", "the platform is having trouble"),
    "failure.platform_down_status": (
        "platform sedang bermasalah (HTTP {status})",
        "the platform is having trouble (HTTP {status})",
    ),
    "failure.timeout": (
        "waktu habis setelah {seconds:num} detik", "timed out after {seconds:num} s"),
    "failure.cancelled": ("dibatalkan oleh pengguna", "cancelled by a user"),
    "failure.temporary": (
        "gagal untuk sementara; dicoba lagi", "failed for now; it is tried again"),
    "failure.unexpected": (
        "galat tak terduga di dalam program", "an unexpected error in the program"),
    "failure.other": ("terjadi galat", "an error occurred"),
    # log lines written for the user (run_logs.message)
    "log.competitor_offers": (
        "{quotes:num} penawaran kompetitor dari {markets:num} marketplace",
        "{quotes:num} competitor offers from {markets:num} marketplaces",
    ),
    "log.pricing_preview": (
        "pratinjau: run pertama aturan ini mengusulkan {n:num} perubahan untuk ditinjau, "
        "bukan menerapkannya; run berikutnya menerapkan dalam batas pengaman",
        "preview: the rule's first run proposed {n:num} change(s) for review instead of "
        "making them; later runs apply within the guard",
    ),
    "log.pricing_guard": (
        "pengaman: {n:num} perubahan melebihi batas run ini dan menunggu tinjauan",
        "guard: {n:num} change(s) beyond this run's limit wait for review",
    ),
    "log.report_no_recipient": (
        "kanal laporan {channel} dilewati: tidak ada penerima",
        "report channel {channel} skipped: no recipient",
    ),
    "log.catalog_changed": (
        "{count:num} produk berubah sejak {since:dt}",
        "{count:num} product(s) changed since {since:dt}",
    ),
    "log.catalog_price_released": (
        "{platform} {sku}: harga tidak lagi diatur repricing ({released}); harga katalog "
        "yang ditulis",
        "{platform} {sku}: repricing no longer sets its price ({released}); the catalog's "
        "price is written",
    ),
    "log.platform_error": ("{platform}: {error}", "{platform}: {error}"),
    "log.catalog_managed": (
        "{platform}: {n:num} harga diatur repricing, tidak diubah",
        "{platform}: {n:num} price(s) managed by repricing, left alone",
    ),
    # alerts (the alerts table): an outage and its end, a job failing or doing nothing
    "alert.system_degraded": ("SPIO terganggu: {problems}", "SPIO degraded: {problems}"),
    "alert.system_recovered": ("SPIO berjalan lagi", "SPIO is working again"),
    "alert.problem.none_alive": (
        "tidak ada worker yang hidup, {waiting:num} run menunggu",
        "no worker alive, {waiting:num} runs waiting",
    ),
    "alert.problem.not_leading": ("tidak ada scheduler yang memimpin", "no scheduler leading"),
    "alert.problem.other": ("{part}: {code}", "{part} {code}"),
    "alert.consecutive_failures": (
        "{job} gagal {n:num} kali berturut-turut", "{job} failed {n:num} times in a row"),
    "alert.nothing_done": (
        "{job}: tidak mengerjakan apa pun: {reason}", "{job}: nothing done: {reason}"),
    "alert.delivery_failed": (
        "{campaign}: pesan {channel} yang gagal di platform setelah dikirim ({reason}); tidak "
        "dikirim ulang (on_delivery_failure: report)",
        "{campaign}: {channel} messages the platform failed after sending ({reason}); not "
        "sent again (on_delivery_failure: report)",
    ),
    # catalog sync's read-back: what differs on a platform (log lines, its alert)
    "verify.not_listed": ("tidak terdaftar", "not listed"),
    "verify.listed_times": ("terdaftar {n:num} kali", "listed {n:num} times"),
    "verify.price": ("harga {got:num}, seharusnya {want:num}",
                     "price {got:num} instead of {want:num}"),
    "verify.stock": ("stok {got}, seharusnya {want}", "stock {got} instead of {want}"),
    "verify.after_rewrite": (
        "{reason}; setelah ditulis ulang: {left}", "{reason}; after a rewrite: {left}"),
    "verify.rewrite_failed": (
        "{reason}; gagal ditulis ulang: {error}", "{reason}; rewrite failed: {error}"),
    "verify.read_back_failed": (
        "listing tidak bisa dibaca ulang: {error}", "could not read the listings back: {error}"),
    "alert.catalog_head": (
        "Sinkron katalog: {n:num} masalah dari {total:num} produk",
        "Catalog sync: {n:num} problem(s) over {total:num} products",
    ),
    "alert.catalog_platform": ("{platform}: {n:num} listing", "{platform}: {n:num} listing(s)"),
    "alert.catalog_line": ("- {platform} {sku}: {reason}", "- {platform} {sku}: {reason}"),
    "log.verify_fixed": (
        "{platform} {sku}: {reason}; diperbaiki", "{platform} {sku}: {reason}; fixed"),
    "log.verify_still": (
        "{platform} {sku}: {reason}; masih {left}", "{platform} {sku}: {reason}; still {left}"),
    "log.catalog_retry_waiting": (
        "{platform}: mencoba sekali lagi {waiting:num} listing yang menunggu ({skipped:num} "
        "belum terkirim)",
        "{platform}: trying its {waiting:num} waiting listing(s) once more ({skipped:num} "
        "were not sent)",
    ),
    "log.campaign_planned": (
        "{planned:num} dari {customers:num} pelanggan mendapat pesan ({by_channel}); "
        "tidak disertakan: {skipped}",
        "{planned:num} of {customers:num} customers get a message ({by_channel}); left "
        "out: {skipped}",
    ),
    "log.campaign_resuming": (
        "melanjutkan setelah {done:num} terkirim: {released:num} klaim percobaan yang mati "
        "dibebaskan",
        "resuming after {done:num} sent: {released:num} claims of a dead attempt freed",
    ),
    "log.campaign_resent": (
        "{n:num} pesan yang kemudian gagal di platform dikirim ulang lewat kanal lain "
        "({by_channel})",
        "{n:num} message(s) the platforms failed later sent again on another channel "
        "({by_channel})",
    ),
    "log.agent_finished": ("agen selesai: {summary}", "agent finished: {summary}"),
    "log.agent_budget": (
        "agen berhenti di batas {budget} giliran", "agent stopped at its budget of {budget} turns"),
    "log.report_file": (
        "{name}: {file} ({size:num} byte)", "{name}: {file} ({size:num} bytes)"),
    "log.delivery_failed": (
        "{channel} ke {to} gagal: {error}", "{channel} to {to} failed: {error}"),
    "log.report_without_platform": (
        "{platform}: laporan terbit tanpa data ini ({error})",
        "{platform}: published without it ({error})",
    ),
    "log.sentiment_offline": (
        "sentimen dinilai dengan model bawaan (tidak ada layanan AI)",
        "sentiment scored with the built-in model (no AI service connected)",
    ),
    "log.sentiment_note": ("sentimen: {note}", "sentiment: {note}"),
    "log.auto_response_backlog": (
        "balasan otomatis: {skipped:num} balasan terlama dilewati, {waiting:num} masih menunggu",
        "auto-response: {skipped:num} oldest replies skipped, {waiting:num} still waiting",
    ),
    "log.auto_response_refused": (
        "balasan otomatis ke {platform}:{post} ditolak: {error}",
        "auto-response to {platform}:{post} refused: {error}",
    ),
    "log.order_message_sent": (
        "{message} untuk pesanan {order} ({platform}) terkirim lewat {channel}",
        "{message} for order {order} ({platform}) sent on {channel}",
    ),
    "log.order_revenue": (
        "pesanan {order} (Rp {amount:num}) dihitung untuk kampanye {campaign}",
        "order {order} (Rp {amount:num}) counted for campaign {campaign}",
    ),
    "progress.order_message_sent": ("pesan pesanan terkirim", "order message sent"),
    "log.stock_oversold": (
        "pesanan {order} ({platform}) melebihi stok dan {platform} tidak bisa membatalkannya "
        "lewat API: batalkan manual",
        "order {order} ({platform}) exceeds the stock and {platform} cannot cancel it "
        "through its API: cancel it by hand",
    ),
    "log.stock_order_cancelled": (
        "pesanan {order} ({platform}) dibatalkan: stok habis",
        "order {order} ({platform}) cancelled: out of stock",
    ),
    "progress.stock_synced": (
        "stok {skus:num} SKU ditulis ({written:num} listing)",
        "stock of {skus:num} SKU(s) written ({written:num} listings)",
    ),
}
# What is wrong with a job spec (the validator's and the runnable check's problems).
MESSAGES.update(SPEC_PROBLEMS)
MESSAGES.update(PROBLEMS)
