/**
 * What one make target asks the runner to do, read from the environment make exports (never from a
 * command line a shell has seen), and validated before anything runs: a bad value is refused with a
 * message naming the make variable and a command that can be pasted.
 */
import { LAYERS, type Layer } from "../../shared/layers";
import { splitFlags } from "./flags";
import { UsageError } from "./usage-error";

export { UsageError };

/** What the runner can do. */
export const ACTIONS = ["up", "preview", "refresh", "destroy", "outputs", "drift", "deploy-services"] as const;
export type Action = (typeof ACTIONS)[number];

/** The environment variables the Makefile exports (see its `export` lines). */
export const REQUEST_ENV = {
    stack: "PROLIFERATE_STACK",
    layer: "PROLIFERATE_LAYER",
    flags: "PROLIFERATE_FLAGS",
    imageTag: "PROLIFERATE_IMAGE_TAG",
    confirm: "PROLIFERATE_CONFIRM",
    policyPack: "PROLIFERATE_POLICY_PACK",
    showSecrets: "PROLIFERATE_SHOW_SECRETS",
    timeout: "PROLIFERATE_TIMEOUT",
    ignoreDownstream: "PROLIFERATE_IGNORE_DOWNSTREAM",
} as const;

/** One validated request. */
export interface RunRequest {
    action: Action;
    /** Stack name as given (`dev` or `org/dev`). */
    stack: string;
    /** Layers to visit, in the order given by the action (see layerOrder). */
    layers: Layer[];
    /** Extra pulumi arguments from FLAGS, split like a shell would, never run by one. */
    flags: string[];
    imageTag?: string;
    confirm?: string;
    showSecrets: boolean;
    /** Policy pack folder, relative to the repository root (POLICY_PACK; empty: none). */
    policyPack?: string;
    /** Per-layer time limit (TIMEOUT), in milliseconds. */
    timeoutMs?: number;
    /** IGNORE_DOWNSTREAM=1: destroy an upstream layer even while downstream stacks still hold resources. */
    ignoreDownstream: boolean;
    /** The repository root. */
    root: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** Parses TIMEOUT: whole seconds, or a number with s, m or h ("90", "90s", "20m", "2h"). */
export function parseTimeout(text: string): number {
    const m = /^([0-9]+)([smh]?)$/.exec(text);
    const ms = m ? Number(m[1]) * (UNIT_MS[m[2] || "s"] ?? 1000) : NaN;
    if (!(ms > 0)) {
        throw new UsageError(
            `TIMEOUT="${text}" is not a time limit: give whole seconds or a number with s, m or h, e.g. make deploy-all TIMEOUT=45m`,
        );
    }
    return ms;
}

/** A make variable that is either unset or exactly 1. */
function flag(name: string, value: string, example: string): boolean {
    if (value !== "" && value !== "1")
        throw new UsageError(
            `${name}="${value}" is not understood: use ${name}=1 (or leave it unset), e.g. ${example}`,
        );
    return value === "1";
}

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Checks a stack name against Pulumi's rules (`dev`, or `org/dev`); returns it. */
export function validateStackName(stack: string): string {
    const parts = stack.split("/");
    if (stack === "" || parts.length > 2 || !parts.every((p) => NAME.test(p))) {
        const tooMany = parts.length > 2 && parts.every((p) => NAME.test(p));
        throw new UsageError(
            tooMany
                ? `STACK "${stack}" names a project; give "<org>/<stack>" or "<stack>": each layer is its own project. Example: make preview-all STACK=dev`
                : `STACK "${stack}" is not a stack name: use letters, digits, "-", "_" and "." (at most 100), optionally after "<org>/". Example: make preview-all STACK=dev`,
        );
    }
    return stack;
}

/** The stack's name without its organisation: what `Pulumi.<name>.yaml` is called. */
export function stackFileName(stack: string): string {
    return stack.split("/").pop() ?? stack;
}

/** Docker's tag grammar: https://docs.docker.com/reference/cli/docker/image/tag/ */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Checks IMAGE_TAG against Docker's tag grammar, and refuses `latest` for a production-like stack. */
export function validateImageTag(tag: string, productionLike: boolean, stack: string): string {
    if (!IMAGE_TAG.test(tag)) {
        throw new UsageError(
            `IMAGE_TAG "${tag}" is not a Docker tag: 1 to 128 of letters, digits, "_", "." and "-", not starting with "." or "-". Example: make deploy-services STACK=${stack} IMAGE_TAG=git-$(git rev-parse --short HEAD)`,
        );
    }
    if (productionLike && tag === "latest") {
        throw new UsageError(
            `IMAGE_TAG "latest" is refused for the production-like stack "${stack}": a moving tag makes a deploy unrepeatable. Use an immutable tag, e.g. make deploy-services STACK=${stack} IMAGE_TAG=git-$(git rev-parse --short HEAD)`,
        );
    }
    return tag;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new UsageError(`${what} "${value}" is unknown; use one of ${allowed.join(", ")}`);
    }
    return value as T;
}

/** Reads and validates the request for `action` from the environment make exported. */
export function readRequest(actionArg: string | undefined, env: NodeJS.ProcessEnv, root: string): RunRequest {
    const action = oneOf(actionArg ?? "", ACTIONS, "action");
    const get = (key: keyof typeof REQUEST_ENV) => env[REQUEST_ENV[key]] ?? "";
    const stack = validateStackName(get("stack"));
    const layer = get("layer");
    if (layer !== "" && action === "deploy-services") {
        throw new UsageError("deploy-services always updates the services layer only; run make deploy-services");
    }
    const layers: Layer[] =
        action === "deploy-services" ? ["services"] : layer === "" ? [...LAYERS] : [oneOf(layer, LAYERS, "layer")];
    const showSecrets = flag(
        "SHOW_SECRETS",
        get("showSecrets"),
        "make outputs SHOW_SECRETS=1 (leave it unset to redact them)",
    );
    const ignoreDownstream = flag(
        "IGNORE_DOWNSTREAM",
        get("ignoreDownstream"),
        `make destroy-data STACK=${stack} IGNORE_DOWNSTREAM=1`,
    );
    const timeout = get("timeout");
    const imageTag = get("imageTag");
    if (action === "deploy-services" && imageTag === "") {
        throw new UsageError(
            `deploy-services needs the image tag: make deploy-services STACK=${stack} IMAGE_TAG=git-$(git rev-parse --short HEAD)`,
        );
    }
    // The grammar is checked here; `latest` in a production-like stack once its class is known.
    if (imageTag !== "") validateImageTag(imageTag, false, stack);
    const confirm = get("confirm");
    const policyPack = get("policyPack");
    return {
        action,
        stack,
        layers,
        flags: splitFlags(get("flags")),
        ...(imageTag !== "" ? { imageTag } : {}),
        ...(confirm !== "" ? { confirm } : {}),
        showSecrets,
        ignoreDownstream,
        ...(timeout !== "" ? { timeoutMs: parseTimeout(timeout) } : {}),
        ...(policyPack !== "" ? { policyPack } : {}),
        root,
    };
}
