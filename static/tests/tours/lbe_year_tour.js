import { registry } from "@web/core/registry";
import { registerElder } from "@left_behind_elderly/../tests/tours/lbe_elder_tour";
import {
    clerkReplies,
    familyReadsReply,
    familySendsMessage,
} from "@left_behind_elderly/../tests/tours/lbe_family_message_tour";
import { land, landAndOpen } from "@left_behind_elderly/../tests/tours/lbe_home_tour";
import { createStaffTour } from "@left_behind_elderly/../tests/tours/lbe_staff_tour";
import { recordVisit } from "@left_behind_elderly/../tests/tours/lbe_visit_tour";

// The year's work by one person of each tier, in Chinese (tests/test_year_tour.py runs
// these tours one after the other on the same data, beside the tours of each screen).

// 武江区's manager sets up the clerk of 西联村, the officer of 西联镇 and the county's.
registry.category("web_tour.tours").add("lbe_year_staff_tour", {
    steps: () =>
        createStaffTour([
            ["西联村 陈文书", "13800138011", "village", "西联村村民委员会"],
            ["西联镇 王干事", "13800138012", "township", "西联镇"],
            ["武江区民政局 何干部", "he@wujiang.example.com", "county", "武江区"],
        ]),
});

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

registry.category("web_tour.tours").add("lbe_year_register_tour", {
    steps: () => registerElder("西联村村民委员会"),
});

registry.category("web_tour.tours").add("lbe_year_visit_tour", {
    steps: () => recordVisit("黄秀珍"),
});

// The township finds the visit at risk the clerk synced, on its start page.
registry.category("web_tour.tours").add("lbe_year_township_tour", {
    steps: () => landAndOpen("followup", "risk_pending", "黄秀珍"),
});

// Her son, working away, answers on his phone the notification of the risk the clerk
// found, and writes to the village.
export const SON_ANSWER = "我周末回家修屋顶。";
export const SON_MESSAGE = "妈妈最近腿疼，请村医去看看。";
export const CLERK_REPLY = "已安排村医明天上门。";

registry.category("web_tour.tours").add("lbe_year_family_tour", {
    steps: () => [
        {
            content: "His mother is listed",
            trigger: ".o_lbe_elders a:contains(黄秀珍)",
            run: "click",
        },
        {
            content: "He reads what the visit found",
            trigger: ".o_lbe_visit:contains(屋顶漏雨)",
        },
        {
            content: "He answers the notification of the risk",
            trigger: ".o_lbe_answer_form textarea[name='answer']",
            run: `edit ${SON_ANSWER}`,
        },
        {
            content: "Send the answer",
            trigger: ".o_lbe_answer_form button[type='submit']",
            run: "click",
        },
        {
            content: "The answer is recorded",
            trigger: `.o_lbe_notification:contains(${SON_ANSWER})`,
        },
        {
            content: "Back to the list of his parents",
            trigger: ".breadcrumb a[href='/my/elders']",
            run: "click",
        },
        ...familySendsMessage(SON_MESSAGE, "黄秀珍"),
    ],
});

// The clerk finds the son's answer and message on her start page and replies.
registry.category("web_tour.tours").add("lbe_year_clerk_reply_tour", {
    steps: () => [
        ...land("family"),
        {
            content: "His answer to the notification is there too",
            trigger: `.lbe_home_card[data-card=family] .lbe_home_item:contains(${SON_ANSWER.slice(0, 8)})`,
        },
        ...clerkReplies(SON_MESSAGE, CLERK_REPLY),
    ],
});

registry.category("web_tour.tours").add("lbe_year_family_reads_tour", {
    steps: () => familyReadsReply(SON_MESSAGE, CLERK_REPLY, "黄秀珍"),
});
