"""Writes for award lists (品鉴评优获奖名单 [003 att.4 §4(1)]): drafting a list and its entries, and
publishing it. A published list is public; every certificate on it must be valid on the day it
is published. Each checks role and scope, validates, writes and appends one audit event."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sanpin.certificates.models import Certificate
from sanpin.core import audit, clock
from sanpin.core.access import access_by_id
from sanpin.core.errors import TransitionNotAllowed, ValidationFailed

from .checks import certificate_problem
from .choices import AwardListStatus
from .models import AwardEntry, AwardList, Event
from .services import agency_in_scope


def _locked(actor, award_list) -> AwardList:
    award_list = access_by_id(AwardList.objects.select_for_update(of=("self",)).select_related("organiser"),
                              actor, award_list.pk, "manage")
    return award_list


def _draft(award_list) -> None:
    if award_list.status != AwardListStatus.DRAFT:
        raise TransitionNotAllowed(_("名单已发布，不能再修改"))


@transaction.atomic
def award_list_create(*, actor, organiser, title, year, event=None, source: str = "") -> AwardList:
    """Draft a list organised by an agency of the actor's region or below. Side effects: one audit event."""
    errors = {}
    if organiser is None:
        errors["organiser"] = _("请选择组织机构")
    elif not agency_in_scope(actor, organiser, AwardList):
        errors["organiser"] = _("只能以本辖区的工作机构作为组织机构")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("请填写名单名称")
    elif len(title) > 200:
        errors["title"] = _("不超过 200 个字")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = _("年度应为 2000–2100 的整数")
    source = (source or "").strip()
    if len(source) > 200:
        errors["source"] = _("不超过 200 个字")
    if event is not None and not isinstance(event, Event):
        errors["event"] = _("活动不存在")
    if errors:
        raise ValidationFailed(fields=errors)
    award_list = AwardList.objects.create(title=title, organiser=organiser, year=year, event=event, source=source,
                                          created_by=actor)
    audit.record(actor=actor, verb="promotion.award_list.create", target=award_list,
                 new={"title": title, "organiser": organiser.name, "year": year, "event": event.pk if event else None,
                      "source": source})
    return award_list


def _holder_in_region(award_list, certificate) -> bool:
    region = award_list.organiser.region
    return region is None or (certificate.holder.region_id or "").startswith(region.scope_prefix)


@transaction.atomic
def award_entry_add(*, actor, award_list, certificate, award, product: str = "", rank=None) -> AwardEntry:
    """Add a certified product to a draft list: the certificate valid today and held in the
    organiser's region. Side effects: one audit event."""
    award_list = _locked(actor, award_list)
    _draft(award_list)
    errors = {}
    if certificate is not None:  # judged as stored now
        certificate = Certificate.objects.select_related("holder").get(pk=certificate.pk)
    if certificate is None:
        errors["certificate"] = _("请填写证书编号")
    else:
        problem = certificate_problem(certificate, on=clock.today())
        if problem:
            errors["certificate"] = problem
        elif not _holder_in_region(award_list, certificate):
            errors["certificate"] = _("获奖产品的证书持有人应在组织机构辖区内")
        elif award_list.entries.filter(certificate=certificate).exists():
            errors["certificate"] = _("该证书已在名单中")
    award = (award or "").strip()
    if not award:
        errors["award"] = _("请填写奖项或等级")
    elif len(award) > 60:
        errors["award"] = _("不超过 60 个字")
    product = (product or "").strip() or (certificate.product_name if certificate else "")
    if len(product) > 120:
        errors["product"] = _("不超过 120 个字")
    if rank is not None and (not isinstance(rank, int) or rank < 1):
        errors["rank"] = _("名次应为正整数")
    if errors:
        raise ValidationFailed(fields=errors)
    entry = AwardEntry.objects.create(award_list=award_list, certificate=certificate, product=product, award=award,
                                      rank=rank)
    audit.record(actor=actor, verb="promotion.award_list.add_entry", target=award_list,
                 new={"certificate": certificate.number, "product": product, "award": award, "rank": rank})
    return entry


@transaction.atomic
def award_entry_remove(*, actor, entry) -> None:
    """Take an entry off a draft list. Side effects: one audit event."""
    award_list = _locked(actor, entry.award_list)
    _draft(award_list)
    entry = award_list.entries.select_related("certificate").get(pk=entry.pk)
    audit.record(actor=actor, verb="promotion.award_list.remove_entry", target=award_list,
                 old={"certificate": entry.certificate.number, "award": entry.award})
    entry.delete()


@transaction.atomic
def award_list_publish(*, actor, award_list, published_on: datetime.date | None = None) -> AwardList:
    """Publish a draft list (draft → published): it must have entries and every certificate on it
    must be valid on the publishing day; otherwise nothing changes and every bad entry is named.
    Side effects: one audit event; the list becomes public."""
    award_list = _locked(actor, award_list)
    _draft(award_list)
    today = clock.today()
    published_on = published_on or today
    if published_on > today:
        raise ValidationFailed(fields={"published_on": _("发布日期不能晚于今天")})
    entries = list(award_list.entries.select_related("certificate"))
    if not entries:
        raise ValidationFailed(fields={"entries": _("名单中还没有获奖产品")})
    problems = [problem for entry in entries
                if (problem := certificate_problem(entry.certificate, on=published_on))]
    if problems:
        raise ValidationFailed(_("名单中有证书在发布日不在有效状态，不能发布"), fields={"entries": problems})
    award_list.status, award_list.published_on, award_list.published_by = (
        AwardListStatus.PUBLISHED, published_on, actor)
    award_list.save(update_fields=["status", "published_on", "published_by", "updated_at"])
    audit.record(actor=actor, verb="promotion.award_list.publish", target=award_list,
                 old={"status": AwardListStatus.DRAFT},
                 new={"status": AwardListStatus.PUBLISHED, "published_on": published_on,
                      "certificates": [e.certificate.number for e in entries]})
    return award_list
