import type { Props } from "./values";

/** The simulated account every simulated API call reads and writes. */
export const ACCOUNT_ID = "123456789012";

/** One simulated cloud object. */
export interface StoredResource {
    /** Pulumi type token, e.g. `aws:ec2/vpc:Vpc`. */
    type: string;
    /** Physical id the provider returned to the engine. */
    id: string;
    /** Region the object lives in (empty for global services such as IAM). */
    region: string;
    /** Inputs as the engine sent them at create/update (secret wrappers kept). */
    inputs: Props;
    /** Values AWS computed (arn, endpoints, generated ids). */
    computed: Props;
}

/** A name AWS keeps reserved after a delete (a secret in its recovery window). */
export interface Reservation {
    type: string;
    name: string;
    region: string;
    /** ISO time when the name is free again. */
    until: string;
}

/** Everything one simulated account holds; the JSON file's content. */
export interface Account {
    version: 1;
    resources: Record<string, StoredResource>;
    reservations: Reservation[];
    /** Per-key counters (task definition family revisions). */
    counters: Record<string, number>;
}

/** An empty account. */
export function emptyAccount(): Account {
    return { version: 1, resources: {}, reservations: [], counters: {} };
}

function key(type: string, id: string): string {
    return `${type} ${id}`;
}

/** The stored object of that type and id, if any. */
export function findResource(acct: Account, type: string, id: string): StoredResource | undefined {
    return acct.resources[key(type, id)];
}

/** All stored objects of a type. */
export function resourcesOf(acct: Account, type: string): StoredResource[] {
    return Object.values(acct.resources).filter((r) => r.type === type);
}

/** Stores (or replaces) an object. */
export function putResource(acct: Account, r: StoredResource): void {
    acct.resources[key(r.type, r.id)] = r;
}

/** Removes an object; returns it when it existed. */
export function removeResource(acct: Account, type: string, id: string): StoredResource | undefined {
    const r = findResource(acct, type, id);
    delete acct.resources[key(type, id)];
    return r;
}

/** The merged view the engine gets back as outputs. */
export function propsOf(r: StoredResource): Props {
    return { ...r.inputs, ...r.computed };
}

/** Increments and returns a counter (1 on first use). */
export function nextCounter(acct: Account, name: string): number {
    const n = (acct.counters[name] ?? 0) + 1;
    acct.counters[name] = n;
    return n;
}
