"""The schemes the engine serves, by code."""

from .bases import BASES
from .featured import FEATURED
from .green_food import GREEN_FOOD
from .green_inputs import GREEN_INPUTS
from .organic import ORGANIC

SCHEMES = {GREEN_INPUTS.code: GREEN_INPUTS, GREEN_FOOD.code: GREEN_FOOD, FEATURED.code: FEATURED, ORGANIC.code: ORGANIC,
           BASES.code: BASES}

# The schemes an applicant starts on the new-application form; the others (a base's listing) are
# started from their own app's page.
FORM_SCHEMES = {code: config for code, config in SCHEMES.items() if not config.extra.get("created_from")}


def scheme_config(code: str):
    return SCHEMES[code]
