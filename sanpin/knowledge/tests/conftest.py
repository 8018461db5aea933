"""Knowledge tests: files in a temporary media folder, a fixed day, and helpers that make
standards and published documents through the services."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanpin.knowledge import services

PDF = b"%PDF-1.4\n% test document\n"
TODAY = datetime.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def today(on_day):
    on_day(TODAY)
    return TODAY


def pdf(name="doc.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_standard(actor, number="NY/T 393-2020", *, kind="green_food", title="绿色食品 农药使用准则",
                  published_on=datetime.date(2020, 7, 27), effective_on=datetime.date(2020, 11, 1), **extra):
    return services.standard_create(actor=actor, kind=kind, number=number, title=title, published_on=published_on,
                                    effective_on=effective_on, **extra)


def make_procedure(actor, region, *, title="沃柑绿色食品生产操作规程", publish=True, upload=True, **extra):
    values = {"kind": "procedure", "product": "沃柑", "product_field": "crops", "issuing_agency": "广西绿色食品发展站",
              "issued_on": datetime.date(2026, 3, 1), "version": "第1版", **extra}
    procedure = services.procedure_create(actor=actor, title=title, region=region,
                                          upload=pdf() if upload else None, **values)
    if publish:
        procedure = services.procedure_transition(actor=actor, procedure=procedure, action="publish")
    return procedure
