"""Reordering organizations: one place up or down (the ↑/↓ buttons), or as a drag placed them.

Each reorder is one transaction that starts by locking the rows it may change (SELECT … FOR
UPDATE on PostgreSQL; on SQLite a transaction holds the database's write lock from its start).
Two editors reordering at once are therefore taken one after the other, the second working on
the order the first left, and a failure halfway leaves every row as it was.

A move trades the two rows' positions; only when they share a position with another row are
the positions renumbered, in steps of ten. Only rows whose position changes are saved, each
through save() so history and signals see the change: a move among hundreds of rows whose
positions are uneven (after additions and deletions) saves two rows, not all after the gap.
"""

from collections import Counter

from django.db import router, transaction

STEP = 10
# The largest value the position column takes on every database (PositiveIntegerField).
MAX_POSITION = 2_147_483_647


# What move() did.
MOVED = "moved"
AT_THE_EDGE = "at the edge"  # first and asked up, or last and asked down: nothing changed
GONE = "gone"  # deleted meanwhile


def move(obj, direction):
    """Move obj one place "up" or "down" among its model's rows; says what it did."""
    if direction not in ("up", "down"):
        raise ValueError(f"{direction!r} is not up or down.")
    model = type(obj)
    with transaction.atomic(using=router.db_for_write(model)):
        rows = _locked(model._default_manager.all())
        index = next((i for i, row in enumerate(rows) if row.pk == obj.pk), None)
        if index is None:
            return GONE
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(rows):
            return AT_THE_EDGE
        moved, other = rows[index], rows[target]
        taken = Counter(row.position for row in rows)
        if moved.position != other.position and taken[moved.position] == taken[other.position] == 1:
            # Each alone in its place: trading places leaves every other row as it is.
            position = moved.position
            set_position(moved, other.position)
            set_position(other, position)
        else:
            rows[index], rows[target] = rows[target], rows[index]
            renumber(rows)
    return MOVED


def edges(model):
    """The ids of the first and the last row in the order (None, None without rows)."""
    rows = model._default_manager.order_by("position", "pk").values_list("pk", flat=True)
    return rows.first(), rows.last()


def place(rows, positions):
    """Give rows the positions a drag sent, [(pk, position), …]: all of them, or none.

    A drag sends the positions its page showed. When another editor reordered since, two rows
    can be given the same position; the rows are then renumbered, with the ones just placed
    first, so the order stays one the ↑/↓ buttons and the next drag can work with.
    Returns how many rows were placed; ValueError or DoesNotExist for a bad request.
    """
    model = rows.model
    wanted = _checked(model, positions)
    with transaction.atomic(using=router.db_for_write(model)):
        locked = {row.pk: row for row in _locked(rows)}
        missing = [pk for pk in wanted if pk not in locked]
        if missing:
            raise model.DoesNotExist(f"No {model._meta.verbose_name} with id {missing[0]}.")
        for pk, position in wanted.items():
            if locked[pk].position != position:
                set_position(locked[pk], position)
        order = sorted(
            locked.values(), key=lambda row: (row.position, row.pk not in wanted, row.pk)
        )
        if len({row.position for row in order}) < len(order):
            renumber(order)
    return len(wanted)


def _checked(model, positions):
    """{pk: position} from a drag's list, or ValueError: positions are whole numbers ≥ 0."""
    wanted = {}
    for pk, position in positions:
        if type(position) is not int or not 0 <= position <= MAX_POSITION:
            raise ValueError(f"{position!r} is not a position.")
        wanted[model._meta.pk.to_python(pk)] = position
    return wanted


def _locked(rows):
    """The rows, locked until the transaction ends, in their list order.

    Sorted again once locked: on PostgreSQL a row another reorder changed while this one
    waited for its lock is read as committed, after the database sorted the rows.
    """
    locked = list(rows.select_for_update().order_by("position", "pk"))
    return sorted(locked, key=lambda row: (row.position, row.pk))


def renumber(rows):
    for number, row in enumerate(rows, 1):
        if row.position != number * STEP:
            set_position(row, number * STEP)


def set_position(row, position):
    row.position = position
    row.save(update_fields=["position", "updated_at"])
