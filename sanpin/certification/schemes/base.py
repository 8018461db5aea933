"""How a scheme is described to the engine: its steps, their time limits and the actions that
move an application from one state to the next. A scheme module builds one `SchemeConfig`; the
engine (sanpin.certification.engine) knows no scheme by name."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sanpin.core.dates import add_months

# Special targets: go back to the step that sent the application here, with a fresh time limit
# (after rectification or a lifted suspension), or with the working days it had left (after a
# supplement or a special test, whose time does not count against the step).
RETURN = "@return"
RESUME = "@resume"
STAY = "@stay"  # an action that records something (an assignment, a report) without moving on


@dataclass(frozen=True)
class Action:
    """One way out of a state. `roles`: who may take it (scope is checked as well).

    `requires`: extra inputs the action needs, from: "opinion", "reason", "days" (a time limit in
    working days for the state it opens), "inspector", "lab_tests", "experts", "favourable".
    `effect`: a name the engine dispatches to for side effects (issue a licence, send a notice…).
    """

    code: str
    label: str
    target: str
    roles: frozenset
    requires: tuple[str, ...] = ()
    effect: str = ""
    assigned_only: bool = False  # only the inspector/lab/expert assigned to the step may take it
    levels: frozenset = frozenset()  # agency levels allowed (county, city…); empty: any level of the roles
    routes: tuple[str, ...] = ()  # other steps the effect may send the application to instead of `target`


@dataclass(frozen=True)
class StepSpec:
    code: str
    name: str
    level: str
    time_limit_wd: int | None
    actions: tuple[Action, ...]
    assignee: str = ""  # "inspector", "lab", "expert_panel": who must be assigned before acting
    source: str = ""  # the clause that sets the step and its limit

    def action(self, code: str) -> Action | None:
        return next((a for a in self.actions if a.code == code), None)


@dataclass(frozen=True)
class DataField:
    """A scheme's own item on the application form, kept in Application.data[code].
    `kind`: "bool" (a declaration), "date" or "text"; `kinds`: the application kinds that ask it."""

    code: str
    label: str
    kind: str = "bool"
    help: str = ""
    kinds: tuple[str, ...] = ("initial", "renewal")


@dataclass(frozen=True)
class SchemeConfig:
    code: str
    name: str
    steps: dict[str, StepSpec]
    first_step: dict[str, str]  # application kind → the step a submitted application starts at
    validity_years: int
    renewal_min_days_before_expiry: int
    renewal_min_months_before_expiry: int | None = None  # when the rule counts months, not days

    def renewal_latest_day(self, valid_until: date) -> date:
        """The last day a renewal may be applied for: `valid_until` less the scheme's window in
        calendar months (the same day of the month, or its last day) or in days."""
        months = self.renewal_min_months_before_expiry
        if not months:
            return valid_until - timedelta(days=self.renewal_min_days_before_expiry)
        return add_months(valid_until, -months)
    categories: tuple[tuple[str, str], ...] = ()
    fee_items: tuple[str, ...] = ()  # assessed per product when an initial or renewal application is submitted
    applicant_conditions: tuple[tuple[str, str], ...] = ()
    product_conditions: tuple[tuple[str, str], ...] = ()
    application_prefix: str = "SQ"  # application numbers: prefix + year + 6-digit serial
    # kind → attachment kinds required at submission; None: the engine's defaults (effects.REQUIRED_MATERIALS)
    required_materials: dict | None = None
    data_fields: tuple[DataField, ...] = ()
    warnings: tuple[str, ...] = ()  # checks of sanpin.certification.warnings shown while drafting
    renewal_new_number: bool = False  # a renewal gets a new certificate number (keeps the predecessor link)
    extra: dict = field(default_factory=dict)

    def step(self, code: str) -> StepSpec:
        return self.steps[code]

    def transitions(self):
        """Every (state, action, target) the scheme allows: the table a test walks."""
        for step in self.steps.values():
            for action in step.actions:
                yield step.code, action.code, action.target
                for route in action.routes:
                    yield step.code, action.code, route
