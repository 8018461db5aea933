"""Issuing 承诺达标合格证 (开证): one, a batch of up to 10,000 from the API, or an xlsx/CSV upload.

Every row is validated before anything is written; a batch with any bad row writes nothing and
names every bad row with its field and the reason. Codes come from the county's counter, reserved
for the whole batch in one locked step (sanpin.compliance.serials); rows go in with COPY on
PostgreSQL and bulk_create on SQLite (sanpin.compliance.bulk), as tuples rather than model
instances; one audit event per batch (not per row: a batch may hold ten thousand certificates).
Nothing runs after commit: the scan URLs are signed by the caller that answers them.

Idempotency (a phone that issued offline retries): a row may carry a client `idempotency_key`,
unique per issuer. The same key with the same body answers the certificate first made and creates
nothing; the same key with another body is refused (409 naming the key). The body hash covers what
the client sent (normalised), not what the server added (issue time when none was given, code).
"""

import csv
import datetime
import functools
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from sanpin.core import audit, clock
from sanpin.core.access import require_role
from sanpin.core.errors import Conflict, PermissionDenied, ValidationFailed

from . import bulk, codes, serials
from .choices import TESTED, CommitmentBasis, ProductCategory, Status
from .models import COMPLIANCE_ACTIONS, ComplianceCertificate, IssueKey

MAX_BATCH = 10_000
CHUNK = 1000
# A phone may issue offline and send later; older or future issue times are refused.
MAX_BACKDATE = datetime.timedelta(days=31)
CLOCK_SKEW = datetime.timedelta(minutes=10)
MAX_QUANTITY = Decimal("99999999999")
PHONE = re.compile(r"^[0-9+\- ()]{5,30}\Z")
KEY = re.compile(r"^[\x21-\x7e]{1,64}\Z")

FIELDS = ("product_name", "category", "quantity", "unit", "origin", "contact_phone", "basis", "test_report_no",
          "mark_number", "trace_code", "issued_at")
LABELS = {
    "product_name": "产品名称", "category": "产品类别", "quantity": "数量", "unit": "单位", "origin": "产地",
    "contact_phone": "联系电话", "basis": "承诺依据", "test_report_no": "检测报告编号", "mark_number": "标志编号",
    "trace_code": "追溯码", "issued_at": "开具时间", "idempotency_key": "幂等键",
}
REQUIRED_COLUMNS = ("product_name", "category", "quantity", "unit")
_CATEGORY_BY_TEXT = {**{c.value: c.value for c in ProductCategory}, **{str(c.label): c.value for c in ProductCategory}}
_BASIS_BY_TEXT = {
    **{b.value: b.value for b in CommitmentBasis}, **{str(b.label): b.value for b in CommitmentBasis},
    "质量安全控制符合要求": CommitmentBasis.QUALITY_CONTROL, "自行检测": CommitmentBasis.SELF_TEST,
    "委托检测": CommitmentBasis.COMMISSIONED_TEST,
}


@dataclass
class Problem:
    """One refused value: the row (0-based index in the request), the field and the reason."""

    index: int
    field: str
    reason: str


@dataclass
class Row:
    index: int
    values: dict  # model field → value, ready for the model
    key: str = ""
    body_hash: str = ""


@dataclass(frozen=True)
class Issued:
    """What a batch answer shows of one certificate, without a model instance."""

    id: int
    code: str
    issued_at: datetime.datetime


@dataclass
class IssueResult:
    """The certificates in the order of the request (`issued`), which of them this call made, and
    the keys sent. `certificates` gives model instances, built only when asked for (one page, a
    re-issue): a batch answer of ten thousand needs only `issued`."""

    entity: object = None
    actor: object = None
    issued: list = field(default_factory=list)
    created: list = field(default_factory=list)
    keys: list = field(default_factory=list)
    values: list = field(default_factory=list, repr=False)  # the row's values, None for an earlier certificate

    @property
    def created_count(self) -> int:
        return sum(self.created)

    def scan_urls(self) -> list[str]:
        """The signed scan URL of each certificate, in order (the key looked up once)."""
        return codes.scan_urls([issued.code for issued in self.issued])

    @functools.cached_property
    def certificates(self) -> list:
        earlier = _fetch((i.id, i.issued_at) for i, v in zip(self.issued, self.values, strict=True) if v is None)
        built: dict[int, ComplianceCertificate] = {}
        for issued, values in zip(self.issued, self.values, strict=True):
            if values is None or issued.id in built:
                continue
            certificate = ComplianceCertificate(
                **dict(values, issued_at=issued.issued_at), id=issued.id, code=issued.code,
                region_id=self.entity.region_id, issuer=self.entity, issued_by=self.actor)
            certificate._state.adding, certificate._state.db = False, "default"
            built[issued.id] = certificate
        return [earlier[i.id] if v is None else built[i.id] for i, v in zip(self.issued, self.values, strict=True)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def issuer_of(actor):
    """The entity the actor issues for: its own organisation (applicant or purchaser)."""
    require_role(actor, COMPLIANCE_ACTIONS["issue"])
    entity = getattr(actor, "entity", None)
    if entity is None or not entity.is_active:
        raise PermissionDenied(_("您的账号未关联有效的主体，不能开具合格证"))
    return entity


def defaults_for(entity) -> dict:
    """What the issue page prefills from the producer's record."""
    region = entity.region
    return {
        "origin": (region.full_name or region.name)[:120],
        "contact_phone": entity.contact_phone,
        "unit": "公斤",
        "basis": CommitmentBasis.QUALITY_CONTROL,
    }


def _clean_row(raw, index: int, defaults: dict, now: datetime.datetime, problems: list) -> Row | None:
    """One row normalised, or None with its problems appended."""
    if not isinstance(raw, dict):
        problems.append(Problem(index, "", _("每一条须为一个对象")))
        return None
    errors = []

    def bad(name, reason):
        errors.append(Problem(index, name, reason))

    values = {}
    name = _text(raw.get("product_name"))
    if not name:
        bad("product_name", _("请填写产品名称"))
    elif len(name) > 60:
        bad("product_name", _("产品名称不能超过 60 个字"))
    values["product_name"] = name

    category = _CATEGORY_BY_TEXT.get(_text(raw.get("category")))
    if not _text(raw.get("category")):
        bad("category", _("请选择产品类别"))
    elif category is None:
        bad("category", _("未知的产品类别“%(value)s”") % {"value": _text(raw.get("category"))[:30]})
    values["category"] = category or ""

    quantity_text = _text(raw.get("quantity"))
    try:
        quantity = Decimal(quantity_text)
        if not quantity.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        quantity = None
        bad("quantity", _("请填写数量") if not quantity_text else _("数量须为数字"))
    if quantity is not None:
        if quantity <= 0:
            bad("quantity", _("数量必须大于零"))
        elif quantity > MAX_QUANTITY:
            bad("quantity", _("数量过大"))
        elif quantity.as_tuple().exponent < -3:
            bad("quantity", _("数量最多保留三位小数"))
    values["quantity"] = quantity

    unit = _text(raw.get("unit")) or ("" if "unit" in raw else defaults["unit"])
    if not unit:
        bad("unit", _("请填写单位"))
    elif len(unit) > 10:
        bad("unit", _("单位不能超过 10 个字"))
    values["unit"] = unit

    origin = _text(raw.get("origin")) or defaults["origin"]
    if not origin:
        bad("origin", _("请填写产地"))
    elif len(origin) > 120:
        bad("origin", _("产地不能超过 120 个字"))
    values["origin"] = origin

    phone = _text(raw.get("contact_phone")) or defaults["contact_phone"]
    if not phone or not PHONE.match(phone):
        bad("contact_phone", _("请填写有效的联系电话"))
    values["contact_phone"] = phone

    basis_text = _text(raw.get("basis"))
    basis = _BASIS_BY_TEXT.get(basis_text) if basis_text else defaults["basis"]
    if basis is None:
        bad("basis", _("承诺依据须为：质量安全控制符合要求、自行检测合格或委托检测合格"))
    values["basis"] = basis or ""
    report = _text(raw.get("test_report_no"))
    if basis in TESTED and not report:
        bad("test_report_no", _("依据检测结果承诺时须填写检测报告编号"))
    elif len(report) > 60:
        bad("test_report_no", _("检测报告编号不能超过 60 个字"))
    values["test_report_no"] = report

    mark = _text(raw.get("mark_number")).upper()
    if len(mark) > 40:
        bad("mark_number", _("标志编号不能超过 40 个字"))
    values["mark_number"] = mark
    trace = _text(raw.get("trace_code"))
    if len(trace) > 60:
        bad("trace_code", _("追溯码不能超过 60 个字"))
    values["trace_code"] = trace

    issued_text = raw.get("issued_at")
    issued_at = None
    if isinstance(issued_text, datetime.datetime):
        issued_at = issued_text
    elif _text(issued_text):
        try:
            issued_at = parse_datetime(_text(issued_text).replace(" ", "T", 1))
        except ValueError:
            issued_at = None
        if issued_at is None:
            bad("issued_at", _("开具时间格式应为 YYYY-MM-DD HH:MM"))
    if issued_at is not None:
        if timezone.is_naive(issued_at):
            issued_at = timezone.make_aware(issued_at)
        if issued_at > now + CLOCK_SKEW:
            bad("issued_at", _("开具时间不能晚于当前时间"))
        elif issued_at < now - MAX_BACKDATE:
            bad("issued_at", _("开具时间不能早于 31 天前"))
    values["issued_at"] = issued_at

    key = _text(raw.get("idempotency_key"))
    if key and not KEY.match(key):
        bad("idempotency_key", _("幂等键须为 1–64 个可见 ASCII 字符"))

    if errors:
        problems.extend(errors)
        return None
    if not key:
        return Row(index, values)  # the body hash only serves to compare a key's retries
    body = {k: (str(v) if v is not None else None) for k, v in values.items()}
    body["issued_at"] = issued_at.isoformat() if issued_at else None
    body_hash = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return Row(index, values, key, body_hash)


def _check_marks(entity, rows: list[Row], problems: list) -> None:
    """三码合一: a mark number must be in the registry and the issuer's to cite: a green food /
    organic / green-input certificate it holds, or a GI registration it holds or is authorised
    under. One query per register for the whole batch."""
    numbers = {row.values["mark_number"] for row in rows if row.values["mark_number"]}
    if not numbers:
        return
    from sanpin.certificates.models import Certificate
    from sanpin.gi.models import GIAuthorization, GIRegistration

    held = dict(Certificate.objects.filter(number__in=numbers).values_list("number", "holder_id").distinct())
    gi = dict(GIRegistration.objects.filter(number__in=numbers).values_list("number", "holder_id"))
    authorised = set(GIAuthorization.objects.filter(registration__number__in=numbers, user_entity=entity)
                     .values_list("registration__number", flat=True))
    mine = set(Certificate.objects.filter(number__in=numbers, holder=entity).values_list("number", flat=True))
    for row in rows:
        number = row.values["mark_number"]
        if not number:
            continue
        if number in held:
            if number not in mine:
                problems.append(Problem(row.index, "mark_number", _("标志编号 %(n)s 不属于本单位") % {"n": number}))
        elif number in gi:
            if gi[number] != entity.pk and number not in authorised:
                problems.append(Problem(row.index, "mark_number",
                                        _("本单位未获地理标志 %(n)s 的用标授权") % {"n": number}))
        else:
            problems.append(Problem(row.index, "mark_number", _("未查到标志编号 %(n)s") % {"n": number}))


@dataclass
class Checked:
    entity: object
    rows: list
    problems: list
    replays: dict  # index → (certificate_id, issued_at) of the certificate first made with the key
    conflicts: list  # keys reused with another body

    @functools.cached_property
    def rows_by_index(self) -> dict:
        return {row.index: row.values for row in self.rows}


def check_items(actor, items, *, now=None) -> Checked:
    """Validate a batch without writing: every problem of every row, replays and key conflicts."""
    entity = issuer_of(actor)
    if not isinstance(items, list) or not items:
        raise ValidationFailed(_("请至少提交一条合格证"), fields={"items": _("请至少提交一条合格证")})
    if len(items) > MAX_BATCH:
        raise ValidationFailed(_("一次最多开具 %(n)d 张合格证") % {"n": MAX_BATCH},
                               fields={"items": _("一次最多开具 %(n)d 张") % {"n": MAX_BATCH}})
    now = now or clock.now()
    defaults = defaults_for(entity)
    problems: list[Problem] = []
    rows = [row for index, raw in enumerate(items) if (row := _clean_row(raw, index, defaults, now, problems))]
    _check_marks(entity, rows, problems)
    replays, conflicts, first_in_batch = {}, [], {}
    keyed = [row for row in rows if row.key]
    stored = {}
    for start in range(0, len(keyed), CHUNK):
        chunk = [row.key for row in keyed[start:start + CHUNK]]
        for key, body_hash, cid, at in IssueKey.objects.filter(issuer=entity, key__in=chunk).values_list(
                "key", "body_hash", "certificate_id", "certificate_issued_at"):
            stored[key] = (body_hash, cid, at)
    for row in keyed:
        if row.key in stored:
            body_hash, cid, at = stored[row.key]
            if body_hash == row.body_hash:
                replays[row.index] = (cid, at)
            elif row.key not in conflicts:
                conflicts.append(row.key)
        elif row.key in first_in_batch:
            if first_in_batch[row.key].body_hash != row.body_hash and row.key not in conflicts:
                conflicts.append(row.key)
        else:
            first_in_batch[row.key] = row
    return Checked(entity, rows, problems, replays, conflicts)


def problem_fields(problems: list[Problem], *, single: bool) -> dict:
    """API field errors: `quantity` for a single object, `3.quantity` (0-based row) in a list."""
    fields: dict[str, list] = {}
    for problem in problems:
        name = problem.field if single else f"{problem.index}.{problem.field}".rstrip(".")
        fields.setdefault(name or "items", []).append(problem.reason)
    return fields


def _codes(region_code: str, moments: list[datetime.datetime]) -> list[str]:
    """A code per moment: serials reserved per month from the county's locked counter (one upsert
    a month), shown permuted (sanpin.compliance.serials), then one query a month for codes made
    another way that coincide (made before the counter or under another key); such rows draw again."""
    month_by_moment = {moment: serials.month_of(moment) for moment in set(moments)}
    pending: dict[str, list[int]] = {}
    for index, moment in enumerate(moments):
        pending.setdefault(month_by_moment[moment], []).append(index)
    permute = serials.permuter()
    result = [""] * len(moments)
    while pending:
        for month in sorted(pending):  # a fixed order: two batches spanning the same months never deadlock
            indexes = pending[month]
            first = serials.reserve(region_code, month, len(indexes))
            made = codes.codes_for(region_code, month, [permute(first + i) for i in range(len(indexes))])
            for index, code in zip(indexes, made, strict=True):
                result[index] = code
        clash = bulk.taken({month: [result[i] for i in indexes] for month, indexes in pending.items()},
                           codes.month_range)
        pending = {month: left for month, indexes in pending.items()
                   if (left := [i for i in indexes if result[i] in clash])}
    return result


def _fetch(pairs) -> dict:
    """Certificates by id, for (id, issued_at) pairs (issued_at bounds the partitions read)."""
    found = {}
    pairs = list(pairs)
    for offset in range(0, len(pairs), CHUNK):
        chunk = pairs[offset:offset + CHUNK]
        ids = [cid for cid, _ in chunk]
        moments = [at for _, at in chunk]
        for certificate in ComplianceCertificate.objects.filter(
                id__in=ids, issued_at__gte=min(moments), issued_at__lte=max(moments)):
            found[certificate.pk] = certificate
    return found


def _fetch_codes(pairs) -> dict:
    """Codes by id, for (id, issued_at) pairs: what a batch answer needs of an earlier certificate."""
    found = {}
    pairs = list(pairs)
    for offset in range(0, len(pairs), CHUNK):
        chunk = pairs[offset:offset + CHUNK]
        moments = [at for _, at in chunk]
        found.update(ComplianceCertificate.objects.filter(
            id__in=[cid for cid, _ in chunk], issued_at__gte=min(moments), issued_at__lte=max(moments),
        ).values_list("id", "code"))
    return found


def compliance_issue(*, actor, items: list, via: str = "api") -> IssueResult:
    """Issue a batch of 合格证 for the actor's entity (one certificate per item, in order).

    Raises ValidationFailed naming every bad row and field (nothing written), Conflict for an
    idempotency key reused with another body. Side effects: certificates, idempotency keys, one
    audit event for the batch. A concurrent request with the same key is retried once, and then
    answers the certificate that request made."""
    for attempt in (1, 2):
        try:
            return _issue(actor, items, via)
        except IntegrityError:
            if attempt == 2:
                raise Conflict(_("同一幂等键的请求正在处理，请稍后重试"), code="idempotency_in_progress") from None
    raise AssertionError("unreachable")


def _refuse(checked: Checked, *, single: bool) -> None:
    if checked.problems:
        rows = sorted({p.index for p in checked.problems})
        shown = "、".join(str(i + 1) for i in rows[:20]) + ("…" if len(rows) > 20 else "")
        message = (_("输入有误，请检查标注的字段") if single
                   else _("第 %(rows)s 条有误，未开具任何合格证") % {"rows": shown})
        raise ValidationFailed(message, fields=problem_fields(checked.problems, single=single))
    if checked.conflicts:
        keys = "、".join(checked.conflicts[:10])
        raise Conflict(_("幂等键 %(keys)s 已用于内容不同的合格证") % {"keys": keys}, code="idempotency_key_reused",
                       fields={"idempotency_key": [_("幂等键 %(k)s 已用于内容不同的合格证") % {"k": k}
                                                   for k in checked.conflicts[:10]]})


@transaction.atomic
def _issue(actor, items, via) -> IssueResult:
    single = isinstance(items, dict)
    batch = [items] if single else items
    now = clock.now()
    checked = check_items(actor, batch, now=now)
    _refuse(checked, single=single)
    entity = checked.entity
    new_rows, same_key = [], {}
    seen_keys: dict[str, Row] = {}
    for row in checked.rows:
        if row.index in checked.replays:
            continue
        if row.key and row.key in seen_keys:
            same_key[row.index] = seen_keys[row.key].index  # a repeat inside the batch: one certificate
            continue
        if row.key:
            seen_keys[row.key] = row
        new_rows.append(row)
    moments = [row.values["issued_at"] or now for row in new_rows]
    # Reserved last, just before the insert: the counter's row lock is held until commit.
    new_codes = _codes(entity.region_id, moments)
    region, issuer_id, actor_id, valid = entity.region_id, entity.pk, actor.pk, Status.VALID.value
    ids = bulk.insert_certificates([
        (code, moment, region, issuer_id, v["product_name"], v["category"], v["quantity"], v["unit"], v["origin"],
         v["contact_phone"], v["basis"], v["test_report_no"], v["mark_number"], v["trace_code"], False, valid, 0, "",
         actor_id)
        for row, moment, code in zip(new_rows, moments, new_codes, strict=True) if (v := row.values)])
    made = {row.index: Issued(pk, code, moment)
            for row, pk, code, moment in zip(new_rows, ids, new_codes, moments, strict=True)}
    bulk.insert_keys([(issuer_id, row.key, row.body_hash, made[row.index].id, made[row.index].issued_at, now)
                      for row in new_rows if row.key])
    earlier = _fetch_codes(checked.replays.values())
    result = IssueResult(entity=entity, actor=actor)
    for row in checked.rows:
        if row.index in made:
            issued, created, values = made[row.index], True, row.values
        elif row.index in same_key:
            issued, created, values = made[same_key[row.index]], False, checked.rows_by_index[same_key[row.index]]
        else:
            cid, at = checked.replays[row.index]
            issued, created, values = Issued(cid, earlier[cid], at), False, None
        result.issued.append(issued)
        result.created.append(created)
        result.keys.append(row.key)
        result.values.append(values)
    if made:
        audit.record(actor=actor, verb="compliance.issue", target=entity, new={
            "count": len(made), "first": new_codes[0], "last": new_codes[-1], "via": via,
            "replayed": len(checked.rows) - len(made),
        })
    return result


def compliance_issue_one(*, actor, via: str = "ui", **values) -> ComplianceCertificate:
    """One certificate (the phone page): field errors named as in the form."""
    return compliance_issue(actor=actor, items=values, via=via).certificates[0]


# Uploads ---------------------------------------------------------------------------------------

@dataclass
class UploadResult:
    """Rows read, their problems (row number as in the sheet, column header, reason) and, after a
    real run without problems, what was issued."""

    rows: int = 0
    problems: list = field(default_factory=list)
    result: IssueResult | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


_HEADER_FIELDS = {**{label: name for name, label in LABELS.items()}, **{name: name for name in LABELS}}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _header(value) -> str:
    return _text(value).replace(" ", "").replace("(", "（").replace(")", "）").lstrip("\ufeff")


def read_upload(data: bytes, file_name: str) -> list[tuple[int, dict | None, str]]:
    """(sheet row number, {field: text} or None, problem) per non-empty data row of an xlsx or CSV
    file. A file that cannot be read, or whose headers are unknown or incomplete, is refused as a
    whole with one message."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("文件不能超过 20 MB"), fields={"file": _("文件不能超过 20 MB")})
    if file_name.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationFailed(_("无法识别 CSV 文件的编码，请使用 UTF-8"), fields={"file": _("编码无法识别")})
        table = list(csv.reader(io.StringIO(text)))
    else:
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            table = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except (CalamineError, ValueError, OSError, TypeError, IndexError) as exc:
            raise ValidationFailed(_("无法读取该文件，请上传 .xlsx 或 .csv 文件"),
                                   fields={"file": _("文件不是有效的 Excel 或 CSV 文件")}) from exc
    if not table:
        raise ValidationFailed(_("文件为空"), fields={"file": _("文件为空")})
    headers = [_header(h) for h in table[0]]
    while headers and not headers[-1]:
        headers.pop()
    unknown = [h for h in headers if h and h not in _HEADER_FIELDS]
    if unknown:
        raise ValidationFailed(_("无法识别的列：%(cols)s（请使用下载的模板）") % {"cols": "、".join(unknown[:5])},
                               fields={"file": _("无法识别的列：%(cols)s") % {"cols": "、".join(unknown[:5])}})
    names = [_HEADER_FIELDS.get(h) for h in headers]
    missing = [LABELS[name] for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        raise ValidationFailed(_("缺少列：%(cols)s") % {"cols": "、".join(missing)},
                               fields={"file": _("缺少列：%(cols)s") % {"cols": "、".join(missing)}})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(_text(c) for c in cells):
            continue
        extra = [c for c in cells[len(names):] if _text(c)]
        if extra:
            rows.append((number, None, _("该行的列数多于表头")))
            continue
        values = {}
        for name, cell in zip(names, cells, strict=False):
            if name:
                values[name] = cell.isoformat(sep=" ") if isinstance(cell, datetime.datetime) else _text(cell)
        rows.append((number, values, ""))
    if len(rows) > MAX_BATCH:
        raise ValidationFailed(_("一次最多上传 %(n)d 行") % {"n": MAX_BATCH}, fields={"file": _("行数过多")})
    return rows


def compliance_issue_upload(*, actor, data: bytes, file_name: str, dry_run: bool) -> UploadResult:
    """Validate an uploaded sheet (dry run) or issue it all or nothing. Every bad row is listed
    as {"row", "column", "reason"}; a key reused with another body is a bad row too."""
    issuer_of(actor)
    rows = read_upload(data, file_name)
    outcome = UploadResult(rows=len(rows))
    if not rows:
        outcome.problems.append({"row": 1, "column": "", "reason": _("文件中没有数据行")})
        return outcome
    items, numbers = [], []
    for number, values, problem in rows:
        if values is None:
            outcome.problems.append({"row": number, "column": "", "reason": problem})
        else:
            items.append(values)
            numbers.append(number)
    if items:
        checked = check_items(actor, items)
        for p in checked.problems:
            outcome.problems.append({"row": numbers[p.index], "column": LABELS.get(p.field, p.field),
                                     "reason": p.reason})
        for row in checked.rows:
            if row.key in checked.conflicts:
                outcome.problems.append({"row": numbers[row.index], "column": LABELS["idempotency_key"],
                                         "reason": _("幂等键 %(k)s 已用于内容不同的合格证") % {"k": row.key}})
    outcome.problems.sort(key=lambda p: p["row"])
    if outcome.problems or dry_run:
        return outcome
    outcome.result = compliance_issue(actor=actor, items=items, via="upload")
    return outcome


def template_csv() -> bytes:
    """The upload template: headers and one example row, UTF-8 with BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([LABELS[name] for name in (*FIELDS, "idempotency_key")])
    writer.writerow(["西红柿", "蔬菜", "500", "公斤", "", "", "质量安全控制符合要求", "", "", "", "", "batch-0001"])
    return ("\ufeff" + out.getvalue()).encode()
