import { registry } from "@web/core/registry";
import { session } from "@web/session";

// A daughter working away opens the family portal on her phone. Steps find the page's
// parts by class, so the tour runs in any language; one step checks that the page speaks
// hers (tests/test_family_portal.py runs English and Chinese).
registry.category("web_tour.tours").add("lbe_family_portal_tour", {
    steps: () => [
        {
            content: "Her father is listed",
            trigger: ".o_lbe_elders a:contains(门户父亲)",
            run: "click",
        },
        {
            content: "She sees last week's visit and what was found",
            trigger: ".o_lbe_visit:contains(屋顶漏雨)",
        },
        {
            content: "She confirms that she called him",
            trigger: ".o_lbe_contact_form input[name='kind'][value='call']",
            run: "click",
        },
        {
            content: "The page speaks her language",
            trigger: `.o_lbe_contact_form button[type='submit']:contains(${
                session.bundle_params?.lang === "zh_CN" ? "确认" : "Confirm"
            })`,
        },
        {
            content: "Confirm the call",
            trigger: ".o_lbe_contact_form button[type='submit']",
            run: "click",
        },
        {
            content: "The call is recorded",
            trigger: ".alert-success",
        },
        {
            content: "She answers the notification of the risk",
            trigger: ".o_lbe_answer_form textarea[name='answer']",
            run: "edit 我周末回家修屋顶。",
        },
        {
            content: "Send the answer",
            trigger: ".o_lbe_answer_form button[type='submit']",
            run: "click",
        },
        {
            content: "The answer is acknowledged",
            trigger: ".o_lbe_notification:contains(我周末回家修屋顶。)",
        },
    ],
});
