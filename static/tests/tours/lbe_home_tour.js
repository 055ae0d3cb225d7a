import { registry } from "@web/core/registry";

// Staff log in and land on their start page (no action in the URL: the web
// client opens the first app), which reads entirely Chinese for a Chinese user;
// a figure opens the records it counts (tests/test_home.py, tests/test_year_tour.py).
// Any card when none is named.
export function land(card) {
    return [
        {
            content: "The web client opens the start page",
            trigger: `.lbe_home .lbe_home_card${card ? `[data-card=${card}]` : ""}`,
        },
        {
            content: "Every word of the page is Chinese",
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

export function landAndOpen(card, figure, record) {
    return [
        ...land(card),
        {
            content: "Open the records behind a figure",
            trigger: `.lbe_home_figure[data-figure=${figure}]:not([data-count="0"])`,
            run: "click",
        },
        {
            content: "The records counted are listed",
            trigger: `.o_list_view .o_data_row:contains(${record})`,
        },
    ];
}

registry.category("web_tour.tours").add("lbe_home_village_tour", {
    steps: () => landAndOpen("visits", "overdue", "首页逾期老人"),
});

registry.category("web_tour.tours").add("lbe_home_county_tour", {
    steps: () => landAndOpen("summaries", "summary_draft", "白云区"),
});
