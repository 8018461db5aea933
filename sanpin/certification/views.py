"""Pages of the review workflow: my tasks, the application list, the application wizard and
the application page with its actions and materials.

Thin, like the API beside them: parse → access (restrict / access_by_id) → the same engine
functions, services and selectors → render. Errors escaping a view become 403/404/409 in
sanpin.core.middleware; errors a user can correct are shown on the form they came from.
"""


from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from sanpin.accounts.choices import REVIEW_STAFF_ROLES, Role
from sanpin.core import clock, keyset
from sanpin.core.access import access_by_id
from sanpin.core.errors import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from sanpin.core.views.forms import run_service
from sanpin.core.views.mixins import RoleRequiredMixin

from . import declared_inputs, engine, services
from .api.representation import warnings_for
from .choices import DRAFT, ApplicationKind
from .forms import (
    ActionForm,
    ApplicationCreateForm,
    ApplicationFilterForm,
    AttachmentForm,
    DeclaredInputForm,
    ProductFormSet,
    add_create_errors,
    add_service_errors,
)
from .models import APPLICATION_ACTIONS, Application, Attachment
from .schemes import FORM_SCHEMES, SCHEMES, scheme_config
from .selectors import LIST_ORDER, application_detail, my_tasks, step_clock

VIEW_ROLES = APPLICATION_ACTIONS["view"]
ACT_ROLES = APPLICATION_ACTIONS["act"]
TASK_LIMIT = 500


def _application(user, pk, action="view"):
    queryset = Application.objects.select_related("entity__region", "certificate")
    return access_by_id(queryset, user, pk, action)


# --- my tasks --------------------------------------------------------------------------------------


class TaskListView(RoleRequiredMixin, TemplateView):
    """我的待办: the open steps waiting for this user, the nearest deadline first."""

    roles = ACT_ROLES
    template_name = "certification/tasks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for step in my_tasks(self.request.user)[:TASK_LIMIT]:
            spec = scheme_config(step.application.scheme).steps.get(step.code)
            rows.append({"step": step, "application": step.application, "name": spec.name if spec else step.code,
                         "clock": step_clock(step)})
        context.update(rows=rows, limit=TASK_LIMIT)
        return context


# --- the list --------------------------------------------------------------------------------------


class ApplicationListView(RoleRequiredMixin, TemplateView):
    """Applications in the user's scope, filtered by scheme, kind, state, number or entity name."""

    roles = VIEW_ROLES
    template_name = "certification/list.html"
    per_page = 25

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ApplicationFilterForm(keyset.filters_of(self.request))
        queryset = Application.objects.restrict(self.request.user, "view").select_related("entity__region")
        if form.is_valid():
            data = form.cleaned_data
            for field in ("scheme", "kind", "state"):
                if data[field]:
                    queryset = queryset.filter(**{field: data[field]})
            if data["q"].strip():
                term = data["q"].strip()
                queryset = queryset.filter(Q(number__icontains=term) | Q(entity__name__icontains=term))
        # Keyset pages (no OFFSET); the total is counted on the first page only.
        page = keyset.page_from_request(self.request, queryset, LIST_ORDER, size=self.per_page)
        context.update(
            form=form, rows=page.rows, total=queryset.count() if page.first else None,
            **keyset.links_context(self.request, page),
            can_create=Role.APPLICANT in self.request.user.roles and self.request.user.entity_id is not None,
        )
        return context


# --- the wizard ------------------------------------------------------------------------------------


def _certificate_of(user, number):
    """The applicant's own current certificate with that number, or None."""
    from sanpin.certificates.models import Certificate

    if not number:
        return None
    return Certificate.objects.filter(holder_id=user.entity_id, number=number, renewed=False).first()


class ApplicationCreateView(RoleRequiredMixin, View):
    """One page: scheme and kind, products (initial), both checklists, change fields or stop
    reason. `?certificate=<number>&kind=renewal|change|stop` starts from a held certificate."""

    roles = frozenset({Role.APPLICANT})
    template_name = "certification/create.html"

    def _setup(self, request):
        if request.user.entity_id is None:
            raise PermissionDenied(_("您的账号尚未关联申请单位，不能创建申请"))
        number = (request.POST.get("certificate") or request.GET.get("certificate") or "").strip()
        certificate = _certificate_of(request.user, number)
        if number and certificate is None:
            raise NotFound(_("未找到本单位的该证书"))
        wanted = request.POST.get("scheme") or request.GET.get("scheme")
        scheme = certificate.scheme if certificate else (wanted if wanted in FORM_SCHEMES else next(iter(FORM_SCHEMES)))
        if certificate and certificate.scheme not in SCHEMES:
            raise NotFound(_("该类证书不在本系统办理续展、变更"))
        kinds = [k for k in (ApplicationKind.RENEWAL, ApplicationKind.CHANGE, ApplicationKind.STOP)
                 if k in SCHEMES[scheme].first_step] if certificate else [ApplicationKind.INITIAL]
        return certificate, kinds, scheme

    def _render(self, request, form, formset, certificate, scheme, status=200):
        config = scheme_config(scheme)
        return render(request, self.template_name, {
            "form": form, "formset": formset, "certificate": certificate, "config": config,
            "entity": request.user.entity, "schemes": [(code, c.name) for code, c in FORM_SCHEMES.items()],
            "category_labels": dict(config.categories),
        }, status=status)

    def get(self, request):
        certificate, kinds, scheme = self._setup(request)
        wanted = request.GET.get("kind")
        kind = wanted if wanted in kinds else kinds[0]
        form = ApplicationCreateForm(kinds=kinds, scheme=scheme, initial={"kind": kind, "scheme": scheme})
        formset = ProductFormSet(prefix="products", form_kwargs={"categories": scheme_config(scheme).categories},
                                 initial=[{"output_unit": "吨"}])
        return self._render(request, form, formset, certificate, scheme)

    def post(self, request):
        certificate, kinds, scheme = self._setup(request)
        form = ApplicationCreateForm(request.POST, kinds=kinds, scheme=scheme)
        formset = ProductFormSet(request.POST, prefix="products",
                                 form_kwargs={"categories": scheme_config(scheme).categories})
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, form, formset, certificate, scheme, status=400)
        rows = [i for i, row in enumerate(formset.forms) if not row.is_blank()]
        products = [formset.forms[i].cleaned_data for i in rows]
        try:
            application = engine.application_create(
                actor=request.user, scheme=scheme, kind=form.cleaned_data["kind"],
                entity=request.user.entity, products=products, certificate=certificate, data=form.service_data(),
            )
        except ValidationFailed as exc:
            add_create_errors(form, formset, rows, exc)
            return self._render(request, form, formset, certificate, scheme, status=400)
        except Conflict as exc:
            form.add_error(None, exc.message)
            return self._render(request, form, formset, certificate, scheme, status=409)
        messages.success(request, _("申请草稿已保存，请上传申请材料后提交"))
        return redirect("certification:detail", pk=application.pk)


# --- the application page -------------------------------------------------------------------------


def _certificate_url(number):
    try:
        return reverse("certificates:detail", args=[number])
    except NoReverseMatch:
        return ""


def _action_labels(config):
    labels = {"submit": engine.SUBMIT.label}
    for spec in config.steps.values():
        for action in spec.actions:
            labels[(spec.code, action.code)] = action.label
    return labels


# Who sees the applicant's credit standing on the application page: the staff who review it, the
# inspectors and the applicant itself (as for the credit file), not the experts or labs.
CREDIT_VIEW_ROLES = REVIEW_STAFF_ROLES | {Role.INSPECTOR, Role.APPLICANT}


def _credit_standing(user, application, config) -> dict | None:
    """The line "信用等级 X：…" with what the grade means for this application: as kept at
    submission, or for a draft as it would be if submitted today."""
    if not user.roles & CREDIT_VIEW_ROLES:
        return None
    credit = application.data.get("credit")
    provisional = False
    if credit is None and application.state == DRAFT:
        credit, _why = engine.credit_outlook(application, config, clock.today())
        provisional = True
    if not credit:
        return None
    if credit["site_inspection"]:
        text, tone = _("信用等级 %(grade)s：须先进行信用核查现场检查"), "warning"
    elif credit["renewal_inspection_waived"]:
        text, tone = _("信用等级 %(grade)s：本次续展可免现场检查"), "success"
    else:
        text, tone = _("信用等级 %(grade)s"), "light"
    return {"text": text % {"grade": credit["grade"]}, "tone": tone, "provisional": provisional, **credit}


def detail_context(request, application, *, bound_action=None, upload_form=None, submit_errors=None,
                   action_error="", input_form=None):
    """Everything the application page shows; `bound_action` is an action form to show again
    with its errors."""
    user = request.user
    detail = application_detail(application)
    config = detail["config"]
    labels = _action_labels(config)
    current = engine.current_step(application)
    current_spec = config.steps.get(current.code) if current else None
    steps = [{"step": s, "spec": spec, "name": spec.name if spec else s.code, "clock": clock,
              "outcome": labels.get((s.code, s.outcome), s.outcome) if s.outcome else "",
              "assignments": list(s.assignments.all())} for s, spec, clock in detail["steps"]]
    events = [{"event": e, "label": labels.get((e.from_state, e.action)) or labels.get(e.action) or e.action}
              for e in detail["events"]]
    actions = []
    for action in engine.available_actions(user, application):
        if action.code == "submit":
            continue
        if bound_action is not None and bound_action.action.code == action.code:
            form = bound_action
        else:
            form = ActionForm(action=action, application=application)
        actions.append({"action": action, "form": form, "open": form is bound_action})
    owner = Role.APPLICANT in user.roles and user.entity_id == application.entity_id
    can_upload = (application.state in services.APPLICANT_UPLOAD_STATES) if owner else (
        application.is_open and bool(user.roles & (ACT_ROLES - {Role.APPLICANT})))
    products = [{"product": p, "category": dict(config.categories).get(p.category, p.category),
                 "certificate_url": _certificate_url(p.certificate.number) if p.certificate_id else ""}
                for p in detail["products"]]
    return {
        "application": application, "config": config, "steps": steps, "events": events,
        "current": current, "current_name": current_spec.name if current_spec else "",
        "current_clock": step_clock(current) if current else None,
        "paused": application.steps.filter(finished_at__isnull=True, paused_at__isnull=False).exists(),
        "warnings": warnings_for(application),
        "review_flags": detail["review_flags"],
        "products": products, "fees": detail["fees"], "notices": detail["notices"],
        "scheme_items": [(spec.label, application.data[spec.code]) for spec in config.data_fields
                         if application.data.get(spec.code) not in (None, "", False)],
        "attachments": detail["attachments"],
        "certificate_url": _certificate_url(application.certificate.number) if application.certificate_id else "",
        "actions": actions, "action_error": action_error,
        "can_submit": engine.SUBMIT in engine.available_actions(user, application),
        "submit_errors": submit_errors or [],
        "can_upload": can_upload, "upload_form": upload_form or AttachmentForm(),
        "is_owner": owner,
        "credit": _credit_standing(user, application, config),
        "declares_inputs": declared_inputs.declares_inputs(application),
        "declared_inputs": detail["declared_inputs"],
        "can_edit_inputs": declared_inputs.may_edit(user, application),
        "input_form": input_form or DeclaredInputForm(products=detail["products"]),
    }


class ApplicationDetailView(RoleRequiredMixin, View):
    roles = VIEW_ROLES
    template_name = "certification/detail.html"

    def get(self, request, pk):
        application = _application(request.user, pk)
        return render(request, self.template_name, detail_context(request, application))


class ApplicationSubmitView(RoleRequiredMixin, View):
    """The applicant submits a complete draft; what is missing is listed on the page."""

    roles = frozenset({Role.APPLICANT})
    template_name = "certification/detail.html"

    def post(self, request, pk):
        application = _application(request.user, pk, "act")
        try:
            application = engine.application_submit(actor=request.user, application=application)
        except ValidationFailed as exc:
            errors = [m for messages_ in exc.fields.values() for m in messages_] or [exc.message]
            return render(request, self.template_name,
                          detail_context(request, application, submit_errors=errors), status=400)
        except TransitionNotAllowed as exc:
            return render(request, self.template_name,
                          detail_context(request, application, submit_errors=[exc.message]), status=409)
        messages.success(request, _("申请已提交，申请编号 %(number)s") % {"number": application.number})
        return redirect("certification:detail", pk=application.pk)


class ApplicationActView(RoleRequiredMixin, View):
    """Take one action: `action` plus the inputs it requires."""

    roles = ACT_ROLES
    template_name = "certification/detail.html"

    def post(self, request, pk):
        application = _application(request.user, pk, "act")
        code = request.POST.get("action", "")
        # The state the page showed: a second click after the step moved on is refused (409).
        seen_state = request.POST.get("state") or None
        if seen_state and seen_state != application.state:
            return self._conflict(request, application, TransitionNotAllowed(
                _("该申请已由他人办理，当前为“%(state)s”，请刷新后再操作") % {"state": application.state_label()}))
        chosen = next((a for a in engine.available_actions(request.user, application) if a.code == code), None)
        if chosen is None or chosen is engine.SUBMIT:
            # Not allowed now: the engine says why (wrong role → 403, wrong state → 409).
            try:
                engine.application_act(actor=request.user, application=application, action=code,
                                        expected_state=seen_state)
            except TransitionNotAllowed as exc:
                return self._conflict(request, application, exc)
            raise TransitionNotAllowed()
        form = ActionForm(request.POST, action=chosen, application=application)
        if form.is_valid():
            try:
                engine.application_act(actor=request.user, application=application, action=code,
                                        data=form.action_input(), expected_state=seen_state)
            except ValidationFailed as exc:
                form.add_service_errors(exc)
            except Conflict as exc:
                return self._conflict(request, application, exc)
            else:
                messages.success(request, _("已办理：%(action)s") % {"action": chosen.label})
                return redirect("certification:detail", pk=application.pk)
        return render(request, self.template_name, detail_context(request, application, bound_action=form),
                      status=400)

    def _conflict(self, request, application, exc):
        message = _("当前状态不允许此操作")
        if exc.message and exc.message != message:
            message = f"{message}：{exc.message}"
        application.refresh_from_db()
        return render(request, self.template_name, detail_context(request, application, action_error=message),
                      status=409)


class AttachmentUploadView(RoleRequiredMixin, View):
    roles = ACT_ROLES
    template_name = "certification/detail.html"

    def post(self, request, pk):
        application = _application(request.user, pk, "act")
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = services.attachment_add(actor=request.user, application=application,
                                                     kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"])
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("已上传：%(name)s") % {"name": attachment.filename})
                return redirect(reverse("certification:detail", args=[application.pk]) + "#materials")
        return render(request, self.template_name, detail_context(request, application, upload_form=form),
                      status=400)


class DeclaredInputAddView(RoleRequiredMixin, View):
    """The applicant declares one input it uses (draft or supplement)."""

    roles = frozenset({Role.APPLICANT})
    template_name = "certification/detail.html"

    def post(self, request, pk):
        application = _application(request.user, pk, "act")
        form = DeclaredInputForm(request.POST, products=list(application.products.all()))
        outcome = run_service(form, lambda d: declared_inputs.declared_input_add(
            actor=request.user, application=application, **d))
        if not outcome.ok:
            return render(request, self.template_name, detail_context(request, application, input_form=form),
                          status=outcome.status)
        messages.success(request, _("已申报投入品：%(name)s") % {"name": outcome.result.name})
        return redirect(reverse("certification:detail", args=[application.pk]) + "#declared-inputs")


class DeclaredInputRemoveView(RoleRequiredMixin, View):
    roles = frozenset({Role.APPLICANT})

    def post(self, request, pk, item_id):
        application = _application(request.user, pk, "act")
        declared_inputs.declared_input_remove(actor=request.user, application=application, item_id=item_id)
        messages.success(request, _("已撤回该投入品"))
        return redirect(reverse("certification:detail", args=[application.pk]) + "#declared-inputs")


class AttachmentDownloadView(RoleRequiredMixin, View):
    """Materials are private: served only to those who may see the application."""

    roles = VIEW_ROLES

    def get(self, request, pk, attachment_id):
        application = _application(request.user, pk)
        item = Attachment.objects.filter(application=application, pk=attachment_id).first()
        if item is None:
            raise NotFound()
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.filename,
                            content_type=item.content_type)
