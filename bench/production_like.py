"""Make the test client measure what production serves.

``setup_test_environment()`` instruments template rendering so the test client
can keep a copy of every template context; on a page with many small
templates that copying cost more than the rendering. The benchmarks turn off
what production does not have instead: the query log, template debugging
and host checking for the test client's host name.
"""

from django.conf import settings


def production_like() -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
