"""Annex 1 (农村留守老年人基本情况登记表): its facts, their options and their wording, once.

Every option is (key stored in the ledger, English label of the interface, text of the form).
FACTS lists the facts in order, each with its wording, options and format hint. The
models' selections, the Annex 1 PDF, the ledger XLSX and the Excel import (its template,
its drop-downs and what it accepts) all read them here, so that one fact reads the same
wherever it is printed. The form's wording is printed as the province issued it, whatever the
interface language, so it is not translated; the English labels are, as the fields'
selections.
"""

from collections.abc import Mapping
from typing import NamedTuple

# GB/T 3304 codes and the 56 ethnic groups, in the standard's order.
ETHNIC_GROUP_OPTIONS = [
    ("01", "Han", "汉族"), ("02", "Mongol", "蒙古族"), ("03", "Hui", "回族"),
    ("04", "Tibetan", "藏族"), ("05", "Uyghur", "维吾尔族"), ("06", "Miao", "苗族"),
    ("07", "Yi", "彝族"), ("08", "Zhuang", "壮族"), ("09", "Buyei", "布依族"),
    ("10", "Korean", "朝鲜族"), ("11", "Manchu", "满族"), ("12", "Dong", "侗族"),
    ("13", "Yao", "瑶族"), ("14", "Bai", "白族"), ("15", "Tujia", "土家族"),
    ("16", "Hani", "哈尼族"), ("17", "Kazakh", "哈萨克族"), ("18", "Dai", "傣族"),
    ("19", "Li", "黎族"), ("20", "Lisu", "傈僳族"), ("21", "Va", "佤族"),
    ("22", "She", "畲族"), ("23", "Gaoshan", "高山族"), ("24", "Lahu", "拉祜族"),
    ("25", "Sui", "水族"), ("26", "Dongxiang", "东乡族"), ("27", "Naxi", "纳西族"),
    ("28", "Jingpo", "景颇族"), ("29", "Kyrgyz", "柯尔克孜族"), ("30", "Tu", "土族"),
    ("31", "Daur", "达斡尔族"), ("32", "Mulao", "仫佬族"), ("33", "Qiang", "羌族"),
    ("34", "Blang", "布朗族"), ("35", "Salar", "撒拉族"), ("36", "Maonan", "毛南族"),
    ("37", "Gelao", "仡佬族"), ("38", "Xibe", "锡伯族"), ("39", "Achang", "阿昌族"),
    ("40", "Pumi", "普米族"), ("41", "Tajik", "塔吉克族"), ("42", "Nu", "怒族"),
    ("43", "Uzbek", "乌孜别克族"), ("44", "Russian", "俄罗斯族"), ("45", "Evenki", "鄂温克族"),
    ("46", "De'ang", "德昂族"), ("47", "Bonan", "保安族"), ("48", "Yugur", "裕固族"),
    ("49", "Gin", "京族"), ("50", "Tatar", "塔塔尔族"), ("51", "Derung", "独龙族"),
    ("52", "Oroqen", "鄂伦春族"), ("53", "Hezhen", "赫哲族"), ("54", "Monba", "门巴族"),
    ("55", "Lhoba", "珞巴族"), ("56", "Jino", "基诺族"),
]  # fmt: skip
GENDER_OPTIONS = [("male", "Male", "男"), ("female", "Female", "女")]
HEALTH_OPTIONS = [
    ("healthy", "Healthy", "健康"),
    ("disabled", "Disabled", "残疾"),
    ("ill", "Ill", "患病"),
]
DISABILITY_CATEGORY_OPTIONS = [
    ("vision", "Visual", "视力残疾"),
    ("hearing", "Hearing", "听力残疾"),
    ("speech", "Speech", "言语残疾"),
    ("physical", "Physical", "肢体残疾"),
    ("intellectual", "Intellectual", "智力残疾"),
    ("mental", "Mental", "精神残疾"),
    ("multiple", "Multiple", "多重残疾"),
]
DISABILITY_GRADE_OPTIONS = [
    ("1", "Grade 1", "一级"),
    ("2", "Grade 2", "二级"),
    ("3", "Grade 3", "三级"),
    ("4", "Grade 4", "四级"),
]
# The form offers the first four boxes only: "college or above" ticks none of
# them on the PDF; the ledger XLSX and the import name it.
EDUCATION_OPTIONS = [
    ("illiterate", "Illiterate", "文盲"),
    ("primary", "Primary School", "小学"),
    ("junior", "Junior Secondary School", "初中"),
    ("senior", "Senior Secondary or Vocational School", "高中或中专"),
    ("college", "College or Above", "大专及以上"),
]
EDUCATION_BOXES = ("illiterate", "primary", "junior", "senior")
SPOUSE_OPTIONS = [
    ("both_alive", "Both alive", "双方健在"),
    ("one_alive", "One alive", "一方健在"),
]
# Not on the form: the ledger XLSX prints it, in the words of the interface's
# Chinese translation (已登记, not 在册), so that a list and a file agree.
STATE_OPTIONS = [
    ("draft", "Draft", "草稿"),
    ("active", "Registered", "已登记"),
    ("exited", "Exited", "已退出"),
]
# Income sources are booleans, several per elder: (field, English label, form text).
INCOME_OPTIONS = [
    ("income_children_wages", "Income: Children's Wages", "子女打工收入"),
    ("income_farming", "Income: Farming", "种养殖业"),
    ("income_government_aid", "Income: Government Assistance", "政府救助"),
    ("income_other", "Income: Other", "其他"),
]
# The form's box, ticked: "（√）" on the PDF, "√" in a spreadsheet cell.
TICK = "√"


def selection(options):
    """The (key, English label) pairs of a field's selection."""
    return [(key, label) for key, label, _text in options]


def texts(options):
    """The form's text of each key."""
    return {key: text for key, _label, text in options}


class Fact(NamedTuple):
    """One fact of Annex 1, as every printed or imported form of the ledger names it."""

    key: str  # the import's column key; the elder's field where they agree
    label: str  # the annex's wording: the PDF's label, the template's and the ledger's header
    options: list | None = None  # (key, English label, form text) of a fact with fixed values
    hint: str = ""  # what the import template's cell takes
    required: bool = False  # the import cannot register a row without it
    unit: str = ""  # printed after the figure on the form; the import takes it after one
    form_label: str | None = None  # the PDF's shorter wording, inside a row of several facts
    # The elder's field holding the fact: "" for the field named as the key, None
    # where the ledger keeps it on other records (the village, the children, the
    # main supporter).
    stored: str | None = ""
    # When the ledger lists the fact as missing while it is blank: always (True),
    # never (False), or only for elders of that health status.
    needed: bool | str = True
    # The field's label, where the annex's wording needs its row's to stand alone
    # on the ledger's form; tools/update_translations.sh writes the Chinese
    # labels of the fields from here.
    field_label: str | None = None

    @property
    def field(self):
        """The elder's field holding the fact, or None."""
        return self.key if self.stored == "" else self.stored

    @property
    def ledger_label(self):
        """The Chinese label of the fact's field on the ledger's screens."""
        return self.field_label or self.label


# An income box's label on the ledger's form, away from its row of the annex.
INCOME_FIELD_LABEL = "经济来源："

# Annex 1's facts, in the import template's order. The form's wording of each is
# here once: the PDF, the import template, the ledger XLSX and the import read it.
FACTS = [
    Fact("name", "姓名", hint="必填", required=True, needed=False),
    Fact(
        "id_number",
        "身份证号码",
        hint="必填；18位，最后一位可为X；请保持文本格式，以免Excel丢失末尾几位",
        required=True,
    ),
    Fact(
        "birth_date",
        "出生日期",
        hint="可不填（以身份证号码为准）；填写时须与身份证号码一致，如 1950-03-15",
    ),
    Fact("gender", "性别", GENDER_OPTIONS, "可不填（以身份证号码为准）：男、女"),
    Fact("ethnic_group", "民族", ETHNIC_GROUP_OPTIONS, "56个民族之一，如汉族"),
    Fact("household_registration", "户籍所在地"),
    Fact("address", "现居住地址"),
    Fact(
        "village_code",
        "村（居）委会代码",
        hint="必填；村（居）委会的12位统计用区划代码，须在您负责的地区内",
        required=True,
        stored=None,
        needed=False,
    ),
    Fact(
        "health_status",
        "身体情况",
        HEALTH_OPTIONS,
        "必填：健康、残疾、患病（既残疾又患病的，选主要情况）",
        required=True,
        needed=False,
    ),
    Fact(
        "disability_category",
        "残疾类别",
        DISABILITY_CATEGORY_OPTIONS,
        "残疾的，填写残疾类别",
        needed="disabled",
    ),
    Fact("disability_grade", "残疾等级", DISABILITY_GRADE_OPTIONS, "一级至四级", needed=False),
    Fact("disease_type", "患病类型", hint="患病的，填写所患重特大疾病", needed="ill"),
    Fact("education", "文化程度", EDUCATION_OPTIONS, "文盲、小学、初中、高中或中专、大专及以上"),
    Fact("spouse_status", "夫妻情况", SPOUSE_OPTIONS, "双方健在、一方健在"),
    Fact(
        "child_count",
        "子女数量",
        hint="必填；至少1个",
        required=True,
        unit="个",
        stored="child_count",
        needed=False,
    ),
    Fact(
        "child_birth_dates",
        "子女出生日期",
        hint="每个子女的出生日期，用“；”分隔，如 1975-06-01；1978-09-12",
        form_label="出生日期分别为",
        stored=None,
    ),
    Fact(
        "years_away",
        "外出务工年限",
        hint="必填；子女外出务工的整年数，至少1年",
        required=True,
        unit="年",
    ),
    Fact(
        "last_home_visit",
        "最近一次回家探望时间",
        hint="年月，如 2025-03 或 2025年3月",
        stored="last_home_visit_year",
        field_label="最近一次回家探望（年）",
    ),
    Fact(
        "reunions_per_year",
        "每年团聚次数",
        hint="最近五年内平均每年团聚次数",
        unit="次",
        needed=False,
    ),
    Fact(
        "reunion_days_avg",
        "平均天数",
        hint="每次团聚的平均天数",
        unit="天",
        needed=False,
        field_label="平均每次团聚天数",
    ),
    # The four sources are one question: the ledger asks that one is ticked.
    *(
        Fact(
            field,
            text,
            hint="是则填“√”，可多选"
            if field != "income_other"
            else "是则填“√”，可加说明，如“√：养老金”",
            needed=False,
            field_label=f"{INCOME_FIELD_LABEL}{text}",
        )
        for field, _label, text in INCOME_OPTIONS
    ),
    Fact("guardian_name", "主要赡养人姓名", form_label="姓名", stored=None, needed=False),
    Fact(
        "guardian_gender",
        "主要赡养人性别",
        GENDER_OPTIONS,
        form_label="性别",
        stored=None,
        needed=False,
    ),
    Fact(
        "guardian_address", "主要赡养人联系地址", form_label="联系地址", stored=None, needed=False
    ),
    Fact(
        "guardian_mobile",
        "主要赡养人联系电话",
        hint="手机号码",
        form_label="联系电话（手机）",
        stored=None,
    ),
    Fact(
        "registration_date",
        "登记日期",
        hint="可不填（默认为导入当天），如 2026-01-31",
        needed=False,
    ),
]


def elder_fields(needed=None):
    """The elder's fields holding facts, in FACTS' order; with `needed`, only
    those the ledger lists as missing while blank (True: always)."""
    return [
        item.field for item in FACTS if item.field and (needed is None or item.needed == needed)
    ]


def fact(key):
    """The fact of `key`, read from FACTS when asked."""
    found = next((item for item in FACTS if item.key == key), None)
    if found is None:
        raise KeyError(key)
    return found


class _Labels(Mapping):
    """Each fact's label by key, read from FACTS when asked: whoever holds LABELS
    prints the wording FACTS has at that moment."""

    def __getitem__(self, key):
        return fact(key).label

    def __iter__(self):
        return (item.key for item in FACTS)

    def __len__(self):
        return len(FACTS)


LABELS = _Labels()


def form_label(key):
    """The fact's wording on the PDF, inside a row of several facts."""
    item = fact(key)
    return item.form_label or item.label


# The PDF's own wording around the facts: its head, the labels of its sections
# and of its rows of several facts, and its signatures.
ANNEX1_HEAD = {"unit": "填报单位：", "stamp": "（盖章）", "date": "填报日期："}
ANNEX1_ROWS = {
    "basic": "基本情况",
    "family": "家庭情况",
    "disability": "残疾类别及等级",
    "children": "子女情况",
    "children_away": "子女外出务工情况",
    "income": "家庭经济来源情况",
    "supporter": "主要赡养人或扶养人情况",
}
ANNEX1_MULTIPLE = "以上选项可多选"
ANNEX1_SIGNATURES = ["单位负责人（签名）：", "复核人（签名）：", "填表人（签名）："]

ANNEX1_TITLE = "农村留守老年人基本情况登记表"
ANNEX1_NOTES = [
    "注：1.农村留守老年人：指因子女全部离开县域或不设区的地市范围外出务工或经商等一年以上、"
    "留在农村生活、身边没有其他赡养人或者赡养人没有赡养能力的60周岁以上户籍老年人。",
    "2.农村留守老年人年龄计算截止时间为当年9月30日；选择项目在（ ）中划“√”。",
    "3.患病：指患有重特大疾病。",
    "4.每年团聚次数：最近五年内平均每年团聚次数。",
]
# Children's birth dates are listed with the enumeration comma on the form; the
# import also takes the separators people type (；; ，, and line breaks).
DATE_LIST_SEPARATOR = "、"


# ----------------------------------------------------------------------
# One text per fact, for the PDF and the XLSX alike
# ----------------------------------------------------------------------
def zh_date(value):
    """2026-10-08 as 2026年10月8日; empty for no date."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def year_month(year, month):
    """2025 and "3" as 2025年3月; 2025年 when the month is unknown; empty without a year."""
    if not year:
        return ""
    return f"{year}年{month}月" if month else f"{year}年"


def figure(value):
    """1.0 as "1", 1.5 as "1.5", nothing for zero (a count not filled in)."""
    return f"{value:g}" if value else ""


def children_birth_dates(elder):
    """The known birth dates of the children, in birth order; a child without one is
    counted in the number of children but not listed."""
    return DATE_LIST_SEPARATOR.join(
        zh_date(child.birth_date) for child in elder.child_ids if child.birth_date
    )


def last_home_visit(elder):
    return year_month(elder.last_home_visit_year, elder.last_home_visit_month)


def income_text(elder, field):
    """ "√" when the source is ticked, with the note of "other" after a colon."""
    if not elder[field]:
        return ""
    if field == "income_other" and elder.income_other_note:
        return f"{TICK}：{elder.income_other_note}"
    return TICK
