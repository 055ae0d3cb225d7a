"""The printed wording of the official forms (Annex 1 and Annex 2), in Chinese.

The forms are printed, signed and stamped as the province issued them, whatever
the user's interface language, so this wording is not translated.
"""

# GB/T 3304 codes, as the ledger stores them.
ETHNIC_GROUPS_ZH = {
    "01": "汉族", "02": "蒙古族", "03": "回族", "04": "藏族", "05": "维吾尔族",
    "06": "苗族", "07": "彝族", "08": "壮族", "09": "布依族", "10": "朝鲜族",
    "11": "满族", "12": "侗族", "13": "瑶族", "14": "白族", "15": "土家族",
    "16": "哈尼族", "17": "哈萨克族", "18": "傣族", "19": "黎族", "20": "傈僳族",
    "21": "佤族", "22": "畲族", "23": "高山族", "24": "拉祜族", "25": "水族",
    "26": "东乡族", "27": "纳西族", "28": "景颇族", "29": "柯尔克孜族", "30": "土族",
    "31": "达斡尔族", "32": "仫佬族", "33": "羌族", "34": "布朗族", "35": "撒拉族",
    "36": "毛南族", "37": "仡佬族", "38": "锡伯族", "39": "阿昌族", "40": "普米族",
    "41": "塔吉克族", "42": "怒族", "43": "乌孜别克族", "44": "俄罗斯族", "45": "鄂温克族",
    "46": "德昂族", "47": "保安族", "48": "裕固族", "49": "京族", "50": "塔塔尔族",
    "51": "独龙族", "52": "鄂伦春族", "53": "赫哲族", "54": "门巴族", "55": "珞巴族",
    "56": "基诺族",
}  # fmt: skip
GENDERS_ZH = {"male": "男", "female": "女"}
DISABILITY_CATEGORIES_ZH = {
    "vision": "视力残疾",
    "hearing": "听力残疾",
    "speech": "言语残疾",
    "physical": "肢体残疾",
    "intellectual": "智力残疾",
    "mental": "精神残疾",
    "multiple": "多重残疾",
}
DISABILITY_GRADES_ZH = {"1": "一级", "2": "二级", "3": "三级", "4": "四级"}
HEALTH_ZH = [("healthy", "健康"), ("disabled", "残疾"), ("ill", "患病")]
# The form offers four boxes; "college or above" ticks none of them.
EDUCATION_ZH = [
    ("illiterate", "文盲"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("senior", "高中或中专"),
]
SPOUSE_ZH = [("both_alive", "双方健在"), ("one_alive", "一方健在")]
INCOME_ZH = [
    ("income_children_wages", "子女打工收入"),
    ("income_farming", "种养殖业"),
    ("income_government_aid", "政府救助"),
    ("income_other", "其他"),
]
STATES_ZH = {"draft": "草稿", "active": "在册", "exited": "已退出"}

ANNEX1_TITLE = "农村留守老年人基本情况登记表"
ANNEX1_NOTES = [
    "注：1.农村留守老年人：指因子女全部离开县域或不设区的地市范围外出务工或经商等一年以上、"
    "留在农村生活、身边没有其他赡养人或者赡养人没有赡养能力的60周岁以上户籍老年人。",
    "2.农村留守老年人年龄计算截止时间为当年9月30日；选择项目在（ ）中划“√”。",
    "3.患病：指患有重特大疾病。",
    "4.每年团聚次数：最近五年内平均每年团聚次数。",
]

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


def zh_date(value):
    """2026-10-08 as 2026年10月8日; empty for no date."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""
