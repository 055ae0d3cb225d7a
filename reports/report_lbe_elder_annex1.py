from odoo import _, api, models
from odoo.exceptions import AccessError

from ..models.lbe_elder import SENSITIVE
from .annex_labels import (
    ANNEX1_NOTES,
    ANNEX1_TITLE,
    DISABILITY_CATEGORIES_ZH,
    DISABILITY_GRADES_ZH,
    EDUCATION_ZH,
    ETHNIC_GROUPS_ZH,
    GENDERS_ZH,
    HEALTH_ZH,
    INCOME_ZH,
    SPOUSE_ZH,
    zh_date,
)


def tick(checked):
    """A box of the form: "（√）" when ticked, an empty pair of brackets otherwise."""
    return "（√）" if checked else "（\u00a0\u00a0）"


def figure(value):
    """1.0 as "1", 1.5 as "1.5", nothing for zero."""
    return f"{value:g}" if value else ""


def children_birth_dates(elder):
    return "、".join(zh_date(child.birth_date) for child in elder.child_ids if child.birth_date)


class ReportLbeElderAnnex1(models.AbstractModel):
    """Values of the registration form (Annex 1), one elder per page."""

    _name = "report.left_behind_elderly.report_lbe_elder_annex1"
    _description = "Registration Form (Annex 1)"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group(SENSITIVE):
            raise AccessError(
                _(
                    "The registration form holds ID numbers, health details and phones: "
                    "only the staff who keep the ledger print it."
                )
            )
        # Read as the user: the area rules decide which elders may be printed.
        elders = self.env["lbe.elder"].browse(docids)
        elders.check_access("read")
        self.env["lbe.audit.log"]._log("print_annex1", elders)
        return {
            "doc_ids": docids,
            "doc_model": "lbe.elder",
            "docs": elders,
            "title": ANNEX1_TITLE,
            "notes": ANNEX1_NOTES,
            "ethnic_groups": ETHNIC_GROUPS_ZH,
            "genders": GENDERS_ZH,
            "health_boxes": HEALTH_ZH,
            "education_boxes": EDUCATION_ZH,
            "spouse_boxes": SPOUSE_ZH,
            "income_boxes": INCOME_ZH,
            "disability_categories": DISABILITY_CATEGORIES_ZH,
            "disability_grades": DISABILITY_GRADES_ZH,
            "tick": tick,
            "figure": figure,
            "children_birth_dates": children_birth_dates,
            "zh_date": zh_date,
        }
