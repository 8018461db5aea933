"""The base listing review's own effects, registered by name with the engine (the scheme
configuration is sanpin/certification/schemes/bases.py)."""

from sanpin.accounts.models import Agency
from sanpin.certification.effects import register

from .choices import BaseLevel
from .models import Base


def _base(application) -> Base:
    return Base.objects.select_for_update().get(listing_application=application)


def has_city_agency(county_code: str) -> bool:
    return Agency.objects.filter(level="city", region_id=county_code[:4] + "00").exists()


@register("base_accepted")
def base_accepted(*, application, step, actor, data):
    """After the county's acceptance: a district base goes to its city for review (to the
    province where no city agency stands between, as in a municipality), a provincial base to
    the province, a national base to the province for its acceptance."""
    base = _base(application)
    if base.level == BaseLevel.NATIONAL:
        target = "provincial_acceptance"
    elif base.level == BaseLevel.PROVINCIAL or not has_city_agency(base.county_id):
        target = "provincial_review"
    else:
        return {"base": base.name, "base_level": base.level}  # the action's own target: city review
    return {"_target": target, "base": base.name, "base_level": base.level}


@register("base_list")
def base_list(*, application, step, actor, data):
    from .services import base_list as list_base

    base = list_base(actor=actor, base=_base(application), reference=application.number)
    return {"directory_number": base.directory_number}
