import { renderDiagram } from "./diagram";
import type { ContractChange, PlanDiff, PlanDocument, PlanLayer } from "./document";
import { layerSection } from "./html-layer";
import { REPORT_CSS } from "./html-style";
import {
    configSource,
    escapeHtml as esc,
    fakeNotice,
    inDeployOrder,
    seconds,
    shortCommit,
    usd,
    verdict,
    withCodeSpans,
} from "./report-common";

/**
 * The plan as ONE self-contained HTML file: inline CSS and SVG, no script, no URL of any kind to
 * load, and a CSP that would block one anyway. It shows everything without JavaScript, so it
 * reads the same opened from disk, from a CI artifact or in a mail client. Every text from the
 * document is escaped; a secret output shows as `[secret]`.
 */

/** The page's Content-Security-Policy: nothing may be loaded; inline styles and data: images only. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The page's title. */
export const reportTitle = (doc: PlanDocument): string => `Plan of stack ${doc.stack} (${shortCommit(doc.commit)})`;

/** The HTML report of `doc`. */
export function renderHtml(doc: PlanDocument): string {
    const layers = inDeployOrder(doc);
    const body =
        doc.problems !== undefined
            ? [problems(doc)]
            : [
                  ...(doc.diff ? [contractErrors(doc.diff)] : []),
                  nav(layers, doc.diff !== undefined),
                  `<section id="diagram"><h2>Layers in deploy order</h2>\n${renderDiagram(layers)}\n<p class="hint">Arrows: the outputs each layer reads from the layers before it (its StackReferences).</p></section>`,
                  summary(doc, layers),
                  ...(doc.diff ? [diffSection(doc.diff)] : []),
                  ...layers.map(layerSection),
                  pricing(doc),
              ];
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        `<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        `<title>${esc(reportTitle(doc))}</title>`,
        `<style>${REPORT_CSS}</style>`,
        "</head>",
        "<body>",
        header(doc),
        "<main>",
        ...body,
        "</main>",
        `<footer>${fakeNotice(doc)
            .map((line) => `<p>${esc(line)}</p>`)
            .join("")}</footer>`,
        "</body>",
        "</html>",
        "",
    ].join("\n");
}

function header(doc: PlanDocument): string {
    const v = verdict(doc);
    return [
        "<header>",
        `<h1>Plan of stack <code>${esc(doc.stack)}</code></h1>`,
        `<p class="verdict ${v.ok ? "ok" : "bad"}" data-verdict="${v.ok ? "ok" : "failed"}"><span class="badge ${v.ok ? "ok" : "bad"}">${v.ok ? "OK" : "FAILED"}</span> ${esc(v.text)} (exit code ${doc.code})</p>`,
        `<p>Commit <code>${esc(doc.commit)}</code> · region <code>${esc(doc.region)}</code> · schema ${esc(doc.schema)} v${doc.version}</p>`,
        `<p>${esc(configSource(doc, true))}</p>`,
        `<details class="config"><summary>Config files and placeholder keys</summary><p>${esc(configSource(doc))}</p></details>`,
        `<p class="notice">${esc(fakeNotice(doc)[0] ?? "")}</p>`,
        "</header>",
    ].join("\n");
}

/** No plan (invalid config, or a BASE without one): the report and nothing else. */
function problems(doc: PlanDocument): string {
    return [
        '<section id="problems" class="alert">',
        "<h2>No plan</h2>",
        "<p>There is no plan until the problems below are fixed.</p>",
        `<pre>${esc(doc.problems ?? "")}</pre>`,
        "</section>",
    ].join("\n");
}

function nav(layers: readonly PlanLayer[], withDiff: boolean): string {
    const links = [
        ["diagram", "Diagram"],
        ["summary", "Summary"],
        ...(withDiff ? [["diff", "Changes"]] : []),
        ...layers.map((l) => [`layer-${l.layer}`, l.layer]),
        ["pricing", "Prices"],
    ];
    return `<nav>${links.map(([id, text]) => `<a href="#${esc(id ?? "")}">${esc(text ?? "")}</a>`).join(" · ")}</nav>`;
}

/** A contract change: its message names the producer, the output, what changed and who reads it. */
function contractLine(c: ContractChange): string {
    const message = withCodeSpans(c.message, esc, (name) => `<code>${esc(name)}</code>`);
    return `<li class="contract ${c.severity === "error" ? "error" : "info"}" data-output="${esc(`${c.layer}.${c.output}`)}">${message}</li>`;
}

/** Contract errors first and loud: each names the consuming layer and the safe deploy order. */
function contractErrors(diff: PlanDiff): string {
    const errors = diff.contract.filter((c) => c.severity === "error");
    if (errors.length === 0) return "";
    return [
        '<section id="contract-errors" class="alert">',
        `<h2>${errors.length} output contract error(s)</h2>`,
        `<p>A layer that reads these outputs at <code>${esc(diff.base.ref)}</code> would break.</p>`,
        `<ul>${errors.map(contractLine).join("\n")}</ul>`,
        "</section>",
    ].join("\n");
}

function summary(doc: PlanDocument, layers: readonly PlanLayer[]): string {
    const t = doc.totals;
    const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
    const rollouts = layers.flatMap((l) => l.rollout);
    return [
        '<section id="summary"><h2>Summary</h2>',
        "<table><thead><tr><th>#</th><th>Layer</th><th>Resources</th><th>Policy violations (mandatory)</th><th>Per month</th><th>Program</th></tr></thead><tbody>",
        ...layers.map((l) =>
            row([
                String(l.order),
                `<a href="#layer-${esc(l.layer)}">${esc(l.layer)}</a>`,
                String(l.resources.length),
                `${l.policies.violations.length} (${l.policies.violations.filter((v) => v.level === "mandatory").length})`,
                esc(usd(l.cost.monthly)),
                `${Math.round(l.millis)} ms`,
            ]),
        ),
        `<tr class="total">${["", "Total", String(t.resources), `${t.violations} (${t.mandatoryViolations})`, esc(usd(t.monthly)), `${Math.round(t.programMillis)} ms`].map((c) => `<td>${c}</td>`).join("")}</tr>`,
        "</tbody></table>",
        rollouts.length > 0
            ? `<p>Rollout (modelled worst case): ${rollouts
                  .map(
                      (r) =>
                          `<code>${esc(r.service)}</code> ${seconds(r.totalSeconds)} ${r.withinGoal ? `<span class="ok">within</span>` : `<span class="bad">over</span>`} the ${seconds(r.goalSeconds)} goal`,
                  )
                  .join("; ")}.</p>`
            : "",
        "</section>",
    ].join("\n");
}

function diffSection(diff: PlanDiff): string {
    const keys = (items: { key: string; fields?: string[] }[]) =>
        items.length === 0
            ? ""
            : `<ul>${items.map((i) => `<li><code>${esc(i.key)}</code>${i.fields && i.fields.length > 0 ? ` (${esc(i.fields.join(", "))})` : ""}</li>`).join("")}</ul>`;
    const perLayer = diff.layers.map((l) => {
        const groups: [string, { key: string; fields?: string[] }[]][] = [
            ["replaced", l.replaced],
            ["added", l.added.map((key) => ({ key }))],
            ["changed", l.changed],
            ["removed", l.removed.map((key) => ({ key }))],
        ];
        const body = groups
            .filter(([, items]) => items.length > 0)
            .map(([what, items]) => `<h4 class="${what}">${what} (${items.length})</h4>${keys(items)}`)
            .join("\n");
        return `<div class="diff-layer" data-diff-layer="${esc(l.layer)}"><h3>${esc(l.layer)}: ${esc(usd(l.monthlyDelta, true))}/month</h3>${body || "<p>No changes.</p>"}</div>`;
    });
    const info = diff.contract.filter((c) => c.severity !== "error");
    return [
        '<section id="diff">',
        `<h2>Changes against <code>${esc(diff.base.ref)}</code> (<code>${esc(shortCommit(diff.base.commit))}</code>): ${esc(usd(diff.monthlyDelta, true))}/month</h2>`,
        ...perLayer,
        info.length > 0 ? `<h3>Other output changes</h3><ul>${info.map(contractLine).join("\n")}</ul>` : "",
        "</section>",
    ].join("\n");
}

/** Where the prices come from: the table, its date and its sources, as text (never links). */
function pricing(doc: PlanDocument): string {
    const p = doc.prices;
    return [
        '<section id="pricing"><h2>Prices</h2>',
        `<p>${esc(fakeNotice(doc)[1] ?? "")}</p>`,
        `<p>Table <code>${esc(p.file)}</code>, as of ${esc(p.asOf)}. Sources (not links):</p>`,
        `<ul>${p.sources.map((s) => `<li><code>${esc(s)}</code></li>`).join("")}</ul>`,
        `<p>Usage assumptions: <code>${esc(JSON.stringify(p.assumptions))}</code></p>`,
        "</section>",
    ].join("\n");
}
