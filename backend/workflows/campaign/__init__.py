"""Mass campaign (``workflow: campaign``): who gets which message on which channel
(``plan``), sending every channel within its limit (``send``), the report. Its live
state (control, counters) is ``backend.services.campaign_state``."""
