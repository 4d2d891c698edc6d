/**
 * Helpers of migrate.e2e.ts: the monolith fixture (test/e2e/fixtures/monolith) in an EngineRepo copy,
 * configured and deployed through the real CLI, and the ids of a stack's resources.
 */
import { spawnSync } from "node:child_process";
import { LAYERS, type Layer } from "../../shared/layers";
import { dataOptions, foundationOptions, secretsOptions, servicesOptions } from "../harness/fixtures";
import type { RunOptions } from "../harness/mocks";
import { toMonolithKey } from "./fixtures/monolith/config";
import type { EngineRepo } from "./harness";

export const MONOLITH_DIR = ["test", "e2e", "fixtures", "monolith"];

/** The real pulumi CLI in the monolith fixture's folder of the copy. */
export function monolithPulumi(
    env: EngineRepo,
    args: string[],
): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync("pulumi", args, {
        cwd: env.repo.path(...MONOLITH_DIR),
        env: env.repo.env({ ...env.env, PULUMI_BACKEND_URL: env.env["BACKEND"] ?? "" }),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { status: number | null; stdout: string; stderr: string }, what: string): string {
    if (r.status !== 0) throw new Error(`${what}: ${r.stderr.slice(-3000)}`);
    return r.stdout;
}

/** Each layer's dev fixture config (test/harness/fixtures.ts): what the monolith is configured from. */
export function layerFixtureOptions(): Record<Layer, RunOptions> {
    const none = { outputs: {}, secretOutputNames: [] };
    return {
        foundation: foundationOptions("dev"),
        data: dataOptions("dev", none),
        secrets: secretsOptions("dev", { foundation: none, data: none }),
        services: servicesOptions("dev", { foundation: none, secrets: none }),
    };
}

/**
 * The monolith stack with the layers' dev fixture values under `proliferate-infra:` (what a team's
 * seed-001 stack file holds), secrets set with `config set --secret`, plus `extra` plain keys.
 */
export function configureMonolith(env: EngineRepo, stack: string, extra: Record<string, string> = {}): void {
    const options = Object.values(layerFixtureOptions());
    const init = monolithPulumi(env, ["stack", "init", stack]);
    if (init.status !== 0 && !/already exists/.test(init.stderr)) throw new Error(`stack init: ${init.stderr}`);
    const set = (key: string, value: string, secret: boolean) =>
        ok(
            monolithPulumi(env, ["config", "set", ...(secret ? ["--secret"] : []), "--stack", stack, "--", key, value]),
            `config set ${key}`,
        );
    for (const o of options) {
        for (const [key, value] of Object.entries(o.config))
            set(toMonolithKey(key), value, (o.secretKeys ?? []).includes(key));
    }
    for (const [key, value] of Object.entries(extra)) set(key, value, false);
}

export function monolithUp(env: EngineRepo, stack: string): string {
    return ok(monolithPulumi(env, ["up", "--yes", "--skip-preview", "--stack", stack]), "monolith up");
}

/** `pulumi stack export` text of any stack (fully qualified name). */
export function exportText(env: EngineRepo, stack: string): string {
    return ok(monolithPulumi(env, ["stack", "export", "--stack", stack]), `stack export ${stack}`);
}

interface ExportedResource {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
}

export const resourcesOf = (text: string): ExportedResource[] =>
    (JSON.parse(text) as { deployment: { resources?: ExportedResource[] } }).deployment.resources ?? [];

/** URN → cloud id of every custom resource that is not a provider. */
export function idsOf(text: string): Map<string, string> {
    return new Map(
        resourcesOf(text)
            .filter((r) => r.custom && r.id && !r.type.startsWith("pulumi:"))
            .map((r) => [r.urn, r.id as string]),
    );
}

/** The layer stacks' URN → id, all four together. */
export function layerIds(
    env: EngineRepo,
    org: string,
    stack: string,
    projects: Record<Layer, string>,
): Map<string, string> {
    const all = new Map<string, string>();
    for (const layer of LAYERS) {
        for (const [urn, id] of idsOf(exportText(env, `${org}/${projects[layer]}/${stack}`))) all.set(urn, id);
    }
    return all;
}

/** One plain monolith config key (the fixture's switches, e.g. `proliferate-infra:extraBucket`). */
export function monolithSet(env: EngineRepo, stack: string, key: string, value: string): void {
    ok(monolithPulumi(env, ["config", "set", "--stack", stack, "--", key, value]), `config set ${key}`);
}
