"""The web UI (Reflex), served with the REST API on one port by ``python -m spio_ui.serve``.

Layout:
  spio_ui.py     the rx.App (api_transformer=backend.api.app.create_app()) and its pages
  serve.py       the web process: cached production build, then UI + API on API_PORT
  routes.py      UI paths (never colliding with the API's) and the sidebar
  state.py       AppState (session, role, language) and LiveMixin (worker events)
  template.py    sidebar + top bar frame; styles.py, formatting.py (Rp 1.500.000), i18n.py
  spec_form.py   form fields <-> job spec (validation stays in backend.jobs.validation)
  artifacts.py   artifact files for signed-in tabs (sent over the socket, no bearer needed)
  components/    pure functions: badges (status, traffic light), cards (stat, progress),
                 chart (bar, grouped bar, line; Plotly), table (+ pager), errors (by path)
  pages/         one module per page with its own state: login, dashboard (/), automation,
                 jobs (/workflows), job_editor (/workflows/[job_id]), run_detail
                 (/executions/[run_id]), campaigns, crisis, pricing, reports, settings

Rules a page follows:
  * State calls backend services (``backend.jobs.service``, ``backend.jobs.runs``,
    ``backend.jobs.stats``, ``backend.auth.tokens``, ``backend.ai.planner``) inside
    ``backend.core.db.session_scope()``; never SQL or HTTP of its own.
  * ``on_load`` starts with ``AppState.require_login``; mutating handlers check
    ``self._has_role("operator"|"admin")`` and the view hides their buttons
    (``AppState.can_operate`` / ``can_edit``).
  * Live pages subclass ``LiveMixin`` (``class XState(LiveMixin, AppState)``), add
    ``XState.listen_live`` to ``on_load`` and pass ``live=XState.live`` to ``layout``.
    Events come from Redis pub/sub ``{REDIS_PREFIX}:events`` as JSON with ``type`` in
    run.updated | run.progress | step.updated | log | artifact.added | alert, ``run_id``,
    ``job_id`` ... ; ``_live_apply`` updates in memory, ``_live_query``/``_live_store``
    reload from the database at most every 0.3 s while events arrive, never when idle
    (``_live_poll_sec`` adds a slow poll for figures that change without an event).
  * Labels come from ``AppState.tr["key"]`` (both languages in i18n.py; a test checks
    every literal key); figures are formatted in state with ``formatting``.
  * Elements tests need carry ``data-testid`` (and ``data-status``/``data-progress``).
"""
