import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

// Steps find fields and buttons by name, so the tour runs in any language; one step
// checks that the form speaks the user's (tests/test_visit_tour.py runs English and Chinese).

export function recordVisit(elder) {
    return [
        {
            content: "Record a visit from the elder's form, in one click",
            trigger: ".o_form_view button[name='action_record_visit']",
            run: "click",
        },
        {
            content: "The new visit is of that elder",
            trigger: `.o_form_view .o_field_widget[name='elder_id'] input:value(${elder})`,
        },
        {
            content: "Describe the living conditions",
            trigger: ".o_form_view .o_field_widget[name='living_conditions'] textarea",
            run: "edit 住房安全，生活正常。",
        },
        {
            content: "The form speaks the user's language",
            trigger: `.o_form_view button[name='action_done']:contains(${user.lang === "zh-CN" ? "完成巡访" : "Complete Visit"})`,
        },
        {
            content: "Complete the visit",
            trigger: ".o_form_view button[name='action_done']",
            run: "click",
        },
        {
            content: "The visit is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='done']",
        },
    ];
}

registry.category("web_tour.tours").add("lbe_visit_record_tour", {
    steps: () => recordVisit("巡访老人"),
});
