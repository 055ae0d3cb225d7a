import { formatDate } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";

const { DateTime } = luxon;

// The year's summaries through the screens, tier by tier (tests/test_summary_tour.py).
// Each tour starts on the user's start page and finds records by their names,
// never by database ids, so that a longer tour can chain them with other logins.

function startPage() {
    return [
        {
            content: "The web client opens the start page, with the summaries of the year",
            trigger: ".lbe_home .lbe_home_card[data-card=summaries]",
        },
        {
            content: "Every word of the start page is Chinese",
            trigger: ".lbe_home .lbe_home_figure",
            run() {
                const latin = document.querySelector(".lbe_home").innerText.match(/[A-Za-z]+/g);
                if (latin) {
                    throw new Error(`The start page shows untranslated words: ${latin}`);
                }
            },
        },
    ];
}

function openFigure(figure, row) {
    return [
        {
            content: `Open the summaries of the figure ${figure}`,
            trigger: `.lbe_home_figure[data-figure=${figure}]:not([data-count="0"])`,
            run: "click",
        },
        {
            content: `Open the summary of ${row}`,
            trigger: `.o_list_view .o_data_row:contains(${row}) td.o_data_cell`,
            run: "click",
        },
        {
            content: "The summary's form opens",
            trigger: `.o_form_view .oe_title:contains(${row})`,
        },
    ];
}

function clickButton(name) {
    return {
        content: `Click ${name}`,
        trigger: `.o_form_view .o_statusbar_buttons button[name=${name}]`,
        run: "click",
    };
}

function submit() {
    return [
        clickButton("action_submit"),
        {
            content: "Confirm the submission",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        status("submitted"),
    ];
}

function status(state) {
    return {
        content: `The summary is ${state}`,
        trigger: `.o_statusbar_status button.o_arrow_button_current[data-value=${state}]`,
    };
}

function backToStartPage() {
    return {
        content: "Back to the start page",
        trigger: ".o_breadcrumb .breadcrumb-item:first-child a",
        run: "click",
    };
}

// The county traces its failed cross-check to the elder, corrects the ledger,
// computes, writes how its visits work (巡访制度建设情况) and submits.
registry.category("web_tour.tours").add("lbe_summary_county_tour", {
    steps: () => [
        ...startPage(),
        ...openFigure("summary_draft", "武江区"),
        {
            content: "Each line names its own township, not the five-level path",
            trigger: ".o_lbe_summary_lines td[name=region_name]:contains(西联镇):not(:contains(/))",
        },
        {
            content: "The lines' header and names stay in view when scrolling",
            trigger: ".o_lbe_summary_lines .o_list_renderer thead",
            run() {
                const renderer = document.querySelector(".o_lbe_summary_lines .o_list_renderer");
                const head = renderer.querySelector("thead");
                const name = renderer.querySelector("td[name=region_name]");
                if (
                    getComputedStyle(head).position !== "sticky" ||
                    getComputedStyle(name).position !== "sticky" ||
                    getComputedStyle(renderer).overflowY !== "auto"
                ) {
                    throw new Error("The lines' header or names scroll out of view");
                }
            },
        },
        {
            content: "A failed cross-check opens the elders behind it",
            trigger: "div[name=check_ids] .o_data_row:contains(西联镇) button[name=action_open_elders]",
            run: "click",
        },
        {
            content: "The elder is listed with the reason in words",
            trigger: ".o_list_view .o_data_row:contains(温桂英):contains(不满一年) td.o_data_cell",
            run: "click",
        },
        {
            content: "Correct the date the child went away: three years ago",
            trigger: "div[name=child_ids] .o_data_row:first td[name=away_since]",
            run: "click",
        },
        {
            content: "Type the date in the user's format",
            trigger: "div[name=child_ids] .o_selected_row [name=away_since] input",
            run: `edit ${formatDate(DateTime.now().minus({ years: 3 }))}`,
        },
        {
            content: "Save the elder",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the summary",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(武江区)",
            run: "click",
        },
        clickButton("action_compute"),
        {
            content: "The cross-checks pass",
            trigger: ".o_form_view:not(:has(div[name=check_ids] .o_data_row))",
        },
        clickButton("action_open_visit_report"),
        {
            content: "Write how the county's visits work",
            trigger: ".o_form_view .o_field_widget[name=narrative] textarea",
            run: "edit 村干部每月入户巡访，镇（街）每季度抽查，县民政局每半年督导。",
        },
        {
            content: "Save the visit system report",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Back to the summary",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains(武江区)",
            run: "click",
        },
        ...submit(),
    ],
});

// A county without elders finds the nil return its city made.
registry.category("web_tour.tours").add("lbe_summary_nil_tour", {
    steps: () => [
        ...startPage(),
        ...openFigure("summary_nil", "浈江区"),
        {
            content: "The summary is marked as a nil return",
            trigger: ".o_form_view .ribbon:contains(零报告)",
        },
        {
            content: "Nothing to compute or submit",
            trigger:
                ".o_form_view:not(:has(button[name=action_compute])):not(:has(button[name=action_submit]))",
        },
        status("accepted"),
    ],
});

// The city computes its summary, which makes the nil returns, sees its counties
// at a glance and returns one with a reason.
registry.category("web_tour.tours").add("lbe_summary_city_return_tour", {
    steps: () => [
        ...startPage(),
        ...openFigure("summary_draft", "韶关市"),
        clickButton("action_compute"),
        {
            content: "Open the counties' summaries",
            trigger: ".o_notebook .nav-link[name=sub_summaries]",
            run: "click",
        },
        {
            content: "A district without elders has its nil return",
            trigger:
                "div[name=sub_summary_ids] .o_data_row:contains(浈江区) [name=is_nil_return] input:checked",
        },
        {
            content: "Open the county that submitted",
            trigger: "div[name=sub_summary_ids] .o_data_row:contains(武江区) button[name=action_open]",
            run: "click",
        },
        {
            content: "No compute or submit for the city on a county's summary",
            trigger:
                ".o_form_view .oe_title:contains(武江区):not(:has(button[name=action_compute]))",
            run() {
                if (document.querySelector(".o_form_view button[name=action_submit]")) {
                    throw new Error("The city is offered to submit a county's summary");
                }
            },
        },
        clickButton("action_return"),
        {
            content: "Give the reason",
            trigger: ".modal [name=reason] textarea",
            run: "edit 第17列与户籍统计不符，请核对",
        },
        {
            content: "Return it",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        status("returned"),
    ],
});

// The county finds the returned summary on its start page, with the reason,
// computes it again and submits.
registry.category("web_tour.tours").add("lbe_summary_county_resubmit_tour", {
    steps: () => [
        ...startPage(),
        {
            content: "The returned summary is on the start page, with the reason",
            trigger: ".lbe_home_card[data-card=summaries] .lbe_home_item:contains(武江区):contains(第17列与户籍统计不符)",
            run: "click",
        },
        {
            content: "The form says why it was returned",
            trigger: ".o_form_view .alert-danger:contains(第17列与户籍统计不符)",
        },
        clickButton("action_compute"),
        ...submit(),
    ],
});

// The city accepts the county's summary and submits its own.
registry.category("web_tour.tours").add("lbe_summary_city_tour", {
    steps: () => [
        ...startPage(),
        ...openFigure("summary_submitted", "武江区"),
        clickButton("action_accept"),
        status("accepted"),
        backToStartPage(),
        ...startPage(),
        ...openFigure("summary_draft", "韶关市"),
        ...submit(),
    ],
});

// The province accepts the city's summary.
registry.category("web_tour.tours").add("lbe_summary_province_tour", {
    steps: () => [
        ...startPage(),
        ...openFigure("summary_submitted", "韶关市"),
        clickButton("action_accept"),
        status("accepted"),
        {
            content: "Accepted: no more a draft",
            trigger: ".o_form_view:not(:has(.ribbon))",
        },
    ],
});
