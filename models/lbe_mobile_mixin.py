import re
import unicodedata

from odoo import _, api, models
from odoo.exceptions import ValidationError

# A mainland mobile number, after an optional country code. The number is dialled
# and texted by the village, and is a supporter's login to the family portal:
# landlines, numbers abroad and any other text are refused.
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# What people type between the digits; NFKC has already made full-width forms ASCII.
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.()]")


def normalize_mobile(value):
    """'+86 139-1234-5678' or '１３９１２３４５６７８' as '13912345678'; None when the
    value is not a mainland mobile number. The ledger's models and the import of
    Annex 1 sheets both store what this returns."""
    if value is None or value is False:
        return None
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value)))
    match = _MOBILE.fullmatch(text)
    return match.group(1) if match else None


class LbeMobileMixin(models.AbstractModel):
    """Mobile numbers stored as the 11 digits of a mainland mobile number.

    A model lists its mobile fields in `_lbe_mobile_fields`; what is written to
    them is normalised, and what cannot be is refused."""

    _name = "lbe.mobile.mixin"
    _description = "Mobile Numbers"
    _lbe_mobile_fields = ()

    @api.constrains(lambda self: self._lbe_mobile_fields)
    def _check_mobile(self):
        for record in self.sudo():
            for name in self._lbe_mobile_fields:
                value = record[name]
                if value and normalize_mobile(value) != value:
                    shown = value if len(value) <= 20 else value[:20] + "…"
                    raise ValidationError(
                        _(
                            "%(name)s: the %(field)s “%(value)s” is not a mainland mobile "
                            "number; give its 11 digits, such as 13912345678.",
                            name=record.display_name,
                            field=self._fields[name]._description_string(self.env),
                            value=shown,
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._lbe_normalize_mobiles(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._lbe_normalize_mobiles(vals))

    def _lbe_normalize_mobiles(self, vals):
        """The values with each mobile number normalised; one that is no mobile
        number is left as typed, for the constraint to refuse by name."""
        normalized = {
            name: normalize_mobile(vals[name])
            for name in self._lbe_mobile_fields
            if vals.get(name) and normalize_mobile(vals[name])
        }
        return {**vals, **normalized} if normalized else vals
