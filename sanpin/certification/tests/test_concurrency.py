"""Two reviewers acting on the same step at the same moment: one wins, the other is refused."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from sanpin.accounts.choices import Role
from sanpin.accounts.tests.factories import UserFactory
from sanpin.certification import engine
from sanpin.certification.models import Application, Event
from sanpin.core.errors import TransitionNotAllowed

from .test_green_inputs_flow import submitted


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_passing_the_same_step_move_it_once(drive, world, gx_entity, on_day, agencies):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this suite on PostgreSQL too")
    app_id = submitted(drive, gx_entity, on_day, day=date(2025, 9, 30))
    second = UserFactory(username="gx_province2", roles=[Role.PROVINCIAL_REVIEWER], agency=agencies["gx"])
    reviewers = [world["gx_province"], second]
    barrier, outcomes = threading.Barrier(2), []

    def act(user):
        try:
            barrier.wait(timeout=10)
            engine.application_act(actor=user, application=Application.objects.get(pk=app_id), action="pass",
                                   data=engine.ActionInput(opinion="初审合格"), expected_state="preliminary_review")
            outcomes.append("moved")
        except TransitionNotAllowed:
            outcomes.append("refused")
        except Exception as exc:  # anything else is a failure the assertion below shows
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["moved", "refused"]
    assert Application.objects.get(pk=app_id).state == "site_inspection"
    assert Event.objects.filter(application_id=app_id, action="pass").count() == 1
