"""Queries the public pages run on every request, with their SQL built once per process.

Building a query's SQL in Django's ORM costs more than the database running it: on an
uncached "Who are we" page the three queries were about a fifth of the render, most of it
spent compiling the same SQL again. A PreparedQuery asks the ORM for its queryset's SQL the
first time it runs on a database and then runs that SQL as Django's raw query, which builds
the same model instances (converters included: dates from SQLite are dates).

Only for querysets whose SQL and parameters stay the same while the process runs: no dates,
no visitor input, nothing that depends on the active language. A schema change needs a
restart anyway, as for any deploy.
"""

from django.db import connections, router
from django.db.models.query import RawQuerySet


class PreparedQuery:
    """`build(manager)` returns the queryset; calling the PreparedQuery returns its rows."""

    def __init__(self, model, build):
        self.model = model
        self.build = build
        self._compiled = {}

    def __call__(self):
        using = router.db_for_read(self.model)
        # The vendor too: SQL built for SQLite is no PostgreSQL SQL, whatever the alias.
        key = (using, connections[using].vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            queryset = self.build(self.model._default_manager.using(using))
            compiled = self._compiled[key] = queryset.query.sql_with_params()
        sql, params = compiled
        return list(RawQuerySet(sql, model=self.model, params=params, using=using))
