"""Masking of personal data (PIPL): ID and phone numbers shown masked, and the
rule of reads of many records. The area mixin (`lbe.area.mixin`) applies it."""

from odoo import _
from odoo.exceptions import AccessError

# A read of more records than this answers personal data masked: full values come
# one record at a time (a form and its few lines) or through the audited export.
LBE_FULL_READ_LIMIT = 20
# The aggregates that tell nothing of the values they count.
COUNTING_AGGREGATES = ("count", "count_distinct")


def mask_id_number(value):
    """440111195001013655 as 440111********3655: the area and the last digits."""
    if not value:
        return False
    return value[:6] + "*" * max(len(value) - 10, 0) + value[-4:]


def mask_phone(value):
    """13512344309 as 135****4309."""
    if not value:
        return False
    if len(value) < 8:
        return "*" * (len(value) - 2) + value[-2:]
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# The kinds of personal data a model declares in `_lbe_masks`, and their masks.
MASKS = {"id_number": mask_id_number, "phone": mask_phone}


def mask_onchange_lines(model, values, fields_spec):
    """In `values`, an onchange answer of `model`, mask the personal data of
    the existing lines of an x2many field when they are more than
    LBE_FULL_READ_LIMIT, as a read of them would; and so in the lines' lines."""
    if model.env.su:
        return
    for name, spec in fields_spec.items():
        field = model._fields.get(name)
        commands = values.get(name)
        if (
            not field
            or field.type not in ("one2many", "many2many")
            or not isinstance(commands, list)
        ):
            continue
        comodel = model.env[field.comodel_name]
        lines = {
            command[1]: command[2]
            for command in commands
            if isinstance(command, list | tuple)
            and len(command) == 3
            and isinstance(command[1], int)
            and isinstance(command[2], dict)
        }
        masked = getattr(comodel, "_lbe_masked_fields", {})
        if masked and len(lines) > LBE_FULL_READ_LIMIT:
            for record in comodel.browse(lines):
                for fname, masked_name in masked.items():
                    if fname in lines[record.id]:
                        lines[record.id][fname] = record[masked_name]
        if (spec or {}).get("fields"):
            for line in lines.values():
                mask_onchange_lines(comodel, line, spec["fields"])


def check_bulk_path(records, path):
    """Refuse a field path (`mapped`, which a client may call like `read`) that
    ends on personal data of more than LBE_FULL_READ_LIMIT records: there is no
    masked answer to give in place of a list of values."""
    if records.env.su:
        return
    for name in path.split("."):
        field = records._fields.get(name)
        if field is None:
            return
        if name in getattr(records, "_lbe_masked_fields", {}) and (
            len(records) > LBE_FULL_READ_LIMIT
        ):
            raise AccessError(
                _(
                    "%(field)s of more than %(limit)s records at once is read through "
                    "the audited export, not record by record.",
                    field=field._description_string(records.env),
                    limit=LBE_FULL_READ_LIMIT,
                )
            )
        if not field.relational:
            return
        records = records[name]
