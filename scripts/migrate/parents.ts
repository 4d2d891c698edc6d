import type { LayerRules } from "./rules";
import { nameOf, parseUrn, type ExportedResource } from "./state-export";
import type { TargetResource } from "./targets";
import type { Matched, MatchResult } from "./match";

/**
 * Parents, which a URN encodes as a type chain: children of a remote component follow it, a target
 * under other parent types is out of reach of state move and rename, and a move keeps its parent
 * only if the parent moves along.
 */

/**
 * The target of a child of a matched remote component (awsx Vpc): its name with the component's
 * name prefix substituted, its type chain under the target component's. Undefined when `r` has no
 * such ancestor.
 */
export function follow(
    r: ExportedResource,
    byUrn: ReadonlyMap<string, ExportedResource>,
    matched: ReadonlyMap<string, Matched>,
    rules: LayerRules,
): (Matched & { error?: undefined }) | { target: TargetResource; error: string } | undefined {
    let ancestor = r.parent ? byUrn.get(r.parent) : undefined;
    while (ancestor && !(rules.types[ancestor.type] as { remote?: boolean } | undefined)?.remote) {
        ancestor = ancestor.parent ? byUrn.get(ancestor.parent) : undefined;
    }
    const root = ancestor ? matched.get(ancestor.urn) : undefined;
    if (!ancestor || !root) return undefined;
    const [from, to] = [nameOf(ancestor.urn), root.target.name];
    const chain = parseUrn(r.urn).qualifiedType;
    const base = parseUrn(ancestor.urn).qualifiedType;
    const name = nameOf(r.urn);
    if (!name.startsWith(from) || !chain.startsWith(`${base}$`)) {
        return {
            target: root.target,
            error: `${r.type} "${name}" is a child of ${ancestor.type} "${from}" but its name does not start with "${from}", so its new name cannot be derived`,
        };
    }
    const { stack, project } = parseUrn(root.target.urn);
    const qualifiedType = `${root.target.qualifiedType}${chain.slice(base.length)}`;
    const parent = r.parent === ancestor.urn ? root.target.urn : matched.get(r.parent ?? "")?.target.urn;
    const target: TargetResource = {
        layer: root.target.layer,
        urn: `urn:pulumi:${stack}::${project}::${qualifiedType}::${to}${name.slice(from.length)}`,
        type: r.type,
        name: `${to}${name.slice(from.length)}`,
        qualifiedType,
        ...(parent ? { parentUrn: parent } : {}),
        custom: r.custom,
        // Not in the offline run (the plugin constructs them): nothing to compare.
        inputs: {},
    };
    return { target, how: `a child of ${ancestor.type} "${from}", renamed with its prefix "${to}"`, followed: true };
}

/**
 * Why a move cannot keep the resource's identity, or undefined. A URN holds the parent's type chain:
 * pulumi state move keeps the chain of what moves together (or re-parents to the root stack) and
 * pulumi state rename changes only the name, so a target under another chain is out of their reach
 * (migrate-apply refuses such a mapping).
 */
export function parentChainChange(r: ExportedResource, target: TargetResource): string | undefined {
    const from = parseUrn(r.urn).qualifiedType;
    if (from === target.qualifiedType) return undefined;
    const parents = (chain: string) => chain.split("$").slice(0, -1).join("$") || "(the root stack)";
    return `The ${target.layer} program registers it as ${target.name} under ${parents(target.qualifiedType)}, but the monolith has it under ${parents(from)}: a resource's URN holds its parent types, which neither pulumi state move nor pulumi state rename can change, so migrate-apply cannot carry this move out. Build the monolith's resource under the same component types first (a pulumi up of the monolith with aliases; nothing is replaced), then plan again; or answer "stays".`;
}

/**
 * A move keeps its parent only if the parent moves as well, to the parent the layer program gives it:
 * pulumi state move re-parents anything else to the destination's root stack, and the URN would lose
 * its parent types. Such moves become questions, repeatedly, since a parent that turns undecided
 * takes its children along.
 */
export function keepParents(
    out: MatchResult,
    byUrn: ReadonlyMap<string, ExportedResource>,
    ask: (r: ExportedResource, targetUrn: string, why: string) => void,
): void {
    for (let changed = true; changed;) {
        changed = false;
        const movedTo = new Map(out.moves.map((x) => [x.urn, x.targetUrn]));
        for (const move of [...out.moves]) {
            const r = byUrn.get(move.urn) as ExportedResource;
            const parent = r.parent ? byUrn.get(r.parent) : undefined;
            const atRoot = !parent || parent.type === "pulumi:pulumi:Stack";
            const parentTarget = parent ? movedTo.get(parent.urn) : undefined;
            if (
                atRoot
                    ? move.targetParent === undefined
                    : parentTarget !== undefined && parentTarget === move.targetParent
            )
                continue;
            out.moves.splice(out.moves.indexOf(move), 1);
            const where = parentTarget
                ? `moves to ${parentTarget}`
                : out.stays.some((x) => x.urn === parent?.urn)
                  ? "stays in the monolith"
                  : "is undecided";
            ask(
                r,
                move.targetUrn,
                `It would become ${move.targetUrn}, under ${move.targetParent ?? "the root stack"}, but its parent ${parent?.urn ?? "(the root stack)"} ${where}: pulumi state move would re-parent it to the root stack and it would lose its parent types. Decide the parent first; this follows it.`,
            );
            changed = true;
        }
    }
}
