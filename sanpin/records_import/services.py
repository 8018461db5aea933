"""Import of existing entities, certificates and their scanned archive documents from the
systems agencies used before this one [001 §18].

One workbook (sheets 主体 and 证书) plus archive files. Every row is checked first; then the
whole import runs through the ordinary services (entity_create, certificate_issue with the
imported number, certificate_set_status) inside one transaction, each row in a savepoint so
that a service's refusal is reported against its row. A dry run, or any refused row, rolls the
whole transaction back: nothing is written, and the report lists every refused row.
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import NATIONAL_ROLES
from sanpin.catalog.choices import EntityKind
from sanpin.catalog.models import Entity, Region
from sanpin.catalog.services import entity_create
from sanpin.catalog.validators import validate_uscc
from sanpin.certificates import numbering
from sanpin.certificates.choices import GreenInputCategory, Scheme, Status
from sanpin.certificates.models import Certificate
from sanpin.certificates.services import certificate_issue, certificate_set_status
from sanpin.core import audit, clock
from sanpin.core.access import require_role
from sanpin.core.errors import DomainError

from .io import (
    CERTIFICATE_SHEET,
    ENTITY_SHEET,
    LABELS,
    FileSource,
    ImportBook,
    Problem,
    parse_date,
    read_workbook,
)
from .models import ArchiveDocument

GREEN_FOOD_RE = re.compile(r"^LB-\d{2}-\d{4}\d{2}\d{4,5}[A-Z]$")
NUMBER_MAX = 40
FILE_SPLIT = re.compile(r"[;；]")


@dataclass
class Report:
    """What an import found and (for a real run without problems) wrote."""

    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    entities: int = 0
    certificates: int = 0
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "imported": self.imported, "entities": self.entities,
                "certificates": self.certificates, "documents": self.documents,
                "problems": [p.as_dict() for p in self.problems]}


class _Rollback(Exception):
    """Raised inside the import transaction to undo it (dry run, or refused rows)."""


def _choice(text: str, choices) -> str | None:
    """A TextChoices value from its Chinese label or its code."""
    for value, label in choices.choices:
        if text in (value, str(label)):
            return value
    return None


class _Checker:
    def __init__(self, book: ImportBook, files: FileSource):
        self.book, self.files, self.problems = book, files, []
        self.entities: dict[int, dict] = {}
        self.certificates: dict[int, dict] = {}
        self.file_uscc: set[str] = set()

    def refuse(self, row, column: str, reason: str) -> None:
        self.problems.append(Problem(row.sheet, row.row_no, LABELS[row.sheet].get(column, column), str(reason)))

    def run(self) -> list[Problem]:
        for row in self.book.entities:
            self.check_entity(row)
        numbers: dict[str, int] = {}
        for row in self.book.certificates:
            self.check_certificate(row, numbers)
        return self.problems

    def check_entity(self, row) -> None:
        cells, values, bad = row.cells, dict(row.cells), False
        try:
            values["uscc"] = validate_uscc(cells["uscc"])
        except ValidationError as exc:
            self.refuse(row, "uscc", exc.messages[0])
            bad = True
        else:
            if values["uscc"] in self.file_uscc:
                self.refuse(row, "uscc", _("统一社会信用代码在本表中重复"))
                bad = True
            elif Entity.objects.filter(uscc=values["uscc"]).exists():
                self.refuse(row, "uscc", _("该主体已登记，请从主体表删除此行（证书表可直接引用已登记的主体）"))
                bad = True
            self.file_uscc.add(values["uscc"])
        kind = _choice(cells["kind"], EntityKind)
        if kind is None:
            kinds = "、".join(map(str, EntityKind.labels))
            self.refuse(row, "kind", _("主体类型无效，应为：%(list)s") % {"list": kinds})
            bad = True
        values["kind"] = kind
        region = Region.objects.filter(code=cells["region"]).first()
        if region is None:
            self.refuse(row, "region", _("区划代码 %(code)s 不存在") % {"code": cells["region"] or "（空）"})
            bad = True
        elif not region.accepts_entities():
            self.refuse(row, "region", _("%(name)s 不是县级区划，请填写县级区划代码") % {"name": region})
            bad = True
        values["region"] = region
        if not bad:
            self.entities[row.row_no] = values

    def check_certificate(self, row, numbers: dict) -> None:
        cells, bad = row.cells, []
        scheme = _choice(cells["scheme"], Scheme)
        if scheme is None:
            bad.append(("scheme", _("认证类型无效，应为：%(list)s") % {"list": "、".join(map(str, Scheme.labels))}))
        category = cells["category"]
        if scheme == Scheme.GREEN_INPUTS:
            category = _choice(category, GreenInputCategory) or category
            if category not in GreenInputCategory.values:
                bad.append(("category", _("绿色食品生产资料产品类别应为 01、02、03、04、05 或 09（或其名称）")))
        elif not category or len(category) > 4:
            bad.append(("category", _("请填写产品类别（不超过 4 个字符）")))
        dates = {}
        for name in ("approved_on", "valid_from", "valid_until"):
            dates[name] = parse_date(cells[name])
            if dates[name] is None:
                bad.append((name, _("日期无效，应为 2024-03-01 这样的日期")))
        if all(dates.values()):
            if dates["valid_until"] < dates["valid_from"]:
                bad.append(("valid_until", _("有效期至不能早于有效期起")))
            if dates["approved_on"] > dates["valid_until"]:
                bad.append(("approved_on", _("核准日期不能晚于有效期至")))
            if dates["approved_on"] > clock.today():
                bad.append(("approved_on", _("核准日期不能晚于今天")))
        number = cells["number"].strip().upper()
        if not number:
            bad.append(("number", _("请填写证书编号/产品编号")))
        elif len(number) > NUMBER_MAX:
            bad.append(("number", _("编号不能超过 %(n)d 个字符") % {"n": NUMBER_MAX}))
        elif scheme == Scheme.GREEN_INPUTS:
            parts = numbering.parse(number)
            if parts is None:
                bad.append(("number", _("产品编号格式应为 LSSZ-类别-年月省份序号，如 LSSZ-01-2503200001")))
            elif dates["approved_on"] and (parts["category"], parts["yy"], parts["mm"]) != (
                    category, f"{dates['approved_on']:%y}", f"{dates['approved_on']:%m}"):
                bad.append(("number", _("产品编号中的类别或核准年月与该行的产品类别、核准日期不符")))
        elif scheme == Scheme.GREEN_FOOD and not GREEN_FOOD_RE.match(number):
            bad.append(("number", _("绿色食品产品编号格式应为 LB-类别-年月省份序号校验位，如 LB-15-19012700330A")))
        if number:
            if number in numbers:
                bad.append(("number", _("编号与本表第 %(row)d 行重复") % {"row": numbers[number]}))
            elif Certificate.objects.filter(number=number, renewed=False).exists():
                bad.append(("number", _("编号 %(number)s 已被系统中的证书使用") % {"number": number}))
            numbers.setdefault(number, row.row_no)
        holder = None
        try:
            uscc = validate_uscc(cells["holder"])
        except ValidationError as exc:
            bad.append(("holder", exc.messages[0]))
        else:
            holder = Entity.objects.filter(uscc=uscc).first()
            if holder is None and uscc not in self.file_uscc:
                bad.append(("holder", _("持有人未登记，也不在本工作簿的主体表中")))
        if not cells["product_name"]:
            bad.append(("product_name", _("请填写产品名称")))
        try:
            output = Decimal(cells["approved_output"])
            if not output.is_finite() or output <= 0:
                raise InvalidOperation
        except InvalidOperation:
            bad.append(("approved_output", _("核准产量须为大于 0 的数")))
        if not cells["output_unit"]:
            bad.append(("output_unit", _("请填写产量单位")))
        status = _choice(cells["status"], Status)
        if status is None:
            bad.append(("status", _("状态无效，应为：%(list)s") % {"list": "、".join(map(str, Status.labels))}))
        documents = []
        for name in (n.strip() for n in FILE_SPLIT.split(cells["files"]) if n.strip()):
            if name not in self.files:
                bad.append(("files", _("档案文件“%(name)s”不在文件包中（或超过 50 MB）") % {"name": name}))
                continue
            content_type = self.files.content_type(name)
            if content_type is None:
                bad.append(("files", _("档案文件“%(name)s”不是 PDF、JPG 或 PNG 文件") % {"name": name}))
                continue
            documents.append((name, content_type))
        for column, reason in bad:
            self.refuse(row, column, reason)
        if not bad:
            self.certificates[row.row_no] = {
                "scheme": scheme, "number": number, "uscc": uscc, "holder": holder, "category": category,
                "product_name": cells["product_name"], "trademark": cells["trademark"], "approved_output": output,
                "output_unit": cells["output_unit"], "status": status, "documents": documents, **dates,
            }


def _service_problems(sheet: str, row_no: int, exc: DomainError, default_column: str) -> list[Problem]:
    labels = LABELS[sheet]
    if getattr(exc, "fields", None):
        text = lambda v: "；".join(map(str, v)) if isinstance(v, list | tuple) else str(v)  # noqa: E731
        return [Problem(sheet, row_no, labels.get(k, k), text(v)) for k, v in exc.fields.items()]
    return [Problem(sheet, row_no, labels[default_column], str(exc.message))]


def _write(*, actor, checker: _Checker, report: Report, store_files: bool) -> list[ArchiveDocument]:
    """Entities, then certificates, through the services; each row in a savepoint."""
    by_uscc = {}
    for row_no, values in checker.entities.items():
        try:
            with transaction.atomic():
                entity = entity_create(actor=actor, **values)
        except DomainError as exc:
            report.problems += _service_problems(ENTITY_SHEET, row_no, exc, "uscc")
            continue
        by_uscc[entity.uscc] = entity
        report.entities += 1
    stored = []
    for row_no, values in checker.certificates.items():
        holder = values["holder"] or by_uscc.get(values["uscc"])
        if holder is None:  # its entity row was refused above
            report.problems.append(Problem(CERTIFICATE_SHEET, row_no, LABELS[CERTIFICATE_SHEET]["holder"],
                                           _("持有人在主体表中的行未通过校验")))
            continue
        try:
            with transaction.atomic():
                certificate = certificate_issue(
                    actor=actor, scheme=values["scheme"], holder=holder, product_name=values["product_name"],
                    category=values["category"], trademark=values["trademark"],
                    approved_output=values["approved_output"], output_unit=values["output_unit"],
                    approved_on=values["approved_on"], valid_from=values["valid_from"],
                    valid_until=values["valid_until"], province=Region.objects.get(code=holder.region.province_code),
                    number=values["number"], reference=_("存量数据导入"),
                )
                if values["status"] != Status.VALID:
                    certificate_set_status(actor=actor, certificate=certificate, status=values["status"],
                                           reason=_("存量数据导入：原系统中的状态"))
        except DomainError as exc:
            report.problems += _service_problems(CERTIFICATE_SHEET, row_no, exc, "number")
            continue
        report.certificates += 1
        for name, content_type in values["documents"]:
            report.documents += 1
            if store_files and not report.problems:
                content = checker.files.read(name)
                document = ArchiveDocument(certificate=certificate, original_name=name[:200],
                                           sha256=hashlib.sha256(content).hexdigest(),
                                           content_type=content_type, size=len(content), imported_by=actor)
                document.file.save(name, ContentFile(content), save=True)
                stored.append(document)
    return stored


def records_import(*, actor, workbook: bytes, files: FileSource | None = None, dry_run: bool = True) -> Report:
    """Check every row, then import all of it in one transaction, or nothing.

    Only national staff or the SYSTEM user may import: records land in every province. Side
    effects (real run without problems): entities, certificates (status history, sequences moved
    past the imported serials), archive files in private storage, one audit event per record and
    one for the import. Raises ValidationFailed when the workbook itself cannot be read.
    """
    if not getattr(actor, "is_system", False):
        require_role(actor, NATIONAL_ROLES)
    book = read_workbook(workbook)
    checker = _Checker(book, files or FileSource.empty())
    report = Report(dry_run=dry_run, problems=checker.run())
    stored: list[ArchiveDocument] = []
    try:
        with transaction.atomic():
            stored = _write(actor=actor, checker=checker, report=report, store_files=not dry_run)
            if dry_run or report.problems:
                raise _Rollback()
            audit.record(actor=actor, verb="records_import.run", new={
                "entities": report.entities, "certificates": report.certificates, "documents": report.documents,
            }, reason=_("存量数据导入"))
    except _Rollback:
        for document in stored:
            document.file.storage.delete(document.file.name)
        if report.problems:
            report.entities = report.certificates = report.documents = 0
    except Exception:
        for document in stored:
            document.file.storage.delete(document.file.name)
        raise
    report.problems.sort(key=lambda p: (p.sheet != ENTITY_SHEET, p.row_no))
    return report
