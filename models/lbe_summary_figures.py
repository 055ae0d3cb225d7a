"""The figures of a yearly summary: a county's columns computed from the ledger
in SQL, a city's or the province's from the accepted summaries below, and
Annex 2's cross-checks over them."""

from datetime import date

from odoo import fields, models
from odoo.tools import SQL

from ..annex.annex2 import ANNEX2_TOTAL, COLUMNS
from .lbe_summary_line import COUNT_FIELDS, LEDGER_FIELDS
from .tiers import COUNTY

# Annex 2's cross-checks (表间钩稽关系): these sums of columns all equal column 1.
EQUAL_TO_TOTAL = [(2, 3), (4, 5), (6, 7, 8), (9, 10, 11), (12,)]
AT_MOST_TOTAL = [13, 14, 15, 16]
FIELD_OF_COLUMN = {column.number: column.field for column in COLUMNS}


def cross_check(label, figures):
    """The violations of Annex 2's cross-checks by one row, in the annex's words."""
    col = {number: figures[FIELD_OF_COLUMN[number]] for number in FIELD_OF_COLUMN}
    violations = []
    for numbers in EQUAL_TO_TOTAL:
        total = sum(col[n] for n in numbers)
        if total != col[1]:
            names = "+".join(str(n) for n in numbers)
            violations.append(f"{label}：第1列 {col[1]} ≠ 第{names}列 {total}")
    violations.extend(
        f"{label}：第{n}列 {col[n]} > 第1列 {col[1]}" for n in AT_MOST_TOTAL if col[n] > col[1]
    )
    if col[17] < col[1]:
        violations.append(f"{label}：第17列 {col[17]} < 第1列 {col[1]}")
    return violations


class LbeSummaryFigures(models.Model):
    _inherit = "lbe.summary"

    def _totals(self):
        self.ensure_one()
        return {name: sum(self.line_ids.mapped(name)) for name in COUNT_FIELDS}

    def _cross_check(self):
        self.ensure_one()
        violations = []
        for number, line in enumerate(self.line_ids, start=1):
            figures = {name: line[name] for name in COUNT_FIELDS}
            violations += cross_check(f"第{number}行（{line.region_id.name}）", figures)
        if self.line_ids:
            violations += cross_check(ANNEX2_TOTAL, self._totals())
        return violations

    def _ledger_figures(self):
        """Columns 1-16 of each township of these county summaries, from the ledger
        in one query per year whatever the number of summaries: {summary id:
        {township id: figures}}.

        Who counts for year Y: registered on or before 30 September Y, not exited
        on or before that day, aged 60 or more on that day. Draft records are left
        out: they have not passed the definition check of registration yet.
        Column 12 counts the elders all of whose children had been away a year or
        more on that day, as the definition asks, so that the cross-check
        "column 1 = column 12" catches ledger records that no longer fit it.

        The query reads the counties without record rules: the callers first check
        that the user may write these summaries, and the summaries' area rule is
        the elders' one, so every elder counted lies in the user's own area.
        """
        self.env["lbe.elder"].flush_model()
        self.env["lbe.elder.child"].flush_model(["elder_id", "away_since"])
        figures = {summary.id: {} for summary in self}
        # The days as constants (one query per year): the children's condition is
        # then one hashed scan of the children, not a probe per elder.
        for year in set(self.mapped("year")):
            summary_of = {s.region_id.id: s.id for s in self if s.year == year}
            cutoff = date(year, 9, 30)
            self.env.cr.execute(
                SQL(
                    """
                    WITH counted AS (
                        SELECT e.county_id, e.township_id, e.birth_date, e.spouse_status,
                               e.health_status, e.child_count, e.income_children_wages,
                               e.income_farming, e.income_government_aid, e.income_other,
                               e.child_count > 0 AND NOT EXISTS (
                                   SELECT 1 FROM lbe_elder_child c
                                    WHERE c.elder_id = e.id
                                      AND (c.away_since IS NULL OR c.away_since > %(away_by)s)
                               ) AS children_away
                          FROM lbe_elder e
                         WHERE e.county_id IN %(counties)s
                           AND e.registration_date <= %(cutoff)s
                           AND (e.state = 'active'
                                OR (e.state = 'exited' AND e.exit_date > %(cutoff)s))
                           AND e.birth_date <= %(born_60)s
                    )
                    SELECT county_id, township_id,
                           count(*),
                           count(*) FILTER (WHERE birth_date > %(born_80)s),
                           count(*) FILTER (WHERE birth_date <= %(born_80)s),
                           count(*) FILTER (WHERE spouse_status = 'both_alive'),
                           count(*) FILTER (WHERE spouse_status = 'one_alive'),
                           count(*) FILTER (WHERE health_status = 'healthy'),
                           count(*) FILTER (WHERE health_status = 'disabled'),
                           count(*) FILTER (WHERE health_status = 'ill'),
                           count(*) FILTER (WHERE child_count = 1),
                           count(*) FILTER (WHERE child_count = 2),
                           count(*) FILTER (WHERE child_count >= 3),
                           count(*) FILTER (WHERE children_away),
                           count(*) FILTER (WHERE income_children_wages),
                           count(*) FILTER (WHERE income_farming),
                           count(*) FILTER (WHERE income_government_aid),
                           count(*) FILTER (WHERE income_other)
                      FROM counted
                     GROUP BY county_id, township_id
                    """,
                    counties=tuple(summary_of),
                    cutoff=cutoff,
                    away_by=date(year - 1, 9, 30),
                    born_60=date(year - 60, 9, 30),
                    born_80=date(year - 80, 9, 30),
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
