"""bench/RESULTS.json and bench/RESULTS.md: every benchmark appends its figures here.

Each figure is one record (figure, ours, floor, ratio, goal, met, unit, machine, date); the JSON file
keeps every run, newest last, and RESULTS.md shows the latest record of each figure. A helper, not a
benchmark: it lives in bench/lib/ so that `make bench` (bench/*.py) does not run it.
"""

import datetime
import json
import os
import platform
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
JSON_PATH = BENCH / "RESULTS.json"
MD_PATH = BENCH / "RESULTS.md"


def _ram_gib() -> float:
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return 0.0


def database_version() -> str:
    """The engine and version of Django's default connection ("PostgreSQL 15.20", "SQLite 3.40.1")."""
    from django.db import connection

    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{rest}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def machine(database: str = "") -> dict:
    return {"cores": os.cpu_count(), "ram_gib": _ram_gib(), "database": database or database_version(),
            "python": platform.python_version(), "shared": True}


def record(figure: str, *, ours: float, floor: float | None, goal: str, met: bool | None, unit: str = "",
           ratio: float | None = None, bench: str = "", note: str = "", database: str = "") -> dict:
    """Append one figure to RESULTS.json and re-render RESULTS.md. `ratio` defaults to ours ÷ floor;
    `goal` is the goal as text ("≥ 0.8", "≤ 2×", "≤ 300 ms"), `met` whether this run meets it."""
    if ratio is None and floor:
        ratio = ours / floor
    entry = {"figure": figure, "ours": ours, "floor": floor, "ratio": ratio, "goal": goal, "met": met,
             "unit": unit, "bench": bench, "note": note, "machine": machine(database),
             "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    entries = load()
    entries.append(entry)
    JSON_PATH.write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    render(entries)
    return entry


def load() -> list[dict]:
    try:
        return json.loads(JSON_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def _number(value, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def render(entries: list[dict] | None = None) -> str:
    """RESULTS.md: the latest record of each figure, in the order figures first appeared."""
    entries = load() if entries is None else entries
    latest: dict[str, dict] = {}
    for entry in entries:
        latest.pop(entry["figure"], None)
        latest[entry["figure"]] = entry
    lines = [
        "# Benchmark results",
        "",
        "Written by the scripts in bench/ (bench/lib/results.py) from bench/RESULTS.json, which keeps every run;",
        "this table shows the latest run of each figure. The floor is measured in the same run on the same data",
        "(see bench/README.md). The project machine is shared with other work: expect noise of ±20%.",
        "",
        "| figure | ours | floor | ratio | goal | met | machine | date | bench |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in sorted(latest.values(), key=lambda e: e.get("bench", "")):
        m = entry["machine"]
        met = {True: "yes", False: "**no**", None: "—"}[entry["met"]]
        ratio = "—" if entry["ratio"] is None else f"{entry['ratio']:.2f}"
        box = f"{m['cores']} cores, {m['ram_gib']:g} GiB, {m['database']}"
        lines.append(f"| {entry['figure']} | {_number(entry['ours'], entry['unit'])} | "
                     f"{_number(entry['floor'], entry['unit'])} | {ratio} | {entry['goal']} | {met} | {box} | "
                     f"{entry['date'][:10]} | {entry.get('bench', '')} |")
    notes = [e for e in latest.values() if e.get("note")]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- {e['figure']}: {e['note']}" for e in notes]
    text = "\n".join(lines) + "\n"
    MD_PATH.write_text(text, encoding="utf-8")
    return text
