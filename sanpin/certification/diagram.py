"""A Mermaid state diagram of a scheme, drawn from its configuration (docs/workflow.md embeds
it, and a test keeps the two the same)."""

from .choices import STATE_LABELS, TERMINAL
from .schemes.base import RESUME, RETURN, STAY
from .schemes.shared import CREDIT_INSPECTION


def mermaid(config) -> str:
    names = {code: str(spec.name) for code, spec in config.steps.items()}
    names.update({code: str(label) for code, label in STATE_LABELS.items() if code in TERMINAL})
    lines = ["stateDiagram-v2"]
    for code, name in names.items():
        limit = config.steps[code].time_limit_wd if code in config.steps else None
        suffix = f"（{limit} 个工作日）" if limit else ""
        lines.append(f"    {code}: {name}{suffix}")
    for kind, first in config.first_step.items():
        lines.append(f"    [*] --> {first}: 提交（{kind}）")
    if CREDIT_INSPECTION in config.steps:
        lines.append(f"    [*] --> {CREDIT_INSPECTION}: 提交（信用等级须先现场核查）")
    for state, action, target in config.transitions():
        if target == STAY:
            continue
        label = next(a.label for a in config.steps[state].actions if a.code == action)
        if target in (RESUME, RETURN):
            note = "按剩余工作日继续计时" if target == RESUME else "重新计时"
            for origin in sorted(_origins(config, state)):
                lines.append(f"    {state} --> {origin}: {label}（回到原环节，{note}）")
        else:
            lines.append(f"    {state} --> {target}: {label}")
    for terminal in sorted(TERMINAL):
        if terminal in names:
            lines.append(f"    {terminal} --> [*]")
    return "\n".join(lines) + "\n"


def _origins(config, state, seen=None) -> set[str]:
    """The review steps an application can come back to from a shared state: those that lead
    into it, looking through other shared states (rectification → suspension → back)."""
    seen = (seen or set()) | {state}
    sources = {s for s, _a, t in config.transitions() if t == state and s != state}
    found = set()
    for source in sources - seen:
        if source in STATE_LABELS:
            found |= _origins(config, source, seen)
        else:
            found.add(source)
    return found
