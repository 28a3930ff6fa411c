"""Background jobs of the register (Django tasks API)."""

from __future__ import annotations

from django_tasks import task

from tillsammans.organizations.services import register_yearly_update


@task()
def yearly_update() -> dict[str, int]:
    """The yearly confirmation round (reminders, needs_update, inactive).
    Idempotent: run it daily from the scheduler or with
    ``manage.py register_yearly_update``."""
    return register_yearly_update()
