import { registry } from "@web/core/registry";

// The family's message and the village's reply, in three tours that a longer tour
// (the year's work) can chain by name: each starts where the previous left the
// data, and finds what it needs by the page's classes and the texts written,
// never by a record's id (tests/test_family_message_tour.py runs them on a phone,
// in Chinese).
export const FAMILY_MESSAGE = "爸爸最近腿疼，请村医去看看。";
export const VILLAGE_REPLY = "已安排村医明天上门。";

const tours = registry.category("web_tour.tours");

function fitsTheScreen() {
    return {
        content: "Nothing wider than the phone's screen",
        trigger: ".o_lbe_elder",
        run() {
            const width = document.documentElement.clientWidth;
            const wider = [...document.querySelectorAll("body *")].filter(
                (node) => node.getBoundingClientRect().right > width + 1 && node.offsetParent
            );
            if (document.documentElement.scrollWidth > width) {
                throw new Error(`The page is wider than ${width}px: ${wider.map((n) => n.className)}`);
            }
        },
    };
}

// 1. The daughter writes to the village from her phone (/my/elders).
tours.add("lbe_family_message_send_tour", {
    steps: () => [
        {
            content: "The portal names the department, not Odoo",
            trigger: ".o_lbe_brand",
            run() {
                if (document.querySelector(".o_brand_promotion, img[src*='logo']")) {
                    throw new Error("The portal shows Odoo's logo or promotion");
                }
            },
        },
        {
            content: "Her father is listed",
            trigger: ".o_lbe_elders a",
            run: "click",
        },
        {
            content: "The village committee's phone is one tap away",
            trigger: ".o_lbe_village_phone a[href^='tel:']",
        },
        fitsTheScreen(),
        {
            content: "She writes to the village",
            trigger: ".o_lbe_message_form textarea[name='message']",
            run: `edit ${FAMILY_MESSAGE}`,
        },
        {
            content: "Send the message",
            trigger: ".o_lbe_message_form button[type='submit']",
            run: "click",
        },
        {
            content: "The message waits for the village's reply",
            trigger: `.o_lbe_message:contains(${FAMILY_MESSAGE}) .o_lbe_no_reply`,
        },
    ],
});

// 2. The clerk finds it on the start page and replies (/odoo).
tours.add("lbe_family_message_reply_tour", {
    steps: () => [
        {
            content: "The start page lists the family's message",
            trigger: `.lbe_home_card[data-card=family] .lbe_home_item:contains(${FAMILY_MESSAGE.slice(0, 10)})`,
            run: "click",
        },
        {
            content: "The message is shown",
            trigger: `.o_form_view .o_lbe_family_body:contains(${FAMILY_MESSAGE})`,
        },
        {
            content: "Write the reply",
            trigger: ".o_form_view .o_field_widget[name='reply'] textarea",
            run: `edit ${VILLAGE_REPLY}`,
        },
        {
            content: "Send it to the family",
            trigger: ".o_form_view button.o_lbe_send_reply",
            run: "click",
        },
        {
            content: "The reply is sent, by the clerk",
            trigger: ".o_form_view .o_field_widget[name='reply_user_id']",
        },
        {
            content: "No reply button is left",
            trigger: ".o_form_view:not(:has(button.o_lbe_send_reply))",
        },
    ],
});

// 3. The daughter reads the reply (/my/elders).
tours.add("lbe_family_message_read_tour", {
    steps: () => [
        {
            content: "Her father is listed",
            trigger: ".o_lbe_elders a",
            run: "click",
        },
        {
            content: "The village's reply is under her message",
            trigger: `.o_lbe_message:contains(${FAMILY_MESSAGE}) .o_lbe_reply:contains(${VILLAGE_REPLY})`,
        },
        fitsTheScreen(),
    ],
});
