"""The columns of the Excel import of the ledger, and how a cell becomes a value.

Headers, option texts, hints and units come from Annex 1's list of facts (annex/annex1.py), so
the template, its drop-downs, what the import accepts, the PDF and the ledger XLSX
share one wording. The messages are in Chinese, as the template they speak of: they
go into the error list and the error file the clerk corrects.
"""

import re
import unicodedata
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from ..annex import annex1, definition
from ..models.lbe_elder import (
    AWAY_MIN_AGE,
    EARLIEST_DATE,
    MAX_CHILDREN,
    max_years_away,
)
from ..models.lbe_elder_id_number import id_number_facts, normalize_id_number

# The template's columns, in order: Annex 1's facts.
KEYS = [fact.key for fact in annex1.FACTS]
# Each column's header, read from the facts when asked (the file's header is
# matched against it as it is read).
HEADER_OF = annex1.LABELS
# The header row as a list, for messages and files written at once.
HEADERS = [HEADER_OF[key] for key in KEYS]
# Without these a row cannot be registered: who, where, the summary's health
# bucket, and the definition's children away for a year or more.
REQUIRED = tuple(fact.key for fact in annex1.FACTS if fact.required)
INCOME_FIELDS = [field for field, _label, _text in annex1.INCOME_OPTIONS]
# Columns with fixed values: their options, for the drop-downs and the parsing.
OPTIONS = {fact.key: fact.options for fact in annex1.FACTS if fact.options}
DATE_KEYS = ("birth_date", "registration_date")
# The text columns, with the model and field each fills: the field bounds its length.
TEXT_KEYS = {
    "name": ("lbe.elder", "name"),
    "household_registration": ("lbe.elder", "household_registration"),
    "address": ("lbe.elder", "address"),
    "disease_type": ("lbe.elder", "disease_type"),
    "guardian_name": ("lbe.guardian", "name"),
    "guardian_address": ("lbe.guardian", "address"),
    "income_other": ("lbe.elder", "income_other_note"),
}
# A cell's value quoted in a message, and on an error line: the start of it.
QUOTE_LENGTH = 40
VALUE_LENGTH = 255
# Ticks people type besides "√"; anything else in an income column is an error.
TICKS = {annex1.TICK, "✓", "✔", "☑", "是"}
MAX_FIGURE = 999.9  # the ledger keeps reunions and days with digits (4, 1)

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_YEAR_MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})年?$"),
]
_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_DATE_LIST_SEPARATORS = re.compile(r"[;,、\s]+")
_PHONE = re.compile(r"^\+?\d{7,15}$")


class CellError(ValueError):
    """A cell's value the ledger cannot take; the message is for the clerk."""


def nfkc(value):
    """Full-width digits, letters and punctuation as half-width, trimmed; None when blank."""
    text = unicodedata.normalize("NFKC", value).strip()
    return text or None


def cell_text(value):
    """What a cell shows, as text: 3.0 as "3", a date as 2026-01-31."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return annex1.TICK if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def quoted(value, length=QUOTE_LENGTH):
    """A cell's value as a message quotes it: a long one cut short."""
    text = cell_text(value)
    return text if len(text) <= length else text[:length] + "…"


# ----------------------------------------------------------------------
# Kinds of values
# ----------------------------------------------------------------------
def parse_text(value, label, limit):
    text = None if is_blank(value) else cell_text(value)
    if text and len(text) > limit:
        raise CellError(f"{label}最多{limit}个字，这里有{len(text)}个字")
    return text


def parse_date(value, label, today):
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        text = nfkc(cell_text(value)) or ""
        text = _TIME_SUFFIX.sub("", text)
        day = None
        for pattern in _DATE_PATTERNS:
            found = pattern.match(text)
            if found:
                try:
                    day = date(*map(int, found.groups()))
                except ValueError:
                    day = None
                break
        if day is None:
            raise CellError(
                f"{label}“{quoted(value)}”不是有效日期，"
                "请填写如 2026-01-31、2026/1/31 或 2026年1月31日"
            )
    if day < EARLIEST_DATE:
        raise CellError(f"{label}不能早于1900年")
    if day > today:
        raise CellError(f"{label}不能晚于今天")
    return day


def parse_year_month(value, label, today):
    """A year and month (month None when only the year is known)."""
    if isinstance(value, datetime | date):
        year, month = value.year, value.month
    else:
        text = nfkc(cell_text(value)) or ""
        year = month = None
        for pattern in [*_DATE_PATTERNS, *_YEAR_MONTH_PATTERNS]:
            found = pattern.match(text)
            if found:
                parts = [int(part) for part in found.groups()]
                year, month = parts[0], parts[1] if len(parts) > 1 else None
                break
        if year is None or (month is not None and not 1 <= month <= 12):
            raise CellError(f"{label}“{quoted(value)}”应填写年月，如 2025-03 或 2025年3月")
    if year < EARLIEST_DATE.year:
        raise CellError(f"{label}不能早于1900年")
    if (year, month or 1) > (today.year, today.month):
        raise CellError(f"{label}不能晚于本月")
    return year, month


def parse_count(value, label, unit, maximum=None):
    """A whole number of zero or more, up to `maximum`; a unit after it ("3个",
    "2年") is allowed."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = value
    else:
        text = (nfkc(cell_text(value)) or "").removesuffix(unit)
        number = int(text) if text.isdigit() else None
    if number is None or number < 0 or not float(number).is_integer():
        raise CellError(f"{label}应为不小于0的整数")
    if maximum is not None and number > maximum:
        raise CellError(f"{label}不能超过{maximum}{unit}")
    return int(number)


def parse_figure(value, label, unit):
    """A number of zero or more, with one decimal at most kept."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    else:
        text = (nfkc(cell_text(value)) or "").removesuffix(unit)
        try:
            number = float(text)
        except ValueError:
            number = None
    if number is None or not 0 <= number <= MAX_FIGURE:
        raise CellError(f"{label}应为0至{MAX_FIGURE:g}之间的数字")
    return round(number, 1)


def _aliases(key, options):
    """What a cell may say for each option: the form's text, and its short form."""
    aliases = {}
    for option, _label, text in options:
        aliases[text] = option
        for suffix in ("族", "残疾"):
            if text.endswith(suffix) and len(text) > len(suffix):
                aliases.setdefault(text.removesuffix(suffix), option)
        if key == "disability_grade":
            aliases[option] = option
            aliases[f"{option}级"] = option
    return {nfkc(alias): option for alias, option in aliases.items()}


ALIASES = {key: _aliases(key, options) for key, options in OPTIONS.items()}


def option_texts(key):
    return [text for _key, _label, text in OPTIONS[key]]


def parse_option(value, key):
    found = ALIASES[key].get(nfkc(cell_text(value)) or "")
    if found is None:
        if key == "ethnic_group":
            hint = "56个民族的名称之一，如汉族、壮族、瑶族"
        else:
            hint = "、".join(option_texts(key))
        raise CellError(f"{HEADER_OF[key]}只能填写：{hint}")
    return found


def parse_tick(value, key, limit):
    """(ticked, note): "√" or blank; "其他" may carry a note (of `limit`
    characters at most) after a colon."""
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value), None
    text = nfkc(cell_text(value)) or ""
    if not text:
        return False, None
    if text in TICKS:
        return True, None
    if key == "income_other" and text[0] in TICKS and text[1:2] == ":":
        note = text[2:].strip() or None
        if note and len(note) > limit:
            raise CellError(f"{HEADER_OF[key]}的说明最多{limit}个字，这里有{len(note)}个字")
        return True, note
    if key == "income_other":
        raise CellError(f"{HEADER_OF[key]}只能填写“√”（可加“：说明”，如“√：养老金”）或留空")
    raise CellError(f"{HEADER_OF[key]}只能填写“√”或留空")


def parse_id_number(value):
    """A valid resident ID number; its (birth date, gender) come with it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel keeps 15 significant digits: an 18-digit number has lost its last ones.
        number = cell_text(value)
        try:
            return (number, *id_number_facts(number))
        except StdnumError as e:
            raise CellError(
                f"身份证号码以数字格式保存，已丢失末尾几位（读到{number}）；"
                "请将该列设为文本格式，重新填写完整的18位号码"
            ) from e
    number = normalize_id_number(cell_text(value))
    try:
        return (number, *id_number_facts(number))
    except ric.InvalidLength as e:
        raise CellError(f"身份证号码“{quoted(number)}”应为18位") from e
    except ric.InvalidChecksum as e:
        raise CellError(f"身份证号码“{quoted(number)}”校验位不正确") from e
    except ric.InvalidComponent as e:
        raise CellError(f"身份证号码“{quoted(number)}”中的出生日期或地区码不正确") from e
    except StdnumError as e:
        raise CellError(f"身份证号码“{quoted(number)}”只能由数字组成，最后一位可以是X") from e


def parse_village_code(value):
    code = nfkc(cell_text(value)) or ""
    if not re.fullmatch(r"\d{12}", code):
        raise CellError(f"村（居）委会代码“{quoted(code)}”应为12位数字（统计用区划代码）")
    return code


def parse_child_dates(value, today):
    if isinstance(value, datetime | date):
        parts = [value]
    else:
        parts = [p for p in _DATE_LIST_SEPARATORS.split(nfkc(cell_text(value)) or "") if p]
    label = annex1.LABELS["child_birth_dates"]
    return sorted(parse_date(part, label, today) for part in parts)


def parse_phone(value):
    text = re.sub(r"[\s\-()]", "", nfkc(cell_text(value)) or "")
    if not _PHONE.match(text):
        raise CellError(f"主要赡养人联系电话“{cell_text(value)}”格式不正确，应为7至15位数字")
    return text


def unit(key):
    """The unit the form prints after a fact's figure ("个", "年"…)."""
    return annex1.fact(key).unit


def parse_row(cells, today, limits):
    """The values of one row by key, and its problems as [(key, message)].

    A blank optional cell gives no value (an update leaves the fact as it is).
    `limits` are the characters each of TEXT_KEYS may hold (its field's).
    """
    values, errors = {}, []

    def take(key, parse):
        raw = cells.get(key)
        if is_blank(raw):
            if key in REQUIRED:
                errors.append((key, f"{HEADER_OF[key]}不能为空"))
            return
        try:
            values[key] = parse(raw)
        except CellError as e:
            errors.append((key, str(e)))

    for key in TEXT_KEYS:
        if key not in INCOME_FIELDS:
            take(key, lambda raw, key=key: parse_text(raw, HEADER_OF[key], limits[key]))
    take("id_number", parse_id_number)
    for key in DATE_KEYS:
        take(key, lambda raw, key=key: parse_date(raw, HEADER_OF[key], today))
    for key in OPTIONS:
        take(key, lambda raw, key=key: parse_option(raw, key))
    take("village_code", parse_village_code)
    take(
        "child_count",
        lambda raw: parse_count(raw, HEADER_OF["child_count"], unit("child_count"), MAX_CHILDREN),
    )
    take("child_birth_dates", lambda raw: parse_child_dates(raw, today))
    take("years_away", lambda raw: parse_count(raw, HEADER_OF["years_away"], unit("years_away")))
    take("last_home_visit", lambda raw: parse_year_month(raw, HEADER_OF["last_home_visit"], today))
    for key in ("reunions_per_year", "reunion_days_avg"):
        take(key, lambda raw, key=key: parse_figure(raw, HEADER_OF[key], unit(key)))
    for key in INCOME_FIELDS:
        take(key, lambda raw, key=key: parse_tick(raw, key, limits.get(key)))
    take("guardian_mobile", parse_phone)
    errors += _cross_checks(values, cells, today)
    return values, errors


def _cross_checks(values, cells, today):
    """The checks between cells, and the definition as registration applies it."""
    errors = []
    if "id_number" in values:
        _number, birth_date, gender = values["id_number"]
        if values.get("birth_date", birth_date) != birth_date:
            errors.append(
                (
                    "birth_date",
                    f"出生日期与身份证号码不一致（身份证号码中为{annex1.zh_date(birth_date)}）",
                )
            )
        if values.get("gender", gender) != gender:
            errors.append(("gender", "性别与身份证号码不一致"))
    dates = values.get("child_birth_dates") or []
    if "child_count" in values and len(dates) > values["child_count"]:
        errors.append(
            (
                "child_birth_dates",
                f"子女出生日期有{len(dates)}个，多于子女数量{values['child_count']}",
            )
        )
    birth_date = values["id_number"][1] if "id_number" in values else values.get("birth_date")
    # As the ledger bounds it, as of the registration (when the children left).
    most = max(max_years_away(birth_date, values.get("registration_date", today)), 0)
    errors += _definition_errors(values, birth_date, today, most)
    if values.get("years_away", 0) > most:
        errors.append(
            (
                "years_away",
                f"外出务工年限{values['years_away']}年超过了老人的年龄减{AWAY_MIN_AGE}岁，"
                f"最多{most}年",
            )
        )
    guardian_facts = ("guardian_gender", "guardian_address", "guardian_mobile")
    if "guardian_name" not in values and any(not is_blank(cells.get(k)) for k in guardian_facts):
        errors.append(("guardian_name", "填写了主要赡养人的其他信息，但缺少主要赡养人姓名"))
    return errors


def away_since(values, today):
    """The day the row's children left home: its years away counted back from its
    registration date (or today), as the import records them on the children."""
    return values.get("registration_date", today) - relativedelta(years=values["years_away"])


# The column of the row that holds each problem of the definition.
DEFINITION_COLUMNS = {
    definition.BIRTH_DATE_UNKNOWN: "birth_date",
    definition.UNDER_AGE: "id_number",
    definition.NO_CHILD: "child_count",
    definition.AWAY_SINCE_UNKNOWN: "years_away",
    definition.AWAY_TOO_SHORT: "years_away",
}


def _definition_errors(values, birth_date, today, most_years):
    """The definition as registration applies it: as of the row's registration date,
    on the children's dates the import records. A fact the row lacks, or years away
    beyond `most_years`, is reported already, not as a problem of the definition."""
    count = values.get("child_count")
    known_away = bool(count) and values.get("years_away", most_years + 1) <= most_years
    children = [away_since(values, today)] * count if known_away else []
    missing = {definition.BIRTH_DATE_UNKNOWN}
    if count is None or (count and not known_away):
        missing.add(definition.NO_CHILD)
    day = values.get("registration_date", today)
    return [
        (DEFINITION_COLUMNS[problem.key], f"{problem.words}，{definition.NOT_ELIGIBLE}")
        for problem in definition.problems(birth_date, children, day)
        if problem.key not in missing
    ]
