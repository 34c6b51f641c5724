"""What several workflows share, each under its own name: platform calls within limits
(``calls``) and bounded fan-out with a breaker (``concurrency``)."""
