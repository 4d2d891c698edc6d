import type { Layer } from "../../shared/layers";
import { chooseTarget } from "./candidates";
import type { Placement } from "./classify";
import type { MappedCreate, MappedMove, MappedStay, Undecided } from "./mapping";
import { replacingDifferences, type ReplaceTable } from "./replacements";
import { isStateful, type LayerRules } from "./rules";
import { nameOf, type ExportedResource } from "./state-export";
import type { TargetResource } from "./targets";
import { follow, keepParents, parentChainChange } from "./parents";

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

export type Matched = { target: TargetResource; how: string; followed?: boolean };

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

    keepParents(out, byUrn, (r, targetUrn, why) => ask(r, [targetUrn], `${why} ${howToAnswer()}`));

    // What no monolith resource becomes: the first up creates it (undecided ones' candidates included).
    const claimed = new Set(out.moves.map((m) => m.targetUrn));
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

function whyPlaced(p: Placement | undefined, answered: boolean, file: string): string {
    if (answered) return `answered in ${file}`;
    return p && p.kind !== "undecided" ? p.why : "placed";
}
