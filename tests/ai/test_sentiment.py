"""Offline sentiment: accuracy and macro-F1 per language, topics, and the rules users notice.

The blind evaluation (``tests/ai/sentiment_eval``) is scored by ``bench/sentiment.py``; here
the project's own older sets and the behaviour a seller notices.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from backend.ai.lexicon import load_lexicon
from backend.ai.normalize import tokenize
from backend.ai.sentiment import TOPICS, analyze, analyze_many, complaint_topic
from backend.ai.sentiment_lexicon import lexicon_score
from backend.ai.sentiment_rules import load_rules

DATA = Path(__file__).parent / "data"
LABELS = ("positive", "neutral", "negative")


def _rows(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Mean F1 over the three labels (a label never predicted nor expected is skipped)."""
    scores = []
    for label in LABELS:
        tp = sum(1 for want, got in pairs if want == got == label)
        fp = sum(1 for want, got in pairs if got == label and want != label)
        fn = sum(1 for want, got in pairs if want == label and got != label)
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def _report(name: str) -> dict[str, dict[str, float]]:
    by_lang: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for row in _rows(name):
        res = analyze(row["text"])
        by_lang[row["lang"]].append((row["label"], res.label, row["intent"], res.intent))
    report = {}
    for lang, items in sorted(by_lang.items()):
        pairs = [(w, g) for w, g, _, _ in items]
        report[lang] = {
            "n": len(items),
            "accuracy": sum(w == g for w, g in pairs) / len(pairs),
            "macro_f1": macro_f1(pairs),
            "intent_accuracy": sum(wi == gi for _, _, wi, gi in items) / len(items),
        }
    print(f"\n{name}")
    for lang, r in report.items():
        print(
            f"  {lang:<6} n={r['n']:<4} acc={r['accuracy']:.3f} macroF1={r['macro_f1']:.3f} "
            f"intent={r['intent_accuracy']:.3f}"
        )
    return report


def test_eval_set_is_large_and_covers_three_languages():
    rows = _rows("sentiment_eval.jsonl")
    langs = {r["lang"] for r in rows}
    assert len(rows) >= 150 and langs == {"id", "en", "mixed"}
    assert {r["label"] for r in rows} == set(LABELS)


def test_accuracy_and_macro_f1_per_language_on_the_eval_set():
    report = _report("sentiment_eval.jsonl")
    for lang, r in report.items():
        assert r["accuracy"] >= 0.85, (lang, r)
        assert r["macro_f1"] >= 0.83, (lang, r)
        assert r["intent_accuracy"] >= 0.8, (lang, r)


def test_holdout_set_written_after_the_lexicon_stays_usable():
    # Never tuned against: it shows how the engine does on text it was not fitted to.
    report = _report("sentiment_holdout.jsonl")
    for lang, r in report.items():
        assert r["accuracy"] >= 0.75, (lang, r)
        assert r["macro_f1"] >= 0.7, (lang, r)


@pytest.mark.parametrize(
    ("positive", "negative"),
    [
        ("bagus", "gak bagus"),
        ("puas", "nggak puas"),
        ("recommended", "tidak recommended"),
        ("good", "not good"),
        ("sesuai", "kurang sesuai"),
    ],
)
def test_negation_flips_the_label(positive, negative):
    assert analyze(positive).label == "positive"
    assert analyze(negative).label == "negative"


def test_intensifiers_elongation_and_emoji_raise_the_score():
    plain = analyze("bagus").score
    assert analyze("bagus banget").score > plain
    assert analyze("sangat bagus").score > plain
    assert analyze("bagusss").score > plain
    assert analyze("bagus 😍").score > plain
    assert analyze("jelek parah").score < analyze("jelek").score


def test_contrast_weighs_the_clause_after_tapi():
    assert analyze("Barangnya bagus, tapi pengirimannya lama banget, kecewa").label == "negative"
    assert analyze("Pengiriman agak lambat tapi barangnya mantap sekali").label == "positive"
    # The lexicon's own rule, which the engine blends in: the clause after "tapi" weighs
    # three times the clause before it.
    lex, rules = load_lexicon(), load_rules()
    text = "Barang bagus tapi pengiriman lambat banget"
    toks = tokenize(text, lexicon=lex.words)
    scored = lexicon_score(toks, [t.text for t in toks], text, lex=lex, rules=rules)
    assert scored.compound < -0.3


def test_ecommerce_words_score_as_sellers_expect():
    for text in ("penipu", "barang rusak, minta refund", "bintang 1", "kecewa", "lambat"):
        assert analyze(text).label == "negative", text
    for text in ("mantap", "recommended", "bintang 5", "fast respon"):
        assert analyze(text).label == "positive", text


def test_emotions_and_intent():
    angry = analyze("PENIPU!!! uang saya tidak kembali 😡")
    assert angry.intent == "complaint" and angry.emotions["anger"] > 0.5
    sad = analyze("sedih banget, kecewa sama kualitasnya 😢")
    assert sad.emotions["sadness"] > sad.emotions["anger"]
    happy = analyze("senang sekali, terima kasih 😍")
    assert happy.intent == "praise" and happy.emotions["joy"] > 0.5
    surprised = analyze("wow ternyata secepat ini?!")
    assert surprised.emotions["surprise"] > 0.4
    assert analyze("Kapan restock lagi kak?").intent == "question"
    assert set(angry.emotions) == {"anger", "sadness", "joy", "surprise"}
    assert all(0.0 <= v <= 1.0 for v in angry.emotions.values())


def test_scores_are_bounded_and_batch_matches_single():
    texts = ["", "   ", "👍", "ok", "!!!", "gak gak gak", "a" * 5000]
    batch = analyze_many(texts)
    assert [r.as_dict() for r in batch] == [analyze(t).as_dict() for t in texts]
    assert all(0.0 <= r.score <= 1.0 for r in batch)
    assert batch[0].label == "neutral" and batch[0].score == 0.5


def test_every_negative_post_gets_a_complaint_topic_and_others_none():
    cases = {
        "paket saya udah 2 minggu belum sampai, resi gak gerak sama sekali": "delivery",
        "refund udah 3 minggu belum masuk ke rekening, saldo gak balik": "refund_payment",
        "jahitannya lepas semua, bahannya tipis banget, gak sesuai foto": "product_quality",
        "ini barang KW, bukan original, logonya beda sama yang asli": "counterfeit",
        "adminnya jutek, chat gak dibales dari kemarin": "service",
        "harganya dinaikin pas mau flash sale, diskon palsu, kemahalan": "price",
    }
    for text, topic in cases.items():
        result = analyze(text)
        assert (result.label, result.topic) == ("negative", topic), text
        assert complaint_topic(text) == topic
    for text in ("mantap, barang sesuai, pengiriman cepat 👍", "kak ready size M?"):
        result = analyze(text)
        assert result.label != "negative" and result.topic is None, text
    assert set(TOPICS) == {"delivery", "refund_payment", "product_quality", "counterfeit",
                           "service", "price", "other"}  # fmt: skip
