import threading

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.exceptions import UserError
from odoo.service.model import (
    MAX_TRIES_ON_CONCURRENCY_FAILURE,
    PG_CONCURRENCY_EXCEPTIONS_TO_RETRY,
)
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase
from odoo.tools import SQL, mute_logger

from .common import wait_until_blocked

LOGIN = "lbe_race_city"
# How long a test waits for a concurrent transaction; a lock wait never outlasts it.
TIMEOUT = 20


@tagged("post_install", "-at_install")
class TestSummaryRace(TransactionCase):
    """A county summary returned while its city's summary is being submitted.

    The city reports the figures of its accepted county summaries, so the city's
    submission and the return of one of its counties must not both go through.
    Each side runs in its own connection on data committed for the test: what the
    test transaction holds is invisible to other connections. The committed data
    is removed again after each test.
    """

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        # Two years back: no demo summary and no other test uses that year.
        self.year = fields.Date.today().year - 2
        self.addCleanup(self._remove_committed_data)
        with self.db.cursor() as cr:  # committed when the block ends
            env = api.Environment(cr, SUPERUSER_ID, {})
            city = env["lbe.region"].search([("code", "=", "4402")])  # 韶关市
            counties = env["lbe.region"].search([("parent_id", "=", city.id)])
            self.assertGreater(len(counties), 1)
            self.user_id = new_test_user(
                env,
                login=LOGIN,
                groups="left_behind_elderly.group_city",
                context={"no_reset_password": True},  # no invitation e-mail
                lbe_region_ids=[Command.set(city.ids)],
            ).id
            Summary = env["lbe.summary"]
            county_summaries = Summary.create(
                [
                    {"region_id": county.id, "year": self.year, "state": "accepted"}
                    for county in counties
                ]
            )
            self.county_id = county_summaries[0].id
            self.city_id = Summary.create({"region_id": city.id, "year": self.year}).id
            self.region_ids = (city | counties).ids

    def _cursor(self):
        cr = self.db.cursor()
        self.addCleanup(cr.close)  # rolls back whatever was left uncommitted
        return cr

    def _remove_committed_data(self):
        with self.db.cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
            env = api.Environment(cr, SUPERUSER_ID, {})
            summaries = env["lbe.summary"].search(
                [("region_id", "in", self.region_ids), ("year", "=", self.year)]
            )
            # Submitted and accepted summaries may not be deleted as such.
            summaries.write({"state": "draft"})
            summaries.unlink()
            users = env["res.users"].with_context(active_test=False).search([("login", "=", LOGIN)])
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            # leaving the block commits

    def _env(self, cr):
        return api.Environment(cr, self.user_id, {})

    def _attempts(self, env, action, attempts):
        """Run action in env as Odoo runs a request (see odoo.service.model.retrying):
        again after a concurrency error, committed on success. Each attempt's error is
        appended to attempts. retrying() itself cannot serve: it looks the registry up
        again, and the thread running the tests holds the registry's lock."""
        for _try in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
            try:
                # A lock wait beyond this is a bug; it must not hang the test suite.
                env.cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
                action(env)
                env.cr.commit()
                return
            except Exception as e:
                attempts.append(e)
                env.cr.rollback()
                env.clear()
                if not isinstance(e, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                    return

    def _in_thread(self, env, action):
        """Start _attempts() in a thread; returns the thread and the list of errors."""
        attempts = []

        def target():
            self._attempts(env, action, attempts)

        thread = threading.Thread(target=target, name="lbe_summary_race")
        thread.start()
        return thread, attempts

    def _committed_states(self):
        with self.db.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT id, state FROM lbe_summary WHERE id IN %s",
                    (self.city_id, self.county_id),
                )
            )
            states = dict(cr.fetchall())
        return states[self.city_id], states[self.county_id]

    def _submit_city(self, env):
        env["lbe.summary"].browse(self.city_id).action_submit()

    def _return_county(self, env):
        env["lbe.summary"].browse(self.county_id).action_return("请核对第17列")

    def _assert_failed_then_refused(self, attempts, refusal):
        """The first attempt met the concurrent change; the retry was refused."""
        self.assertEqual(len(attempts), 2, attempts)
        self.assertIsInstance(attempts[0], errors.SerializationFailure)
        self.assertIsInstance(attempts[1], UserError)
        self.assertIn(refusal, str(attempts[1]))

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_county_returned_while_the_city_submits(self):
        cr_submit, cr_return = self._cursor(), self._cursor()
        env_submit, env_return = self._env(cr_submit), self._env(cr_return)
        cr_submit.execute(SQL("SET LOCAL lock_timeout = '5s'"))
        self._submit_city(env_submit)  # not committed yet
        thread, attempts = self._in_thread(env_return, self._return_county)
        blocked = wait_until_blocked(self.db, cr_return, thread, TIMEOUT)
        cr_submit.commit()
        thread.join(TIMEOUT)
        self.assertFalse(thread.is_alive())
        self.assertEqual(
            self._committed_states(),
            ("submitted", "accepted"),
            "the city went up with the figures of a county summary being returned",
        )
        self.assertTrue(blocked, "the return did not wait for the city's submission")
        self._assert_failed_then_refused(attempts, "cannot be returned")

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_city_submitted_while_a_county_is_returned(self):
        cr_return, cr_submit = self._cursor(), self._cursor()
        env_return, env_submit = self._env(cr_return), self._env(cr_submit)
        cr_return.execute(SQL("SET LOCAL lock_timeout = '5s'"))
        self._return_county(env_return)  # not committed yet
        thread, attempts = self._in_thread(env_submit, self._submit_city)
        blocked = wait_until_blocked(self.db, cr_submit, thread, TIMEOUT)
        cr_return.commit()
        thread.join(TIMEOUT)
        self.assertFalse(thread.is_alive())
        self.assertEqual(
            self._committed_states(),
            ("draft", "returned"),
            "the city went up with the figures of a county summary being returned",
        )
        self.assertTrue(blocked, "the submission did not wait for the county's return")
        self._assert_failed_then_refused(attempts, "Not accepted yet")
