import { findResource, resourcesOf, type Account, type StoredResource } from "../../sim/account";
import { SimulatedAwsError } from "../../sim/errors";
import { str, type Props } from "../../sim/values";

/** What a simulated API call can see: the account, the provider's region and the clock. */
export interface SimContext {
    acct: Account;
    region: string;
    now: Date;
}

/** The physical id AWS assigned and the values it computed. */
export interface Created {
    id: string;
    computed: Props;
}

/** How the simulator handles one resource type. */
export interface ResourceSpec {
    /**
     * The property the bridged provider fills with `<logical name>-<random>` when the program sets
     * neither it nor `prefixProperty`; lowercase where AWS rejects upper case.
     */
    autoname?: { property: string; maxLength: number; lowercase?: boolean; prefixProperty?: string };
    /** Global service (IAM): ARNs carry no region and the resource has no region output. */
    global?: boolean;
    /** Validates against the account (references, conflicts) and creates the object. */
    create(inputs: Props, ctx: SimContext): Created;
    /** Computed values after an in-place update; default keeps what create computed. */
    update?(old: StoredResource, news: Props, ctx: SimContext): Props;
    /** Refuses the delete when AWS would (dependents, protection). */
    beforeDelete?(r: StoredResource, ctx: SimContext): void;
    /** Bookkeeping after the object is gone (reserved names). */
    afterDelete?(r: StoredResource, ctx: SimContext): void;
}

/** The stored object, or the service's not-found error. */
export function mustFind(
    ctx: SimContext,
    type: string,
    id: string | undefined,
    code: string,
    message: string,
): StoredResource {
    const r = id === undefined ? undefined : findResource(ctx.acct, type, id);
    if (!r) throw new SimulatedAwsError(code, message);
    return r;
}

/** The first stored object of the type (in this region unless global) matching the predicate. */
export function findWhere(
    ctx: SimContext,
    type: string,
    pred: (r: StoredResource) => boolean,
    global = false,
): StoredResource | undefined {
    return resourcesOf(ctx.acct, type).find((r) => (global || r.region === ctx.region) && pred(r));
}

/** Fails with the service's conflict error when another object of the type already has this name. */
export function ensureUnique(
    ctx: SimContext,
    type: string,
    field: string,
    value: string,
    code: string,
    message: string,
    global = false,
): void {
    if (findWhere(ctx, type, (r) => (str(r.computed, field) ?? str(r.inputs, field)) === value, global)) {
        throw new SimulatedAwsError(code, message);
    }
}

/** A required input; the simulated service's validation error when it is missing. */
export function required(inputs: Props, key: string, service: string): string {
    const v = str(inputs, key);
    if (v === undefined) throw new SimulatedAwsError("ValidationException", `${service}: ${key} is required`);
    return v;
}

let uniqueCounter = 0;

/**
 * Terraform's `id.PrefixedUniqueId`: prefix + a 26-digit timestamp-and-counter suffix, which is
 * what a `namePrefix` turns into.
 */
export function prefixedUniqueId(prefix: string): string {
    const stamp = new Date()
        .toISOString()
        .replace(/[-:TZ.]/g, "")
        .slice(0, 17);
    uniqueCounter = (uniqueCounter + 1) % 1_000_000_000;
    return `${prefix}${stamp}${String(uniqueCounter).padStart(9, "0")}`;
}

/** The name the object gets: the `name` input, else `namePrefix` + unique suffix. */
export function nameOrPrefix(inputs: Props, nameKey = "name", prefixKey = "namePrefix"): string | undefined {
    const name = str(inputs, nameKey);
    if (name !== undefined) return name;
    const prefix = str(inputs, prefixKey);
    return prefix === undefined ? undefined : prefixedUniqueId(prefix);
}
