"""The schemes the engine serves, by code."""

from .green_inputs import GREEN_INPUTS

SCHEMES = {GREEN_INPUTS.code: GREEN_INPUTS}


def scheme_config(code: str):
    return SCHEMES[code]
