"""Background jobs of volunteer coordination (Django tasks API)."""

from __future__ import annotations

from django_tasks import task

from tillsammans.volunteering.services.offers import offers_expire_due


@task()
def expire_offers() -> int:
    """Offers nobody answered in time expire and their requests go to the
    next-best candidates. Idempotent: run it every few minutes from the
    worker's scheduler or ``manage.py volunteering_expire_offers --loop 300``."""
    return offers_expire_due()


@task()
def process_signup_intakes() -> dict[str, int]:
    """Turn the sign-ups stored in a surge into volunteers (``services.
    volunteer_intake``). Duplicate or late tasks are harmless; what a lost task
    leaves, ``manage.py volunteering_process_signups --loop 5`` processes."""
    from tillsammans.volunteering.services.volunteer_intake import signup_intakes_work_off

    return signup_intakes_work_off()
