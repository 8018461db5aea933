"""Demo library for `make run`: the green food standards every producer must follow, a Guangxi
regional production procedure and a plain-language sheet made from it, their delivery to demo
organisations and bases in Nanning, and one internal inspectors' class. Idempotent.

The edition years are those of the editions in force as far as known; the publication and
effective dates are not checked against the official announcements, so every standard here is
flagged `is_demo` (shown as "演示数据：日期未经核对")."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction

from sanpin.accounts.models import User
from sanpin.bases.models import Base
from sanpin.catalog.models import Entity, Region
from sanpin.core import clock

from . import services
from .choices import DeliveryMeans, ProcedureKind, ProcedureStatus, ProductField, StandardKind, TrainingKind
from .models import Distribution, Procedure, Standard, TrainingSession

D = datetime.date
# (number, title, published on, effective on, field). Dates unverified (see module doc).
STANDARDS = [
    ("NY/T 391-2021", "绿色食品 产地环境质量", D(2021, 5, 7), D(2021, 11, 1), ProductField.GENERAL),
    ("NY/T 392-2013", "绿色食品 食品添加剂使用准则", D(2013, 12, 13), D(2014, 4, 1), ProductField.PROCESSED),
    ("NY/T 393-2013", "绿色食品 农药使用准则", D(2013, 12, 13), D(2014, 4, 1), ProductField.CROPS),
    ("NY/T 393-2020", "绿色食品 农药使用准则", D(2020, 7, 27), D(2020, 11, 1), ProductField.CROPS),
    ("NY/T 394-2021", "绿色食品 肥料使用准则", D(2021, 5, 7), D(2021, 11, 1), ProductField.CROPS),
    ("NY/T 658-2015", "绿色食品 包装通用准则", D(2015, 5, 21), D(2015, 8, 1), ProductField.GENERAL),
    ("NY/T 1055-2015", "绿色食品 产品检验规则", D(2015, 5, 21), D(2015, 8, 1), ProductField.GENERAL),
    ("NY/T 1056-2021", "绿色食品 储藏运输准则", D(2021, 5, 7), D(2021, 11, 1), ProductField.GENERAL),
]
# The 2013 pesticide rules gave way to the 2020 edition on the day it took effect.
REPLACED = [("NY/T 393-2013", "NY/T 393-2020")]
PDF = b"%PDF-1.4\n% demonstration document: not an official text\n"
PROCEDURE = "广西沃柑绿色食品生产操作规程（演示）"
SHEET = "沃柑绿色食品农药和肥料使用明白纸（演示）"
TRAINING = "南宁市绿色食品企业内检员培训班（演示）"
DEMO_BASES = ("邕绿武鸣沃柑绿色优质农产品生产基地", "双桥沃柑全产业链标准化示范基地")  # from sanpin.bases.demo


def _entities() -> dict:
    from sanpin.accounts.demo import ENTITIES, demo_uscc

    usccs = {spec.key: demo_uscc(i, spec.kind, spec.county) for i, spec in enumerate(ENTITIES)}
    by_uscc = {e.uscc: e for e in Entity.objects.filter(uscc__in=usccs.values())}
    return {key: by_uscc.get(uscc) for key, uscc in usccs.items()}


def _standards(actor) -> dict[str, Standard]:
    found = {s.number: s for s in Standard.objects.filter(number__in=[row[0] for row in STANDARDS])}
    for number, title, published_on, effective_on, field in STANDARDS:
        if number not in found:
            found[number] = services.standard_create(
                actor=actor, kind=StandardKind.GREEN_FOOD, number=number, title=title, published_on=published_on,
                effective_on=effective_on, product_field=field, is_demo=True,
                summary="演示数据：发布、实施日期未与官方公告核对。")
    for old, new in REPLACED:
        if not found[old].withdrawn_on:
            services.standard_withdraw(actor=actor, standard=found[old], withdrawn_on=found[new].effective_on,
                                       replaced_by=found[new], reason=f"被 {new} 代替（演示）")
    return found


def _document(actor, title: str, *, kind: str, region: Region, standards: list[Standard], summary: str,
              issued_on: datetime.date) -> Procedure:
    procedure = Procedure.objects.filter(title=title, region=region).first()
    if procedure is None:
        procedure = services.procedure_create(
            actor=actor, title=title, kind=kind, product="沃柑", product_field=ProductField.CROPS, region=region,
            issuing_agency="广西壮族自治区绿色食品发展站", issued_on=issued_on, version="第1版",
            standards=standards, summary=summary, upload=ContentFile(PDF, name="demo.pdf"))
    if procedure.status == ProcedureStatus.DRAFT:
        procedure = services.procedure_transition(actor=actor, procedure=procedure, action="publish")
    return procedure


@transaction.atomic
def load_demo_knowledge() -> dict:
    actor = User.objects.filter(username="gx_province").first()
    national = User.objects.filter(username="national").first()
    guangxi, nanning = Region.objects.filter(code="450000").first(), Region.objects.filter(code="450100").first()
    if actor is None or national is None or guangxi is None or nanning is None:
        raise RuntimeError("先运行 load_demo（演示账号和区划）")
    today = clock.today()
    standards = _standards(national)
    pesticides, fertilisers = standards["NY/T 393-2020"], standards["NY/T 394-2021"]
    procedure = _document(
        actor, PROCEDURE, kind=ProcedureKind.PROCEDURE, region=guangxi,
        issued_on=today - datetime.timedelta(days=120),
        standards=[standards["NY/T 391-2021"], pesticides, fertilisers],
        summary="产地环境、品种与栽培、肥水管理、病虫害绿色防控、采收与贮运的操作要求（演示）。")
    sheet = _document(
        actor, SHEET, kind=ProcedureKind.SHEET, region=nanning, issued_on=today - datetime.timedelta(days=90),
        standards=[pesticides, fertilisers],
        summary="一页讲清沃柑园可用农药、安全间隔期和肥料使用要求（演示）。")
    entities = _entities()
    bases = {b.name: b for b in Base.objects.filter(operator__in=[e for e in entities.values() if e])}
    recipients = [e.uscc for key in ("gx_applicant", "wuming_citrus", "hengzhou_tea") if (e := entities.get(key))]
    base_names = [name for name in DEMO_BASES if name in bases]
    delivered = 0
    if recipients and not Distribution.objects.filter(procedure=procedure).exists():
        delivered += len(services.distribution_record(
            actor=actor, procedure=procedure, recipients=recipients + base_names,
            delivered_on=today - datetime.timedelta(days=60), means=DeliveryMeans.PAPER, copies=2,
            delivered_by="韦丽萍"))
    if base_names and not Distribution.objects.filter(procedure=sheet).exists():
        delivered += len(services.distribution_record(
            actor=actor, procedure=sheet, recipients=base_names, delivered_on=today - datetime.timedelta(days=30),
            means=DeliveryMeans.ONSITE, copies=20, delivered_by="韦丽萍"))
    session = TrainingSession.objects.filter(title=TRAINING).first()
    attended = 0
    if session is None and entities.get("gx_applicant"):
        session = services.training_create(
            actor=actor, kind=TrainingKind.INTERNAL_INSPECTOR, title=TRAINING, region=nanning,
            held_on=today - datetime.timedelta(days=45), location="南宁市农业农村局会议室",
            trainer="广西绿色食品发展站 黄老师",
            standards=[pesticides, fertilisers], procedures=[procedure])
        rows = [(entities["gx_applicant"].uscc, 3)]
        if entities.get("binyang_rice"):
            rows.append((entities["binyang_rice"].uscc, 2))
        if base_names:
            rows.append((base_names[-1], 1))
        attended = len(services.training_record_attendance(actor=actor, session=session, rows=rows))
    return {"standards": len(standards), "procedures": 2, "distributions": delivered, "attendance": attended}
