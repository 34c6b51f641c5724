"""The AI layer: every feature has an offline engine and an optional LLM path.

Public entry points (import the module you need; nothing here runs at import):

- ``backend.ai.planner``: ``plan(prompt, *, use_ai, overrides, now, settings) -> Plan`` and
  ``plan_parsed(...) -> (Plan, ParsedSpec)`` (for ``jobs.service.create_job``). Unplannable
  prompts raise ``InvalidInput`` (422) saying what is missing.
- ``backend.ai.sentiment``: ``analyze(text)`` / ``analyze_many(texts)`` ->
  ``SentimentResult(label, score, emotions, intent, language, engine, topic)``, offline
  (a trained model blended with the lexicon; ``topic`` is the complaint of a negative
  post). ``python -m backend.ai.train_sentiment`` retrains the model.
  ``backend.ai.sentiment_llm.analyze_many_ai(texts)`` -> (results, fallback_reason).
- ``backend.ai.copywriting``: ``personalize_message(...)``, ``discount_code(...)``;
  ``backend.ai.product_copy.product_copy(product, platform=...)``;
  ``backend.ai.translate``: EN -> ID for product copy.
- ``backend.ai.advice.pricing_advice(...)`` and ``backend.ai.insights.bi_insights(...)``.
- ``backend.ai.llm.make_llm_client(settings)``: None when no LLM is configured (the
  agent workflow, ``backend.workflows.agent``, drives it).
- ``backend.ai.cli.register(app)``: ``spio plan`` and ``spio sentiment``.
"""
