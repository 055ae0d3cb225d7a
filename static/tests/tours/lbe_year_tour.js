import { registry } from "@web/core/registry";
import { land, landAndOpen } from "@left_behind_elderly/../tests/tours/lbe_home_tour";
import { recordVisit } from "@left_behind_elderly/../tests/tours/lbe_visit_tour";

// The year's work by one person of each tier, in Chinese (tests/test_year_tour.py runs
// these tours one after the other on the same data, beside the tours of each screen).

registry.category("web_tour.tours").add("lbe_year_manager_home_tour", {
    steps: () => [
        ...land("staff"),
        {
            content: "The manager's start page also shows the summaries of the year",
            trigger: ".lbe_home .lbe_home_card[data-card=summaries]",
        },
    ],
});

// A staff member the manager created signs in for the first time with the initial
// password the manager gave, chooses their own and lands on their start page.
registry.category("web_tour.tours").add("lbe_year_first_sign_in_tour", {
    steps: () => [
        {
            content: "The page asks for a password of one's own, in Chinese",
            trigger: "form.oe_login_form button[type=submit]:contains(保存我的密码)",
        },
        {
            content: "The initial password the manager gave",
            trigger: "form.oe_login_form input[name=old_password]",
            run: "edit chushi-mima-1",
        },
        {
            content: "A password of one's own",
            trigger: "form.oe_login_form input[name=new_password]",
            run: "edit donghua-2026",
        },
        {
            content: "The same again",
            trigger: "form.oe_login_form input[name=confirm_password]",
            run: "edit donghua-2026",
        },
        {
            content: "Save it",
            trigger: "form.oe_login_form button[type=submit]",
            run: "click",
        },
        ...land(),
    ],
});

registry.category("web_tour.tours").add("lbe_year_visit_tour", {
    steps: () => recordVisit("黄秀珍"),
});

// The clerk's start page counts the family's message among their to-dos, and opens it.
registry.category("web_tour.tours").add("lbe_year_clerk_family_message_tour", {
    steps: () => landAndOpen("activities", "activity_all", "黄秀珍"),
});
