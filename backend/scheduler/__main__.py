"""``python -m backend.scheduler``: run the scheduler loop until interrupted."""

from __future__ import annotations

import logging
import signal

from backend.scheduler.service import SchedulerService


def main() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s"
    )
    service = SchedulerService()
    signal.signal(signal.SIGTERM, lambda *_: service.stop.set())
    try:
        service.run_forever()
    except KeyboardInterrupt:
        service.stop.set()


if __name__ == "__main__":
    main()
