import type { Layer } from "../../shared/layers";
import { contractChanges } from "./contract-diff";
import type { PlanDiff, PlanDocument, PlanLayerDiff, PlanResource } from "./document";
import type { ReplaceTable } from "./document-parts";

/**
 * `make plan BASE=<ref>`: what changes between the plan of another commit and this one, per layer
 * (resources added, removed, updated in place or replaced, and the cost), plus the output-contract
 * changes judged against who read each output at BASE. Pure over two documents.
 */

/** Inputs whose digests differ between two plans of the same resource (present in only one counts). */
function changedFields(base: PlanResource, head: PlanResource): string[] {
    const keys = new Set([...Object.keys(base.inputDigests), ...Object.keys(head.inputDigests)]);
    return [...keys].filter((k) => base.inputDigests[k] !== head.inputDigests[k]).sort();
}

/** The changes of one layer's resources and cost. */
function layerDiff(layer: Layer, base: PlanDocument, head: PlanDocument, table: ReplaceTable): PlanLayerDiff {
    const before = new Map((base.layers.find((l) => l.layer === layer)?.resources ?? []).map((r) => [r.key, r]));
    const after = new Map((head.layers.find((l) => l.layer === layer)?.resources ?? []).map((r) => [r.key, r]));
    const diff: PlanLayerDiff = { layer, added: [], removed: [], changed: [], replaced: [], monthlyDelta: 0 };
    for (const key of after.keys()) if (!before.has(key)) diff.added.push(key);
    for (const key of before.keys()) if (!after.has(key)) diff.removed.push(key);
    for (const [key, now] of after) {
        const was = before.get(key);
        if (!was) continue;
        const fields = changedFields(was, now);
        if (fields.length === 0) continue;
        // A nested replace path (a.b) is digested on its own, so a change of a.c alone stays an update.
        const forcing = fields.filter((f) => (table[now.type] ?? []).includes(f));
        if (forcing.length > 0) diff.replaced.push({ key, fields: forcing });
        else diff.changed.push({ key, fields });
    }
    const cost = (d: PlanDocument) => d.layers.find((l) => l.layer === layer)?.cost.monthly ?? 0;
    diff.monthlyDelta = cost(head) - cost(base);
    return diff;
}

/** The diff of `head` against `base` (the plan of `ref`, resolved to `commit`). */
export function diffPlans(
    base: PlanDocument,
    head: PlanDocument,
    ref: string,
    commit: string,
    table: ReplaceTable,
): PlanDiff {
    const layers = head.layers.map((l) => layerDiff(l.layer, base, head, table));
    const contract = contractChanges(base, head, commit);
    return {
        base: { ref, commit },
        layers,
        monthlyDelta: head.totals.monthly - base.totals.monthly,
        contract,
        errors: contract.filter((c) => c.severity === "error").length,
    };
}
