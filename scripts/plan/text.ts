import { formatCost, usd } from "./cost";
import type { PlanDiff, PlanDocument } from "./document";
import { outputLines, resourceTree } from "./render";
import { formatRollout } from "./rollout";

/**
 * The plan as the terminal shows it (`make plan`, the default format): per layer the resource tree,
 * outputs, policy results, cost and rollout, a total line, and with BASE= the diff and the contract
 * changes. Rendered from the (already redacted) document only.
 */

/** The text report of `doc`. */
export function renderText(doc: PlanDocument): string {
    const lines: string[] = [];
    if (doc.config.source === "examples") {
        lines.push(
            `NOTE: stack "${doc.stack}" has no stack files; this plan uses the checked-in examples (${doc.config.files.join(", ")}).`,
        );
        if (doc.config.placeholders.length > 0)
            lines.push(
                `NOTE: secrets the examples leave unset are fake placeholders: ${doc.config.placeholders.join(", ")}.`,
            );
    }
    if (doc.problems !== undefined) return [...lines, doc.problems].join("\n");
    for (const l of doc.layers) {
        const p = l.policies;
        const mandatory = p.violations.filter((v) => v.level === "mandatory").length;
        lines.push(
            "",
            `== ${l.layer} (${l.resources.length} resources) ==`,
            "  resources:",
            ...resourceTree(l.resources),
            "  outputs:",
            ...outputLines(l.outputs),
            `  policies: ${p.run} run over ${p.resourcesChecked} resources, ${p.violations.length} violation(s), ${mandatory} mandatory`,
            ...p.violations.map((v) => `    [${v.level}] ${v.policy}: ${v.message}`),
            `  cost (list prices, ${doc.region}, per month):`,
            ...l.cost.lines.map((c) => `  ${formatCost(c)}`),
            ...(l.rollout.length > 0
                ? [
                      `  rollout (modelled worst case, goal ${l.rollout[0]?.goalSeconds} s):`,
                      ...l.rollout.map((r) => `    ${formatRollout(r, r.goalSeconds)}`),
                  ]
                : []),
            `  total ${l.layer}: ${l.resources.length} resources, ${p.violations.length} policy violation(s), ${usd(l.cost.monthly)}/month, ran in ${l.millis} ms`,
        );
    }
    const t = doc.totals;
    lines.push(
        "",
        `TOTAL stack "${doc.stack}" (${doc.config.source === "examples" ? "examples" : "stack files"}): ${t.resources} resources, ${t.mandatoryViolations} mandatory policy violation(s), about ${usd(t.monthly)}/month at ${doc.region} list prices of ${doc.prices.asOf} (verify: ${doc.prices.file}), planned in ${t.programMillis} ms. Nothing was deployed; every id, ARN and secret shown is fake.`,
    );
    if (doc.diff) lines.push("", ...diffLines(doc.diff));
    return lines.join("\n");
}

const signed = (n: number): string => `${n < 0 ? "-" : "+"}${usd(Math.abs(n))}`;

/** The BASE= section: resource changes per layer, the cost delta and the contract changes, errors first. */
export function diffLines(diff: PlanDiff): string[] {
    const lines = [`== changes against BASE ${diff.base.ref} (${diff.base.commit.slice(0, 12)}) ==`];
    for (const l of diff.layers) {
        const counts = `${l.added.length} added, ${l.changed.length} changed, ${l.replaced.length} replaced, ${l.removed.length} removed`;
        lines.push(`  ${l.layer}: ${counts}, ${signed(l.monthlyDelta)}/month`);
        lines.push(...l.added.map((k) => `    + ${k}`));
        lines.push(...l.changed.map((c) => `    ~ ${c.key}  (${c.fields.join(", ")})`));
        lines.push(
            ...l.replaced.map((c) => `    +- ${c.key}  REPLACED: ${c.fields.join(", ")} force(s) a new resource`),
        );
        lines.push(...l.removed.map((k) => `    - ${k}`));
    }
    lines.push(`  cost: ${signed(diff.monthlyDelta)}/month`);
    const ordered = [...diff.contract].sort((a, b) =>
        a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
    );
    lines.push(
        `  output contract: ${diff.contract.length} change(s), ${diff.errors} error(s)`,
        ...ordered.map((c) => `    ${c.severity === "error" ? "ERROR" : "info"}: ${c.message}`),
    );
    return lines;
}
