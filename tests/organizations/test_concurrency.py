"""An organisation keeps an administrator when two changes race
(PostgreSQL, real threads with their own connections)."""

import threading

import pytest
from django.db import connection

from tests.organizations.factories import RepresentativeFactory
from tillsammans.core.errors import NotPermitted
from tillsammans.organizations import services
from tillsammans.organizations.models import Representative


def race(*operations) -> list[str]:
    barrier = threading.Barrier(len(operations))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(operation) -> None:
        from django.db import connections

        try:
            barrier.wait()
            operation()
            outcome = "done"
        except services.LastAdmin:
            outcome = "last admin"
        except NotPermitted:
            outcome = "not permitted"
        except Exception as error:  # reported by the assertions
            outcome = f"error {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(operation,)) for operation in operations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("second", ["leave", "demote", "remove"])
def test_two_admins_cannot_both_stop_being_admins(second):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    first = RepresentativeFactory()
    organization = first.organization
    other = RepresentativeFactory(organization=organization, role="admin")

    def first_leaves():
        services.representative_leave(organization=organization, actor=first.user)

    second_operation = {
        "leave": lambda: services.representative_leave(organization=organization, actor=other.user),
        "demote": lambda: services.representative_change_role(
            representative=other, role="editor", actor=first.user
        ),
        "remove": lambda: services.representative_remove(representative=other, actor=first.user),
    }[second]

    outcomes = race(first_leaves, second_operation)

    # One change wins. The other is refused by the last-admin check, or, when
    # the first had already left before the second began, because the first
    # is no longer an administrator.
    assert outcomes in (["done", "last admin"], ["done", "not permitted"]), outcomes
    assert Representative.objects.filter(organization=organization, role="admin").count() == 1
