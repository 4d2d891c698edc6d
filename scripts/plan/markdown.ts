import type { ContractChange, PlanDiff, PlanDocument, PlanLayer, PlanLayerDiff } from "./document";
import {
    andMore,
    cap,
    configSource,
    escapeMarkdown as md,
    fakeNotice,
    inDeployOrder,
    seconds,
    shortCommit,
    usd,
    verdict,
    withCodeSpans,
} from "./report-common";

/**
 * The plan as a pull-request comment (GitHub-flavoured Markdown): short, contract errors first,
 * the details folded. Every value from the document is escaped; lists are cut with "… and N more"
 * so that the comment stays under GitHub's limit whatever the plan holds.
 */

/** GitHub refuses a comment body longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** What the renderer aims at: under the limit, with room for what a workflow adds around it. */
export const MARKDOWN_BUDGET = 60_000;
/** Longest single message (policy, contract) shown, in characters. */
const MESSAGE_LIMIT = 600;
/** Contract errors and mandatory violations shown however short the other lists get: they fail the plan. */
const ALWAYS_SHOWN = 10;
/** Items per list, tried in turn until the comment fits the budget. */
const LIST_CAPS = [50, 20, 8, 3, 0];

const code = (text: string): string => `<code>${md(text)}</code>`;
const clip = (text: string, n = MESSAGE_LIMIT): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const details = (summary: string, body: string[]): string[] =>
    body.length === 0 ? [] : ["<details>", `<summary>${summary}</summary>`, "", ...body, "", "</details>", ""];

/** At most `max` list items, then "… and N more". */
function list(items: readonly string[], max: number): string[] {
    const { shown, more } = cap(items, max);
    return [...shown.map((i) => `- ${i}`), ...(more > 0 ? [`- ${andMore(more)}`] : [])];
}

/** The pull-request comment for `doc`, under `budget` characters. */
export function renderMarkdown(doc: PlanDocument, budget = MARKDOWN_BUDGET): string {
    if (doc.problems !== undefined) return problemsMarkdown(doc, budget);
    for (const max of LIST_CAPS) {
        const text = planMarkdown(doc, max);
        if (text.length <= budget) return text;
    }
    return cutAt(planMarkdown(doc, 0), budget);
}

function heading(doc: PlanDocument): string {
    const v = verdict(doc);
    return `### ${v.ok ? "✅" : "❌"} \`make plan\` of stack ${code(doc.stack)} at ${code(shortCommit(doc.commit))}: ${md(v.text)}`;
}

/** No plan (invalid config, or a BASE without one): the report in a code block, and nothing else. */
function problemsMarkdown(doc: PlanDocument, budget: number): string {
    const head = [heading(doc), "", "There is no plan until the problems below are fixed:", ""];
    const room = budget - head.join("\n").length - 200;
    let report = (doc.problems ?? "").replace(/\r\n?/g, "\n");
    if (report.length > room) {
        const kept = report.slice(0, Math.max(0, room)).replace(/\n[^\n]*$/, "");
        const dropped = report.slice(kept.length).split("\n").filter(Boolean).length;
        report = `${kept}\n${andMore(dropped)} line(s)`;
    }
    // A fence longer than any run of backticks in the report, so that nothing in it can close the block.
    const longest = Math.max(0, ...(report.match(/`+/g) ?? []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longest + 1));
    return [...head, fence, report, fence, ""].join("\n");
}

function planMarkdown(doc: PlanDocument, max: number): string {
    const layers = inDeployOrder(doc);
    return [
        heading(doc),
        "",
        `Offline plan under Pulumi mocks (no cloud, nothing deployed). ${md(configSource(doc, true))}`,
        "",
        ...(doc.diff ? contractErrors(doc.diff, max) : []),
        ...(doc.diff ? diffSection(doc.diff, max) : []),
        ...layerTable(doc, layers),
        ...violations(layers, max),
        ...rolloutTable(layers),
        "---",
        ...fakeNotice(doc).map((line) => `<sub>${md(line)}</sub><br>`),
        "",
    ].join("\n");
}

/** Contract errors, first and loud: each message names the consuming layer and the safe order. */
function contractErrors(diff: PlanDiff, max: number): string[] {
    const errors = diff.contract.filter((c) => c.severity === "error");
    if (errors.length === 0) return [];
    return [
        "> [!CAUTION]",
        `> **${errors.length} output contract error(s)**: a layer that reads these outputs at ${code(diff.base.ref)} would break.`,
        ...list(errors.map(contractLine), Math.max(max, ALWAYS_SHOWN)).map((line) => `> ${line}`),
        "",
    ];
}

/** A contract change: its message names the producer, the output, what changed and who reads it. */
function contractLine(c: ContractChange): string {
    return withCodeSpans(clip(c.message), md, code);
}

function diffSection(diff: PlanDiff, max: number): string[] {
    const rows = diff.layers.map(
        (l) =>
            `| ${md(l.layer)} | ${l.added.length} | ${l.changed.length} | ${l.replaced.length} | ${l.removed.length} | ${md(usd(l.monthlyDelta, true))} |`,
    );
    const keys = diff.layers.flatMap((l) => layerKeys(l, max));
    const info = diff.contract.filter((c) => c.severity !== "error");
    return [
        `#### Changes against ${code(diff.base.ref)} (${code(shortCommit(diff.base.commit))}): ${md(usd(diff.monthlyDelta, true))}/month`,
        "",
        "| Layer | Added | Changed | Replaced | Removed | Monthly Δ |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        ...rows,
        "",
        ...details(`Resource keys (${keys.length === 0 ? "no changes" : "added, changed, replaced, removed"})`, keys),
        ...details(`${info.length} other output change(s)`, list(info.map(contractLine), max)),
    ];
}

/** The keys of one layer's changes; a replacement names the input that forces it. */
function layerKeys(l: PlanLayerDiff, max: number): string[] {
    const withFields = (c: { key: string; fields: string[] }) =>
        `${code(c.key)}${c.fields.length > 0 ? ` (${md(c.fields.join(", "))})` : ""}`;
    const groups: [string, string[]][] = [
        ["replaced", l.replaced.map(withFields)],
        ["added", l.added.map(code)],
        ["changed", l.changed.map(withFields)],
        ["removed", l.removed.map(code)],
    ];
    return groups
        .filter(([, items]) => items.length > 0)
        .flatMap(([what, items]) => [`**${md(l.layer)}**, ${what} (${items.length}):`, "", ...list(items, max), ""]);
}

function layerTable(doc: PlanDocument, layers: readonly PlanLayer[]): string[] {
    const t = doc.totals;
    return [
        "#### Layers",
        "",
        "| # | Layer | Resources | Policy violations (mandatory) | Monthly cost | Program |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
        ...layers.map((l) => {
            const v = l.policies.violations;
            const mandatory = v.filter((x) => x.level === "mandatory").length;
            return `| ${l.order} | ${md(l.layer)} | ${l.resources.length} | ${v.length} (${mandatory}) | ${md(usd(l.cost.monthly))} | ${Math.round(l.millis)} ms |`;
        }),
        `| | **Total** | **${t.resources}** | **${t.violations} (${t.mandatoryViolations})** | **${md(usd(t.monthly))}** | **${Math.round(t.programMillis)} ms** |`,
        "",
    ];
}

/** Mandatory violations in full (they fail the plan); advisory ones folded. */
function violations(layers: readonly PlanLayer[], max: number): string[] {
    const all = layers.flatMap((l) =>
        l.policies.violations.map((v) => ({
            ...v,
            text: `**${md(l.layer)}** ${code(v.policy)}: ${md(clip(v.message))}`,
        })),
    );
    const mandatory = all.filter((v) => v.level === "mandatory").map((v) => v.text);
    // Advisory (and remediate) findings do not fail the plan; a disabled policy reports none.
    const advisory = all.filter((v) => v.level !== "mandatory").map((v) => `[${md(v.level)}] ${v.text}`);
    return [
        ...(mandatory.length > 0
            ? [
                  "**Mandatory policy violations** (the plan fails):",
                  "",
                  ...list(mandatory, Math.max(max, ALWAYS_SHOWN)),
                  "",
              ]
            : []),
        ...details(`${advisory.length} policy violation(s) that do not fail the plan`, list(advisory, max)),
    ];
}

function rolloutTable(layers: readonly PlanLayer[]): string[] {
    const all = layers.flatMap((l) => l.rollout);
    if (all.length === 0) return [];
    return [
        "#### Rollout",
        "",
        "| Service | Modelled worst-case rollout | Goal | |",
        "| --- | ---: | ---: | --- |",
        ...all.map(
            (r) =>
                `| ${md(r.service)} | ${seconds(r.totalSeconds)} (${r.waves} wave(s)) | ${seconds(r.goalSeconds)} | ${r.withinGoal ? "within" : `⚠️ over by ${seconds(r.totalSeconds - r.goalSeconds)}`} |`,
        ),
        "",
    ];
}

/** Last resort: cut at a line under `budget`, closing a `<details>` left open. */
function cutAt(text: string, budget: number): string {
    const note = `\n\n… the rest was cut to stay under ${budget} characters; the HTML report has all of it.\n`;
    let kept = text.slice(0, Math.max(0, budget - note.length - 20));
    kept = kept.slice(0, Math.max(0, kept.lastIndexOf("\n")));
    const open = (kept.match(/<details>/g) ?? []).length - (kept.match(/<\/details>/g) ?? []).length;
    return `${kept}${open > 0 ? "\n</details>" : ""}${note}`;
}
