"""Annex 2 (农村留守老年人基本信息汇总表): its wording and its numbered columns, once.

The form is printed, signed and stamped as the province issued it, whatever the
user's interface language, so its wording is not translated. COLUMNS pairs each
numbered column with the summary line's field holding it and the field's label:
the line fields, their views and both printed forms (PDF and XLSX) are made from
it. The module imports no model, so that the models and the reports may both
import it.
"""

from typing import NamedTuple

# Both forms write dates alike.
from .annex1 import zh_date  # noqa: F401

ANNEX2_TITLE = "农村留守老年人基本信息汇总表"
# The annex leaves the head of the row-label column blank; the rows are the
# reporting unit's sub-regions.
ANNEX2_ROW_HEAD = "地区"
ANNEX2_TOTAL = "合计"
# The two-level header: (group label or None, [(column number, label), ...]).
# A column without a group spans both header rows.
ANNEX2_HEADER = [
    (None, [(1, "农村户籍留守老人总数")]),
    ("其中：", [(2, "60（含）-80岁"), (3, "80岁（含）以上")]),
    ("夫妻情况", [(4, "双方健在"), (5, "一方健在")]),
    ("健康状况", [(6, "健康"), (7, "残疾"), (8, "患病")]),
    ("子女情况", [(9, "1个"), (10, "2个"), (11, "3个及以上")]),
    (None, [(12, "子女外出务工或经商，一年以上未与父母共同生活")]),
    ("家庭主要经济来源", [(13, "子女打工"), (14, "种养殖业"), (15, "政府救助"), (16, "其他")]),
    (None, [(17, "60周岁以上农村户籍老年人数")]),
]
# The seed's text reads "钗稽", a PDF extraction slip for the term "钩稽".
ANNEX2_NOTES = [
    "注：1.农村留守老人年龄计算截止时间为当年9月30日。",
    "2.表间钩稽关系：1列=2列+3列=4列+5列=6列+7列+8列=9列+10列+11列=12列",
    "3.患病：指患有重特大疾病。",
]
ANNEX2_SIGNATURES = ["分管领导（签名）：", "填表人：（签名）"]


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
COLUMN_OF = {column.field: column for column in COLUMNS}
