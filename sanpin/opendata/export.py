"""The open-data registry: every current certificate term of every scheme and every recorded GAP
certificate, with the status on the day of export, as CSV (UTF-8 with BOM, so Excel opens it) and
JSON. Field list and choices: docs/open-data.md.

Files are written to a temporary file in the same directory and renamed into place, so a reader
never sees a half-written file. The manifest is written last and names the generation time.
"""

import csv
import datetime
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from sanpin.certificates.models import Certificate
from sanpin.core import clock
from sanpin.gap.models import GAPCertificate
from sanpin.portal.search import public_uscc

CSV_NAME = "registry.csv"
JSON_NAME = "registry.json"
MANIFEST_NAME = "manifest.json"
# The only names /open-data/<name> serves.
FILES = (CSV_NAME, JSON_NAME)

FIELDS = [
    ("record_type", "记录类型"),
    ("scheme", "认证类型代码"),
    ("scheme_label", "认证类型"),
    ("number", "证书编号"),
    ("product_name", "产品名称"),
    ("trademark", "商标"),
    ("holder_name", "获证主体"),
    ("holder_uscc", "统一社会信用代码"),
    ("region_code", "所在地区划代码"),
    ("region_name", "所在地"),
    ("certifier", "认证机构"),
    ("valid_from", "有效期起"),
    ("valid_until", "有效期至"),
    ("status", "状态代码"),
    ("status_label", "状态"),
]
GAP_SCHEME = "gap"
GAP_SCHEME_LABEL = "良好农业规范"


def directory() -> Path:
    return Path(getattr(settings, "OPEN_DATA_DIR", settings.VAR_DIR / "open-data"))


def _region(entity) -> tuple[str, str]:
    region = entity.region
    return (region.code, region.full_name or region.name) if region else ("", "")


def rows(today: datetime.date):
    """Every row of the registry as dicts keyed by FIELDS, certificates first, in a stable order."""
    certificates = (Certificate.objects.filter(renewed=False).select_related("holder", "holder__region")
                    .order_by("scheme", "number"))
    for c in certificates.iterator(chunk_size=2000):
        code, name = _region(c.holder)
        yield {
            "record_type": "certificate", "scheme": c.scheme, "scheme_label": str(c.get_scheme_display()),
            "number": c.number, "product_name": c.product_name, "trademark": c.trademark,
            "holder_name": c.holder.name, "holder_uscc": public_uscc(c.holder.uscc), "region_code": code,
            "region_name": name, "certifier": "", "valid_from": c.valid_from.isoformat(),
            "valid_until": c.valid_until.isoformat(), "status": c.effective_status(today),
            "status_label": c.effective_status_label(today),
        }
    gaps = GAPCertificate.objects.select_related("holder", "holder__region").order_by("certifier", "number")
    for g in gaps.iterator(chunk_size=2000):
        code, name = _region(g.holder)
        yield {
            "record_type": "gap", "scheme": GAP_SCHEME, "scheme_label": GAP_SCHEME_LABEL, "number": g.number,
            "product_name": g.products, "trademark": "", "holder_name": g.holder.name,
            "holder_uscc": public_uscc(g.holder.uscc), "region_code": code, "region_name": name,
            "certifier": g.certifier, "valid_from": g.valid_from.isoformat(),
            "valid_until": g.valid_until.isoformat(), "status": g.effective_status(today),
            "status_label": g.effective_status_label(today),
        }


def _write_atomically(target: Path, write) -> None:
    """Write through `write(file)` into a temporary file beside `target`, then rename it over
    `target` (atomic on one filesystem); the temporary file is removed on any failure."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            write(file)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export_open_data(*, target_dir: Path | None = None, today: datetime.date | None = None) -> dict:
    """Regenerate the registry files and the manifest; returns the manifest."""
    target_dir = Path(target_dir or directory())
    target_dir.mkdir(parents=True, exist_ok=True)
    today = today or clock.today()
    records = list(rows(today))
    keys = [key for key, _label in FIELDS]

    def write_csv(file):
        file.write("\ufeff")
        writer = csv.writer(file)
        writer.writerow([label for _key, label in FIELDS])
        writer.writerows([r[k] for k in keys] for r in records)

    generated_at = timezone.now().isoformat(timespec="seconds")

    def write_json(file):
        json.dump({"generated_at": generated_at, "as_of": today.isoformat(), "fields": keys, "records": records},
                  file, ensure_ascii=False)

    _write_atomically(target_dir / CSV_NAME, write_csv)
    _write_atomically(target_dir / JSON_NAME, write_json)
    manifest = {"generated_at": generated_at, "as_of": today.isoformat(), "records": len(records),
                "files": {name: (target_dir / name).stat().st_size for name in FILES}}
    _write_atomically(target_dir / MANIFEST_NAME, lambda file: json.dump(manifest, file, ensure_ascii=False))
    return manifest


def read_manifest(target_dir: Path | None = None) -> dict | None:
    try:
        return json.loads((Path(target_dir or directory()) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
