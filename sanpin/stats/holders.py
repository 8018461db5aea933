"""The filter "held by an entity registered in one of these regions" for the live count of stale
cells (sanpin.stats.valid_store, sanpin.stats.pass_store).

Written as a join to the entities, PostgreSQL reads every row of the counted table that is in
force (all certificate terms valid on the day, all applications decided in the year) and then
keeps those of the few regions with a stale mark, so the live part grew with the country's data.
`holder_id = ANY(ARRAY(SELECT id … WHERE region_id = ANY(regions)))` is computed once and read
through the foreign key's index: the work follows the rows of the marked regions only
(bench/README.md)."""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL


def held_in(model, fk: str, regions: list[str]) -> Q:
    """Rows of `model` whose entity (its foreign key `fk`) is registered in one of `regions`."""
    if connection.vendor != "postgresql":
        return Q(**{f"{fk}__region_id__in": regions})
    from sanpin.catalog.models import Entity

    quote = connection.ops.quote_name
    column = f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(fk).column)}"
    entity = quote(Entity._meta.db_table)
    # Only model table and column names are formatted in; the regions are one bound parameter.
    sql = f"{column} = ANY(ARRAY(SELECT id FROM {entity} WHERE region_id = ANY(%s::varchar[])))"  # noqa: S608
    return Q(RawSQL(sql, (list(regions),), output_field=BooleanField()))  # noqa: S611
