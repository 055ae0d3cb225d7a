"""The elder's resident ID number: normalised, read for the birth date and the
gender it holds, and one registered record per person."""

import functools
import unicodedata

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.util import isdigits

from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


def normalize_id_number(value):
    """Full-width digits and letters become half-width, a lower-case x upper-case."""
    return unicodedata.normalize("NFKC", value or "").replace(" ", "").upper()


def id_number_facts(number):
    """Return (birth_date, gender) from a valid resident ID number, or raise.

    The checks of ric.validate(), in its order; the area code is looked up once
    per code, as stdnum scans its whole list of areas on every lookup (2 ms),
    which an import of many rows would pay several times per row.
    """
    number = ric.compact(number)
    if len(number) != 18:
        raise ric.InvalidLength()
    if not isdigits(number[:-1]):
        raise ric.InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise ric.InvalidChecksum()
    birth_date = ric.get_birth_date(number)
    _check_area_code(number[:6])
    gender = "male" if int(number[16]) % 2 else "female"
    return birth_date, gender


@functools.lru_cache(maxsize=8192)
def _check_area_code(code):
    """Raise InvalidComponent for an area code stdnum does not know."""
    return ric.get_birth_place(code)


class LbeElderIdNumber(models.Model):
    _inherit = "lbe.elder"

    @api.onchange("id_number")
    def _onchange_id_number(self):
        if not self.id_number:
            return None
        number = normalize_id_number(self.id_number)
        try:
            birth_date, gender = id_number_facts(number)
        except StdnumError as e:
            # A warning, not an error: the clerk keeps what was typed and corrects it;
            # saving refuses the number all the same.
            return {
                "warning": {
                    "title": _("Invalid ID number"),
                    "message": self._id_number_message(number, e),
                }
            }
        # The ID number is authoritative: what it says replaces what was entered.
        self.update({"id_number": number, "birth_date": birth_date, "gender": gender})
        return None

    def _fill_from_id_number(self, vals):
        """Normalise the ID number and fill birth date and gender from it."""
        if not vals.get("id_number"):
            return
        number = normalize_id_number(vals["id_number"])
        vals["id_number"] = number
        try:
            birth_date, gender = id_number_facts(number)
        except StdnumError as e:
            raise ValidationError(self._id_number_message(number, e)) from e
        # The client sends empty fields as False: fill those too.
        if not vals.get("birth_date"):
            vals["birth_date"] = birth_date
        if not vals.get("gender"):
            vals["gender"] = gender

    @api.model
    def _id_number_message(self, number, error):
        if isinstance(error, ric.InvalidLength):
            reason = _("it must have 18 characters.")
        elif isinstance(error, ric.InvalidChecksum):
            reason = _("the check digit does not match.")
        elif isinstance(error, ric.InvalidComponent):
            reason = _("the date of birth or the area code in it is wrong.")
        else:
            reason = _("only digits, with X as the last character, are allowed.")
        return _("The ID number %(number)s is not valid: %(reason)s", number=number, reason=reason)

    @api.constrains("id_number", "birth_date", "gender")
    def _check_id_number_agrees(self):
        for elder in self.filtered("id_number"):
            birth_date, gender = id_number_facts(elder.id_number)
            if elder.birth_date and elder.birth_date != birth_date:
                raise ValidationError(
                    _(
                        "%(name)s: the date of birth %(date)s does not agree with the ID "
                        "number, which gives %(id_date)s.",
                        name=elder.name,
                        date=elder.birth_date,
                        id_date=birth_date,
                    )
                )
            if elder.gender and elder.gender != gender:
                raise ValidationError(
                    _("%(name)s: the gender does not agree with the ID number.", name=elder.name)
                )

    # Named to run before the other checks on `state`: those may flush the
    # record, and the unique index would then speak first, as a database error.
    @api.constrains("id_number", "state")
    def _check_active_id_number_unique(self):
        active = self.filtered(lambda e: e.state == "active" and e.id_number)
        if not active:
            return
        first_of = {}
        for elder in active:
            first = first_of.setdefault(elder.id_number, elder)
            if first != elder:
                raise self._duplicate_error(elder.id_number, first.id)
        # Plain SQL, as an ORM search would flush these very records first.
        self.env.cr.execute(
            SQL(
                "SELECT id_number, id FROM lbe_elder"
                " WHERE state = 'active' AND id_number IN %s AND id NOT IN %s LIMIT 1",
                tuple(first_of),
                tuple(active.ids),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            raise self._duplicate_error(*row)

    def _duplicate_error(self, number, other_id):
        # Constraints may run as superuser (after a workflow step): ask as the user.
        other = self.browse(other_id).with_user(self.env.uid)
        if other.has_access("read"):
            return ValidationError(
                _(
                    "The ID number %(number)s is already registered in the ledger "
                    "(%(name)s, %(village)s).",
                    number=number,
                    name=other.name,
                    village=other.region_id.complete_name,
                )
            )
        # The other record lies outside the user's area: say nothing of it, only
        # who can settle where the person lives.
        return ValidationError(
            _(
                "The ID number %(number)s is already registered in the ledger of another "
                "area. Ask your county's civil-affairs office, which can reach the other "
                "area, to settle where the person lives.",
                number=number,
            )
        )
