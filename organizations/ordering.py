"""Moving an organization one place up or down, for editors who do not drag with a mouse.

Positions are renumbered in steps of ten; only rows whose position changes are saved, each
through save() so history and signals see the change.
"""

STEP = 10


def move(obj, direction):
    """Move obj one place "up" or "down" among its model's rows; False when it cannot."""
    rows = list(type(obj)._default_manager.order_by("position", "pk"))
    index = next(i for i, row in enumerate(rows) if row.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    renumber(rows)
    return True


def renumber(rows):
    for number, row in enumerate(rows, 1):
        if row.position != number * STEP:
            set_position(row, number * STEP)


def set_position(row, position):
    row.position = position
    row.save(update_fields=["position", "updated_at"])
