import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The staff's start page: the figures of the user's tier, counted by the server
 * (lbe.home.get_home) as the user. A figure opens the records it counts; a
 * listed record opens its form. All text comes translated from the server.
 */
export class LbeHome extends Component {
    static template = "left_behind_elderly.LbeHome";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ home: null });
        onWillStart(async () => {
            this.state.home = await this.orm.call("lbe.home", "get_home", []);
        });
    }

    async openFigure(figure) {
        const action = await this.orm.call("lbe.home", "action_open_figure", [figure.key]);
        await this.actionService.doAction(action);
    }

    async openRecord(item) {
        await this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: item.res_model,
            res_id: item.res_id,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

registry.category("actions").add("lbe_home", LbeHome);
