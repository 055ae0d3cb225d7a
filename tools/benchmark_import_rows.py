"""The synthetic elders of tools/benchmark_import.py, written twice: as the import
template's XLSX (for the addon's wizard) and as a file mapped to lbe.elder's fields
(for base_import)."""

import csv
import random
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from addon import ADDON_DIR, annex1, tiers
from dateutil.relativedelta import relativedelta
from stdnum.cn import ric

COUNTY = "440111"  # 白云区, 广州市

# The import template's columns, in its order: Annex 1's facts.
TEMPLATE_HEADERS = [annex1.LABELS[fact.key] for fact in annex1.FACTS]
CHILD_COLUMNS = ("child_ids/name", "child_ids/birth_date", "child_ids/away_since")
# base_import's columns for the facts not held by one field of the elder.
BASE_COLUMNS_OF = {
    "village_code": ["region_id/id"],
    "child_count": [],
    "child_birth_dates": list(CHILD_COLUMNS),
    "last_home_visit": ["last_home_visit_year", "last_home_visit_month"],
    "guardian_mobile": ["guardian_ids/mobile", "guardian_ids/is_primary"],
}


def _base_columns(fact):
    if fact.key in BASE_COLUMNS_OF:
        return BASE_COLUMNS_OF[fact.key]
    if fact.key.startswith("guardian_"):
        return ["guardian_ids/" + fact.key.removeprefix("guardian_")]
    return [fact.field]


# base_import's columns: lbe.elder's fields, sub-rows for the children, in the
# facts' order.
BASE_HEADERS = [column for fact in annex1.FACTS for column in _base_columns(fact)]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯叶邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = "秀英桂兰玉珍凤芳兰华明国强建平志伟德金荣海春福生永清英林文泉观妹娣娇贵"


def _options(options, keys):
    """(key, the form's text) of Annex 1's `options`, for each of `keys` (a key
    repeated is drawn more often)."""
    texts = annex1.texts(options)
    return [(key, texts[key]) for key in keys]


# The facts' values drawn, in Annex 1's wording.
ETHNIC = _options(annex1.ETHNIC_GROUP_OPTIONS, ["01"] * 18 + ["08", "13", "22"])
HEALTH = _options(annex1.HEALTH_OPTIONS, ["healthy"] * 3 + ["disabled", "ill"])
DISABILITY = _options(
    annex1.DISABILITY_CATEGORY_OPTIONS, ["vision", "hearing", "physical", "intellectual"]
)
GRADES = _options(annex1.DISABILITY_GRADE_OPTIONS, ["1", "2", "3", "4"])
EDUCATION = _options(annex1.EDUCATION_OPTIONS, ["illiterate", "primary", "junior", "senior"])
SPOUSE = _options(annex1.SPOUSE_OPTIONS, ["both_alive", "one_alive"])
GENDER_TEXT = annex1.texts(annex1.GENDER_OPTIONS)
INCOMES = [field for field, _label, _text in annex1.INCOME_OPTIONS]
TICK = annex1.TICK
STREETS = ("西乡", "福永", "沙井")
DISEASES = ["高血压", "糖尿病", "脑卒中后遗症", "慢性阻塞性肺疾病", "冠心病"]
CHILD_DATES_SEPARATOR = "；"


# ----------------------------------------------------------------------
def county_villages():
    """(code, township name, village name) of the county's villages, from the addon's data."""
    path = ADDON_DIR / "data" / "lbe_region_guangdong.csv"
    with path.open(encoding="utf-8") as f:
        units = list(csv.DictReader(f))
    names = {unit["code"]: unit["name"] for unit in units}
    villages = [
        (unit["code"], names[unit["parent_code"]], unit["name"])
        for unit in units
        if unit["level"] == tiers.VILLAGE and unit["code"].startswith(COUNTY)
    ]
    # Rural ones: village committees (村委会) have codes 200-399, urban residents'
    # committees (居委会) 001-199.
    rural = [village for village in villages if "200" <= village[0][-3:] <= "399"]
    return rural or villages


def elders(count, today, seed=20261128):
    """count synthetic elders, the same for a seed and a day: one dict each."""
    rng = random.Random(seed)
    villages = county_villages()
    first_birth = date(1935, 1, 1)
    registered_from = date(today.year - 2, 1, 1)
    # Aged 60 or more when registered: the definition holds as of the registration
    # date (annex/definition.py).
    birth_days = (registered_from - relativedelta(years=60) - first_birth).days
    if count > birth_days * 100:
        raise SystemExit(f"At most {birth_days * 100} unique ID numbers from one county.")
    for n in range(count):
        # Unique ID numbers: a birth date per n, and a sequence per round of dates.
        birth = first_birth + relativedelta(days=n % birth_days)
        gender = "male" if rng.random() < 0.48 else "female"
        digit = rng.choice("13579" if gender == "male" else "02468")
        base = f"{COUNTY}{birth:%Y%m%d}{(n // birth_days):02d}{digit}"
        # calc_check_digit() reads 18 characters and ignores the last.
        id_number = base + ric.calc_check_digit(base + "0")
        code, township, village = villages[n % len(villages)]
        surname = rng.choice(SURNAMES)
        name = surname + "".join(rng.choice(GIVEN) for _i in range(rng.choice((1, 2))))
        health = rng.choice(HEALTH)
        children = []
        for k in range(rng.choice((1, 2, 2, 3))):
            year = birth.year + 22 + 3 * k
            children.append(date(year, rng.randint(1, 12), rng.randint(1, 28)))
        years_away = rng.randint(2, 15)
        visit = today - relativedelta(months=rng.randint(1, 24))
        incomes = {field: rng.random() < 0.4 for field in INCOMES}
        if not any(incomes.values()):
            incomes["income_children_wages"] = True
        guardian_gender = rng.choice(("male", "female"))
        registered = registered_from + relativedelta(days=n % 600)
        yield {
            "name": name,
            "id_number": id_number,
            "birth_date": birth,
            "gender": gender,
            "ethnic_group": rng.choice(ETHNIC),
            "household_registration": f"广东省广州市白云区{township}{village}",
            "address": f"{township}{village}{rng.randint(1, 300)}号",
            "village_code": code,
            "health": health,
            "disability": (rng.choice(DISABILITY), rng.choice(GRADES))
            if health[0] == "disabled"
            else None,
            "disease": rng.choice(DISEASES) if health[0] == "ill" else "",
            "education": rng.choice(EDUCATION),
            "spouse": rng.choice(SPOUSE),
            "children": children,
            "years_away": years_away,
            # As the wizard dates the children's leaving: the years away before registration.
            "away_since": registered - relativedelta(years=years_away),
            "last_visit": (visit.year, visit.month),
            "reunions": rng.randint(1, 4),
            "reunion_days": rng.choice((3, 5, 7, 7.5, 10, 15)),
            "incomes": incomes,
            "guardian": (
                surname + rng.choice(GIVEN) + rng.choice(GIVEN),
                guardian_gender,
                f"广东省深圳市宝安区{rng.choice(STREETS)}街道{rng.randint(1, 99)}号",
                f"13{rng.randint(0, 9)}{n:08d}",
            ),
            "registration_date": registered,
        }


def template_row(elder):
    """The elder as a row of the import template (cells in TEMPLATE_HEADERS' order)."""
    (_category, category), (_grade, grade) = elder["disability"] or (("", ""), ("", ""))
    guardian_name, guardian_gender, guardian_address, guardian_mobile = elder["guardian"]
    year, month = elder["last_visit"]
    return [
        elder["name"],
        elder["id_number"],
        elder["birth_date"],
        GENDER_TEXT[elder["gender"]],
        elder["ethnic_group"][1],
        elder["household_registration"],
        elder["address"],
        elder["village_code"],
        elder["health"][1],
        category,
        grade,
        elder["disease"],
        elder["education"][1],
        elder["spouse"][1],
        len(elder["children"]),
        CHILD_DATES_SEPARATOR.join(f"{day:%Y-%m-%d}" for day in elder["children"]),
        elder["years_away"],
        f"{year}-{month:02d}",
        elder["reunions"],
        elder["reunion_days"],
        *(TICK if elder["incomes"][field] else "" for field in INCOMES),
        guardian_name,
        GENDER_TEXT[guardian_gender],
        guardian_address,
        guardian_mobile,
        elder["registration_date"],
    ]


def base_rows(elder):
    """The elder as base_import rows (BASE_HEADERS' order): one per child, the
    elder's own columns on the first only."""
    (category, _text), (grade, _grade_text) = elder["disability"] or (("", ""), ("", ""))
    guardian_name, guardian_gender, guardian_address, guardian_mobile = elder["guardian"]
    year, month = elder["last_visit"]
    own = {
        "name": elder["name"],
        "id_number": elder["id_number"],
        "birth_date": elder["birth_date"].isoformat(),
        "gender": elder["gender"],
        "ethnic_group": elder["ethnic_group"][0],
        "household_registration": elder["household_registration"],
        "address": elder["address"],
        "region_id/id": f"left_behind_elderly.region_{elder['village_code']}",
        "health_status": elder["health"][0],
        "disability_category": category,
        "disability_grade": grade,
        "disease_type": elder["disease"],
        "education": elder["education"][0],
        "spouse_status": elder["spouse"][0],
        "years_away": str(elder["years_away"]),
        "last_home_visit_year": str(year),
        "last_home_visit_month": str(month),
        "reunions_per_year": str(elder["reunions"]),
        "reunion_days_avg": str(elder["reunion_days"]),
        **{field: "1" if elder["incomes"][field] else "0" for field in INCOMES},
        "guardian_ids/name": guardian_name,
        "guardian_ids/gender": guardian_gender,
        "guardian_ids/address": guardian_address,
        "guardian_ids/mobile": guardian_mobile,
        "guardian_ids/is_primary": "1",
        "registration_date": elder["registration_date"].isoformat(),
    }
    rows = []
    for number, birth in enumerate(elder["children"], start=1):
        values = own if number == 1 else {}
        child = {
            "child_ids/name": f"子女{number}",
            "child_ids/birth_date": birth.isoformat(),
            "child_ids/away_since": elder["away_since"].isoformat(),
        }
        rows.append([{**values, **child}.get(header, "") for header in BASE_HEADERS])
    return rows


def write_files(count, folder, base_format, today):
    """The template XLSX and the base_import file of count elders; their paths."""
    template = Path(folder) / f"elders_{count}_template.xlsx"
    base = Path(folder) / f"elders_{count}_base_import.{base_format}"
    # constant_memory: rows go to disk as they are written, whatever the size.
    book = xlsxwriter.Workbook(str(template), {"constant_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("台账")
    sheet.write_row(0, 0, TEMPLATE_HEADERS)
    if base_format == "csv":
        base_file = base.open("w", encoding="utf-8", newline="")
        base_writer = csv.writer(base_file)
        base_writer.writerow(BASE_HEADERS)
        write_base = base_writer.writerow
    else:
        base_book = xlsxwriter.Workbook(str(base), {"constant_memory": True})
        base_sheet = base_book.add_worksheet("lbe.elder")
        base_sheet.write_row(0, 0, BASE_HEADERS)
        base_line = [0]

        def write_base(values):
            base_line[0] += 1
            # As text, as a spreadsheet keeps an ID number or a code.
            for col, value in enumerate(values):
                if value != "":
                    base_sheet.write_string(base_line[0], col, value)

    lines = 0
    for row, elder in enumerate(elders(count, today), start=1):
        for col, value in enumerate(template_row(elder)):
            if isinstance(value, date):
                sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, int | float):
                sheet.write_number(row, col, value)
            elif value != "":
                # Text cells, as the template's (ID numbers and codes keep their digits).
                sheet.write_string(row, col, value)
        for values in base_rows(elder):
            write_base(values)
            lines += 1
    book.close()
    if base_format == "csv":
        base_file.close()
    else:
        base_book.close()
    return template, base, lines
