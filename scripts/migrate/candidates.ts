import type { Layer } from "../../shared/layers";
import { roleOf, type LayerRules } from "./rules";
import { isReference, type TargetResource } from "./targets";
import { nameOf, type ExportedResource } from "./state-export";

/**
 * The target a monolith resource becomes: the candidates of its type in its layer, narrowed step by
 * step (same physical name, same role, same plain settings), and only a single survivor counts.
 * Pure; match.ts turns the outcome into moves and questions.
 */

export type Choice = { target: TargetResource; how: string } | { candidates: TargetResource[]; how: string };

/** Settings that say nothing about identity: compared neither for roles nor for plain inputs. */
const IGNORED = new Set(["tags", "tagsAll", "description", "__defaults"]);

/** True when every scalar input the target sets (references excepted) is set to the same value in the monolith. */
function samePlainInputs(m: ExportedResource, t: TargetResource, madeUp: ReadonlySet<string>): boolean {
    let compared = 0;
    for (const [k, v] of Object.entries(t.inputs)) {
        if (IGNORED.has(k) || isReference(v, madeUp)) continue;
        if (!["string", "number", "boolean"].includes(typeof v)) continue;
        if (m.inputs[k] !== v) return false;
        compared++;
    }
    return compared > 0;
}

/** Chooses the target of `m` (placed in `layer`) among `targets`. */
export function chooseTarget(
    m: ExportedResource,
    layer: Layer,
    targets: readonly TargetResource[],
    monolithOfType: number,
    rules: LayerRules,
    madeUp: ReadonlySet<string>,
): Choice {
    const pool = targets.filter((t) => t.layer === layer && t.type === m.type);
    if (pool.length === 0) return { candidates: [], how: `no ${layer} program registers a ${m.type}` };
    for (const key of rules.physicalNames) {
        const value = m.inputs[key];
        if (typeof value !== "string") continue;
        const same = pool.filter((t) => t.inputs[key] === value);
        if (same.length === 1)
            return { target: same[0] as TargetResource, how: `same physical name (${key} ${JSON.stringify(value)})` };
        if (same.length > 1)
            return { candidates: same, how: `${same.length} targets have ${key} ${JSON.stringify(value)}` };
    }
    const role = roleOf(rules, nameOf(m.urn));
    if (role !== "") {
        const sameRole = pool.filter((t) => roleOf(rules, t.name) === role);
        if (sameRole.length === 1) return { target: sameRole[0] as TargetResource, how: `same role (${role})` };
        const alike = sameRole.filter((t) => samePlainInputs(m, t, madeUp));
        if (alike.length === 1) return { target: alike[0] as TargetResource, how: `same role (${role}) and settings` };
        if (sameRole.length > 1)
            return { candidates: sameRole, how: `${sameRole.length} targets have the role "${role}"` };
    }
    if (pool.length === 1 && monolithOfType === 1) {
        return { target: pool[0] as TargetResource, how: `the only ${m.type} on both sides` };
    }
    const how = role === "" ? "its name names no role" : `no target has the role "${role}"`;
    return { candidates: pool, how: `${how}, and ${pool.length} ${layer} targets have its type` };
}
