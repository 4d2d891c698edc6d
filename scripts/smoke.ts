/**
 * Smoke checks after a deploy: GET each public service's health path (from the service catalog) at
 * the URL the services stack exports, retrying until it answers 2xx/3xx or the deadline passes.
 *
 *   make smoke STACK=dev [SMOKE_DEADLINE_SECONDS=300]     (node scripts/cli.cjs smoke)
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { SERVICES, type ServiceSpec } from "../shared/catalog";
import type { ServicesOutputs } from "../shared/contracts/services";
import { pulumiEnv } from "./runner/environment";
import { REQUEST_ENV, UsageError, validateStackName } from "./runner/request";

/** One URL to check. */
export interface SmokeTarget {
    service: string;
    url: string;
}

/** Timing of the checks. */
export interface SmokeOptions {
    /** Per-request timeout. */
    requestTimeoutMs: number;
    /** Pause between attempts. */
    retryIntervalMs: number;
    /** Overall deadline for each target, from the start of the run. */
    deadlineMs: number;
}

/** The result for one service. */
export interface SmokeResult {
    service: string;
    url: string;
    ok: boolean;
    attempts: number;
    /** Last status or error. */
    detail: string;
}

/** The health URL of each public service, from the exported service URLs. */
export function smokeTargets(serviceUrls: Record<string, string>, services: readonly ServiceSpec[] = SERVICES): SmokeTarget[] {
    return services
        .filter((s) => s.public && s.healthCheckPath !== undefined)
        .map((s) => {
            const base = serviceUrls[s.name];
            if (!base) throw new Error(`the services stack exports no URL for ${s.name}; deploy it first (make up-services)`);
            return { service: s.name, url: `${base.replace(/\/+$/, "")}${s.healthCheckPath}` };
        });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Checks one target until it is healthy or the deadline passes. */
export async function checkTarget(target: SmokeTarget, opts: SmokeOptions, started = Date.now()): Promise<SmokeResult> {
    let attempts = 0;
    let detail = "not tried";
    for (;;) {
        attempts++;
        const remaining = started + opts.deadlineMs - Date.now();
        try {
            const res = await fetch(target.url, { redirect: "manual", signal: AbortSignal.timeout(Math.max(1, Math.min(opts.requestTimeoutMs, remaining))) });
            detail = `HTTP ${res.status}`;
            await res.body?.cancel();
            if (res.status >= 200 && res.status < 400) return { ...target, ok: true, attempts, detail };
        } catch (err) {
            detail = err instanceof Error && err.name === "TimeoutError" ? `no answer within ${opts.requestTimeoutMs} ms` : `error: ${(err as Error).message}`;
        }
        // Retry only while a whole attempt still fits before the deadline, so the last result is a real answer.
        if (Date.now() + opts.retryIntervalMs + opts.requestTimeoutMs > started + opts.deadlineMs) return { ...target, ok: false, attempts, detail };
        await sleep(opts.retryIntervalMs);
    }
}

/** Checks all targets in parallel. */
export async function smoke(targets: readonly SmokeTarget[], opts: SmokeOptions): Promise<SmokeResult[]> {
    const started = Date.now();
    return Promise.all(targets.map((t) => checkTarget(t, opts, started)));
}

/** True when the services stack runs no task because no image was deployed yet (bootstrap=true). */
export function isBootstrap(outputs: Partial<ServicesOutputs>): boolean {
    const images = Object.values(outputs.images ?? {});
    return images.length > 0 && images.every((i) => i === null);
}

/** The report people read. */
export function formatSmoke(results: readonly SmokeResult[]): string {
    const lines = results.map((r) => `${r.ok ? "PASS" : "FAIL"}  ${r.service.padEnd(10)} ${r.url}  ${r.detail} after ${r.attempts} attempt${r.attempts === 1 ? "" : "s"}`);
    const failed = results.filter((r) => !r.ok).length;
    lines.push(failed === 0 ? `smoke: all ${results.length} services healthy` : `smoke: ${failed} of ${results.length} services failed`);
    return lines.join("\n");
}

/** Entry point (scripts/cli.cjs): the stack comes from make's PROLIFERATE_STACK; returns the exit code. */
export async function main(_argv: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<number> {
    let stack: string;
    let deadlineSeconds: number;
    try {
        stack = validateStackName(env[REQUEST_ENV.stack] ?? "");
        const deadline = env["SMOKE_DEADLINE_SECONDS"] ?? "300";
        deadlineSeconds = Number(deadline);
        if (!/^[0-9]+$/.test(deadline) || deadlineSeconds <= 0) {
            throw new UsageError(`SMOKE_DEADLINE_SECONDS="${deadline}" is not a positive whole number of seconds; e.g. make smoke STACK=${stack} SMOKE_DEADLINE_SECONDS=300`);
        }
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        console.error(`error: ${err.message}`);
        return 2;
    }
    const root = join(__dirname, "..");
    const out = spawnSync("pulumi", ["stack", "output", "--json", "--stack", stack], {
        cwd: join(root, "stacks", "services"),
        env: pulumiEnv(root, env),
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (out.error || out.status !== 0) {
        console.error(`error: could not read the outputs of the services stack "${stack}" (${out.error?.message ?? out.stderr.trim()}); deploy it first: make up-services STACK=${stack}`);
        return 1;
    }
    const outputs = JSON.parse(out.stdout) as Partial<ServicesOutputs>;
    if (isBootstrap(outputs)) {
        console.log("smoke: skipped, the services stack is in bootstrap mode (no image deployed, no task runs)");
        return 0;
    }
    const results = await smoke(smokeTargets(outputs.serviceUrls ?? {}), {
        requestTimeoutMs: 10_000,
        retryIntervalMs: 5_000,
        deadlineMs: deadlineSeconds * 1000,
    });
    console.log(formatSmoke(results));
    return results.every((r) => r.ok) ? 0 : 1;
}
