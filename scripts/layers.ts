/**
 * Runs the real `pulumi` CLI over the layers in dependency order: what `make deploy-all`,
 * `preview-all`, `refresh-all`, `destroy-all`, `deploy-services`, `outputs` and `drift` call.
 * Every pulumi command is printed before it runs, so users see exactly what happens.
 *
 *   node dist/scripts/layers.js <up|preview|refresh|destroy|outputs|drift|deploy-services>
 *        --stack dev [--layers foundation,data] [--flags "--yes --diff"] [--image-tag T]
 *        [--confirm <stack>] [--show-secrets] [--root <repo>]
 *
 * Environment: BACKEND (state backend URL; default: a file backend in <repo>/.pulumi-state),
 * SECRETS_PROVIDER (e.g. awskms://alias/proliferate-pulumi; default: passphrase),
 * SKIP_PREFLIGHT=1, SKIP_AWS_CHECK=1.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CONTRACTS } from "../shared/contracts";
import { PLACEHOLDER_ENVIRONMENT_ENV, PLACEHOLDER_LAYERS_ENV } from "../shared/contracts/reader";
import { isProductionLike } from "../shared/environment";
import { LAYERS, PROJECT_NAMES, type Layer } from "../shared/layers";
import { formatPreflight, preflight, type PreflightResult } from "./preflight";

/** What the runner can do. */
export const ACTIONS = ["up", "preview", "refresh", "destroy", "outputs", "drift", "deploy-services"] as const;
export type Action = (typeof ACTIONS)[number];

/** A failure that ends the run with one line for people, not a stack trace. */
export class UsageError extends Error {}

/** Layers in the order an action visits them: dependency order, reversed for destroy. */
export function layerOrder(action: Action, selected: readonly Layer[] = LAYERS): Layer[] {
    const order = LAYERS.filter((l) => selected.includes(l));
    return action === "destroy" ? order.reverse() : order;
}

/** True when every layer comes after all the upstream layers its contract declares. */
export function isTopologicalOrder(order: readonly Layer[], upstreams: (layer: Layer) => readonly Layer[]): boolean {
    return order.every((layer, i) => upstreams(layer).every((u) => order.indexOf(u) >= 0 && order.indexOf(u) < i));
}

/** State of a layer at the end of a run. */
export type LayerStatus = "done" | "failed" | "not started" | "drifted" | "no changes";

/** The summary table printed at the end of a run. */
export function formatSummary(action: string, stack: string, results: ReadonlyArray<{ layer: Layer; status: LayerStatus; note?: string }>): string {
    const lines = [`${action} summary for stack "${stack}":`];
    for (const r of results) lines.push(`  ${r.layer.padEnd(11)} ${r.status}${r.note ? ` (${r.note})` : ""}`);
    return lines.join("\n");
}

/** Options of one run. */
export interface RunnerOptions {
    action: Action;
    stack: string;
    layers: Layer[];
    flags: string[];
    imageTag?: string;
    confirm?: string;
    showSecrets: boolean;
    root: string;
    /** Policy pack folder run with every preview and up (make's POLICY_PACK; empty: none). */
    policyPack?: string;
}

/** Parses the command line. */
export function parseArgs(argv: readonly string[], root: string): RunnerOptions {
    const [action, ...rest] = argv;
    if (!(ACTIONS as readonly string[]).includes(action ?? "")) {
        throw new UsageError(`unknown action "${action ?? ""}"; use one of ${ACTIONS.join(", ")}`);
    }
    const opt = (name: string) => {
        const i = rest.indexOf(`--${name}`);
        return i >= 0 ? rest[i + 1] : undefined;
    };
    const stack = opt("stack") ?? "";
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new UsageError(`STACK "${stack}" is not a stack name (letters, digits, ".", "_", "-"); run e.g. make deploy-all STACK=dev`);
    }
    const layers = (opt("layers") ?? LAYERS.join(",")).split(",").filter((l) => l !== "");
    const unknown = layers.filter((l) => !(LAYERS as readonly string[]).includes(l));
    if (unknown.length > 0) throw new UsageError(`unknown layer(s) ${unknown.join(", ")}; the layers are ${LAYERS.join(", ")}`);
    const flags = (opt("flags") ?? "").split(/\s+/).filter((f) => f !== "");
    return {
        action: action as Action,
        stack,
        layers: layers as Layer[],
        flags,
        ...(opt("image-tag") ? { imageTag: opt("image-tag") } : {}),
        ...(opt("confirm") ? { confirm: opt("confirm") } : {}),
        showSecrets: rest.includes("--show-secrets"),
        root: opt("root") ?? root,
        ...(opt("policy-pack") ? { policyPack: opt("policy-pack") } : {}),
    };
}

/** The environment pulumi runs with: the state backend and nothing else changed. */
export function pulumiEnv(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    if (env["PULUMI_BACKEND_URL"]) return env;
    const backend = env["BACKEND"] || `file://${join(root, ".pulumi-state")}`;
    if (backend.startsWith("file://")) mkdirSync(backend.slice("file://".length), { recursive: true });
    return { ...env, PULUMI_BACKEND_URL: backend };
}

/** One-line checks of what a real run needs; each returns the fix. */
export function checkPrerequisites(env: NodeJS.ProcessEnv, needsAws: boolean, home = homedir()): string[] {
    const problems: string[] = [];
    const version = spawnSync("pulumi", ["version"], { env, encoding: "utf8" });
    if (version.error || version.status !== 0) {
        problems.push("the pulumi CLI was not found on PATH: install it (https://www.pulumi.com/docs/install/, e.g. `curl -fsSL https://get.pulumi.com | sh`) and open a new shell");
    }
    const backend = env["PULUMI_BACKEND_URL"] ?? "";
    const diy = !backend.startsWith("https://");
    if (diy && !env["SECRETS_PROVIDER"] && env["PULUMI_CONFIG_PASSPHRASE"] === undefined && !env["PULUMI_CONFIG_PASSPHRASE_FILE"]) {
        problems.push(
            "no secrets passphrase: export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider, or set SECRETS_PROVIDER=awskms://alias/<key> (see make bootstrap-backend)",
        );
    }
    if (needsAws && env["SKIP_AWS_CHECK"] !== "1") {
        const hasCreds =
            Boolean(env["AWS_ACCESS_KEY_ID"] || env["AWS_PROFILE"] || env["AWS_WEB_IDENTITY_TOKEN_FILE"] || env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] || env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]) ||
            existsSync(join(home, ".aws", "credentials")) ||
            existsSync(join(home, ".aws", "config"));
        if (!hasCreds) {
            problems.push("no AWS credentials found: run `aws configure` or `aws sso login --profile <p>` and export AWS_PROFILE=<p> (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
        }
    }
    return problems;
}

/** Runs pulumi in a layer's folder, printing the command first. */
function pulumi(root: string, layer: Layer, args: string[], env: NodeJS.ProcessEnv, capture = false): SpawnSyncReturns<string> {
    const cwd = join(root, "stacks", layer);
    if (!capture) console.log(`+ (cd stacks/${layer} && pulumi ${args.join(" ")})`);
    return spawnSync("pulumi", args, { cwd, env, encoding: "utf8", stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit" });
}

/** True when the layer's stack exists and has outputs (it was deployed at least once). */
function hasOutputs(root: string, layer: Layer, stack: string, env: NodeJS.ProcessEnv): boolean {
    const r = pulumi(root, layer, ["stack", "output", "--json", "--stack", stack], env, true);
    if (r.status !== 0) return false;
    try {
        return Object.keys(JSON.parse(r.stdout || "{}") as object).length > 0;
    } catch {
        return false;
    }
}

/** Runs one action; returns the process exit code. */
export function run(o: RunnerOptions, baseEnv: NodeJS.ProcessEnv = process.env): number {
    const env = pulumiEnv(o.root, baseEnv);
    const needsAws = o.action !== "outputs";
    const problems = checkPrerequisites(env, needsAws);
    if (problems.length > 0) {
        for (const p of problems) console.error(`error: ${p}`);
        return 1;
    }

    let policyArgs: string[] = [];
    if (o.policyPack) {
        const pack = resolve(o.root, o.policyPack);
        if (!existsSync(join(pack, "PulumiPolicy.yaml"))) {
            console.error(`error: policy pack ${pack} has no PulumiPolicy.yaml; run from the repository root, or POLICY_PACK= to run without it`);
            return 1;
        }
        policyArgs = ["--policy-pack", pack];
    }

    if (o.action === "deploy-services") {
        if (!o.imageTag) {
            console.error("error: deploy-services needs the image tag: make deploy-services IMAGE_TAG=<tag> STACK=<stack>");
            return 1;
        }
        o = { ...o, layers: ["services"] };
    }

    let checked: PreflightResult | undefined;
    if (["up", "preview", "deploy-services", "destroy"].includes(o.action) && baseEnv["SKIP_PREFLIGHT"] !== "1") {
        checked = preflight(o.root, o.stack);
        if (o.action !== "destroy") {
            // Only the layers this run touches must be valid (up-foundation needs no services config).
            const layers = checked.layers.filter((l) => o.layers.includes(l.layer));
            const relevant = { ...checked, layers, ok: layers.every((l) => l.issues.length === 0) };
            console.log(formatPreflight(o.stack, relevant));
            if (!relevant.ok) return 1;
        }
    }

    if (o.action === "destroy") {
        const production = checked?.environment ? isProductionLike(checked.environment.class) : true;
        if (production && o.confirm !== o.stack) {
            console.error(
                [
                    `error: stack "${o.stack}" is ${checked?.environment ? "production-like" : "of unknown class (foundation config unreadable), so treated as production-like"}; destroy refuses it unless CONFIRM=${o.stack}.`,
                    "  Protected on purpose, and how to release each deliberately before destroying:",
                    "  - Pulumi `protect` on the RDS instance, the Redis replication group and the secrets: `pulumi state unprotect --all --stack <stack>` in stacks/data and stacks/secrets;",
                    "  - RDS deletion protection: `aws rds modify-db-instance --db-instance-identifier <id> --no-deletion-protection --apply-immediately` (a final snapshot is still kept);",
                    "  - ALB deletion protection: `aws elbv2 modify-load-balancer-attributes --load-balancer-arn <arn> --attributes Key=deletion_protection.enabled,Value=false`;",
                    "  - ECR repositories are not force-deleted in production: delete their images first.",
                ].join("\n"),
            );
            return 1;
        }
    }

    const order = layerOrder(o.action === "deploy-services" ? "up" : o.action, o.layers);
    const results: Array<{ layer: Layer; status: LayerStatus; note?: string }> = order.map((layer) => ({ layer, status: "not started" }));
    const combined: Record<string, unknown> = {};
    let failed = false;
    // A preview creates no outputs, so whether a layer has outputs cannot change during this run: ask once per layer.
    const deployed = new Map<Layer, boolean>();
    const isDeployed = (l: Layer): boolean => {
        let known = deployed.get(l);
        if (known === undefined) {
            known = hasOutputs(o.root, l, o.stack, env);
            deployed.set(l, known);
        }
        return known;
    };

    for (const [i, result] of results.entries()) {
        const layer = result.layer;
        const stackArgs = ["--stack", o.stack];
        if (o.action === "outputs") {
            const r = pulumi(o.root, layer, ["stack", "output", "--json", ...(o.showSecrets ? ["--show-secrets"] : []), ...stackArgs], env, true);
            combined[layer] = r.status === 0 ? (JSON.parse(r.stdout || "{}") as unknown) : null;
            result.status = r.status === 0 ? "done" : "failed";
            if (r.status !== 0) result.note = "no such stack, or not deployed";
            continue;
        }

        console.log(`\n==> [${i + 1}/${results.length}] ${layer} (${PROJECT_NAMES[layer]}), stack ${o.stack}`);
        const create = o.action === "up" || o.action === "preview" || o.action === "deploy-services";
        const secretsProvider = create && env["SECRETS_PROVIDER"] ? ["--secrets-provider", env["SECRETS_PROVIDER"]] : [];
        const select = pulumi(o.root, layer, ["stack", "select", ...(create ? ["--create"] : []), o.stack, ...secretsProvider], env);
        if (select.status !== 0) {
            result.status = "failed";
            result.note = `stack ${o.stack} could not be selected`;
            failed = true;
            break;
        }

        let layerEnv = env;
        if (o.action === "preview") {
            // Upstream layers that have never been deployed (at most previewed in this run) have no outputs yet.
            const missing = CONTRACTS[layer].upstreams.filter((u) => !isDeployed(u));
            if (missing.length > 0) {
                console.log(`    PLACEHOLDER OUTPUTS for ${missing.join(", ")} (not deployed yet): this preview is approximate`);
                layerEnv = {
                    ...env,
                    [PLACEHOLDER_LAYERS_ENV]: missing.join(","),
                    ...(checked?.environment ? { [PLACEHOLDER_ENVIRONMENT_ENV]: JSON.stringify(checked.environment) } : {}),
                };
            }
        }
        if (o.action === "deploy-services" && o.imageTag) {
            const set = pulumi(o.root, layer, ["config", "set", `${PROJECT_NAMES.services}:imageTag`, o.imageTag, ...stackArgs], env);
            if (set.status !== 0) {
                result.status = "failed";
                failed = true;
                break;
            }
        }

        const verb = o.action === "deploy-services" ? "up" : o.action === "drift" ? "preview" : o.action;
        const extra = o.action === "drift" ? ["--expect-no-changes"] : [];
        // Policies run wherever pulumi evaluates the program for changes: previews and updates.
        const policies = verb === "up" || verb === "preview" ? policyArgs : [];
        const r = pulumi(o.root, layer, [verb, ...stackArgs, ...extra, ...policies, ...o.flags], layerEnv);
        if (o.action === "drift") {
            result.status = r.status === 0 ? "no changes" : "drifted";
            if (r.status !== 0) failed = true;
            continue; // drift checks every layer
        }
        if (r.status !== 0) {
            result.status = "failed";
            failed = true;
            break; // never run a downstream layer after an upstream failure
        }
        result.status = "done";
    }

    if (o.action === "outputs") {
        console.log(JSON.stringify(combined, null, 2));
        return failed ? 1 : 0;
    }
    console.log(`\n${formatSummary(o.action, o.stack, results)}`);
    if (o.action === "drift") {
        const drifted = results.filter((r) => r.status === "drifted").map((r) => r.layer);
        console.log(drifted.length > 0 ? `drift: ${drifted.join(", ")} differ from their code and config` : "drift: none");
    } else if (failed) {
        console.log("Fix the failed layer and run the same command again: finished layers are no-ops on a rerun.");
    }
    return failed ? 1 : 0;
}

if (require.main === module) {
    try {
        process.exit(run(parseArgs(process.argv.slice(2), join(__dirname, "..", ".."))));
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(`error: ${err.message}`);
            process.exit(2);
        }
        throw err;
    }
}
