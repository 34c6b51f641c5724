"""Social-media crisis monitor (``workflow: crisis_monitor``): new posts, sentiment
(``sentiment``), the pure crisis rules (``rules``), alerts and auto-replies (``alerts``).
Incidents and the dashboard's ticks are ``backend.services.crisis_incidents``."""
