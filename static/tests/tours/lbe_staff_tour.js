import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// A manager, not an Odoo administrator, creates a village clerk and a county officer
// on the Staff and Areas screen (tests/test_staff_tour.py runs it in English and
// Chinese). Steps find fields by name; one step checks the screen's language.

export function createStaff(name, login, tier, area) {
    return [
        {
            content: `Name the new staff member ${name}`,
            trigger: ".o_form_view .o_field_widget[name='name'] input",
            run: `edit ${name}`,
        },
        {
            content: "The login: a mobile number or an e-mail address",
            trigger: ".o_form_view .o_field_widget[name='login'] input",
            run: `edit ${login}`,
        },
        {
            content: "The initial password, given in person",
            trigger: ".o_form_view .o_field_widget[name='lbe_initial_password'] input",
            run: "edit chushi-mima-1",
        },
        {
            content: `The tier: ${tier}`,
            trigger: ".o_form_view .o_field_widget[name='lbe_tier'] select",
            run: `select "${tier}"`,
        },
        {
            content: "Add a served area",
            trigger: ".o_form_view .o_field_widget[name='lbe_region_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: `Look for ${area} among the regions offered`,
            trigger: ".modal .o_searchview_input",
            run: `edit ${area}`,
        },
        {
            trigger: ".modal .o_searchview_input",
            run: "press Enter",
        },
        {
            content: `Pick ${area}`,
            trigger: `.modal .o_data_row:contains(${area}):only-child .o_data_cell`,
            run: "click",
        },
        {
            content: `${area} is a served area`,
            trigger: `.o_form_view .o_field_widget[name='lbe_region_ids'] .o_data_row:contains(${area})`,
        },
        ...stepUtils.saveForm(),
    ];
}

// The Staff and Areas screen in the manager's language; a new staff member for each of
// `staff` (name, login, tier, area).
export function createStaffTour(staff) {
    return [
        {
            content: "The screen speaks the manager's language",
            trigger: `.o_breadcrumb:contains(${user.lang === "zh-CN" ? "人员与辖区" : "Staff and Areas"})`,
        },
        ...staff.flatMap((member, index) => [
            {
                content: "A new staff member",
                trigger: index ? ".o_form_button_create" : ".o_list_button_add",
                run: "click",
            },
            ...createStaff(...member),
        ]),
    ];
}

registry.category("web_tour.tours").add("lbe_staff_create_tour", {
    steps: () =>
        createStaffTour([
            ["东华村委会 陈文书", "13800138011", "village", "东华村委会"],
            ["白云区民政局 何干部", "he@baiyun.example.com", "county", "白云区"],
        ]),
});
