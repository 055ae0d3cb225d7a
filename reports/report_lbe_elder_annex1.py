from odoo import _, api, models
from odoo.exceptions import AccessError

from ..annex import annex1
from ..models.tiers import SENSITIVE_GROUP


def tick(checked):
    """A box of the form: "（√）" when ticked, an empty pair of brackets otherwise."""
    return f"（{annex1.TICK}）" if checked else "（\u00a0\u00a0）"


def boxes(options, keys=None):
    """(key, form text) of the boxes the form prints, in the form's order."""
    return [(key, text) for key, _label, text in options if keys is None or key in keys]


def preparer(elder):
    """The name the form prints after 填表人: who filled the record in, else who
    registered it; never OdooBot, which loads the demo data and fills in no form."""
    users = (elder.filler_id | elder.registered_by_id).filtered(lambda u: not u._is_superuser())
    return users[:1].name or ""


def lines(text, width):
    """The text cut into lines of `width` characters, as the form's narrow cells print it."""
    return [text[start : start + width] for start in range(0, len(text), width)]


class ReportLbeElderAnnex1(models.AbstractModel):
    """Values of the registration form (Annex 1), one elder per page."""

    _name = "report.left_behind_elderly.report_lbe_elder_annex1"
    _description = "Registration Form (Annex 1)"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group(SENSITIVE_GROUP):
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
            "title": annex1.ANNEX1_TITLE,
            "notes": annex1.ANNEX1_NOTES,
            "labels": annex1.LABELS,
            "form_label": annex1.form_label,
            "unit": lambda key: annex1.fact(key).unit,
            "head": annex1.ANNEX1_HEAD,
            "rows": annex1.ANNEX1_ROWS,
            "multiple": annex1.ANNEX1_MULTIPLE,
            "signatures": annex1.ANNEX1_SIGNATURES,
            "lines": lines,
            "preparer": preparer,
            "ethnic_groups": annex1.texts(annex1.ETHNIC_GROUP_OPTIONS),
            "genders": annex1.texts(annex1.GENDER_OPTIONS),
            "health_boxes": boxes(annex1.HEALTH_OPTIONS),
            "education_boxes": boxes(annex1.EDUCATION_OPTIONS, annex1.EDUCATION_BOXES),
            "spouse_boxes": boxes(annex1.SPOUSE_OPTIONS),
            "income_boxes": boxes(annex1.INCOME_OPTIONS),
            "disability_categories": annex1.texts(annex1.DISABILITY_CATEGORY_OPTIONS),
            "disability_grades": annex1.texts(annex1.DISABILITY_GRADE_OPTIONS),
            "tick": tick,
            "figure": annex1.figure,
            "children_birth_dates": annex1.children_birth_dates,
            "last_home_visit": annex1.last_home_visit,
            "zh_date": annex1.zh_date,
        }
