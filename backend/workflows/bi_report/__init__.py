"""Daily BI report (``workflow: bi_report``): fetch every source (``sources``), aggregate
(``backend.reports``), insights, render and distribute (``publish``)."""
