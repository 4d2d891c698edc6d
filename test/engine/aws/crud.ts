import { findResource, propsOf, putResource, removeResource, type StoredResource } from "../sim/account";
import { SimulatedAwsError } from "../sim/errors";
import { AccountStore } from "../sim/store";
import { typeOfUrn } from "../sim/types";
import { compact, isRecord, plain, type Props } from "../sim/values";
import { providerConfig } from "./config";
import { specOf } from "./resources";
import type { ResourceSpec, SimContext } from "./resources/spec";

// Create / read / update / delete against the shared account file. Every call re-reads the file
// under the lock, so resources made by another layer's engine process are visible here.

/** The account file, resolved per call so SIMULATED_AWS_STATE set after import still counts. */
function store(): AccountStore {
    return new AccountStore();
}

function specFor(urn: string): { type: string; spec: ResourceSpec } {
    const type = typeOfUrn(urn);
    const spec = specOf(type);
    if (!spec) throw new SimulatedAwsError("UnsupportedOperation", `resource type ${type} is not simulated`);
    return { type, spec };
}

function context(acct: SimContext["acct"], spec: ResourceSpec): SimContext {
    return { acct, region: spec.global ? "" : providerConfig().region, now: new Date() };
}

/** The outputs the engine gets: inputs, computed values, merged tags and the simulation marker. */
export function outputsOf(r: StoredResource): Props {
    // Bookkeeping inputs (`__defaults`) stay in the inputs; the bridge does not output them either.
    const props = Object.fromEntries(Object.entries(propsOf(r)).filter(([k]) => !k.startsWith("__")));
    const ownTags = plain(r.inputs["tags"]);
    const tagsAll = { ...providerConfig().defaultTags, ...(isRecord(ownTags) ? ownTags : {}) };
    return compact({ ...props, tagsAll, ...(r.region ? { region: r.region } : {}), __simulated: true }) as Props;
}

/** Creates the object; the engine gets its id and outputs. */
export async function create(urn: string, inputs: Props): Promise<{ id: string; outs: Props }> {
    const { type, spec } = specFor(urn);
    const stored = await store().transact((acct) => {
        const ctx = context(acct, spec);
        const made = spec.create(inputs, ctx);
        const r: StoredResource = { type, id: made.id, region: ctx.region, inputs, computed: made.computed };
        putResource(acct, r);
        return r;
    });
    return { id: stored.id, outs: outputsOf(stored) };
}

/** Applies an in-place update (the engine already decided it is not a replacement). */
export async function update(id: string, urn: string, news: Props): Promise<Props> {
    const { type, spec } = specFor(urn);
    const stored = await store().transact((acct) => {
        const ctx = context(acct, spec);
        const old = findResource(acct, type, id);
        if (!old)
            throw new SimulatedAwsError(
                "NotFound",
                `${type} ${id} does not exist (deleted outside Pulumi? run pulumi refresh)`,
            );
        const computed = spec.update ? spec.update(old, news, ctx) : old.computed;
        const r: StoredResource = { ...old, inputs: news, computed };
        putResource(acct, r);
        return r;
    });
    return outputsOf(stored);
}

/** Reads the live object; an empty id tells the engine it is gone. */
export function read(id: string, urn: string): { id: string; props: Props; inputs?: Props } {
    const { type } = specFor(urn);
    const r = findResource(store().read(), type, id);
    return r ? { id: r.id, props: outputsOf(r), inputs: r.inputs } : { id: "", props: {} };
}

/** Deletes the object unless AWS would refuse; deleting what is already gone succeeds. */
export async function remove(id: string, urn: string): Promise<void> {
    const { type, spec } = specFor(urn);
    await store().transact((acct) => {
        const ctx = context(acct, spec);
        const r = findResource(acct, type, id);
        if (!r) return;
        spec.beforeDelete?.(r, ctx);
        removeResource(acct, type, id);
        spec.afterDelete?.(r, ctx);
    });
}
