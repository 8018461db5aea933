"""Database router used when a read replica is configured (`DATABASE_REPLICA_URL`): every write and
every read outside an opt-in scope goes to the primary; reads inside one follow
`sanpin.core.replica.read_alias` (docs/decisions/0042-read-replica.md)."""

from django.db import DEFAULT_DB_ALIAS

from . import replica

_ALIASES = frozenset({DEFAULT_DB_ALIAS, replica.REPLICA})


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica.read_alias(model)
        instance = hints.get("instance")
        if alias != DEFAULT_DB_ALIAS and instance is not None and instance._state.db == DEFAULT_DB_ALIAS:
            # Rows related to one read from the primary (a fallback) come from the primary too.
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        replica.note_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: an object read from the replica may be linked to one
        # from the primary (and is saved to the primary).
        if obj1._state.db in _ALIASES and obj2._state.db in _ALIASES:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is a physical copy: it receives the primary's schema, never migrates itself.
        return db == DEFAULT_DB_ALIAS
