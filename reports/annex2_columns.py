"""Annex 2's numbered columns: the one list the summary lines' fields, their views
and both printed forms (PDF and XLSX) are made from.

The form's numbers, groups and printed wording are ANNEX2_HEADER's; this module
pairs each column with the field holding it and the field's label. It imports
no model, so that the models and the reports may both import it.
"""

from typing import NamedTuple

from .annex_labels import ANNEX2_HEADER


class Column(NamedTuple):
    """One numbered column of Annex 2."""

    number: int
    field: str
    label: str  # the field's label, without the number
    text: str  # the form's printed wording
    group: str | None  # the printed label of its group; None: spans both header rows


# The field holding each column and its label, in the form's order: paired with
# ANNEX2_HEADER column by column, so that nothing of a column is written twice.
COUNT_FIELD_LABELS = [
    ("total_count", "Left-behind Elders"),
    ("age_60_79_count", "Aged 60-79"),
    ("age_80_plus_count", "Aged 80+"),
    ("both_spouses_alive_count", "Both Spouses Alive"),
    ("one_spouse_alive_count", "One Spouse Alive"),
    ("healthy_count", "Healthy"),
    ("disabled_count", "Disabled"),
    ("ill_count", "Ill"),
    ("one_child_count", "One Child"),
    ("two_children_count", "Two Children"),
    ("three_plus_children_count", "Three or More Children"),
    ("children_away_count", "Children Away a Year or More"),
    ("income_children_wages_count", "Income: Children's Wages"),
    ("income_farming_count", "Income: Farming"),
    ("income_government_aid_count", "Income: Government Assistance"),
    ("income_other_count", "Income: Other"),
    ("rural_elderly_60_plus_count", "Rural Residents Aged 60+"),
]
COLUMNS = [
    Column(number, field, label, text, group)
    for (group, number, text), (field, label) in zip(
        ((group, number, text) for group, columns in ANNEX2_HEADER for number, text in columns),
        COUNT_FIELD_LABELS,
        strict=True,
    )
]
# The form's two-level header: (group label or None, [Column, ...]).
COLUMN_GROUPS = [
    (group, [next(c for c in COLUMNS if c.number == number) for number, _text in columns])
    for group, columns in ANNEX2_HEADER
]
