"""The legal definition of a rural left-behind elder (Annex 1, note 1), once.

农村留守老年人: aged 60 or more, every child away (working or trading away from
home) for a year or more, living in a village. Registration (as of the
registration date), the Excel import (the same, from the row's figures) and the
yearly summary (as of 30 September, in SQL) all read it here.

Plain values only (dates, lists of dates), no model: the models, the wizards and the
summary's SQL import it alike. The village is the ledger's constraint on every
record (lbe.elder's region is a village), and whether another supporter lives
with the elder is the clerk's judgement, not a fact of the ledger.

An elder meeting the definition on a day meets it on every later day while the
facts stand (age and time away only grow): registering as of the registration date
makes every later 30 September count the elder in column 12 as in column 1.

The problems are keys with the fact behind them, worded in Chinese as the annex
defines them: the import's error list, the refusal of registration and the reason
shown beside an elder of a failed cross-check say the same words.
"""

from datetime import date
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from .annex1 import year_month, zh_date

MIN_AGE = 60
MIN_YEARS_AWAY = 1
# Annex 1, note 2 and Annex 2, note 1: ages are counted as of 30 September.
CUTOFF_MONTH, CUTOFF_DAY = 9, 30
NOT_ELIGIBLE = "不符合农村留守老年人的认定条件"

BIRTH_DATE_UNKNOWN = "birth_date_unknown"
UNDER_AGE = "under_age"
NO_CHILD = "no_child"
AWAY_SINCE_UNKNOWN = "away_since_unknown"
AWAY_TOO_SHORT = "away_too_short"


class Problem(NamedTuple):
    """What keeps an elder from the definition on a day: a key and its fact (a date)."""

    key: str
    fact: date | None = None

    @property
    def words(self):
        """The problem in the annex's words."""
        if self.key == BIRTH_DATE_UNKNOWN:
            return "出生日期未填写"
        if self.key == UNDER_AGE:
            return f"未满{MIN_AGE}周岁"
        if self.key == NO_CHILD:
            return "子女数量为0"
        if self.key == AWAY_SINCE_UNKNOWN:
            return "有子女未填写外出务工时间"
        return f"子女外出务工自{year_month(self.fact.year, self.fact.month)}起，不满一年"


class Dates(NamedTuple):
    """The latest dates that meet the definition on a day."""

    born_by: date  # born on or before: aged MIN_AGE or more
    away_by: date  # every child away on or before: away MIN_YEARS_AWAY or more


def cutoff(year):
    """The day a year's summary counts elders on (Annex 2, note 1)."""
    return date(year, CUTOFF_MONTH, CUTOFF_DAY)


def dates_on(day):
    """The definition's limits as of `day`, for a query or a domain."""
    return Dates(
        born_by=day - relativedelta(years=MIN_AGE),
        away_by=day - relativedelta(years=MIN_YEARS_AWAY),
    )


def problems(birth_date, away_since, day):
    """What keeps an elder born on `birth_date` (None: unknown) whose children left
    home on the dates `away_since` (one per child, None for a child not away or
    without a date) from the definition on `day`: a list of Problem, empty when the
    elder meets it."""
    limits = dates_on(day)
    found = []
    if not birth_date:
        found.append(Problem(BIRTH_DATE_UNKNOWN))
    elif birth_date > limits.born_by:
        found.append(Problem(UNDER_AGE, birth_date))
    away_since = list(away_since)
    if not away_since:
        found.append(Problem(NO_CHILD))
    elif None in away_since:
        found.append(Problem(AWAY_SINCE_UNKNOWN))
    elif max(away_since) > limits.away_by:
        found.append(Problem(AWAY_TOO_SHORT, max(away_since)))
    return found


def words(found, day=None):
    """The problems in one line; with the day first when given (the summary's
    reasons: "2025年9月30日：…")."""
    text = "；".join(problem.words for problem in found)
    return f"{zh_date(day)}：{text}" if day and text else text
