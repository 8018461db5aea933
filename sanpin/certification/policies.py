"""Policies other apps lend the review engine without the engine knowing them.

An *applicant standing* provider tells the engine how an entity stands on a day: its credit grade
and what that grade means for an application ("申报+信用", SPEC §7): a mandatory credit site
inspection before the scheme's first step, a period in which no new initial application may be
made, a renewal site inspection that may be waived. The credit app registers its provider when it
starts (sanpin.credit.apps); this app never imports credit, so the dependency runs one way
(credit → certification). With no provider registered the engine works exactly as without credit.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date


@dataclass(frozen=True)
class ApplicantStanding:
    """How an applicant stands on `on`, and why.

    `site_inspection_required`: its grade calls for a credit site inspection (信用核查现场检查)
    before the first step of an initial or renewal review. `blocked_until`: the last day on which
    it may not create a new initial application (None: not blocked), with `blocked_reason` the
    message shown to it. `renewal_inspection_waivable`: a renewal's site inspection may be waived
    where the scheme allows it. `explanation`: one line that says why (grade, score, rule version)."""

    grade: str
    score: float
    rulebook_version: int
    on: date
    site_inspection_required: bool = False
    blocked_until: date | None = None
    blocked_reason: str = ""
    renewal_inspection_waivable: bool = False
    explanation: str = ""

    def blocks(self, day: date) -> bool:
        return self.blocked_until is not None and day <= self.blocked_until

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items()}


StandingProvider = Callable[..., ApplicantStanding | None]
_providers: dict[str, StandingProvider] = {}


def register_standing_provider(name: str, provider: StandingProvider) -> None:
    """`provider(entity, on)` returns an ApplicantStanding or None (nothing to say). Registering
    the same name again replaces the provider (app reloads, tests)."""
    _providers[name] = provider


def unregister_standing_provider(name: str) -> StandingProvider | None:
    return _providers.pop(name, None)


def applicant_standing(entity, on: date) -> ApplicantStanding | None:
    """The first standing a registered provider gives for `entity` on `on`; None when no provider
    is registered or none has anything to say."""
    for provider in list(_providers.values()):
        standing = provider(entity, on)
        if standing is not None:
            return standing
    return None
