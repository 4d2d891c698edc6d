import type { PlanLayer, PlanResource } from "./document";
import { escapeHtml as esc, outputText, seconds, settingsText, shortType, usd } from "./report-common";

/**
 * One layer's section of the HTML report: what it reads, its resource tree (via `parent`), outputs
 * (a secret one as `[secret]`, its value never read), policy results, cost lines and rollout.
 */

/** Longest output value shown, in characters: the page has room for more than the terminal. */
const HTML_VALUE_LIMIT = 1000;

const table = (head: string[], rows: string[][], cls = ""): string =>
    [
        `<table${cls ? ` class="${cls}"` : ""}>`,
        `<thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead>`,
        "<tbody>",
        ...rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`),
        "</tbody></table>",
    ].join("\n");

/** The resources as nested lists under their parents; a parent that is not in the layer makes a root. */
export function resourceTree(resources: readonly PlanResource[]): string {
    const keys = new Set(resources.map((r) => r.key));
    const children = new Map<string, PlanResource[]>();
    for (const r of resources)
        if (r.parent !== undefined && keys.has(r.parent))
            children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const seen = new Set<string>();
    const item = (r: PlanResource): string => {
        // A document whose parents form a cycle still renders, each resource once.
        if (seen.has(r.key)) return "";
        seen.add(r.key);
        const settings = settingsText(r);
        const kids = (children.get(r.key) ?? []).map(item).join("");
        return [
            `<li data-resource="${esc(r.key)}">`,
            `<span class="kind" title="${r.custom ? "resource" : "component"}">${r.custom ? "+" : "□"}</span> `,
            `<span class="type" title="${esc(r.type)}">${esc(shortType(r.type))}</span> <b>${esc(r.name)}</b>`,
            settings ? ` <span class="settings">${esc(settings)}</span>` : "",
            kids ? `<ul>${kids}</ul>` : "",
            "</li>",
        ].join("");
    };
    const roots = resources.filter((r) => r.parent === undefined || !keys.has(r.parent)).map(item);
    // Resources only reachable through a cycle have no root: show them at the top rather than drop them.
    const orphans = resources.filter((r) => !seen.has(r.key)).map(item);
    return `<ul class="tree">${[...roots, ...orphans].join("\n")}</ul>`;
}

function reads(l: PlanLayer): string {
    if (l.reads.length === 0) return "<p>Reads no upstream outputs.</p>";
    const byUpstream = new Map<string, string[]>();
    for (const r of l.reads) byUpstream.set(r.upstream, [...(byUpstream.get(r.upstream) ?? []), r.output]);
    const items = [...byUpstream].map(([upstream, outputs]) => {
        const from = upstream === l.layer ? `its own previous outputs` : `<b>${esc(upstream)}</b>`;
        return `<li>from ${from}: ${outputs.map((o) => `<code>${esc(o)}</code>`).join(", ")}</li>`;
    });
    return `<ul class="reads">${items.join("")}</ul>`;
}

function outputs(l: PlanLayer): string {
    if (l.outputs.length === 0) return "<p>No outputs.</p>";
    return table(
        ["Output", "Shape", "Value"],
        l.outputs.map((o) => [
            `<code>${esc(o.name)}</code>`,
            `<code>${esc(o.shape)}</code>`,
            o.secret
                ? `<span class="secret">${esc(outputText(o))}</span>`
                : `<code>${esc(outputText(o, HTML_VALUE_LIMIT))}</code>`,
        ]),
        "outputs",
    );
}

function policies(l: PlanLayer): string {
    const p = l.policies;
    const summary = `<p>${p.run} policies run over ${p.resourcesChecked} resources: ${p.violations.length} violation(s), ${p.violations.filter((v) => v.level === "mandatory").length} mandatory.</p>`;
    if (p.violations.length === 0) return summary;
    const items = p.violations.map(
        (v) =>
            `<li class="violation ${v.level === "mandatory" ? "mandatory" : "advisory"}"><b>[${esc(v.level)}]</b> <code>${esc(v.policy)}</code>: ${esc(v.message)}</li>`,
    );
    return `${summary}<ul class="violations">${items.join("\n")}</ul>`;
}

function cost(l: PlanLayer): string {
    if (l.cost.lines.length === 0) return `<p>No priced resources: ${usd(l.cost.monthly)}/month.</p>`;
    return table(
        ["Resource", "Per month", "Basis"],
        [
            ...l.cost.lines.map((c) => [
                `${esc(shortType(c.type))} <b>${esc(c.name)}</b>`,
                c.unpriced ? `<span class="bad">[UNPRICED]</span>` : esc(usd(c.monthly)),
                esc(c.basis),
            ]),
            ["<b>Total</b>", `<b>${esc(usd(l.cost.monthly))}</b>`, ""],
        ],
        "cost",
    );
}

function rollout(l: PlanLayer): string {
    if (l.rollout.length === 0) return "";
    return [
        "<h3>Rollout (modelled worst case)</h3>",
        table(
            ["Service", "Worst case", "Goal", "Waves", "Per wave", ""],
            l.rollout.map((r) => [
                `<code>${esc(r.service)}</code>`,
                seconds(r.totalSeconds),
                seconds(r.goalSeconds),
                `${r.waves} × ${r.batch} of ${r.desiredCount} task(s)`,
                esc(r.steps.map((s) => `${s.step} ${s.seconds} s`).join(" + ")),
                r.withinGoal
                    ? `<span class="ok">within the goal</span>`
                    : `<span class="bad">over by ${seconds(r.totalSeconds - r.goalSeconds)}</span>`,
            ]),
            "rollout",
        ),
    ].join("\n");
}

/** The section of one layer. */
export function layerSection(l: PlanLayer): string {
    return [
        `<section class="layer" id="layer-${esc(l.layer)}" data-section="layer-${esc(l.layer)}">`,
        `<h2>${l.order}. ${esc(l.layer)} <small>${esc(l.project)} · ${l.resources.length} resources · ${esc(usd(l.cost.monthly))}/month · program ${Math.round(l.millis)} ms</small></h2>`,
        "<h3>Reads</h3>",
        reads(l),
        `<details open><summary><h3>Resources (${l.resources.length})</h3></summary>`,
        resourceTree(l.resources),
        "</details>",
        "<h3>Outputs</h3>",
        outputs(l),
        "<h3>Policies</h3>",
        policies(l),
        "<h3>Cost (list prices)</h3>",
        cost(l),
        rollout(l),
        "</section>",
    ].join("\n");
}
