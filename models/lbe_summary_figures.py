"""The figures of a yearly summary: a county's columns computed from the ledger
in SQL, a city's or the province's from the accepted summaries below, and
Annex 2's cross-checks over them."""

from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..annex import definition
from ..annex.annex2 import ANNEX2_TOTAL, COLUMN_OF, COLUMNS
from .lbe_summary_line import COUNT_FIELDS, ENTERED_FIELD, LEDGER_FIELDS
from .tiers import COUNTY

# Annex 2's cross-checks (表间钩稽关系): these sums of columns all equal column 1.
EQUAL_TO_TOTAL = [(2, 3), (4, 5), (6, 7, 8), (9, 10, 11), (12,)]
AT_MOST_TOTAL = [13, 14, 15, 16]
FIELD_OF_COLUMN = {column.number: column.field for column in COLUMNS}
ENTERED_COLUMN = COLUMN_OF[ENTERED_FIELD].number


def counted_domain(year):
    """Who counts in column 1 for `year`: registered on or before 30 September,
    not exited on or before that day, of the definition's age that day. Drafts are
    left out: they have not passed the definition's check of registration yet."""
    day = definition.cutoff(year)
    born_by = definition.dates_on(day).born_by
    return [
        ("registration_date", "<=", fields.Date.to_string(day)),
        "|",
        ("state", "=", "active"),
        "&",
        ("state", "=", "exited"),
        ("exit_date", ">", fields.Date.to_string(day)),
        ("birth_date", "<=", fields.Date.to_string(born_by)),
    ]


def column_domains(year):
    """Each ledger column's condition among the elders counted for `year`, by
    column number: the summary's query is made of them, and the elders behind a
    failed cross-check are found with them.

    Column 12 counts the elders all of whose children had been away a year or more
    on 30 September, as the definition asks, so that "column 1 = column 12" catches
    ledger records that no longer fit it."""
    day = definition.cutoff(year)
    born_80 = fields.Date.to_string(day - relativedelta(years=80))
    away_by = fields.Date.to_string(definition.dates_on(day).away_by)
    return {
        1: [],
        2: [("birth_date", ">", born_80)],
        3: [("birth_date", "<=", born_80)],
        4: [("spouse_status", "=", "both_alive")],
        5: [("spouse_status", "=", "one_alive")],
        6: [("health_status", "=", "healthy")],
        7: [("health_status", "=", "disabled")],
        8: [("health_status", "=", "ill")],
        9: [("child_count", "=", 1)],
        10: [("child_count", "=", 2)],
        11: [("child_count", ">=", 3)],
        12: [
            ("child_count", ">", 0),
            (
                "child_ids",
                "not any",
                ["|", ("away_since", "=", False), ("away_since", ">", away_by)],
            ),
        ],
        13: [("income_children_wages", "=", True)],
        14: [("income_farming", "=", True)],
        15: [("income_government_aid", "=", True)],
        16: [("income_other", "=", True)],
    }


class Violation(NamedTuple):
    """One failed cross-check of one row: column `column` against the sum of
    `compared`, with the relation the annex forbids ("≠", ">" or "<")."""

    column: int
    value: int
    relation: str
    compared: tuple
    compared_value: int

    def text(self, label):
        names = "+".join(str(n) for n in self.compared)
        return (
            f"{label}：第{self.column}列 {self.value} {self.relation} "
            f"第{names}列 {self.compared_value}"
        )


def violations_of(figures):
    """The failed cross-checks of one row's figures, as Violation."""
    col = {number: figures[FIELD_OF_COLUMN[number]] for number in FIELD_OF_COLUMN}
    found = []
    for numbers in EQUAL_TO_TOTAL:
        total = sum(col[n] for n in numbers)
        if total != col[1]:
            found.append(Violation(1, col[1], "≠", numbers, total))
    found.extend(Violation(n, col[n], ">", (1,), col[1]) for n in AT_MOST_TOTAL if col[n] > col[1])
    if col[ENTERED_COLUMN] < col[1]:
        found.append(Violation(ENTERED_COLUMN, col[ENTERED_COLUMN], "<", (1,), col[1]))
    return found


def cross_check(label, figures):
    """The violations of Annex 2's cross-checks by one row, in the annex's words."""
    return [violation.text(label) for violation in violations_of(figures)]


def behind_domain(year, column, compared):
    """The elders counted for `year` in `column` and in none of `compared`."""
    conditions = column_domains(year)
    return expression.AND(
        [
            counted_domain(year),
            conditions[column],
            ["!", *expression.OR([conditions[n] for n in compared])],
        ]
    )


class LbeSummaryFigures(models.Model):
    _inherit = "lbe.summary"

    # Computed, so that no client writes the checks through the summary: only
    # _sync_checks does.
    check_ids = fields.One2many(
        "lbe.summary.check", string="Failed Cross-checks", compute="_compute_check_ids"
    )

    def _compute_check_ids(self):
        checks = self.env["lbe.summary.check"].search([("summary_id", "in", self.ids)])
        by_summary = checks.grouped("summary_id")
        for summary in self:
            summary.check_ids = by_summary.get(summary, checks.browse())

    def _totals(self):
        self.ensure_one()
        return {name: sum(self.line_ids.mapped(name)) for name in COUNT_FIELDS}

    def _rows_violations(self):
        """The failed cross-checks, row by row: [(line or None for the total,
        label, [Violation])]."""
        self.ensure_one()
        rows = [
            (
                line,
                f"第{number}行（{line.region_id.name}）",
                violations_of({name: line[name] for name in COUNT_FIELDS}),
            )
            for number, line in enumerate(self.line_ids, start=1)
        ]
        if self.line_ids:
            rows.append((None, ANNEX2_TOTAL, violations_of(self._totals())))
        return [(line, label, violations) for line, label, violations in rows if violations]

    def _cross_check(self):
        self.ensure_one()
        return [
            violation.text(label)
            for _line, label, violations in self._rows_violations()
            for violation in violations
        ]

    def _sync_checks(self):
        """Write the failed cross-checks of these summaries as lbe.summary.check
        records, in one unlink and one create: what the county clicks through to
        the elders behind a figure."""
        Check = self.env["lbe.summary.check"].sudo()
        Check.search([("summary_id", "in", self.ids)]).unlink()
        self.invalidate_recordset(["check_ids"])
        Check.create(
            [
                {
                    "summary_id": summary.id,
                    "line_id": line.id if line else False,
                    "row_label": label,
                    "column": violation.column,
                    "column_value": violation.value,
                    "relation": violation.relation,
                    "compared_columns": "+".join(str(n) for n in violation.compared),
                    "compared_value": violation.compared_value,
                    "name": violation.text(label),
                }
                for summary in self
                for line, label, violations in summary._rows_violations()
                for violation in violations
            ]
        )

    def _ledger_figures(self):
        """Columns 1-16 of each township of these county summaries, from the ledger
        in one query per year whatever the number of summaries: {summary id:
        {township id: figures}}.

        Who counts and in which column: `counted_domain` and `column_domains`, the
        conditions the elders behind a failed cross-check are looked up with too.
        The query is made from them by the ORM, as superuser: the callers first
        check that the user may write these summaries, and the summaries' area rule
        is the elders' one, so every elder counted lies in the user's own area.
        """
        self.env["lbe.elder"].flush_model()
        self.env["lbe.elder.child"].flush_model(["elder_id", "away_since"])
        Elder = self.env["lbe.elder"].sudo()
        figures = {summary.id: {} for summary in self}
        for year in set(self.mapped("year")):
            summary_of = {s.region_id.id: s.id for s in self if s.year == year}
            query = Elder._where_calc(
                [("county_id", "in", list(summary_of)), *counted_domain(year)]
            )
            conditions = column_domains(year)
            counts = [SQL("count(*)")] + [
                SQL(
                    "count(*) FILTER (WHERE %s)",
                    Elder._where_calc(conditions[COLUMN_OF[name].number]).where_clause,
                )
                for name in LEDGER_FIELDS[1:]
            ]
            query.groupby = SQL("1, 2")
            self.env.cr.execute(
                query.select(
                    Elder._field_to_sql(query.table, "county_id"),
                    Elder._field_to_sql(query.table, "township_id"),
                    *counts,
                )
            )
            for county_id, township_id, *counts in self.env.cr.fetchall():
                figures[summary_of[county_id]][township_id] = dict(
                    zip(LEDGER_FIELDS, counts, strict=True)
                )
        return figures

    def _sub_summary_figures(self, regions):
        """The totals of the accepted summaries of the given units, by unit."""
        self.ensure_one()
        accepted = self.search(
            [("region_id", "in", regions.ids), ("year", "=", self.year), ("state", "=", "accepted")]
        )
        return {sub.region_id.id: sub._totals() for sub in accepted}

    def _compute_lines(self):
        """Write one line per direct sub-region; column 17 of a county is kept.

        County summaries are computed together: one query for their figures,
        one create of their new lines, and a write only of the lines whose
        figures changed, so that a province's 124 counties cost about what the
        one aggregation over the ledger costs.
        """
        counties = self.filtered(lambda summary: summary.level == COUNTY)
        ledger = counties._ledger_figures()
        sub_regions = {}
        for region in self.env["lbe.region"].search([("parent_id", "in", self.region_id.ids)]):
            sub_regions.setdefault(region.parent_id.id, []).append(region.id)
        lines = self.env["lbe.summary.line"].sudo()
        new_lines = []
        obsolete = lines
        for summary in self:
            if summary in counties:
                names, figures = LEDGER_FIELDS, ledger[summary.id]
            else:
                regions = self.env["lbe.region"].browse(sub_regions.get(summary.region_id.id, []))
                names, figures = COUNT_FIELDS, summary._sub_summary_figures(regions)
            zeros = dict.fromkeys(names, 0)
            current = {line.region_id.id: line for line in summary.line_ids}
            # A township closed since may still hold elders: it keeps its line.
            for region_id in set(sub_regions.get(summary.region_id.id, [])) | set(figures):
                vals = figures.get(region_id, zeros)
                line = current.pop(region_id, None)
                if line is None:
                    new_lines.append({"summary_id": summary.id, "region_id": region_id, **vals})
                elif any(line[name] != value for name, value in vals.items()):
                    line.sudo().write(vals)
            obsolete = obsolete.union(*current.values())
        lines.create(new_lines)
        obsolete.sudo().unlink()
        self.sudo().computed_date = fields.Datetime.now()
        self._sync_checks()
