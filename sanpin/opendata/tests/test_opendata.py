"""Open data: the registry export holds valid, expired and revoked certificates of every scheme and
GAP records with the status on the day; files are replaced atomically; only generated files are
served."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanpin.accounts.models import system_user
from sanpin.certificates.services import certificate_set_status
from sanpin.certificates.tests.factories import issue
from sanpin.gap.tests.factories import record_gap
from sanpin.opendata import export

pytestmark = pytest.mark.django_db


@pytest.fixture
def out(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.OPEN_DATA_DIR


@pytest.fixture
def registry(users, gx_entity, sh_entity):
    valid = issue(gx_entity, product_name="生物有机肥")
    expired = issue(gx_entity, product_name="复合微生物肥料", approved_on=datetime.date(2019, 5, 1))
    revoked = issue(sh_entity, product_name="有机水溶肥")
    certificate_set_status(actor=system_user(), certificate=revoked, status="revoked", reason="抽检不合格")
    gap = record_gap(users["gx_province"], gx_entity, number="GAP-GX-1")
    return {"valid": valid, "expired": expired, "revoked": revoked, "gap": gap}


def _csv_rows(path):
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_export_holds_every_status_with_the_status_on_the_day(out, registry):
    manifest = export.export_open_data()
    rows = {r["证书编号"]: r for r in _csv_rows(out / "registry.csv")}
    assert rows[registry["valid"].number]["状态代码"] == "valid"
    assert rows[registry["expired"].number]["状态代码"] == "expired"
    assert rows[registry["revoked"].number]["状态代码"] == "revoked"
    assert rows["GAP-GX-1"]["记录类型"] == "gap" and rows["GAP-GX-1"]["认证机构"] == "中国质量认证中心"
    data = json.loads((out / "registry.json").read_text(encoding="utf-8"))
    assert len(data["records"]) == manifest["records"] == 4
    assert data["fields"] == [key for key, _label in export.FIELDS]


def test_a_failed_export_leaves_the_previous_files_whole(out, registry, monkeypatch):
    export.export_open_data()
    before = (out / "registry.json").read_bytes()

    def dump_half(obj, file, **kwargs):
        file.write('{"generated_at": ')
        raise OSError("disk full")

    monkeypatch.setattr(export.json, "dump", dump_half)
    with pytest.raises(OSError):
        export.export_open_data()
    assert (out / "registry.json").read_bytes() == before
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_a_failed_write_removes_its_temporary_file(out, registry):
    out.mkdir(parents=True)

    def fail(file):
        file.write("half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        export._write_atomically(out / "registry.csv", fail)
    assert list(out.iterdir()) == []


def test_command_writes_the_files(out, registry):
    call_command("export_open_data", stdout=io.StringIO())
    assert (out / "registry.csv").is_file() and (out / "registry.json").is_file()


def test_index_lists_files_with_sizes_and_fields_without_sign_in(client, out, registry):
    export.export_open_data()
    page = client.get(reverse("opendata:index"))
    body = page.content.decode()
    assert page.status_code == 200 and "registry.csv" in body and "holder_uscc" in body and "生成时间" in body


def test_download_serves_generated_files(client, out, registry):
    export.export_open_data()
    response = client.get(reverse("opendata:file", args=["registry.json"]))
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content))["records"]


@pytest.mark.parametrize("name", ["manifest.json", "..%2Fsanpin.sqlite3", "%2E%2E%2Fsettings.py",
                                  "registry.csv%00", ".registry.csv.tmp"])
def test_only_generated_files_are_served(client, out, registry, name):
    export.export_open_data()
    assert client.get(f"/open-data/{name}").status_code == 404


def test_download_before_generation_is_not_found(client, out):
    assert client.get(reverse("opendata:file", args=["registry.csv"])).status_code == 404
