"""How one server process is bounded: its pool, its queue, its time bounds, its logs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from sigderiv.errors import SigderivError
from sigderiv.model.bounds import CHECK_TIMEOUT

#: Seconds one request's derivation, check or plot may take, rendering included.
TIMEOUT = 30.0
#: Seconds the parse-only preview may take (building some expressions takes SymPy minutes).
PREVIEW_TIMEOUT = 3.0
#: Requests that may wait for a worker, for each worker.
QUEUE_PER_WORKER = 16
#: Answers each server process remembers (derive, steps, plot and preview, by request).
CACHE = 256
#: Most bytes of a request body (POST /api/check): far more than a page of working.
MAX_BODY_BYTES = 256 * 1024
#: Most lines one POST /api/check may send.
MAX_CHECK_LINES = 200


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Settings:
    """The bounds of one server process; ``from_env`` reads SIGDERIV_* variables."""

    workers: int = field(default_factory=_cores)
    queue: int | None = None  # None: QUEUE_PER_WORKER for each worker
    timeout: float = TIMEOUT
    check_timeout: float = CHECK_TIMEOUT
    preview_timeout: float = PREVIEW_TIMEOUT
    max_body: int = MAX_BODY_BYTES
    max_lines: int = MAX_CHECK_LINES
    log_input: bool = False
    cache: int = CACHE

    @property
    def waiting(self) -> int:
        """Requests that may wait for a worker."""
        return self.workers * QUEUE_PER_WORKER if self.queue is None else self.queue

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from SIGDERIV_WORKERS, _QUEUE, _TIMEOUT, _CACHE and _LOG_INPUT."""
        env = os.environ if env is None else env
        chosen = cls()
        try:
            workers = int(env.get("SIGDERIV_WORKERS", chosen.workers))
            queue = int(env["SIGDERIV_QUEUE"]) if "SIGDERIV_QUEUE" in env else None
            timeout = float(env.get("SIGDERIV_TIMEOUT", chosen.timeout))
            cache = int(env.get("SIGDERIV_CACHE", chosen.cache))
        except ValueError as error:
            raise SigderivError(f"a SIGDERIV_* setting is not a number: {error}") from None
        log_input = env.get("SIGDERIV_LOG_INPUT", "").lower() in ("1", "true", "yes")
        return cls(
            workers=workers, queue=queue, timeout=timeout, log_input=log_input, cache=cache
        ).checked()

    def checked(self) -> Settings:
        """Return these settings, or raise SigderivError for one out of range."""
        if self.workers < 1:
            raise SigderivError(f"workers must be 1 or more, not {self.workers}")
        if self.waiting < 0:
            raise SigderivError(f"the queue must be 0 or more, not {self.waiting}")
        if self.cache < 0:
            raise SigderivError(f"the cache must be 0 or more answers, not {self.cache}")
        if not 0 < self.timeout <= 3600:
            raise SigderivError(f"the timeout must be between 0 and 3600 s, not {self.timeout}")
        return self
