"""Reading the import workbook (python-calamine) and the archive files (zip upload or a server
folder), and writing the template and the refused-rows workbook (openpyxl)."""

import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from python_calamine import CalamineError, CalamineWorkbook

from sanpin.core.errors import ValidationFailed

ENTITY_SHEET = "主体"
CERTIFICATE_SHEET = "证书"
ENTITY_COLUMNS = {
    "名称": "name", "统一社会信用代码": "uscc", "主体类型": "kind", "县级区划代码": "region", "地址": "address",
    "法定代表人": "legal_representative", "联系人": "contact_name", "联系电话": "contact_phone",
}
CERTIFICATE_COLUMNS = {
    "认证类型": "scheme", "证书编号/产品编号": "number", "证书持有人统一社会信用代码": "holder",
    "产品名称": "product_name",
    "产品类别": "category", "商标": "trademark", "核准产量": "approved_output", "单位": "output_unit",
    "核准日期": "approved_on", "有效期起": "valid_from", "有效期至": "valid_until", "状态": "status",
    "档案文件名（多个以分号分隔）": "files",
}
HEADERS = {ENTITY_SHEET: ENTITY_COLUMNS, CERTIFICATE_SHEET: CERTIFICATE_COLUMNS}
LABELS = {sheet: {v: k for k, v in columns.items()} for sheet, columns in HEADERS.items()}
MAX_ROWS = 20000
MAX_FILE_BYTES = 50 * 1024 * 1024
ACCEPTED = (  # checked by content, not by the name in the sheet
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


@dataclass
class Row:
    sheet: str
    row_no: int
    cells: dict


@dataclass
class Problem:
    """One refused cell: (sheet, row, column, Chinese reason)."""

    sheet: str
    row_no: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row_no, "column": self.column, "reason": self.reason}


@dataclass
class ImportBook:
    entities: list[Row] = field(default_factory=list)
    certificates: list[Row] = field(default_factory=list)


def cell_text(value) -> str:
    """Cells as text: calamine gives floats for integers (450102.0 → "450102")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _header(value) -> str:
    return cell_text(value).replace(" ", "").replace("(", "（").replace(")", "）")


def parse_date(text: str) -> datetime.date | None:
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text.strip())
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def read_workbook(data: bytes) -> ImportBook:
    """Both sheets' non-empty rows; a file that is not a readable workbook with both sheets and
    their headers is refused as a whole with one message."""
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = book.sheet_names
    except (CalamineError, ValueError, OSError, TypeError) as exc:
        raise ValidationFailed(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件"),
                               fields={"workbook": _("文件不是有效的 Excel 文件")}) from exc
    result = ImportBook()
    for sheet, target in ((ENTITY_SHEET, result.entities), (CERTIFICATE_SHEET, result.certificates)):
        if sheet not in names:
            raise ValidationFailed(_("工作簿缺少“%(sheet)s”工作表，请使用下载的模板") % {"sheet": sheet},
                                   fields={"workbook": _("缺少“%(sheet)s”工作表") % {"sheet": sheet}})
        rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        headers = [_header(h) for h in rows[0]] if rows else []
        missing = [h for h in HEADERS[sheet] if h not in headers]
        if missing:
            raise ValidationFailed(
                _("“%(sheet)s”工作表缺少列：%(cols)s，请使用下载的模板") % {"sheet": sheet, "cols": "、".join(missing)},
                fields={"workbook": _("“%(sheet)s”工作表表头不完整") % {"sheet": sheet}})
        positions = {HEADERS[sheet][h]: headers.index(h) for h in HEADERS[sheet]}
        for row_no, raw in enumerate(rows[1:], start=2):
            cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
            if any(cells.values()):
                target.append(Row(sheet=sheet, row_no=row_no, cells=cells))
    if not result.entities and not result.certificates:
        raise ValidationFailed(_("工作簿中没有数据行"), fields={"workbook": _("两个工作表的表头以下都没有数据")})
    if len(result.entities) + len(result.certificates) > MAX_ROWS:
        raise ValidationFailed(_("一次最多导入 %(n)d 行") % {"n": MAX_ROWS},
                               fields={"workbook": _("文件行数过多")})
    return result


def sniff(head: bytes) -> str | None:
    for magic, content_type in ACCEPTED:
        if head.startswith(magic):
            return content_type
    return None


class FileSource:
    """Archive files by plain file name, from a zip upload or a server folder. `open(name)` gives
    a binary stream, so a type check reads only the first bytes."""

    def __init__(self, openers: dict):
        self._openers = openers

    def __contains__(self, name: str) -> bool:
        return name in self._openers

    def read(self, name: str) -> bytes:
        with self._openers[name]() as stream:
            return stream.read()

    def content_type(self, name: str) -> str | None:
        """The accepted type from the first bytes, or None."""
        with self._openers[name]() as stream:
            return sniff(stream.read(16))

    @classmethod
    def empty(cls) -> "FileSource":
        return cls({})

    @classmethod
    def from_zip(cls, data: bytes) -> "FileSource":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = [i for i in archive.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ValidationFailed(_("档案文件包不是有效的 zip 文件"),
                                   fields={"files": _("请上传 zip 格式的档案文件包")}) from exc
        # Files over the limit are left out, so a row naming one is refused as missing or too large.
        return cls({Path(i.filename.replace("\\", "/")).name: (lambda i=i: archive.open(i))
                    for i in infos if i.file_size <= MAX_FILE_BYTES})

    @classmethod
    def from_folder(cls, folder) -> "FileSource":
        root = Path(folder)
        if not root.is_dir():
            raise ValidationFailed(_("档案文件目录不存在：%(path)s") % {"path": folder},
                                   fields={"files": _("目录不存在")})
        return cls({p.name: (lambda p=p: p.open("rb")) for p in root.iterdir()
                    if p.is_file() and p.stat().st_size <= MAX_FILE_BYTES})


def template_xlsx() -> bytes:
    """An empty workbook with both sheets and their headers."""
    book = Workbook()
    book.remove(book.active)
    for sheet, columns in HEADERS.items():
        ws = book.create_sheet(sheet)
        ws.append(list(columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems_xlsx(problems) -> bytes:
    """The refused rows as a workbook: sheet, row, column, reason."""
    book = Workbook()
    ws = book.active
    ws.title = "未通过校验的行"
    ws.append([_("工作表"), _("行号"), _("列"), _("原因")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in problems:
        ws.append([p.sheet, p.row_no, p.column, p.reason])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
