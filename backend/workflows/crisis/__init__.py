"""Social-media crisis monitor (``workflow: crisis_monitor``): new posts, sentiment
(``sentiment``), the pure crisis rules (``rules``), alerts and auto-replies (``alerts``).
Incidents are ``backend.services.crisis_incidents``, the dashboard's ticks
``backend.services.crisis_dashboard``."""
