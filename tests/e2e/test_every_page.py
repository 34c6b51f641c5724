"""Every page, in both languages, on a desktop (1440 px) and a phone (390 px): no word of
the other language, figures in the reader's locale, and no sideways scrolling.

The install has a day of runs (the seed jobs) and one real run of the price-intelligence
and BI-report jobs, so run pages show real steps, progress texts and log lines.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import Cluster, WebServer, run_and_wait
from tests.e2e.harness import login, make_token

pytestmark = pytest.mark.browser

# Words (case-sensitive, whole words) that belong to one language's UI only.
ENGLISH_ONLY = [
    "Dashboard", "Workflows", "Campaigns", "Settings", "Reports", "Log out", "Succeeded",
    "Failed", "Running", "Queued", "Skipped", "Timed out", "Cancelled", "succeeded",
    "failed", "running", "queued", "Success rate", "utilisation", "Queue depth",
    "Active runs", "Failing jobs", "Performance", "Progress", "Steps", "Artifacts",
    "Started", "Finished", "Duration", "Trigger", "Attempts", "Previous", "Save", "Delete",
    "Pause", "Resume", "Run now", "Search", "Priority", "Critical", "High", "Low", "Users",
    "Role", "Created", "Updated", "Measure", "Proposal", "Approve", "Reject",
    "Price review", "Examples", "Prompt", "Sentiment", "Incidents", "Files", "Preview",
    "Channel", "Revenue", "Converted", "Open rate", "open rate", "done", "listings repriced",
    "competitor offers", "messages sent", "images of", "use PUT", "no LLM", "fetched",
    "Worker memory", "Job success rate", "Nothing done", "Not found", "Schedule",
    "Fetch", "Reprice", "Commit", "Report", "Aggregate", "Insights", "Render", "Distribute",
    "pages of data", "warning", "Workflow", "Any status", "Any priority", "Name",
    "reprice", "render", "application", "Exchange rates", "Technical detail", "trouble",
]  # fmt: skip
INDONESIAN_ONLY = [
    "Dasbor", "Otomasi", "Alur kerja", "Kampanye", "Krisis", "Tinjau harga", "Laporan",
    "Pengaturan", "Keluar", "Berhasil", "Gagal", "Berjalan", "Antre", "Dilewati",
    "Dibatalkan", "utilisasi", "pekerja", "Tingkat sukses", "Memori", "Antrean", "Kinerja",
    "Sekarang", "Jadwal", "Selesai", "Mulai", "Durasi", "Pemicu", "Percobaan", "Langkah",
    "Artefak", "Sebelumnya", "Berikutnya", "dari", "Belum", "Tidak", "Simpan", "Hapus",
    "Jeda", "Lanjutkan", "Jalankan", "Semua", "Cari", "Prioritas", "Kritis", "Tinggi",
    "Rendah", "Pengguna", "Peran", "Dibuat", "Diperbarui", "selesai", "langkah", "halaman",
    "dihargai", "penawaran", "dtk", "mnt", "Uji coba", "Contoh", "Perintah", "Susun",
    "Sentimen", "Insiden", "Tanggal", "Berkas", "Pratinjau", "Kanal", "Terkirim",
    "Pendapatan", "Konversi", "Usulan", "Setujui", "Tolak", "dan", "yang", "untuk",
    "tidak", "tanpa", "Ambil data", "Hitung harga", "Terapkan", "Ukuran", "galat",
    "peringatan", "Nama", "Kurs", "Detail teknis", "bermasalah",
]  # fmt: skip
# Figures written the other locale's way: "Rp 126.900"/"100,0 %" in English, and the
# reverse in Indonesian.
NOT_ENGLISH_FIGURES = re.compile(r"Rp \d{1,3}\.\d{3}|\d,\d ?%|\d,\d (s|MB|KB)\b")
NOT_INDONESIAN_FIGURES = re.compile(r"Rp \d{1,3},\d{3}|\d\.\d%|\d\.\d (dtk|MB|KB)\b")
WIDTHS = {"desktop": (1440, 900), "phone": (390, 844)}
# SPIO_SHOTS=<dir>: also keep a full-page screenshot and the text of each page (for a
# reviewer's eyes).
SHOTS = os.environ.get("SPIO_SHOTS")

# The page's text, one line per text node (hidden ones too: the sidebar on a phone), but
# not what people wrote (posts keep their own language).
_VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest('[data-user-content], script, style, textarea, noscript'))
      out.push(node.nodeValue);
  }
  return out.join('\\n');
}"""


def _words(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")


FOREIGN = {"id": _words(ENGLISH_ONLY), "en": _words(INDONESIAN_ONLY)}
OWN = {"id": FOREIGN["en"], "en": FOREIGN["id"]}
FOREIGN_FIGURES = {"id": NOT_INDONESIAN_FIGURES, "en": NOT_ENGLISH_FIGURES}


@pytest.fixture(scope="module")
def walked_runs(demo_day: dict[str, int], cluster: Cluster) -> dict[str, int]:
    """Real runs whose pages have steps, progress and log lines."""
    return {job: run_and_wait(job, timeout=120)
            for job in ("ecommerce-price-intelligence", "daily-bi-report")}  # fmt: skip


def _a_failed_run() -> int:
    """A failed run of the demo day (a platform's 503): its page words the error."""
    from sqlmodel import select

    from backend.core.db import session_scope
    from backend.models import Run

    with session_scope() as session:
        return int(session.exec(select(Run.id).where(Run.status == "failed")).first() or 0)


@pytest.fixture(scope="module")
def pages(walked_runs: dict[str, int]) -> list[str]:
    return ["/", "/automation", "/workflows", "/workflows/ecommerce-price-intelligence",
            f"/executions/{walked_runs['ecommerce-price-intelligence']}",
            f"/executions/{walked_runs['daily-bi-report']}", f"/executions/{_a_failed_run()}",
            "/campaigns", "/crisis", "/pricing", "/reports", "/settings"]  # fmt: skip


@pytest.fixture(scope="module")
def admin_token(web_server: WebServer) -> str:
    return make_token("admin")


def _tab(browser: Browser, web_server: WebServer, token: str, *, lang: str,
         size: tuple[int, int]) -> Iterator[Page]:  # fmt: skip
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, web_server.url, token)
    page.evaluate("lang => localStorage.setItem('spio_lang', lang)", lang)
    try:
        yield page
    finally:
        context.close()


# The sidebar's first link once the tab's language has come from its storage.
_DASHBOARD_WORD = {"id": "Dasbor", "en": "Dashboard"}


def _settled(page: Page, url: str, *, lang: str) -> None:
    """Open ``url`` and wait until the signed-in page shows in ``lang`` with its data."""
    page.goto(url)
    page.wait_for_function(
        """word => document.querySelector('[data-testid=role-badge]')?.dataset.role
                  && document.querySelector('[data-testid=sidebar]')?.textContent.includes(word)""",
        arg=_DASHBOARD_WORD[lang])
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # the page's first state delta has been rendered


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("screen", list(WIDTHS))
def test_every_page_speaks_one_language_and_fits_the_screen(
    browser: Browser, web_server: WebServer, admin_token: str, pages: list[str], lang: str,
    screen: str,
) -> None:
    problems: dict[str, list[str]] = {}
    width, height = WIDTHS[screen]
    for page in _tab(browser, web_server, admin_token, lang=lang, size=(width, height)):
        for path in pages:
            _settled(page, web_server.url + path, lang=lang)
            found = []
            text = page.evaluate(_VISIBLE_TEXT) + "\n" + page.title()  # the tab too
            found += [f"word {w!r}" for w in sorted(set(FOREIGN[lang].findall(text)))]
            found += [f"figure {m.group(0)!r}" for m in FOREIGN_FIGURES[lang].finditer(text)]
            if len(set(OWN[lang].findall(text))) < 5:  # the check read the page, not a spinner
                found.append("hardly any word of its own language")
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                found.append(f"{scroll} px wide in a {inner} px window")
            if SHOTS:
                name = path.strip("/").replace("/", "-") or "dashboard"
                page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}-{lang}.png"),
                                full_page=True)  # fmt: skip
                # And its text, for a wider search than the word lists above.
                (Path(SHOTS) / f"{name}-{width}-{lang}.txt").write_text(text)
            if found:
                problems[path] = found
    assert problems == {}


def test_the_phone_menu_opens_every_page(
    browser: Browser, web_server: WebServer, admin_token: str
) -> None:
    for page in _tab(browser, web_server, admin_token, lang="en", size=WIDTHS["phone"]):
        _settled(page, web_server.url + "/", lang="en")
        assert not page.get_by_test_id("sidebar").is_visible()  # the 240 px column is gone
        page.get_by_test_id("menu-button").click()
        drawer = page.get_by_test_id("menu-drawer")
        drawer.get_by_text("Price review").click()
        page.wait_for_url(f"{web_server.url}/pricing")
        assert not drawer.is_visible()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_sign_in_page_speaks_one_language_and_fits_a_phone(
    browser: Browser, web_server: WebServer, lang: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{web_server.url}/login")
        page.evaluate("lang => localStorage.setItem('spio_lang', lang)", lang)
        page.reload()
        page.wait_for_function("word => document.body.textContent.includes(word)",
                               arg={"id": "Kata sandi", "en": "Password"}[lang])
        page.wait_for_load_state("networkidle")
        text = page.evaluate(_VISIBLE_TEXT)
        assert FOREIGN[lang].findall(text) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_drafted_plan_reads_in_one_language_and_fits_a_phone(
    browser: Browser, web_server: WebServer, admin_token: str, lang: str
) -> None:
    """The automation page with a proposal (explanation, schedule, estimate, the spec and
    the create buttons) on a phone: the seed prompt in the reader's language."""
    for page in _tab(browser, web_server, admin_token, lang=lang, size=WIDTHS["phone"]):
        _settled(page, f"{web_server.url}/automation", lang=lang)
        page.get_by_test_id("example").first.click()  # the price-intelligence prompt
        page.get_by_test_id("plan-explanation").wait_for()
        page.get_by_test_id("create").wait_for()
        page.wait_for_timeout(300)
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"automation-plan-390-{lang}.png"),
                            full_page=True)  # fmt: skip
        text = page.evaluate(_VISIBLE_TEXT)
        assert sorted(set(FOREIGN[lang].findall(text))) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"][0]
