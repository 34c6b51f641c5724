"""Price intelligence (``workflow: price_intelligence``): competitor prices, guarded
auto-repricing and the report. ``workflow`` holds the steps; ``rules`` is the pure
decision; ``fetch``, ``reprice`` and ``report`` do the calls of each step."""
