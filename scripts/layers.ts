/**
 * The multi-stack runner behind `make deploy-all`, `preview-all`, `refresh-all`, `destroy-all`,
 * `up-<layer>`, `preview-<layer>`, `refresh-<layer>`, `destroy-<layer>`, `deploy-services`,
 * `outputs` and `drift`. It runs the real `pulumi` CLI in each layer's folder, in dependency order,
 * prints every pulumi command before it runs, reads pulumi's engine event log for its summary, and
 * stops at the first failure or interruption.
 *
 *   node scripts/cli.cjs layers <up|preview|refresh|destroy|outputs|drift|deploy-services>
 *
 * Everything else comes from the environment the Makefile exports (PROLIFERATE_STACK, _LAYER,
 * _FLAGS, _IMAGE_TAG, _CONFIRM, _POLICY_PACK, _SHOW_SECRETS, _TIMEOUT, _IGNORE_DOWNSTREAM; see
 * runner/request.ts), so no make
 * variable ever passes through a shell. Also read: BACKEND, SECRETS_PROVIDER, SKIP_PREFLIGHT=1,
 * SKIP_AWS_CHECK=1.
 */
import { resolve } from "node:path";
import { formatPreflight } from "./preflight";
import { ACTION_HANDLERS, type RunContext } from "./runner/actions";
import {
    checkPrerequisites,
    deployer,
    DEPLOYED_BY_ENV,
    missingCli,
    openStack,
    policyPackArgs,
} from "./runner/environment";
import { PulumiProcesses } from "./runner/pulumi-process";
import { readRequest, UsageError, validateImageTag, type RunRequest } from "./runner/request";

export { isTopologicalOrder, layerOrder } from "./runner/actions";

/** Actions that stop when the config of a layer they touch is invalid. */
const CHECKED_ACTIONS = new Set(["up", "preview", "deploy-services"]);

async function run(req: RunRequest, baseEnv: NodeJS.ProcessEnv): Promise<number> {
    const noCli = missingCli(baseEnv);
    if (noCli) {
        console.error(`error: ${noCli}`);
        return 1;
    }
    // The stack's config tells its environment class (the backend and destroy rules depend on it).
    const { checked, productionLike, env: backendEnv } = openStack(req.root, baseEnv, req.stack);
    // A moving tag makes a production deploy unrepeatable (the class is known only here).
    if (req.imageTag !== undefined) validateImageTag(req.imageTag, productionLike ?? true, req.stack);
    // PROLIFERATE_IMAGE_TAG (from make) reaches the services program as it is; who deploys goes with it.
    const env: NodeJS.ProcessEnv = { ...backendEnv, [DEPLOYED_BY_ENV]: baseEnv[DEPLOYED_BY_ENV] || deployer(baseEnv) };
    const problems = checkPrerequisites(env, env["PULUMI_BACKEND_URL"] ?? "", req.action !== "outputs");
    if (problems.length > 0) {
        for (const p of problems) console.error(`error: ${p}`);
        return 1;
    }

    let policyArgs: string[] = [];
    if (["up", "preview", "deploy-services"].includes(req.action)) {
        const pack = policyPackArgs(req.root, req.policyPack);
        if ("error" in pack) {
            console.error(`error: ${pack.error}`);
            return 1;
        }
        policyArgs = pack.args;
    }

    const ctx: RunContext = { req, env, procs: new PulumiProcesses(), policyArgs, checked };
    // After TIMEOUT, pulumi gets SIGINT, then SIGTERM and SIGKILL a grace period apart.
    if (req.timeoutMs !== undefined) ctx.graceMs = Math.min(30_000, req.timeoutMs);
    try {
        if (CHECKED_ACTIONS.has(req.action) && baseEnv["SKIP_PREFLIGHT"] !== "1") {
            // Only the layers this run touches must be valid (up-foundation needs no services config).
            const layers = checked.layers.filter((l) => req.layers.includes(l.layer));
            const relevant = { ...checked, layers, ok: layers.every((l) => l.issues.length === 0) };
            console.error(formatPreflight(req.stack, relevant));
            if (!relevant.ok) return 1;
        }
        return await ACTION_HANDLERS[req.action](ctx);
    } finally {
        ctx.procs.dispose();
    }
}

/** Entry point (scripts/cli.cjs calls it): returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    const root = resolve(__dirname, "..");
    try {
        return await run(readRequest(argv[0], env, root), env);
    } catch (err) {
        if (err instanceof UsageError) {
            console.error(`error: ${err.message}`);
            return 2;
        }
        throw err;
    }
}
