import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAMES, type Layer } from "../layers";
import type { Contract } from "./contract";

/**
 * Set by the layer runner (scripts/) for previews only: the upstream layers that have no outputs yet
 * (comma-separated). A consumer then previews against the layer's declared placeholder outputs instead.
 */
export const PLACEHOLDER_LAYERS_ENV = "PROLIFERATE_PLACEHOLDER_UPSTREAMS";
/** Set with it: the environment settings (JSON) from the foundation stack's config, so the preview uses the real region. */
export const PLACEHOLDER_ENVIRONMENT_ENV = "PROLIFERATE_PLACEHOLDER_ENVIRONMENT";

function placeholderLayers(): Set<string> {
    return new Set(
        (process.env[PLACEHOLDER_LAYERS_ENV] ?? "")
            .split(",")
            .map((l) => l.trim())
            .filter((l) => l !== ""),
    );
}

/** True when a preview runs against placeholder upstreams: a brand-new environment, where no layer has outputs yet. */
export function usingPlaceholders(): boolean {
    return placeholderLayers().size > 0;
}

/** The default name of a layer's stack for the current stack: `<org>/<project>/<stack>`. */
export function defaultStackName(layer: Layer): string {
    return `${pulumi.getOrganization()}/${PROJECT_NAMES[layer]}/${pulumi.getStack()}`;
}

/** The config key a consumer uses to point at a differently named upstream stack, e.g. `foundationStack`. */
export function stackOverrideKey(layer: Layer): string {
    return `${layer}Stack`;
}

/** The command, run from the repository root, that deploys a layer's stack. */
export function deployCommand(layer: Layer, stack: string): string {
    return `cd stacks/${layer} && pulumi up --stack ${stack}`;
}

/** One upstream output a consumer read: `consumer <- upstream:key`. */
export interface UpstreamRead {
    consumer: Layer;
    upstream: Layer;
    key: string;
}

/** Told about every upstream output a layer reads (the contract test compares them with the contracts). */
export type UpstreamReadObserver = (read: UpstreamRead) => void;

/** Why a consumer cannot use an upstream stack, as data: what is wrong and the commands that fix it. */
export interface UpstreamProblem {
    consumer: Layer;
    upstream: Layer;
    /** Full name of the upstream stack. */
    stackName: string;
    /** What is wrong, in one sentence. */
    problem: string;
    /** The fixes, most likely first: a lead-in for people and the command to paste. */
    fixes: Array<{ lead: string; command: string }>;
}

/** A consumer cannot use its upstream stack; thrown before the consumer creates any resource. */
export class UpstreamError extends pulumi.RunError {
    constructor(readonly details: UpstreamProblem) {
        super([details.problem, ...details.fixes.map((f) => `  ${f.lead}: ${f.command}`)].join("\n"));
        this.name = "UpstreamError";
    }
}

/**
 * Typed, checked access to one upstream layer's outputs.
 *
 * `open` reads the upstream stack once and verifies that every output its contract promises is
 * there, so a consumer fails before creating anything, with one message that names the stack, the
 * missing keys, and the command that deploys it. Values are then read with `requireOutput`, which
 * keeps secrets secret.
 */
export class UpstreamStack<T> {
    private constructor(
        readonly contract: Contract<T>,
        /** The layer reading. */
        readonly consumer: Layer,
        /** Full name of the upstream stack. */
        readonly stackName: string,
        /** Undefined when the values are placeholders. */
        private readonly ref: pulumi.StackReference | undefined,
        private readonly plain: Map<string, unknown>,
        private readonly onRead: UpstreamReadObserver | undefined,
    ) {}

    /**
     * Opens the upstream stack `stackName` (default: same stack name, same org) and checks its
     * outputs. `onRead` (default: none) is told about every output the consumer then reads.
     */
    static async open<T>(
        contract: Contract<T>,
        consumer: Layer,
        stackName: string | undefined,
        onRead?: UpstreamReadObserver,
    ): Promise<UpstreamStack<T>> {
        const name = stackName ?? defaultStackName(contract.layer);
        if (placeholderLayers().has(contract.layer)) {
            return UpstreamStack.placeholder(contract, consumer, name, onRead);
        }
        const ref = new pulumi.StackReference(`${contract.layer}-stack`, { name });
        const keys = Object.keys(contract.outputs);
        const plain = new Map<string, unknown>();
        const missing: string[] = [];
        const about = { consumer, upstream: contract.layer, stackName: name };
        const deploy = deployCommand(contract.layer, pulumi.getStack());
        let details: Array<pulumi.StackReferenceOutputDetails>;
        try {
            details = await Promise.all(keys.map((k) => ref.getOutputDetails(k)));
        } catch (err) {
            throw new UpstreamError({
                ...about,
                problem: `${PROJECT_NAMES[consumer]} reads stack "${name}" of layer ${contract.layer}, which could not be read: ${String(err)}`,
                fixes: [
                    { lead: "Deploy it first", command: deploy },
                    {
                        lead: "Or point at the right stack",
                        command: `pulumi config set ${PROJECT_NAMES[consumer]}:${stackOverrideKey(contract.layer)} <org>/${PROJECT_NAMES[contract.layer]}/<stack>`,
                    },
                ],
            });
        }
        const malformed: string[] = [];
        keys.forEach((k, i) => {
            const d = details[i];
            if (d === undefined || (d.value === undefined && d.secretValue === undefined)) {
                missing.push(k);
                return;
            }
            const spec = contract.outputs[k as keyof T];
            const parsed = spec.schema.safeParse(d.value !== undefined ? d.value : d.secretValue);
            if (!parsed.success) {
                // Never print the value itself: it may be a secret.
                malformed.push(`${k} (${parsed.error.issues[0]?.message ?? "unexpected shape"})`);
            } else if (d.value !== undefined) {
                plain.set(k, d.value);
            }
        });
        if (malformed.length > 0) {
            throw new UpstreamError({
                ...about,
                problem: `${PROJECT_NAMES[consumer]} cannot use output${malformed.length === 1 ? "" : "s"} ${malformed.join(", ")} of stack "${name}" (layer ${contract.layer}): not the shape its contract declares.`,
                fixes: [
                    {
                        lead: `The ${contract.layer} stack was deployed by other code. Redeploy it from this commit`,
                        command: deploy,
                    },
                ],
            });
        }
        if (missing.length > 0) {
            throw new UpstreamError({
                ...about,
                problem: `${PROJECT_NAMES[consumer]} needs output${missing.length === 1 ? "" : "s"} ${missing.join(", ")} of stack "${name}" (layer ${contract.layer}), which it does not export.`,
                fixes: [
                    {
                        lead: `The ${contract.layer} stack is missing or older than this code. Deploy it`,
                        command: deploy,
                    },
                ],
            });
        }
        return new UpstreamStack(contract, consumer, name, ref, plain, onRead);
    }

    private static placeholder<T>(
        contract: Contract<T>,
        consumer: Layer,
        name: string,
        onRead: UpstreamReadObserver | undefined,
    ): UpstreamStack<T> {
        if (!pulumi.runtime.isDryRun()) {
            throw new UpstreamError({
                consumer,
                upstream: contract.layer,
                stackName: name,
                problem: `${PROJECT_NAMES[consumer]}: placeholder outputs for layer ${contract.layer} were requested (${PLACEHOLDER_LAYERS_ENV}), but placeholders are only for previews.`,
                fixes: [
                    {
                        lead: `Unset ${PLACEHOLDER_LAYERS_ENV} and deploy ${contract.layer} first`,
                        command: deployCommand(contract.layer, pulumi.getStack()),
                    },
                ],
            });
        }
        const values = new Map<string, unknown>(Object.entries(contract.placeholder as object));
        const environment = process.env[PLACEHOLDER_ENVIRONMENT_ENV];
        if (contract.layer === "foundation" && environment) {
            values.set("environment", JSON.parse(environment) as unknown);
        }
        // Logging is fire-and-forget: the engine shows the message whenever it arrives.
        void pulumi.log.warn(
            `PLACEHOLDER OUTPUTS: stack "${name}" (layer ${contract.layer}) has not been deployed; this preview of ${PROJECT_NAMES[consumer]} uses the placeholder outputs declared in shared/contracts/${contract.layer}.ts. ` +
                `IDs and ARNs in this preview are not real. Deploy ${contract.layer} before running up.`,
        );
        return new UpstreamStack(contract, consumer, name, undefined, values, onRead);
    }

    /** An output as a Pulumi Output; secret outputs stay secret. */
    output<K extends keyof T & string>(key: K): pulumi.Output<T[K]> {
        this.onRead?.({ consumer: this.consumer, upstream: this.contract.layer, key });
        if (this.ref === undefined) {
            const value = this.plain.get(key) as T[K];
            // Plain JSON values: unwrapping them changes nothing, so the cast is exact.
            return (this.contract.outputs[key].secret ? pulumi.secret(value) : pulumi.output(value)) as pulumi.Output<
                T[K]
            >;
        }
        return this.ref.requireOutput(key) as pulumi.Output<T[K]>;
    }

    /**
     * A non-secret output as a plain value, for things that must be known while the program runs
     * (names, region, counts). Secret outputs are refused: use `output`.
     */
    value<K extends keyof T & string>(key: K): T[K] {
        if (this.contract.outputs[key].secret || !this.plain.has(key)) {
            throw new Error(`output ${key} of layer ${this.contract.layer} is secret; read it with output()`);
        }
        this.onRead?.({ consumer: this.consumer, upstream: this.contract.layer, key });
        return this.plain.get(key) as T[K];
    }
}
