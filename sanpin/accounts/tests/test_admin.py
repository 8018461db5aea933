"""Edits in the Django admin leave an audit event like the services do."""

import pytest

from sanpin.accounts.models import Agency
from sanpin.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(users):
    admin = users["admin"]
    admin.is_superuser = admin.is_staff = True
    admin.save()
    return admin


def test_agency_created_in_the_admin_is_audited(client, superuser, regions, agencies):
    client.force_login(superuser)
    response = client.post("/admin/accounts/agency/add/", {
        "name": "隆林各族自治县农业农村局", "level": "county", "region": "451031", "parent": agencies["bs"].pk,
        "phone": "", "address": "",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get(name="隆林各族自治县农业农村局")
    event = AuditEvent.objects.get(verb="admin.agency_create")
    assert event.target_id == str(agency.pk) and event.actor == superuser
    assert "name" in event.new["fields"]


def test_user_list_hides_the_system_actor(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    usernames = [u.username for u in response.context["cl"].result_list]
    assert "system" not in usernames and "gx_province" in usernames
