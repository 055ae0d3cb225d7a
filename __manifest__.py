{
    "name": "Left-behind Elderly Care",
    "summary": "Ledger, visits, care agreements, volunteers and official forms for "
    "rural left-behind elderly people (农村留守老年人关爱服务)",
    "version": "18.0.1.0.0",
    "category": "Services/Civil Affairs",
    "license": "LGPL-3",
    "author": "left_behind_elderly contributors",
    "website": "https://github.com/left-behind-elderly/left_behind_elderly",
    "depends": ["base", "mail", "web"],
    "external_dependencies": {
        "python": ["openpyxl", "xlsxwriter", "python-stdnum"],
    },
    "data": [
        "security/lbe_security.xml",
        "security/ir.model.access.csv",
        "data/lbe_region_data.xml",
        "data/lbe_elder_data.xml",
        "views/lbe_region_views.xml",
        "views/lbe_elder_views.xml",
        "views/res_users_views.xml",
        "wizard/lbe_region_import_views.xml",
        "wizard/lbe_elder_exit_views.xml",
        "views/lbe_menus.xml",
    ],
    "demo": [
        "demo/lbe_users_demo.xml",
        "demo/lbe_elder_demo.xml",
    ],
    "application": True,
    "installable": True,
}
