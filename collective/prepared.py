"""Queries the public pages run on every request, with their SQL built once per thread.

Building a query's SQL in Django's ORM costs more than the database running it: on an
uncached "Who are we" page the three queries were about a fifth of the render, most of it
spent compiling the same SQL again. A PreparedQuery has the ORM compile its queryset once per
thread (each thread has its own database connections; a sync gunicorn worker has one thread)
and keeps what the ORM works out for reading the rows: the SQL, the columns and their
converters (dates from SQLite become dates). Each call runs that SQL and builds the model
instances with Model.from_db, as the ORM does; rows are never kept.

Only for querysets of plain model rows (no select_related, prefetch_related, annotations,
deferred fields or locking)
whose SQL and parameters stay the same while the process runs: no dates, no visitor input,
nothing that depends on the active language. A schema change needs a restart anyway, as for
any deploy.
"""

import threading

from django.core.exceptions import EmptyResultSet
from django.db import connections, router


class PreparedQuery:
    """`build(manager)` returns the queryset; calling the PreparedQuery returns its rows."""

    def __init__(self, model, build):
        self.model = model
        self.build = build
        # Per thread, as Django's database connections are: a plan reads through its own.
        self._local = threading.local()

    def __call__(self):
        using = router.db_for_read(self.model)
        plans = getattr(self._local, "plans", None)
        if plans is None:
            plans = self._local.plans = {}
        plan = plans.get(using)
        if plan is None or plan.connection is not connections[using]:
            queryset = self.build(self.model._default_manager.using(using))
            plan = plans[using] = _Plan(queryset, using)
        return plan.rows()


class _Plan:
    def __init__(self, queryset, using):
        model = queryset.model
        if queryset._prefetch_related_lookups or queryset.query.select_for_update:
            raise ValueError(
                f"Not a query of plain {model.__name__} rows: prefetch_related or select_for_update"
            )
        compiler = queryset.query.get_compiler(using=using)
        self.model, self.using, self.compiler = model, using, compiler
        self.connection = compiler.connection
        try:
            self.sql, self.params = compiler.as_sql()
        except EmptyResultSet:  # e.g. pk__in=[]: the ORM answers no rows without asking
            self.sql = None
            return
        columns = [expression for expression, _sql, _alias in compiler.select]
        self.names = [
            getattr(getattr(column, "target", None), "attname", None) for column in columns
        ]
        if self.names != [field.attname for field in model._meta.concrete_fields]:
            raise ValueError(f"Not a query of plain {model.__name__} rows: {self.names}")
        self.converters = compiler.get_converters(columns)

    def rows(self):
        if self.sql is None:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return [self.model.from_db(self.using, self.names, row) for row in rows]
