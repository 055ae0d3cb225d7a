import math

from odoo import _, api, models
from odoo.exceptions import ValidationError


class LbeBoundsMixin(models.AbstractModel):
    """Bounds of what is stored, part of the area contract (`lbe.area.mixin`
    inherits it): values PostgreSQL would refuse in its own words, or that no
    field of elders' data should hold, are refused in the user's."""

    _name = "lbe.bounds.mixin"
    _description = "Bounds of Elders' Data"

    # Characters a value may hold: a name (of a person, a place, a facility),
    # any other line of text, a text of several paragraphs (what a visit found).
    _lbe_name_max = 100
    _lbe_char_max = 255
    _lbe_text_max = 10_000
    # PostgreSQL's integer, the column of integer fields and of record ids.
    _lbe_int_range = (-(2**31), 2**31 - 1)

    @api.model
    def _lbe_text_limit(self, name):
        """The characters field `name` may hold; None for a field not of text."""
        field = self._fields[name]
        if field.type in ("text", "html"):
            return self._lbe_text_max
        if field.type != "char":
            return None
        # `<binary>_name` is the name of a file, a line of text like any other.
        if name == "name" or (name.endswith("_name") and name[:-5] not in self._fields):
            return self._lbe_name_max
        return self._lbe_char_max

    def _lbe_check_bounds(self, vals_list):
        """Refuse, in words, the values PostgreSQL would refuse in its own or
        no field of elders' data should hold: text longer than its kind allows,
        numbers and dates that are none or lie beyond their column, ids of no
        record. The bounds of particular fields (dates, children) are the
        models' constraints."""
        if self.env.su:
            return
        low, high = self._lbe_int_range
        for vals in vals_list:
            for name, value in vals.items():
                field = self._fields.get(name)
                if field is None or value is False or value is None:
                    continue
                problem = self._lbe_bound_problem(field, value)
                if problem:
                    raise ValidationError(problem)
            for ids in self._lbe_referenced(self, vals, {}).values():
                if any(not low <= i <= high for i in ids if isinstance(i, int)):
                    raise ValidationError(_("A record you chose does not exist."))

    def _lbe_bound_problem(self, field, value):
        """What is wrong with `value` for `field`, in words; None when nothing is.
        The field is named only when something is: an import checks thousands
        of values."""

        def named():
            return {
                "field": field._description_string(self.env),
                "model": self.env["ir.model"]._get(self._name).name,
            }

        limit = self._lbe_text_limit(field.name)
        if limit and isinstance(value, str) and len(value) > limit:
            return _(
                "%(field)s of %(model)s is too long: %(count)s characters, at most %(max)s.",
                **named(),
                count=len(value),
                max=limit,
            )
        if field.type == "integer":
            low, high = self._lbe_int_range
            try:
                number = int(value)
            except (TypeError, ValueError, OverflowError):
                number = None
            if number is None or not low <= number <= high:
                return _(
                    "%(field)s of %(model)s must be a whole number from %(min)s to %(max)s.",
                    **named(),
                    min=low,
                    max=high,
                )
        elif field.type == "float":
            try:
                number = float(value)
            except (TypeError, ValueError, OverflowError):
                number = None
            if number is None or not math.isfinite(number):
                return _("%(field)s of %(model)s must be a number.", **named())
            # With digits, the column is numeric: its digits bound the number.
            digits = field.get_digits(self.env)
            high = 10 ** (digits[0] - digits[1]) - 10 ** -digits[1] if digits else math.inf
            if abs(number) > high:
                low_text, high_text = f"{-high:g}", f"{high:g}"
                return _(
                    "%(field)s of %(model)s must be a number from %(min)s to %(max)s.",
                    **named(),
                    min=low_text,
                    max=high_text,
                )
        elif field.type in ("date", "datetime"):
            try:
                field.to_date(value) if field.type == "date" else field.to_datetime(value)
            except (TypeError, ValueError, OverflowError):
                return _("%(field)s of %(model)s must be a date (YYYY-MM-DD).", **named())
        return None
