import { PROJECT_NAMES, LAYERS, type Layer } from "../../shared/layers";
import type { LayerRun, RecordedResource } from "../plan/mock-engine";
import { makeUrn } from "./state-export";

/**
 * Step 2a: what each layer program registers, as URNs, from the offline run of `make plan`'s engine.
 * A URN carries the parent's type chain (not its name), so each resource's chain is rebuilt from the
 * parents the mock run recorded.
 */

/** One resource a layer program registers. */
export interface TargetResource {
    layer: Layer;
    urn: string;
    type: string;
    name: string;
    /** `<parent type chain>$<type>`. */
    qualifiedType: string;
    /** URN of the parent, when it is not the root stack. */
    parentUrn?: string;
    custom: boolean;
    inputs: Record<string, unknown>;
}

/** The target resources of one layer's run. */
export function targetsOf(layer: Layer, stack: string, run: Pick<LayerRun, "resources">): TargetResource[] {
    const byKey = new Map<string, RecordedResource>(run.resources.map((r) => [`${r.type}::${r.name}`, r]));
    const chains = new Map<string, string>();
    const chainOf = (r: RecordedResource, depth = 0): string => {
        const key = `${r.type}::${r.name}`;
        const known = chains.get(key);
        if (known) return known;
        const parent = r.parent ? byKey.get(r.parent) : undefined;
        if (r.parent && !parent) throw new Error(`${layer}: parent ${r.parent} of ${key} was not registered`);
        const chain = parent && depth < 50 ? `${chainOf(parent, depth + 1)}$${r.type}` : r.type;
        chains.set(key, chain);
        return chain;
    };
    const project = PROJECT_NAMES[layer];
    return run.resources.map((r) => {
        const qualifiedType = chainOf(r);
        const parent = r.parent ? byKey.get(r.parent) : undefined;
        return {
            layer,
            urn: makeUrn(stack, project, qualifiedType, r.name),
            type: r.type,
            name: r.name,
            qualifiedType,
            ...(parent ? { parentUrn: makeUrn(stack, project, chainOf(parent), parent.name) } : {}),
            custom: r.custom,
            inputs: r.inputs,
        };
    });
}

/**
 * Strings the mock engine made up (ids, computed outputs such as ARNs): a target input holding one
 * is a reference to another resource, whose real value is only known after the move, so it is
 * never compared with the monolith's value.
 */
export function madeUpValues(runs: Record<Layer, Pick<LayerRun, "resources">>): Set<string> {
    const values = new Set<string>();
    const collect = (v: unknown): void => {
        if (typeof v === "string" && v.length >= 6) values.add(v);
        else if (Array.isArray(v)) v.forEach(collect);
        else if (typeof v === "object" && v !== null) Object.values(v).forEach(collect);
    };
    for (const layer of LAYERS) {
        for (const r of runs[layer].resources) {
            collect(r.id);
            for (const [k, v] of Object.entries(r.state ?? {})) if (!(k in r.inputs)) collect(v);
        }
    }
    return values;
}

/** True when `value` holds (or is built from) a made-up value. */
export function isReference(value: unknown, madeUp: ReadonlySet<string>): boolean {
    if (typeof value === "string") {
        if (madeUp.has(value) || value.includes("plan-fake-")) return true;
        for (const m of madeUp) if (m.length >= 12 && value.includes(m)) return true;
        return false;
    }
    if (Array.isArray(value)) return value.some((v) => isReference(v, madeUp));
    if (typeof value === "object" && value !== null) return Object.values(value).some((v) => isReference(v, madeUp));
    return false;
}
