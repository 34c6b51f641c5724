"""What several workflows share, each under its own name: bounded fan-out and a
breaker for a platform that is down (``concurrency``)."""
