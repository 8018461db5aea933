"""Credit tests reuse the sampling world (a designated lab, standards, a clock inside validity)."""

from sanpin.sampling.tests.conftest import world  # noqa: F401  (fixture)
