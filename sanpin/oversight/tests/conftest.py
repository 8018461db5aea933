import datetime

import pytest

from sanpin.accounts.choices import QualificationKind
from sanpin.accounts.models import InspectorQualification
from sanpin.catalog.models import Region
from sanpin.certificates.tests.factories import issue

DAY = datetime.date(2025, 6, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _media_and_day(settings, tmp_path, on_day):
    settings.MEDIA_ROOT = tmp_path / "media"
    on_day(DAY)


@pytest.fixture
def certificate(users, gx_entity):
    """A green-input licence of the Guangxi entity (Nanning, 450102)."""
    return issue(gx_entity)


@pytest.fixture
def sh_certificate(users, sh_entity):
    return issue(sh_entity, product_name="申绿有机肥")


@pytest.fixture
def qualified_inspector(users):
    """The Guangxi inspector, a 绿色生资管理员 registered in Guangxi for 2025."""
    InspectorQualification.objects.create(
        user=users["inspector"], kind=QualificationKind.GREEN_INPUTS_ADMIN, number="GX-GI-2025-01",
        province=Region.objects.get(code="450000"), valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2025, 12, 31))
    return users["inspector"]
