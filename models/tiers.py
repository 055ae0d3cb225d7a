"""The one place naming the tiers of staff, the levels of regions and the
groups that carry them; other modules import these names, never the words."""

MANAGER = "manager"
PROVINCE = "province"
CITY = "city"
COUNTY = "county"
TOWNSHIP = "township"
VILLAGE = "village"

# The staff tiers, most powerful first: a user acts as the first one held.
TIERS = (MANAGER, PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE)
# The region levels, top-down: each region's parent is of the level before.
LEVELS = (PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE)
# The levels an elder's services are run from: volunteers and facilities.
SERVICE_LEVELS = (TOWNSHIP, VILLAGE)
# The tiers that visit elders in person, with the field app. A county's or a
# manager's area holds thousands of elders, more than a phone should carry.
FIELD_TIERS = (VILLAGE, TOWNSHIP)


def group_xmlid(tier):
    """The xmlid of the group of `tier`."""
    return f"left_behind_elderly.group_{tier}"


# The group reading personal data (ID and phone numbers, addresses, photos).
SENSITIVE_GROUP = group_xmlid(VILLAGE)
# The tiers allowed to export elders' data in bulk; village and township staff
# print the forms of the elders they serve instead.
EXPORT_GROUPS = ",".join(group_xmlid(tier) for tier in (COUNTY, CITY))
