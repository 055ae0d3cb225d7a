import { registry } from "@web/core/registry";

// The family's message and the village's reply, in three tours run one after the
// other on the same data (tests/test_family_message_tour.py, on a phone, in Chinese).
// Their steps are exported, so that the year's tour (lbe_year_tour.js) can chain them
// with its own elder and words: they find what they need by the page's classes and
// the texts written, never by a record's id.
export const FAMILY_MESSAGE = "爸爸最近腿疼，请村医去看看。";
export const VILLAGE_REPLY = "已安排村医明天上门。";

const elderLink = (elder) => `.o_lbe_elders a${elder ? `:contains(${elder})` : ""}`;

export function fitsThePhone() {
    return {
        content: "Nothing wider than the phone's screen",
        trigger: ".o_lbe_elder",
        run() {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth > width) {
                const wider = [...document.querySelectorAll("body *")].filter(
                    (node) => node.getBoundingClientRect().right > width + 1 && node.offsetParent
                );
                throw new Error(`The page is wider than ${width}px: ${wider.map((n) => n.className)}`);
            }
        },
    };
}

// The supporter writes to the village from /my/elders (her parent's page, by name
// when she supports several).
export function familySendsMessage(message, elder) {
    return [
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
            content: "Her parent is listed",
            trigger: elderLink(elder),
            run: "click",
        },
        {
            content: "The village committee's phone is one tap away",
            trigger: ".o_lbe_village_phone a[href^='tel:']",
        },
        fitsThePhone(),
        {
            content: "She writes to the village",
            trigger: ".o_lbe_message_form textarea[name='message']",
            run: `edit ${message}`,
        },
        {
            content: "Send the message",
            trigger: ".o_lbe_message_form button[type='submit']",
            run: "click",
        },
        {
            content: "The message waits for the village's reply",
            trigger: `.o_lbe_message:contains(${message}) .o_lbe_no_reply`,
        },
    ];
}

// The clerk finds the message on the start page (/odoo) and replies on it.
export function clerkReplies(message, reply) {
    return [
        {
            content: "The start page lists the family's message",
            trigger: `.lbe_home_card[data-card=family] .lbe_home_item:contains(${message.slice(0, 10)})`,
            run: "click",
        },
        {
            content: "The message is shown",
            trigger: `.o_form_view .o_lbe_family_body:contains(${message})`,
        },
        {
            content: "Write the reply",
            trigger: ".o_form_view .o_field_widget[name='reply'] textarea",
            run: `edit ${reply}`,
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
    ];
}

// The supporter reads the reply under her message (/my/elders).
export function familyReadsReply(message, reply, elder) {
    return [
        {
            content: "Her parent is listed",
            trigger: elderLink(elder),
            run: "click",
        },
        {
            content: "The village's reply is under her message",
            trigger: `.o_lbe_message:contains(${message}) .o_lbe_reply:contains(${reply})`,
        },
        fitsThePhone(),
    ];
}

const tours = registry.category("web_tour.tours");
tours.add("lbe_family_message_send_tour", {
    steps: () => familySendsMessage(FAMILY_MESSAGE),
});
tours.add("lbe_family_message_reply_tour", {
    steps: () => clerkReplies(FAMILY_MESSAGE, VILLAGE_REPLY),
});
tours.add("lbe_family_message_read_tour", {
    steps: () => familyReadsReply(FAMILY_MESSAGE, VILLAGE_REPLY),
});
