"""More of the large benchmark organisation: `seed_demo --size large --scale N`.

Copy 1 is the large set itself (20 hubs, 2,000 mentors, 20,000 women), written by the other
modules here. Copies 2 to N are that set again, as more hubs of the same organisation, so the
organisation and every table grow N times while each person's scope stays what it was: a copy
has its own hubs, women, intakes, mentors (and their accounts), pairs and coordinators, and
the people who hold a role in every one of copy 1's hubs (bench@, bench.safeguarding@…) have
twins in each copy instead of more hubs of their own.

Each copy is made in the database, one INSERT … SELECT per table from copy 1's rows, every id
and every reference to a copied row mapped to the copy's own: generating each copy in Python,
as copy 1 is, would cost as much as copy 1 every time. So a copy is copy 1's exact shape (statuses, waits,
capacities, histories in date order), and what copy 1 holds consistently its copies hold too:
a matched woman's active pair and her mentor's object right on her, her latest assessment on
her row. Encrypted columns are copied as stored: real ciphertext under the same key, so
reading a copy costs the same decryption as reading copy 1. The history triggers (pghistory)
fire on every insert, as they do for copy 1's bulk inserts.

A copy is written in one transaction, so it is there in full or not at all: running again with
the same N adds nothing, and with a larger N adds the missing copies only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.backends.utils import CursorWrapper
from django.db.models import QuerySet

from demo.large.bulk import checked_per_statement
from mentoring.models import (
    Assessment,
    Consent,
    Hub,
    Membership,
    Mentee,
    MenteeStatusChange,
    MenteeUserObjectPermission,
    Mentor,
    MentoringSession,
    MentoringSessionVersion,
    NeedRating,
    Pair,
    PairAgreement,
    PairStatusChange,
    TrainingCompletion,
    User,
)

# Every table the large seed writes rows to, each with the path from its rows to their hub, in
# the order they are copied: each after the tables it refers to, but for her latest assessment
# (a woman's row refers to it, and it to her), which is filled in once it is copied.
COPIED: tuple[tuple[type[models.Model], str], ...] = (
    (User, "memberships__hub"),
    (Membership, "hub"),
    (Mentee, "hub"),
    (Assessment, "mentee__hub"),
    (NeedRating, "assessment__mentee__hub"),
    (Assessment.shared_experience_wanted.through, "assessment__mentee__hub"),
    (Consent, "mentee__hub"),
    (MenteeStatusChange, "mentee__hub"),
    (Mentor, "hub"),
    (Mentor.lived_experience.through, "mentor__hub"),
    (TrainingCompletion, "mentor__hub"),
    (Pair, "hub"),
    (PairAgreement, "pair__hub"),
    (PairStatusChange, "pair__hub"),
    (MenteeUserObjectPermission, "content_object__hub"),
    (MentoringSession, "hub"),
    (MentoringSessionVersion, "session__hub"),
)
LARGE_MODELS: list[type[models.Model]] = [Hub, *(model for model, _ in COPIED)]


def copy_slug(slug: str, copy: int) -> str:
    """bench-07 in copy 3 is x3-bench-07 (so `bench-…` names copy 1's hubs alone); copy 1 keeps
    its own."""
    return slug if copy == 1 else f"x{copy}-{slug}"


def copy_email(email: str, copy: int) -> str:
    """bench.mentor0001@ in copy 3 is x3.bench.mentor0001@, and bench@ is x3.bench@."""
    return email if copy == 1 else f"x{copy}.{email}"


def copy_name(name: str, copy: int) -> str:
    """A hub's or a person's name in a copy says which copy (hub names are unique in an
    organisation)."""
    return name if copy == 1 else f"{name} (copy {copy})"


def seed_copies(*, hubs: Sequence[Hub], scale: int) -> list[int]:
    """Copies 2 to `scale` of the large set whose hubs are `hubs` (copy 1), each one missing.
    Returns the copies made."""
    made = []
    for copy in range(2, scale + 1):
        if not Hub.objects.filter(slug=copy_slug(hubs[0].slug, copy)).exists():
            seed_copy(hubs=hubs, copy=copy)
            made.append(copy)
    return made


def seed_copy(*, hubs: Sequence[Hub], copy: int) -> None:
    """Copy number `copy` (2 or more) of copy 1's hubs and everything in them."""
    if copy < 2:
        raise ValueError("Copy 1 is the large set itself.")
    hub_ids = [hub.pk for hub in hubs]
    users = User.objects.filter(memberships__hub__in=hub_ids).distinct()
    renamed: dict[type[models.Model], dict[str, dict[int, str]]] = {
        Hub: {
            "slug": {hub.pk: copy_slug(hub.slug, copy) for hub in hubs},
            "name": {hub.pk: copy_name(hub.name, copy) for hub in hubs},
        },
        User: {
            "email": {pk: copy_email(email, copy) for pk, email in users.values_list("pk", "email")},
            "display_name": {pk: copy_name(name, copy) for pk, name in users.values_list("pk", "display_name")},
        },
    }
    with checked_per_statement(), connection.cursor() as cursor:
        _map(cursor, Hub, Hub.objects.filter(pk__in=hub_ids))
        for model, path in COPIED:
            _map(cursor, model, model._default_manager.filter(**{f"{path}__in": hub_ids}))
        copied: set[type[models.Model]] = set()
        later: list[tuple[type[models.Model], models.Field[Any, Any]]] = []
        for model in LARGE_MODELS:
            later += _copy(cursor, model, renamed.get(model, {}), copied, copy=copy)
            copied.add(model)
            for earlier, field in [(m, f) for m, f in later if f.related_model in copied]:
                _fill_in(cursor, earlier, field)
                later.remove((earlier, field))
        for model in LARGE_MODELS:  # dropped at commit anyway, but an outer transaction may copy again
            cursor.execute(f"DROP TABLE {_map_table(model)}")


def _map_table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(f"copy_map_{model._meta.db_table}")


def _map(cursor: CursorWrapper, model: type[models.Model], rows: QuerySet[models.Model]) -> None:
    """A temporary table from each row's id to its copy's, the new ids drawn from the table's
    own sequence in the old ids' order (so the copy lists in the same order as copy 1)."""
    select, params = rows.values("pk").distinct().order_by("pk").query.sql_with_params()
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_map_table(model)} (old bigint PRIMARY KEY, new bigint NOT NULL) ON COMMIT DROP"
    )
    cursor.execute(
        f"INSERT INTO {_map_table(model)} (old, new)"  # noqa: S608 (names from the models, values as parameters)
        f" SELECT old, nextval(pg_get_serial_sequence(%s, %s)) FROM ({select}) AS rows (old)",
        [model._meta.db_table, model._meta.pk.column, *params],
    )
    cursor.execute(f"ANALYZE {_map_table(model)}")


def _copy(
    cursor: CursorWrapper,
    model: type[models.Model],
    renamed: dict[str, dict[int, str]],
    copied: set[type[models.Model]],
    *,
    copy: int,
) -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """INSERT … SELECT the mapped rows of one table: the new id, each reference to a copied
    table through its map (a reference outside the copy, to a need area or the organisation's
    training module, is kept), the `renamed` columns' new values by old id, a unique id made
    on her phone (a session log's) made anew from the old one and the copy's number, the rest
    as is.

    A reference to a table not copied yet (her latest assessment) is left empty, to be filled
    in once it is: the foreign keys are checked as each statement ends. Returns those fields."""
    quote = connection.ops.quote_name
    columns, values, joins = [], [], []
    params: list[Any] = []  # the joins'
    value_params: list[Any] = []
    later = []
    pk = f"t.{_column(model._meta.pk)}"
    for number, field in enumerate(model._meta.concrete_fields):
        old = f"t.{_column(field)}"
        columns.append(_column(field))
        target = field.related_model if field.is_relation else None
        if field.primary_key:
            values.append("m.new")
        elif target in LARGE_MODELS and target not in copied:
            assert field.null, f"{model.__name__}.{field.name} refers to a table copied after it"
            values.append("NULL")
            later.append((model, field))
        elif target in LARGE_MODELS:
            alias = f"m{number}"
            joins.append(f"LEFT JOIN {_map_table(_model(target))} AS {alias} ON {alias}.old = {old}")
            values.append(f"COALESCE({alias}.new, {old})")
        elif isinstance(field, models.UUIDField) and field.unique:
            values.append(f"md5(%s || {old}::text)::uuid")
            value_params.append(f"copy {copy} of ")
        elif field.name in renamed:
            alias = f"r{number}"
            joins.append(f"JOIN unnest(%s::bigint[], %s::text[]) AS {alias} (old, new) ON {alias}.old = {pk}")
            values.append(f"{alias}.new")
            params += [list(renamed[field.name]), list(renamed[field.name].values())]
        else:
            values.append(old)
    table = quote(model._meta.db_table)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)}"  # noqa: S608 (as above)
        f" FROM {table} AS t JOIN {_map_table(model)} AS m ON m.old = {pk}"
        f" {' '.join(joins)}",
        [*value_params, *params],
    )
    return later


def _fill_in(cursor: CursorWrapper, model: type[models.Model], field: models.Field[Any, Any]) -> None:
    """The references `_copy` left empty, now their table is copied. No history trigger fires:
    the history tracks none of these fields."""
    table, column, pk = connection.ops.quote_name(model._meta.db_table), _column(field), _column(model._meta.pk)
    cursor.execute(
        f"UPDATE {table} AS t SET {column} = s.value FROM ("  # noqa: S608 (names from the models)
        f" SELECT m.new AS id, COALESCE(r.new, o.{column}) AS value FROM {_map_table(model)} AS m"
        f" JOIN {table} AS o ON o.{pk} = m.old"
        f" LEFT JOIN {_map_table(_model(field.related_model))} AS r ON r.old = o.{column}"
        f" WHERE o.{column} IS NOT NULL) AS s WHERE t.{pk} = s.id"
    )


def _column(field: models.Field[Any, Any]) -> str:
    assert field.column is not None
    return connection.ops.quote_name(field.column)


def _model(target: object) -> type[models.Model]:
    assert isinstance(target, type) and issubclass(target, models.Model)
    return target
