import type { Layer } from "../../shared/layers";
import { chooseTarget } from "./candidates";
import type { Placement } from "./classify";
import type { MappedCreate, MappedMove, MappedStay, Undecided } from "./mapping";
import { replacingDifferences, type ReplaceTable } from "./replacements";
import { isStateful, type LayerRules } from "./rules";
import { nameOf, parseUrn, type ExportedResource } from "./state-export";
import type { TargetResource } from "./targets";

/**
 * Step 2b, pure: each monolith resource to exactly one resource a layer program registers, or a
 * question. Children of a remote component (the awsx Vpc) follow it; targets nobody matched are
 * creates; a match whose replace-on-change inputs differ is a question when the resource is stateful.
 */

/** A person's answer to an earlier question, read back from the mapping file. */
export interface Answer {
    layer: Layer | "stays";
    targetUrn?: string;
}

export interface MatchInput {
    resources: readonly ExportedResource[];
    placements: ReadonlyMap<string, Placement>;
    targets: readonly TargetResource[];
    rules: LayerRules;
    replace: ReplaceTable;
    /** Values the offline run made up (see targets.ts): references, never compared. */
    madeUp: ReadonlySet<string>;
    answers: ReadonlyMap<string, Answer>;
    /** The mapping file as users see it, for the questions (e.g. migration/dev/mapping.json). */
    file: string;
}

export interface MatchResult {
    moves: MappedMove[];
    stays: MappedStay[];
    creates: MappedCreate[];
    undecided: Undecided[];
}

type Matched = { target: TargetResource; how: string; followed?: boolean };

export function match(input: MatchInput): MatchResult {
    const { resources, placements, targets, rules, file } = input;
    const out: MatchResult = { moves: [], stays: [], creates: [], undecided: [] };
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const matched = new Map<string, Matched>();
    const layerOf = new Map<string, Layer>();
    const answerHow = () => `answered in ${file}`;

    const ask = (r: ExportedResource, candidates: string[], question: string) =>
        out.undecided.push({ urn: r.urn, type: r.type, name: nameOf(r.urn), candidates, question });
    const howToAnswer = (extra = "") =>
        `Answer: in ${file}, set "layer" of this entry to foundation, data, secrets, services or "stays" (leave it in the monolith)${extra}, then run make migrate-plan again.`;

    // Placement, with answers applied.
    for (const r of resources) {
        const answer = input.answers.get(r.urn);
        const placed = placements.get(r.urn);
        if (answer?.layer === "stays") {
            out.stays.push({ urn: r.urn, why: answerHow() });
            continue;
        }
        if (answer) {
            layerOf.set(r.urn, answer.layer);
            continue;
        }
        if (!placed || placed.kind === "undecided") {
            ask(
                r,
                placed?.candidates ?? [],
                `Which layer does ${r.type} "${nameOf(r.urn)}" belong to? ${placed?.why ?? "not classified"}. ${howToAnswer()}`,
            );
        } else if (placed.kind === "stays") {
            out.stays.push({ urn: r.urn, why: placed.why });
        } else {
            layerOf.set(r.urn, placed.layer);
        }
    }

    const countOfType = (type: string, layer: Layer) =>
        [...layerOf].filter(([urn, l]) => l === layer && byUrn.get(urn)?.type === type).length;

    // Matching, parents first (an export lists parents before their children).
    for (const r of resources) {
        const layer = layerOf.get(r.urn);
        if (!layer) continue;
        const followed = follow(r, byUrn, matched, rules);
        if (followed) {
            if (followed.target.layer !== layer) {
                ask(
                    r,
                    [followed.target.layer, layer],
                    `${r.type} "${nameOf(r.urn)}" is a child of a component that goes to ${followed.target.layer}, but is placed in ${layer}. ${howToAnswer()}`,
                );
            } else if ("error" in followed) {
                ask(
                    r,
                    [followed.target.urn],
                    `${followed.error}. ${howToAnswer(' and "targetUrn" to the URN it should have')}`,
                );
            } else {
                matched.set(r.urn, followed);
            }
            continue;
        }
        const forced = input.answers.get(r.urn)?.targetUrn;
        if (forced) {
            const t = targets.find((x) => x.urn === forced && x.layer === layer && x.type === r.type);
            if (t) matched.set(r.urn, { target: t, how: answerHow() });
            else
                ask(
                    r,
                    [forced],
                    `The answered targetUrn ${forced} is none of the ${layer} program's ${r.type} resources. ${howToAnswer(' and "targetUrn" to one of the candidates')}`,
                );
            continue;
        }
        const choice = chooseTarget(r, layer, targets, countOfType(r.type, layer), rules, input.madeUp);
        if ("target" in choice) {
            matched.set(r.urn, choice);
        } else if (choice.candidates.length === 0 && !r.custom) {
            out.stays.push({
                urn: r.urn,
                why: `a component (no cloud object) that no layer program registers (${choice.how}); its children move on their own`,
            });
        } else if (choice.candidates.length === 0) {
            ask(
                r,
                [layer],
                `${r.type} "${nameOf(r.urn)}" goes to ${layer}, but ${choice.how}: nothing there would take it over. ${howToAnswer(", or add it to the layer program first")}`,
            );
        } else {
            ask(
                r,
                choice.candidates.map((t) => t.urn),
                `Which ${layer} resource does ${r.type} "${nameOf(r.urn)}" become? ${choice.how}. ${howToAnswer(' and "targetUrn" to one of the candidates')}`,
            );
        }
    }

    // One target, one monolith resource: a target claimed twice is a question for each claimant.
    const claims = new Map<string, string[]>();
    for (const [urn, m] of matched) claims.set(m.target.urn, [...(claims.get(m.target.urn) ?? []), urn]);
    for (const [urn, m] of matched) {
        const r = byUrn.get(urn) as ExportedResource;
        const rivals = (claims.get(m.target.urn) ?? []).filter((u) => u !== urn);
        if (rivals.length > 0) {
            ask(
                r,
                [m.target.urn],
                `Both this and ${rivals.join(", ")} match ${m.target.urn} (${m.how}); only one can become it. ${howToAnswer(' and "targetUrn" for the one that becomes it')}`,
            );
            continue;
        }
        const chain = parentChainChange(r, m.target);
        if (chain) {
            ask(r, [m.target.urn], `${chain} ${howToAnswer()}`);
            continue;
        }
        // A followed child is not in the offline run: the preview after the move is its check.
        const diffs = m.followed
            ? []
            : replacingDifferences(input.replace, r.type, r.inputs, m.target.inputs, input.madeUp);
        if (diffs.length > 0 && isStateful(rules, r.type)) {
            const list = diffs
                .map(
                    (d) =>
                        `${d.field} is ${d.monolith} in the monolith but ${d.target} in the ${m.target.layer} program`,
                )
                .join("; ");
            ask(
                r,
                [m.target.urn],
                `Moving it would make the ${m.target.layer} layer's next up REPLACE it (a new ${r.type}): ${list}. Nothing moves while this is listed. Make the values agree (rename it in the monolith first, or pick the STACK whose names match), or answer "stays". ${howToAnswer()}`,
            );
            continue;
        }
        out.moves.push({
            layer: m.target.layer,
            urn,
            type: r.type,
            name: nameOf(urn),
            targetUrn: m.target.urn,
            ...(m.target.parentUrn ? { targetParent: m.target.parentUrn } : {}),
            why: `${whyPlaced(placements.get(urn), input.answers.has(urn), file)}; becomes ${nameOf(m.target.urn)}: ${m.how}`,
            ...(diffs.length > 0 ? { replacedFields: diffs.map((d) => d.field) } : {}),
        });
    }

    // What no monolith resource becomes: the first up creates it.
    const claimed = new Set([...matched.values()].map((m) => m.target.urn));
    const monolithProviders = new Set(
        resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => `${r.type}::${nameOf(r.urn)}`),
    );
    for (const t of targets) {
        if (claimed.has(t.urn)) continue;
        // A provider of the same type and name is copied along by pulumi state move.
        if (t.type.startsWith("pulumi:providers:") && monolithProviders.has(`${t.type}::${t.name}`)) continue;
        out.creates.push({ layer: t.layer, targetUrn: t.urn, type: t.type, stateful: isStateful(rules, t.type) });
    }
    return out;
}

/**
 * Why a move cannot keep the resource's identity, or undefined. A URN holds the parent's type chain:
 * pulumi state move keeps the chain of what moves together (or re-parents to the root stack) and
 * pulumi state rename changes only the name, so a target under another chain is out of their reach
 * (migrate-apply refuses such a mapping).
 */
function parentChainChange(r: ExportedResource, target: TargetResource): string | undefined {
    const from = parseUrn(r.urn).qualifiedType;
    if (from === target.qualifiedType) return undefined;
    const parents = (chain: string) => chain.split("$").slice(0, -1).join("$") || "(the root stack)";
    return `The ${target.layer} program registers it as ${target.name} under ${parents(target.qualifiedType)}, but the monolith has it under ${parents(from)}: a resource's URN holds its parent types, which neither pulumi state move nor pulumi state rename can change, so migrate-apply cannot carry this move out. Build the monolith's resource under the same component types first (a pulumi up of the monolith with aliases; nothing is replaced), then plan again; or answer "stays".`;
}

function whyPlaced(p: Placement | undefined, answered: boolean, file: string): string {
    if (answered) return `answered in ${file}`;
    return p && p.kind !== "undecided" ? p.why : "placed";
}

/**
 * The target of a child of a matched remote component (awsx Vpc): its name with the component's
 * name prefix substituted, its type chain under the target component's. Undefined when `r` has no
 * such ancestor.
 */
function follow(
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
