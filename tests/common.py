from odoo import Command
from odoo.tests.common import TransactionCase, new_test_user


class LbeCommon(TransactionCase):
    """Real Guangdong divisions (shipped with the addon) and one user per tier.

    白云区 (county) holds 人和镇 (villages A1, A2) and 太和镇 (village B1);
    花都区 is another county of 广州市 (village C1); 韶关市 is another city (D1).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        region = cls.env["lbe.region"]
        by_code = {
            r.code: r
            for r in region.search(
                [
                    (
                        "code",
                        "in",
                        [
                            "44",
                            "4401",
                            "440111",
                            "440111103",
                            "440111103200",
                            "440111103201",
                            "440111107200",
                            "440114104201",
                            "440203100201",
                        ],
                    )
                ]
            )
        }
        cls.province = by_code["44"]
        cls.city = by_code["4401"]
        cls.county = by_code["440111"]
        cls.township = by_code["440111103"]
        cls.village_a1 = by_code["440111103200"]
        cls.village_a2 = by_code["440111103201"]
        cls.village_b1 = by_code["440111107200"]
        cls.village_c1 = by_code["440114104201"]
        cls.village_d1 = by_code["440203100201"]

        cls.user_village = cls._tier_user("village", cls.village_a1)
        cls.user_township = cls._tier_user("township", cls.township)
        cls.user_county = cls._tier_user("county", cls.county)
        cls.user_city = cls._tier_user("city", cls.city)
        cls.user_province = cls._tier_user("province", cls.province)
        cls.user_manager = cls._tier_user("manager", cls.province)
        cls.user_no_area = cls._tier_user("county", cls.env["lbe.region"], login="no_area")

    @classmethod
    def _tier_user(cls, tier, regions, login=None):
        return new_test_user(
            cls.env,
            login=login or f"lbe_test_{tier}",
            groups=f"base.group_allow_export,left_behind_elderly.group_{tier}",
            lbe_region_ids=[Command.set(regions.ids)],
        )

    @classmethod
    def _create_elder(cls, name, village, **vals):
        return cls.env["lbe.elder"].create({"name": name, "region_id": village.id, **vals})
