import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";

const { DateTime } = luxon;

// A village clerk registers an elder through the Annex 1 form: basic facts,
// one child away for work, one main supporter, then Register. The steps find
// fields and buttons by name, so the tour runs in any language; one step checks
// that the form speaks the user's (tests/test_elder_tour.py runs English and Chinese).
export function registerElder(village) {
    return [
        {
            content: "Create a new elder from the ledger",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Name",
            trigger: ".o_field_widget[name=name] input",
            run: "edit 黄秀珍",
        },
        {
            // A lower-case x would be accepted too; this one ends in a digit.
            content: "ID number",
            trigger: ".o_field_widget[name=id_number] input",
            run: "edit 440111194806211259 && press Tab",
        },
        {
            content: "The birth date is filled from the ID number",
            trigger: ".o_field_widget[name=birth_date] input:value(/1948/)",
        },
        {
            content: "Village",
            trigger: ".o_field_widget[name=region_id] input",
            run: `edit ${village}`,
        },
        {
            content: "Pick the village",
            trigger: `.o-autocomplete--dropdown-item a:contains(${village})`,
            run: "click",
        },
        {
            content: "Add a child",
            trigger: "div[name=child_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Child's name",
            trigger: "div[name=child_ids] .o_selected_row [name=name] input",
            run: "edit 黄伟",
        },
        {
            content: "Away since three years ago, typed in the user's date format",
            trigger: "div[name=child_ids] .o_selected_row [name=away_since] input",
            run: `edit ${formatDate(DateTime.now().minus({ years: 3 }))} && press Enter`,
        },
        {
            content: "Open the main supporters",
            trigger: ".o_notebook .nav-link[name=supporters]",
            run: "click",
        },
        {
            content: "Add a main supporter",
            trigger: "div[name=guardian_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Supporter's name",
            trigger: "div[name=guardian_ids] .o_selected_row [name=name] input",
            run: "edit 黄伟",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "The form speaks the user's language",
            trigger: `button[name=action_activate]:contains(${user.lang === "zh-CN" ? "登记" : "Register"})`,
        },
        {
            content: "Register",
            trigger: "button[name=action_activate]",
            run: "click",
        },
        {
            content: "The elder is registered",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=active]",
        },
    ];
}

registry.category("web_tour.tours").add("lbe_elder_register_tour", {
    steps: () => registerElder("东华村委会"),
});
