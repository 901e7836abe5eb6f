"""Model instances and rows straight from the database, for the lists that load thousands."""

from django.db import connections
from django.db.models import CharField, QuerySet
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.db.models.signals import post_init, pre_init


class FromRows:
    """A model whose instances loaded from the database are built from the row directly.

    Django's `Model.from_db` calls the model's constructor, which sends two signals and sets
    each field through `setattr`, to handle keyword arguments and defaults that a row never
    has; a row already holds every loaded column under its attribute name. The instance is
    the same (the same attributes, a `_state` that says loaded from `db`), built in a third
    of the time: an export loads 10,000 talks and their 10,000 speakers. Should anything
    listen to the model's `pre_init` or `post_init` signals, Django's own way is taken.
    """

    @classmethod
    def from_db(cls, db, field_names, values):
        # (Most often no model has a listener at all: two empty lists say so at once.)
        if (pre_init.receivers or post_init.receivers) and (
            pre_init.has_listeners(cls) or post_init.has_listeners(cls)
        ):
            return super().from_db(db, field_names, values)
        new = cls.__new__(cls)
        # Deferred columns are left out of the row, and so out of the instance, as Django
        # leaves them; the attribute names are those Django's constructor would set.
        new.__dict__.update(zip(field_names, values, strict=True))
        state = new._state = ModelState()
        state.adding = False
        state.db = db
        return new


def as_text(field: str) -> Cast:
    """A column read as text by `plain_rows` (`timezones.stored_instant` reads an instant
    from it): turning 10,000 dates into datetimes in the database driver, then into aware
    ones in Django, cost several times the query."""
    return Cast(field, CharField())


def plain_rows(rows: QuerySet) -> list[tuple]:
    """The rows of a `values_list` queryset as the database driver returns them, without
    Django's converters: the ORM writes the query, nothing converts the values."""
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
