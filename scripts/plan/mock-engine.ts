import * as pulumi from "@pulumi/pulumi";
import { CALLS, computedState } from "./mock-state";

export { MOCK_ACCOUNT, MOCK_REGION_AZS } from "./mock-state";

/**
 * Runs one layer program under Pulumi mocks and returns what it registered and exported.
 *
 * Every later test reuses it: layer tests, the bad-config tables, the chained four-layer contract
 * test (feed one run's `asUpstream()` into the next) and the policy checks (which read `resources`);
 * so does `make plan` (scripts/plan.ts), which is why it lives beside the plan and not under test/.
 * The mocks record every resource, answer only the provider functions listed in `CALLS` and throw
 * on any other call, and answer a StackReference only for stacks passed in `upstreams`.
 */

/** A resource as the mock monitor saw it. */
export interface RecordedResource {
    type: string;
    name: string;
    /** Inputs as the program passed them (secrets unwrapped, as the engine sees them). */
    inputs: Record<string, unknown>;
    /** Top-level input names whose values were Pulumi secrets. */
    secretInputs?: string[];
    /** Provider reference (`urn::id`) for custom resources with an explicit or inherited provider. */
    provider?: string;
    custom: boolean;
    id: string;
    /** True when the resource was created with the `protect` option. */
    protect?: boolean;
    /** Outputs the mock returned (inputs plus computed values such as arn). */
    state?: Record<string, unknown>;
    /** The parent resource as `<type>::<name>`, when it has one other than the stack. */
    parent?: string;
}

/** A stack's outputs as a StackReference returns them. */
export interface UpstreamState {
    outputs: Record<string, unknown>;
    secretOutputNames: string[];
}

/** What one program run produced. */
export interface LayerRun {
    resources: RecordedResource[];
    /** Stack outputs, resolved to plain values. */
    outputs: Record<string, unknown>;
    /** Names of outputs that are Pulumi secrets. */
    secretOutputs: Set<string>;
    /** All resources of a type token. */
    ofType(type: string): RecordedResource[];
    /** The one resource of a type token; throws unless there is exactly one. */
    one(type: string): RecordedResource;
    /** This run's outputs as a downstream StackReference would see them. */
    asUpstream(): UpstreamState;
}

/** Options of {@link runLayer}. */
export interface RunOptions {
    /** Pulumi project name (the config namespace). */
    project: string;
    /** Stack name. Default: `dev`. */
    stack?: string;
    /** Config as `<namespace>:<key>` → value. */
    config: Record<string, string>;
    /** Keys of `config` that are secrets. */
    secretKeys?: string[];
    /** Upstream stacks by full name (`organization/<project>/<stack>`). */
    upstreams?: Record<string, UpstreamState>;
    /**
     * The stack's own outputs from its last deploy, for a StackReference to the stack itself
     * (`organization/<project>/<stack>`). Default: none, as before a first deploy.
     */
    previous?: UpstreamState;
    /** Environment variables set while the program runs (undefined unsets one); restored afterwards. */
    env?: Record<string, string | undefined>;
    /** Run as `pulumi preview` (default: as `pulumi up`). */
    preview?: boolean;
    /** Put before every resource id, so a plan's ids read as fake (`plan-fake-`). Default: none. */
    idPrefix?: string;
    /** Changes resource inputs before registration, to break a layer on purpose in a test. */
    transform?: (type: string, name: string, props: Record<string, unknown>) => Record<string, unknown> | undefined;
}

// How the SDK serializes a secret value to the (mock) monitor: { [SIG]: SECRET_SIG, value }.
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

function isSecretValue(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG] === SECRET_SIG;
}

/** The inputs as the provider would receive them: secret wrappers replaced by their values. */
function unwrapSecrets(v: unknown): unknown {
    if (isSecretValue(v)) {
        return unwrapSecrets(v.value);
    }
    if (Array.isArray(v)) {
        return v.map(unwrapSecrets);
    }
    if (typeof v === "object" && v !== null) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/** Resolves an Output (or plain value) to its value; `undefined` for unknowns. */
export function promiseOf<T>(value: pulumi.Input<T>): Promise<T> {
    return new Promise((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));
}

// The SDK's own "wait until every registration RPC has finished" (what the CLI waits for before
// exit). It is internal, so it is reached by path; this engine is its only user.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

/** Sets (or, for undefined, unsets) environment variables; returns their previous values. */
function setEnvironment(vars: Record<string, string | undefined>): Record<string, string | undefined> {
    const before: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(vars)) {
        before[key] = process.env[key];
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
    }
    return before;
}

/** Runs `program` as the stack's main function under fresh mocks and config. */
export async function runLayer(program: () => Promise<Record<string, unknown>>, opts: RunOptions): Promise<LayerRun> {
    const resources: RecordedResource[] = [];
    lastRunResources = resources;
    const upstreams = opts.upstreams ?? {};
    await pulumi.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): {
                id: string | undefined;
                state: Record<string, unknown>;
            } {
                const inputs = args.inputs as Record<string, unknown>;
                if (args.type === "pulumi:pulumi:StackReference") {
                    const stackName = String(inputs["name"]);
                    const self = `organization/${opts.project}/${opts.stack ?? "dev"}`;
                    const upstream =
                        upstreams[stackName] ??
                        (stackName === self ? (opts.previous ?? { outputs: {}, secretOutputNames: [] }) : undefined);
                    if (!upstream) {
                        throw new Error(`unknown stack ${stackName}`);
                    }
                    resources.push({ type: args.type, name: args.name, inputs, custom: true, id: stackName });
                    return {
                        id: stackName,
                        state: {
                            name: stackName,
                            outputs: upstream.outputs,
                            secretOutputNames: upstream.secretOutputNames,
                        },
                    };
                }
                const id = `${opts.idPrefix ?? ""}${args.name}-id`;
                if (args.type === "pulumi:pulumi:Stack") {
                    // The root stack resource of runInPulumiStack, not a cloud resource.
                    return { id, state: {} };
                }
                const secretInputs = Object.keys(inputs).filter((k) => isSecretValue(inputs[k]));
                const plain = unwrapSecrets(inputs) as Record<string, unknown>;
                const state = { ...plain, ...computedState(args.type, args.name, plain) };
                resources.push({
                    type: args.type,
                    name: args.name,
                    inputs: plain,
                    secretInputs,
                    provider: args.provider,
                    custom: args.custom ?? false,
                    id,
                    state,
                });
                return { id, state };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                const answer = CALLS[args.token];
                if (!answer) {
                    throw new Error(
                        `unexpected provider function call ${args.token}; add it to CALLS in scripts/plan/mock-state.ts if it is intended`,
                    );
                }
                return answer(args.inputs as Record<string, unknown>);
            },
        },
        opts.project,
        opts.stack ?? "dev",
        opts.preview ?? false,
        "organization",
    );
    pulumi.runtime.setAllConfig(opts.config, opts.secretKeys ?? []);

    // The stack resource flattens what the program returns into plain values; keep the returned
    // object itself too, because whether each value is a secret Output is only visible there.
    let exported: Record<string, unknown> = {};
    // A stack transformation sees each resource's options, which the mock monitor does not;
    // it records which resources are protected, counting `protect` inherited from a parent as the
    // engine does (a child without its own `protect` option takes its parent's).
    const protectedResources = new Set<string>();
    const effective = new WeakMap<pulumi.Resource, boolean>();
    // The same transformation records each resource's parent, which the mock monitor is not told.
    const keys = new WeakMap<pulumi.Resource, string>();
    const parents = new Map<string, string>();
    const saved = setEnvironment(opts.env ?? {});
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            pulumi.runtime.registerStackTransformation((args) => {
                const inherited = args.opts.parent ? effective.get(args.opts.parent) === true : false;
                const isProtected = args.opts.protect ?? inherited;
                effective.set(args.resource, isProtected);
                keys.set(args.resource, `${args.type}::${args.name}`);
                const parentKey = args.opts.parent ? keys.get(args.opts.parent) : undefined;
                if (parentKey) parents.set(`${args.type}::${args.name}`, parentKey);
                if (isProtected) {
                    protectedResources.add(`${args.type}::${args.name}`);
                }
                const props = opts.transform?.(args.type, args.name, args.props);
                return props ? { props, opts: args.opts } : undefined;
            });
            exported = await program();
            return exported;
        });
        await settings.waitForRPCs();
    } finally {
        setEnvironment(saved);
    }
    const outputs: Record<string, unknown> = {};
    const secretOutputs = new Set<string>();
    for (const [key, value] of Object.entries(exported)) {
        outputs[key] = await promiseOf(value);
        if (pulumi.Output.isInstance(value) && (await pulumi.isSecret(value))) {
            secretOutputs.add(key);
        }
    }
    for (const r of resources) {
        r.protect = protectedResources.has(`${r.type}::${r.name}`);
        const parent = parents.get(`${r.type}::${r.name}`);
        if (parent) r.parent = parent;
    }
    const ofType = (type: string) => resources.filter((r) => r.type === type);
    return {
        resources,
        outputs,
        secretOutputs,
        ofType,
        one(type: string) {
            const found = ofType(type);
            if (found.length !== 1) {
                throw new Error(`expected exactly one ${type}, found ${found.length}`);
            }
            return found[0] as RecordedResource;
        },
        asUpstream: () => ({ outputs, secretOutputNames: [...secretOutputs] }),
    };
}

/** The resources of the most recent run, kept so a failed run can still be inspected. */
let lastRunResources: RecordedResource[] = [];

/** Runs a program that must fail; returns the error and what was registered before it failed. */
export async function runLayerExpectingError(
    program: () => Promise<Record<string, unknown>>,
    opts: RunOptions,
): Promise<{ error: Error; resources: RecordedResource[] }> {
    let run: LayerRun;
    try {
        run = await runLayer(program, opts);
    } catch (err) {
        await settings.waitForRPCs().catch(() => undefined);
        return { error: err as Error, resources: lastRunResources };
    }
    throw new Error(`expected the program to fail, but it succeeded and registered ${run.resources.length} resources`);
}
