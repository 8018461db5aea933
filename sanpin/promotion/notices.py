"""Who is told about a participation, and the telling itself (after commit, so a rolled-back change
tells nobody): the organising agency's staff and the participating entity's users."""

from django.db import transaction
from django.urls import reverse

from sanpin.accounts.choices import REVIEW_STAFF_ROLES


def organiser_staff(event) -> list:
    from sanpin.accounts.models import User

    return list(User.objects.filter(agency_id=event.organiser_id, is_active=True, is_system=False,
                                    role_assignments__role__in=REVIEW_STAFF_ROLES).distinct())


def entity_users(entity_id) -> list:
    from sanpin.accounts.models import User

    return list(User.objects.filter(entity_id=entity_id, is_active=True, is_system=False))


def tell(users, *, title: str, body: str, url: str) -> None:
    users = [u for u in users if u is not None]
    if not users:
        return

    def send():
        from sanpin.notifications.services import notify

        notify(recipients=users, title=title, body=body, url=url)

    transaction.on_commit(send)


def manage_url(event) -> str:
    return reverse("promotion:manage_event", args=[event.pk])


def mine_url() -> str:
    return reverse("promotion:mine")
