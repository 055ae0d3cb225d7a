"""Names of people sorted as Chinese readers expect: by pinyin."""

import logging

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# PostgreSQL's ICU collation for Chinese, which orders Han characters by pinyin
# (阿 before 李 before 张); the server's default orders them by code point.
PINYIN_COLLATION = "zh-x-icu"


def collate_by_pinyin(cr, table, column):
    """Give `table`.`column` (varchar) the pinyin collation, once; the indexes on
    the column are rebuilt with it, so that they still serve an ORDER BY on it.
    Does nothing on a server built without ICU."""
    cr.execute(
        SQL(
            """
            SELECT c.collname
              FROM pg_attribute a
              LEFT JOIN pg_collation c ON c.oid = a.attcollation
             WHERE a.attrelid = %s::regclass AND a.attname = %s
            """,
            table,
            column,
        )
    )
    row = cr.fetchone()
    if not row or row[0] == PINYIN_COLLATION:
        return
    cr.execute(SQL("SELECT 1 FROM pg_collation WHERE collname = %s", PINYIN_COLLATION))
    if not cr.fetchone():
        _logger.info("No collation %s on this server: names sort by code point.", PINYIN_COLLATION)
        return
    cr.execute(
        SQL(
            "ALTER TABLE %s ALTER COLUMN %s TYPE varchar COLLATE %s",
            SQL.identifier(table),
            SQL.identifier(column),
            SQL.identifier(PINYIN_COLLATION),
        )
    )
