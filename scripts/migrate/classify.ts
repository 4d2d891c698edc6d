import { LAYERS, type Layer } from "../../shared/layers";
import type { LayerRules } from "./rules";
import { nameOf, type ExportedResource } from "./state-export";

/**
 * Step 1 of the plan, pure: every resource of the monolith's state to a layer, by its type and, for
 * types that can belong to two layers, by its role (who assumes an IAM role, what writes to a log
 * group, what uses a KMS key). Nothing is guessed: no rule, or a role that does not resolve to
 * exactly one layer, is `undecided` with the question to answer.
 */

export type Placement =
    | { kind: "stays"; why: string }
    | { kind: "layer"; layer: Layer; why: string }
    | { kind: "undecided"; candidates: string[]; why: string };

/** Strings a resource is known by (id, ARN, name): how other resources' inputs refer to it. */
function handles(r: ExportedResource): string[] {
    const out = [r.id, r.outputs["arn"], r.outputs["name"], r.outputs["id"]];
    return out.filter((v): v is string => typeof v === "string" && v.length >= 6);
}

/** The service principals an IAM role's trust policy names. */
function principals(r: ExportedResource): string[] {
    const raw = r.inputs["assumeRolePolicy"];
    let doc: unknown = raw;
    if (typeof raw === "string") {
        try {
            doc = JSON.parse(raw);
        } catch {
            return [];
        }
    }
    const statements = (doc as { Statement?: unknown })?.Statement;
    const found: string[] = [];
    for (const s of Array.isArray(statements) ? statements : [statements]) {
        const service = (s as { Principal?: { Service?: unknown } })?.Principal?.Service;
        for (const p of Array.isArray(service) ? service : [service]) if (typeof p === "string") found.push(p);
    }
    return found;
}

/** Classifies every resource; the result is keyed by URN. */
export function classify(resources: readonly ExportedResource[], rules: LayerRules): Map<string, Placement> {
    const byHandle = new Map<string, ExportedResource[]>();
    // A resource is often known by the same string twice (an IAM role's id is its name): counted once.
    for (const r of resources) for (const h of new Set(handles(r))) byHandle.set(h, [...(byHandle.get(h) ?? []), r]);
    const result = new Map<string, Placement>();
    const visiting = new Set<string>();

    const place = (r: ExportedResource): Placement => {
        const done = result.get(r.urn);
        if (done) return done;
        // A cycle of references (a key used by a log group that the key's policy names) decides nothing.
        if (visiting.has(r.urn)) return { kind: "undecided", candidates: [...LAYERS], why: "circular references" };
        visiting.add(r.urn);
        const p = decide(r);
        visiting.delete(r.urn);
        result.set(r.urn, p);
        return p;
    };

    const layerOfAll = (others: ExportedResource[], what: string): Placement => {
        const placed = others.map((o) => [o, place(o)] as const);
        const layers = [...new Set(placed.flatMap(([, p]) => (p.kind === "layer" ? [p.layer] : [])))];
        const names = placed.map(([o, p]) => `${o.type} ${nameOf(o.urn)} (${p.kind === "layer" ? p.layer : p.kind})`);
        if (layers.length === 1 && placed.every(([, p]) => p.kind === "layer")) {
            return { kind: "layer", layer: layers[0] as Layer, why: `${what} ${names.join(", ")}` };
        }
        return {
            kind: "undecided",
            candidates: layers.length > 0 ? layers : [...LAYERS],
            why: others.length === 0 ? `nothing ${what.replace(/ by$/, "")} it` : `${what} ${names.join(", ")}`,
        };
    };

    const decide = (r: ExportedResource): Placement => {
        if (r.type === "pulumi:pulumi:Stack") return { kind: "stays", why: "the monolith's root stack resource" };
        if (r.type.startsWith("pulumi:providers:")) {
            return {
                kind: "stays",
                why: "a provider: pulumi state move copies it along with the resources that use it",
            };
        }
        const rule = rules.types[r.type];
        if (rule && "layer" in rule)
            return { kind: "layer", layer: rule.layer, why: `${r.type} is a ${rule.layer} resource (by type)` };
        if (rule?.by === "assumedBy") {
            const services = principals(r);
            const layers = [...new Set(services.map((s) => rule.principals[s]).filter((l): l is Layer => Boolean(l)))];
            if (layers.length === 1 && services.every((s) => rule.principals[s])) {
                return {
                    kind: "layer",
                    layer: layers[0] as Layer,
                    why: `an IAM role assumed by ${services.join(", ")}`,
                };
            }
            return {
                kind: "undecided",
                candidates: layers.length > 0 ? layers : [...LAYERS],
                why: `an IAM role assumed by ${services.join(", ") || "no service principal"}, which no rule places in one layer`,
            };
        }
        if (rule?.by === "references") {
            const ref = r.inputs[rule.input];
            const named = (typeof ref === "string" ? (byHandle.get(ref) ?? []) : []).filter((o) => o !== r);
            const target = named.length === 1 ? named[0] : undefined;
            if (!target) {
                return {
                    kind: "undecided",
                    candidates: [...LAYERS],
                    why: `its ${rule.input} names ${named.length === 0 ? "no resource" : `${named.length} resources`} of this stack`,
                };
            }
            return layerOfAll([target], `follows its ${rule.input}:`);
        }
        if (rule?.by === "referencedBy") {
            const mine = handles(r);
            // What merely follows it (a bucket policy, a key alias) says nothing about where it goes.
            const follows = (o: ExportedResource) =>
                (rules.types[o.type] as { by?: string } | undefined)?.by === "references";
            const users = resources.filter(
                (o) => o !== r && !follows(o) && mine.some((h) => JSON.stringify(o.inputs).includes(h)),
            );
            return layerOfAll(users, "used by");
        }
        if (!r.custom) {
            // A component of the monolith's own: it has no cloud object; it goes where all its children go.
            const children = resources.filter((o) => o.parent === r.urn);
            const placed = layerOfAll(children, "a component whose children are");
            return placed.kind === "layer"
                ? placed
                : {
                      kind: "stays",
                      why: `a component (no cloud object) whose children go to different layers: ${placed.why}`,
                  };
        }
        return {
            kind: "undecided",
            candidates: [...LAYERS],
            why: `no rule places ${r.type} (scripts/migrate/layer-rules.json)`,
        };
    };

    for (const r of resources) place(r);
    return result;
}
