/* The field app of left_behind_elderly (/lbe/field).
 *
 * A plain script, so that it runs without a signal and without Odoo's web
 * client: the elders of the user's area and an outbox of visits are kept on the
 * phone (IndexedDB); a visit is saved to the outbox first and sent to
 * /lbe/field/sync when there is a signal. The server answers per visit:
 * accepted ones are marked so, refused ones stay with the reason until the user
 * corrects or discards them. Each visit carries a UUID made here, so a visit
 * sent twice (a lost answer, a retry) is stored once.
 */
(function () {
    "use strict";

    const config = JSON.parse(document.getElementById("lbe_config").dataset.config);
    const T = config.terms;
    const $ = (id) => document.getElementById(id);
    const PHOTO_SIZE = 1280;

    // ------------------------------------------------------------------
    // Storage: one database per Odoo database and user, so that on a shared
    // phone a user never sees another's elders or outbox.
    // ------------------------------------------------------------------
    const dbReady = new Promise((resolve, reject) => {
        const request = indexedDB.open(`lbe_field_${config.db}_${config.uid}`, 1);
        request.onupgradeneeded = () => {
            request.result.createObjectStore("elders", { keyPath: "id" });
            request.result.createObjectStore("outbox", { keyPath: "client_uuid" });
            request.result.createObjectStore("meta");
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });

    async function transact(storeName, mode, work) {
        const db = await dbReady;
        return new Promise((resolve, reject) => {
            const transaction = db.transaction(storeName, mode);
            const request = work(transaction.objectStore(storeName));
            transaction.oncomplete = () => resolve(request ? request.result : undefined);
            transaction.onerror = () => reject(transaction.error);
            transaction.onabort = () => reject(transaction.error);
        });
    }
    const getAll = (store) => transact(store, "readonly", (s) => s.getAll());
    const put = (store, value, key) => transact(store, "readwrite", (s) => s.put(value, key));
    const remove = (store, key) => transact(store, "readwrite", (s) => s.delete(key));
    const getMeta = (key) => transact("meta", "readonly", (s) => s.get(key));

    // ------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------
    function format(term, ...values) {
        let index = 0;
        return term.replace(/%s/g, () => String(values[index++] ?? ""));
    }

    function formatNamed(term, values) {
        return term.replace(/%\((\w+)\)s/g, (match, name) => String(values[name] ?? ""));
    }

    function element(tag, properties, ...children) {
        const node = Object.assign(document.createElement(tag), properties || {});
        node.append(...children.filter((child) => child !== null && child !== undefined));
        return node;
    }

    function today() {
        const now = new Date();
        return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
    }

    function newUuid() {
        const bytes = crypto.getRandomValues(new Uint8Array(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
        const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
        return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
    }

    function notice(text) {
        $("lbe_notice").textContent = text || "";
        $("lbe_notice").hidden = !text;
    }

    async function rpc(url, params) {
        const response = await fetch(url, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: Date.now(), params }),
        });
        const body = await response.json();
        if (body.error) {
            const error = new Error((body.error.data && body.error.data.message) || body.error.message);
            error.rpc = body.error;
            throw error;
        }
        return body.result;
    }

    function errorText(error) {
        if (!error.rpc) {
            return T.unreachable;
        }
        return error.rpc.code === 100 ? T.session : error.message;
    }

    // ------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------
    let elders = [];
    let editing = null;
    // What the server did after a visit at risk, by UUID: kept in memory only,
    // since the supporter's phone must not stay on the device.
    const nextSteps = new Map();

    function showView(name) {
        for (const view of ["elders", "form", "outbox"]) {
            $(`lbe_view_${view}`).hidden = view !== name;
        }
        for (const tab of document.querySelectorAll(".lbe-tab")) {
            tab.classList.toggle("lbe-active", tab.dataset.view === name);
        }
    }

    function renderNetwork() {
        $("lbe_network").textContent = navigator.onLine ? T.online : T.offline;
        $("lbe_network").classList.toggle("lbe-danger", !navigator.onLine);
    }

    function renderElders() {
        const query = $("lbe_search").value.trim();
        const shown = elders.filter(
            (elder) => !query || elder.name.includes(query) || (elder.village_name || "").includes(query)
        );
        const list = $("lbe_elders");
        list.replaceChildren();
        if (!shown.length) {
            list.append(element("li", { className: "lbe-muted", textContent: T.no_elders }));
        }
        for (const elder of shown) {
            const badges = element("div", { className: "lbe-badges" });
            if (elder.overdue) {
                badges.append(element("span", { className: "lbe-badge lbe-danger", textContent: T.overdue }));
            } else if (elder.next_visit_date) {
                badges.append(element("span", { className: "lbe-badge", textContent: format(T.due, elder.next_visit_date) }));
            }
            if (elder.key_focus) {
                badges.append(element("span", { className: "lbe-badge lbe-focus", textContent: T.key_focus }));
            }
            if (elder.at_risk) {
                badges.append(element("span", { className: "lbe-badge lbe-danger", textContent: T.at_risk }));
            }
            const last = elder.last_visit_date
                ? format(T.last_visit, [elder.last_visit_date, elder.last_risk].filter(Boolean).join(" · "))
                : T.never_visited;
            const facts = [elder.village_name, elder.age ? format(T.age, elder.age) : ""].filter(Boolean).join(" · ");
            const item = element(
                "li",
                { className: "lbe-card lbe-elder" },
                element("div", {}, element("strong", { textContent: elder.name }), " ", element("span", { className: "lbe-muted", textContent: facts })),
                badges,
                element("p", { className: "lbe-muted", textContent: last }),
                element("ul", { className: "lbe-checks" }, ...elder.checks.map((check) => element("li", { textContent: check }))),
                element("button", { type: "button", className: "lbe-primary lbe-record", textContent: T.record, onclick: () => openForm(elder) })
            );
            item.dataset.elderId = elder.id;
            list.append(item);
        }
    }

    async function renderUpdated() {
        const updated = await getMeta("updated");
        $("lbe_updated").textContent = updated ? format(T.updated, updated) : "";
    }

    async function renderOutbox() {
        const entries = (await getAll("outbox")).sort((a, b) => a.recorded_at.localeCompare(b.recorded_at));
        const list = $("lbe_outbox");
        list.replaceChildren();
        if (!entries.length) {
            list.append(element("li", { className: "lbe-muted", textContent: T.empty_outbox }));
        }
        for (const entry of entries) {
            const item = element(
                "li",
                { className: `lbe-card lbe-outbox-item lbe-${entry.status}` },
                element("div", {}, element("strong", { textContent: entry.elder_name }), " ", element("span", { className: "lbe-muted", textContent: entry.visit.visit_date })),
                element("span", { className: "lbe-badge lbe-status", textContent: T[entry.status] })
            );
            item.dataset.status = entry.status;
            item.dataset.uuid = entry.client_uuid;
            const next = entry.status === "accepted" && nextSteps.get(entry.client_uuid);
            if (next) {
                item.append(renderNext(next));
            }
            if (entry.status === "refused") {
                item.append(
                    element("p", { className: "lbe-message", textContent: entry.message }),
                    element(
                        "div",
                        { className: "lbe-actions" },
                        element("button", { type: "button", textContent: T.edit, onclick: () => openForm({ id: entry.visit.elder_id, name: entry.elder_name }, entry) }),
                        element("button", { type: "button", textContent: T.discard_button, onclick: () => discard(entry) })
                    )
                );
            }
            list.append(item);
        }
        const pending = entries.filter((entry) => entry.status !== "accepted").length;
        $("lbe_outbox_count").textContent = pending ? String(pending) : "";
    }

    function renderNext(next) {
        // What happens next for a visit at risk, and the supporter to call.
        const block = element(
            "div",
            { className: "lbe-next" },
            element("strong", { textContent: T.next_title }),
            element("ul", {}, ...next.steps.map((step) => element("li", { textContent: step })))
        );
        if (next.call && next.call.phone) {
            block.append(
                element(
                    "a",
                    { className: "lbe-call", href: `tel:${next.call.phone.replace(/[^0-9+]/g, "")}` },
                    next.call.label
                )
            );
        }
        return block;
    }

    // ------------------------------------------------------------------
    // The visit form
    // ------------------------------------------------------------------
    function toggleSafetyNote() {
        const form = $("lbe_visit_form");
        form.querySelector("[data-field='safety_risk_note']").hidden = !form.elements.safety_risk.checked;
    }

    function openForm(elder, entry) {
        editing = { elder, entry };
        const form = $("lbe_visit_form");
        form.reset();
        $("lbe_form_elder").textContent = elder.name;
        const values = entry ? entry.visit : { visit_date: today(), method: "home", risk_level: "none" };
        for (const [name, value] of Object.entries(values)) {
            const input = form.elements[name];
            if (!input || input.type === "file") {
                continue;
            }
            if (input.type === "checkbox") {
                input.checked = Boolean(value);
            } else {
                input.value = value || "";
            }
        }
        toggleSafetyNote();
        notice("");
        showView("form");
        window.scrollTo(0, 0);
    }

    function readPhoto(file) {
        // Scaled down on the phone: a photo of a few hundred kilobytes waits in the outbox.
        return new Promise((resolve, reject) => {
            const image = new Image();
            image.onload = () => {
                const scale = Math.min(1, PHOTO_SIZE / Math.max(image.width, image.height));
                const canvas = element("canvas", { width: Math.round(image.width * scale), height: Math.round(image.height * scale) });
                canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
                URL.revokeObjectURL(image.src);
                resolve(canvas.toDataURL("image/jpeg", 0.8).split(",")[1]);
            };
            image.onerror = () => reject(new Error(T.photo_invalid));
            image.src = URL.createObjectURL(file);
        });
    }

    async function saveForm(event) {
        event.preventDefault();
        const form = event.target;
        const visit = { elder_id: editing.elder.id, safety_risk: form.elements.safety_risk.checked };
        for (const input of form.elements) {
            if (input.name && !["file", "checkbox"].includes(input.type) && input.value.trim()) {
                visit[input.name] = input.value.trim();
            }
        }
        if (!visit.visit_date || !visit.method || !visit.risk_level) {
            notice(T.required);
            return;
        }
        const file = form.elements.photo.files[0];
        try {
            if (file) {
                visit.photo = await readPhoto(file);
            } else if (editing.entry && editing.entry.visit.photo) {
                visit.photo = editing.entry.visit.photo;
            }
        } catch (error) {
            notice(error.message);
            return;
        }
        // A corrected visit gets a new UUID: nothing was stored under the old one.
        if (editing.entry) {
            await remove("outbox", editing.entry.client_uuid);
        }
        visit.client_uuid = newUuid();
        await put("outbox", {
            client_uuid: visit.client_uuid,
            elder_name: editing.elder.name,
            recorded_at: new Date().toISOString(),
            status: "waiting",
            visit,
        });
        editing = null;
        showView("outbox");
        await renderOutbox();
        notice(T.saved);
        if (navigator.onLine) {
            await sync();
        }
    }

    async function discard(entry) {
        if (window.confirm(T.discard)) {
            await remove("outbox", entry.client_uuid);
            await renderOutbox();
        }
    }

    // ------------------------------------------------------------------
    // Talking to the server
    // ------------------------------------------------------------------
    async function refreshElders() {
        try {
            const fresh = await rpc("/lbe/field/elders", {});
            await transact("elders", "readwrite", (store) => {
                store.clear();
                fresh.forEach((elder, rank) => store.put({ ...elder, rank }));
            });
            await put("meta", new Date().toLocaleString(), "updated");
            elders = fresh;
            renderElders();
            await renderUpdated();
        } catch (error) {
            // Without a signal the list kept on the phone is shown.
            if (error.rpc) {
                notice(errorText(error));
            }
        }
    }

    let syncing = Promise.resolve();

    function sync() {
        // One sync at a time; a call made during one runs after it, so that a
        // visit saved meanwhile is sent too. The page is marked while it talks to
        // the server, up to the elders' refresh that ends a sync.
        document.body.dataset.syncing = "1";
        const run = syncing.then(sendOutbox, sendOutbox);
        syncing = run;
        run.finally(() => {
            if (syncing === run) {
                delete document.body.dataset.syncing;
            }
        });
        return run;
    }

    async function sendOutbox() {
        const waiting = (await getAll("outbox")).filter((entry) => entry.status === "waiting");
        if (!waiting.length) {
            return;
        }
        const counts = { accepted: 0, refused: 0 };
        try {
            for (let start = 0; start < waiting.length; start += config.batch) {
                const batch = waiting.slice(start, start + config.batch);
                const results = await rpc("/lbe/field/sync", { visits: batch.map((entry) => entry.visit) });
                for (const result of results) {
                    const entry = batch.find((candidate) => candidate.client_uuid === result.client_uuid);
                    if (!entry) {
                        continue;
                    }
                    if (result.status === "refused") {
                        entry.status = "refused";
                        entry.message = result.message;
                    } else {
                        // Stored on the server: only what the outbox shows stays here.
                        entry.status = "accepted";
                        entry.visit_id = result.visit_id;
                        if (result.next) {
                            nextSteps.set(entry.client_uuid, result.next);
                        }
                        entry.visit = { elder_id: entry.visit.elder_id, visit_date: entry.visit.visit_date };
                    }
                    counts[entry.status]++;
                    await put("outbox", entry);
                }
            }
            notice(formatNamed(T.synced, counts));
        } catch (error) {
            notice(errorText(error));
        }
        await renderOutbox();
        await refreshElders();
    }

    async function clearAccepted() {
        for (const entry of await getAll("outbox")) {
            if (entry.status === "accepted") {
                nextSteps.delete(entry.client_uuid);
                await remove("outbox", entry.client_uuid);
            }
        }
        await renderOutbox();
    }

    // ------------------------------------------------------------------
    // Start
    // ------------------------------------------------------------------
    async function start() {
        elders = (await getAll("elders")).sort((a, b) => a.rank - b.rank);
        renderNetwork();
        renderElders();
        await renderUpdated();
        await renderOutbox();
        for (const tab of document.querySelectorAll(".lbe-tab")) {
            tab.addEventListener("click", () => showView(tab.dataset.view));
        }
        $("lbe_search").addEventListener("input", renderElders);
        $("lbe_visit_form").addEventListener("submit", saveForm);
        $("lbe_visit_form").elements.safety_risk.addEventListener("change", toggleSafetyNote);
        $("lbe_form_cancel").addEventListener("click", () => showView("elders"));
        $("lbe_send").addEventListener("click", () => sync());
        $("lbe_clear").addEventListener("click", clearAccepted);
        window.addEventListener("offline", renderNetwork);
        window.addEventListener("online", () => {
            renderNetwork();
            sync();
        });
        let installPrompt = null;
        window.addEventListener("beforeinstallprompt", (event) => {
            event.preventDefault();
            installPrompt = event;
            $("lbe_install").hidden = false;
        });
        $("lbe_install").addEventListener("click", () => installPrompt && installPrompt.prompt());
        if ("serviceWorker" in navigator) {
            // Without a signal the worker cannot be updated; the installed one keeps serving.
            await navigator.serviceWorker
                .register("/lbe/field/service-worker.js", { scope: "/lbe/field" })
                .catch(() => null);
        }
        if (navigator.onLine) {
            await refreshElders();
            await sync();
        }
        document.body.dataset.ready = "1";
    }

    start();
})();
