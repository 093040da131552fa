"""Background jobs on procrastinate: declare them, defer them in a transaction, run them.

```python
from service.jobs import JobContext, Retry, defer, job, periodic

@job("webhooks.deliver", retry=Retry(max_attempts=8, first_wait=5))
def deliver(ctx: JobContext, *, delivery_id: int) -> dict | None: ...

@periodic("process.reminders", cron="*/5 * * * *")
def sweep(ctx: JobContext, timestamp: int) -> None: ...

defer(session, "webhooks.deliver", delivery_id=d.id)  # in the request's transaction
```

A module that declares jobs is listed in ``service.jobs.registry.JOB_MODULES``.
"""

from service.jobs.registry import (
    JobContext,
    PermanentFailure,
    Retry,
    defer,
    defer_many,
    job,
    periodic,
)

__all__ = ["JobContext", "PermanentFailure", "Retry", "defer", "defer_many", "job", "periodic"]
