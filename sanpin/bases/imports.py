"""Import of bases from the Excel template: every row checked, then all written or nothing.

Each row goes through validation.clean_cells (the checks of the form and the API) with lookups
loaded batch by batch for the whole file, plus what only a file can get wrong: a county outside
the importer's region, and the same base twice in the file. The rows are read from the workbook
one at a time and a passing row is kept only in the compact form its writer needs
(import_writers: COPY text on PostgreSQL, a tuple elsewhere). A dry run, or any refused cell,
writes nothing. A clean real run writes the bases, their first history rows and one audit event
in one transaction, in batches: no query per row.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanpin.accounts.choices import REVIEW_STAFF_ROLES
from sanpin.core import audit
from sanpin.core.errors import Conflict, PermissionDenied

from . import io
from .import_writers import writer_for
from .services import covers
from .validation import FIELDS, Lookups, clean_cells

CHECK_BATCH = 5000  # rows whose counties and operators are looked up together
REPORT_EVERY = 1000


@dataclass
class ImportProblem:
    """One refused cell: the row number as Excel shows it, the column header, the reason."""

    row: int
    column: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportResult:
    dry_run: bool
    total: int = 0  # data rows in the file
    imported: int = 0  # bases written (0 for a dry run or a refused file)
    problems: list[ImportProblem] = field(default_factory=list)
    sha256: str = ""
    refused_cells: dict = field(default_factory=dict)  # row number → original cells, for the refused-rows file

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def refused_rows(self) -> int:
        return len(self.refused_cells)

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "total": self.total, "imported": self.imported,
                "problems": [p.as_dict() for p in self.problems]}


def _noop(done: int, total: int, stage: str = "") -> None:
    return None


def _batches(rows: Iterator[io.Row], size: int) -> Iterator[list[io.Row]]:
    while batch := list(islice(rows, size)):
        yield batch


def _check(sheet: io.Sheet, actor, result: ImportResult, progress: Callable, keep) -> None:
    """Check every row; refused cells go to `result.problems`, passing rows to `keep.add` until
    the first refusal (after it nothing will be written, so nothing more is kept)."""
    county_at, operator_at, name_at = FIELDS.index("county"), FIELDS.index("operator"), FIELDS.index("name")
    lookups = Lookups.for_import()
    in_scope: dict[str, bool] = {}
    first_row: dict[tuple[str, str], int] = {}
    problems, refused = result.problems, result.refused_cells
    stage, done = _("正在校验"), 0
    for batch in _batches(sheet.rows(), CHECK_BATCH):
        lookups.extend({r.cells[county_at] for r in batch if r.cells[county_at]},
                       {r.cells[operator_at].upper() for r in batch if r.cells[operator_at]})
        for row in batch:
            cleaned, errors = clean_cells(row.cells, lookups)
            if row.cell_errors:
                errors.update(row.cell_errors)
            county = cleaned[county_at]
            if county is not None and "county" not in errors:
                if county.code not in in_scope:
                    in_scope[county.code] = covers(actor, county.code)
                if not in_scope[county.code]:
                    errors["county"] = _("%(county)s不在本账号管辖范围内") % {
                        "county": county.full_name or county.name}
            name = cleaned[name_at]
            if county is not None and name and "name" not in errors:
                key = (county.code, name)
                if key in first_row:
                    errors["name"] = _("与第 %(row)d 行重复：同一县内已有名为“%(name)s”的基地") % {
                        "row": first_row[key], "name": name}
                else:
                    first_row[key] = row.row_no
            if errors:
                for field_name in FIELDS:  # in the order of the columns
                    if field_name in errors:
                        problems.append(ImportProblem(row.row_no, io.LABELS[field_name], str(errors[field_name])))
                refused[row.row_no] = row.cells
            elif keep is not None and not problems:
                keep.add(cleaned)
            done += 1
            if done % REPORT_EVERY == 0:
                progress(done, max(done, sheet.expected), stage)
    result.total = done
    progress(done, done, stage)


def _write(rows, actor, result: ImportResult, job_id, progress: Callable) -> None:
    """Bases, their first history rows and one audit event, in one transaction."""
    total = len(rows)
    try:
        with transaction.atomic():
            rows.write(progress, _("正在写入"))
            audit.record(actor=actor, verb="base.import", reason=rows.reason,
                         new={"count": total, "sha256": result.sha256, "job": job_id})
    except IntegrityError as exc:
        # Someone entered a base of the same county and name after the check: nothing was written.
        raise Conflict(_("导入期间系统中新增了同名基地，未导入任何数据，请重新校验后再导入")) from exc
    result.imported = total


def bases_import(*, actor, data: bytes, dry_run: bool, progress: Callable | None = None,
                 job_id: int | None = None) -> ImportResult:
    """Check every row of the workbook `data`, then import all of it or nothing.

    Agency staff only (PermissionDenied otherwise), each row within their region. Raises
    ValidationFailed with one message when the file itself cannot be used (too large,
    unreadable, not the template, empty). Side effects of a clean real run: the bases (status
    按标建设), one history row each, one audit event `base.import` with the count, the file's
    SHA-256 and the job id.
    """
    if not (getattr(actor, "roles", frozenset()) & REVIEW_STAFF_ROLES):
        raise PermissionDenied(_("只有工作机构人员可以导入基地信息"))
    progress = progress or _noop
    result = ImportResult(dry_run=dry_run, sha256=hashlib.sha256(data).hexdigest())
    sheet = io.open_sheet(data)
    progress(0, sheet.expected, _("正在校验"))
    rows = None if dry_run else writer_for(actor=actor, reason=_("导入基地信息"))
    _check(sheet, actor, result, progress, rows)
    if result.problems or dry_run:
        return result
    _write(rows, actor, result, job_id, progress)
    return result
