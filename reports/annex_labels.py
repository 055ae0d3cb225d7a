"""The printed wording of the summary table (Annex 2), in Chinese.

The forms are printed, signed and stamped as the province issued them, whatever
the user's interface language, so this wording is not translated. Annex 1's
wording lives beside the selections it prints, in models/annex1.py.
"""

# Both forms write dates alike.
from ..models.annex1 import zh_date  # noqa: F401

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
