"""Why a well-formed job spec is still refused (``backend.jobs.runnable``,
``backend.jobs.validation``), in Indonesian and English.

Merged into ``backend.core.message_catalog``. A ``{fix}`` or ``{said}`` parameter is
itself a keyed message (or ""), rendered in the same language. Moments are ISO 8601 in
the job's zone: the same text the suggestion carries, so it can be copied as it is.
"""

from __future__ import annotations

__all__ = ["PROBLEMS", "PYDANTIC_KEYS"]

# key: (Indonesian, English)
PROBLEMS: dict[str, tuple[str, str]] = {
    "spec.not_object": (
        "spesifikasi job harus berupa objek JSON", "a job spec must be a JSON object"),
    "spec.trigger_holds_schedule": (
        "berisi jadwal, dan schedule juga diisi: pakai salah satu",
        "holds a schedule, and schedule is given too: keep one of them",
    ),
    "spec.unknown_type": (
        "tipe '{type}' tidak dikenal: tidak ada alur kerja yang menjalankannya; tipe yang "
        "dikenal: {known}",
        "unknown type '{type}': no workflow runs it; known types: {known}",
    ),
    # JSON no part of the stack can store or send back (backend.core.jsonsafe)
    "json.nul": ("tidak boleh berisi karakter NUL", "must not contain NUL characters"),
    "json.surrogate": (
        "harus Unicode yang benar (surrogate tunggal tidak boleh)",
        "must be valid Unicode (a lone surrogate is not)",
    ),
    "json.key": ("sebuah kunci {reason}", "a key {reason}"),
    "json.depth": ("bersarang lebih dari {max} tingkat", "nested deeper than {max} levels"),
    "json.finite": ("harus angka terhingga", "must be a finite number"),
    "json.int_range": (
        "angka di luar jangkauan (bilangan bulat 64-bit)",
        "number out of range (64-bit integers)",
    ),
    # a connector account (Settings → Connectors, PUT /connectors/...)
    "connector.mode": ("harus sandbox atau live", "must be sandbox or live"),
    "connector.unknown_platform": (
        "platform '{platform}' tidak dikenal; yang dikenal: {known}",
        "unknown platform '{platform}'; known: {known}",
    ),
    "connector.unknown_setting": (
        "pengaturan tidak dikenal; yang dikenal: {known}", "unknown setting; known: {known}"),
    "connector.required_live": (
        "wajib diisi untuk akun live", "required for a live account"),
    "connector.https": (
        "konektor live perlu alamat dasar https://", "a live connector needs an https:// base URL"),
    # inputs.accounts (backend.connectors.shops)
    "accounts.not_object": (
        "objek platform -> nama akun atau \"all\", mis. {{\"shopee\": [\"toko-a\", "
        "\"toko-b\"]}}",
        "an object of platform -> account names or \"all\", e.g. {{\"shopee\": "
        "[\"toko-a\", \"toko-b\"]}}",
    ),
    "accounts.unknown_platform": (
        "platform '{platform}' tidak dikenal; yang dikenal: {known}",
        "unknown platform '{platform}'; known: {known}",
    ),
    "accounts.not_list": (
        "daftar nama akun, atau \"all\"", "a list of account names, or \"all\""),
    "accounts.unknown_account": (
        "akun {platform} '{name}' tidak dikenal; yang dikenal: {known}",
        "unknown {platform} account '{name}'; known: {known}",
    ),
    "accounts.unknown_none_saved": (
        "akun {platform} '{name}' tidak dikenal; belum ada akun tersimpan",
        "unknown {platform} account '{name}'; known: none saved yet",
    ),
    "runnable.bad_date": (
        "'{raw}' bukan tanggal/waktu ISO (mis. 2027-11-26T00:00:00+07:00)",
        "'{raw}' is not an ISO date/time (e.g. 2027-11-26T00:00:00+07:00)",
    ),
    "runnable.end_before_start": (
        "schedule.end_at ({end}) tidak sesudah schedule.start_at ({start}): job ini tidak "
        "akan pernah berjalan{fix}",
        "schedule.end_at ({end}) is not after schedule.start_at ({start}): the job could "
        "never run{fix}",
    ),
    "runnable.end_passed": (
        "schedule.end_at {end} sudah lewat: tidak ada run yang bisa terjadi; mundurkan "
        "(mis. {fix}) atau hapus",
        "schedule.end_at {end} has passed: no run can happen; move it later (e.g. {fix}) "
        "or remove it",
    ),
    "runnable.at_past": (
        "schedule.at {at} sudah lewat (sekarang {now}): job ini tidak akan pernah berjalan; "
        "isi waktu yang akan datang (mis. {fix}) atau jalankan sekarang",
        "schedule.at {at} is in the past (now {now}): the job would never run; set a future "
        "time (e.g. {fix}) or run it now",
    ),
    "runnable.at_before_start": (
        "schedule.at {at} sebelum schedule.start_at {start}: tidak akan pernah jalan",
        "schedule.at {at} is before schedule.start_at {start}: it would never fire",
    ),
    "runnable.at_after_end": (
        "schedule.at {at} sesudah schedule.end_at {end}: tidak akan pernah jalan",
        "schedule.at {at} is after schedule.end_at {end}: it would never fire",
    ),
    "runnable.never_fires": (
        "jadwal ini tidak pernah jalan antara schedule.start_at dan schedule.end_at",
        "this schedule never fires between schedule.start_at and schedule.end_at",
    ),
    "runnable.window_backwards": (
        "inputs.campaign.end_date ({end}) tidak sesudah inputs.campaign.start_date "
        "({start}){fix}",
        "inputs.campaign.end_date ({end}) is not after inputs.campaign.start_date "
        "({start}){fix}",
    ),
    "runnable.window_ended": (
        "periode kampanye berakhir {end}: run tidak akan mengirim apa pun",
        "the campaign window ended {end}: a run would send nothing",
    ),
    "runnable.outside_window": (
        "{trigger} {said} di luar periode kampanye inputs.campaign.start_date..end_date "
        "({window}): run tidak akan mengirim apa pun{fix}",
        "{trigger} {said} outside the campaign window inputs.campaign.start_date..end_date "
        "({window}): the run would send nothing{fix}",
    ),
    "said.at": ("{at} berada", "{at} is"),
    "said.never": ("tidak akan jalan lagi, yaitu", "never fires again"),
    "said.next": ("berikutnya jalan {fire},", "next fires {fire},"),
    "fix.e_g": ("; mis. {value}", "; e.g. {value}"),
    "fix.end_at": ("; mis. end_at {value}", "; e.g. end_at {value}"),
    "fix.send_inside": (
        "; kirim di dalam periode saja, mis. {field} '{value}'",
        "; send inside the window instead, e.g. {field} '{value}'",
    ),
    "fix.start_on_send_day": (
        "; atau mulai periode pada hari kirim: {day}",
        "; or start the window on the send day: {day}",
    ),
    "fix.move_to_send_day": (
        "; atau pindahkan periode ke hari kirim: {day}",
        "; or move the window to the send day: {day}",
    ),
    "fix.end_after_send": (
        "; atau akhiri periode sesudah pengiriman: {day}",
        "; or end the window after the send: {day}",
    ),
}

# Pydantic's kinds of problem that have words in both languages (the UI shows those).
PYDANTIC_KEYS = {
    "missing": "validation.missing", "int_type": "validation.int",
    "int_parsing": "validation.int", "int_from_float": "validation.int",
    "float_type": "validation.number", "float_parsing": "validation.number",
    "string_type": "validation.string", "bool_type": "validation.bool",
    "bool_parsing": "validation.bool", "greater_than_equal": "validation.ge",
    "greater_than": "validation.gt", "less_than_equal": "validation.le",
    "less_than": "validation.lt", "string_too_long": "validation.too_long",
    "string_too_short": "validation.too_short", "literal_error": "validation.literal",
    "string_pattern_mismatch": "validation.pattern", "extra_forbidden": "validation.extra",
    "list_type": "validation.list", "dict_type": "validation.object",
    "model_type": "validation.object",
}  # fmt: skip
