/**
 * Smoke checks after a deploy: GET each public service's health path (from the service catalog) at
 * the URL the services stack exports, retrying until it answers 2xx (redirects followed on the same host only) or the deadline passes.
 *
 *   make smoke STACK=dev [SMOKE_DEADLINE_SECONDS=300]     (node scripts/cli.cjs smoke)
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { SERVICES, type ServiceSpec } from "../shared/catalog";
import type { ServicesOutputs } from "../shared/contracts/services";
import { missingCli, openStack } from "./runner/environment";
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

/** The health URL of each public service, from the exported service URLs; only http(s) URLs are probed. */
export function smokeTargets(
    serviceUrls: Record<string, string>,
    services: readonly ServiceSpec[] = SERVICES,
): SmokeTarget[] {
    const targets = services
        .filter((s) => s.public && s.healthCheckPath !== undefined)
        .map((s) => {
            const base = serviceUrls[s.name];
            if (!base)
                throw new Error(`the services stack exports no URL for ${s.name}; deploy it first (make up-services)`);
            if (!/^https?:\/\/[^/]/i.test(base)) {
                throw new Error(
                    `the services stack exports ${JSON.stringify(base)} for ${s.name}, which is not an http(s) URL; only http and https are probed`,
                );
            }
            return { service: s.name, url: `${base.replace(/\/+$/, "")}${s.healthCheckPath}` };
        });
    if (targets.length === 0)
        throw new Error("no public service with a health check is in the catalog, so nothing can be checked");
    return targets;
}

/** How many redirects on the same host are followed before giving up. */
const MAX_REDIRECTS = 5;

/** TLS error codes that mean the certificate is not for this host or not trusted. */
const TLS_CODES: Record<string, string> = {
    ERR_TLS_CERT_ALTNAME_INVALID: "the TLS certificate does not cover this host name",
    DEPTH_ZERO_SELF_SIGNED_CERT: "the TLS certificate is self-signed",
    SELF_SIGNED_CERT_IN_CHAIN: "the TLS certificate chain is self-signed",
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the TLS certificate is not trusted (unknown issuer)",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the TLS certificate is not trusted (unknown issuer)",
    CERT_HAS_EXPIRED: "the TLS certificate has expired",
};

/** Why a request failed, in words: time-outs and certificate problems named as such. */
function describeError(err: unknown, url: string, timeoutMs: number): string {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
    const code = e.cause?.code ?? "";
    const tls = TLS_CODES[code];
    if (tls) return `${tls} (${new URL(url).hostname}, ${code})`;
    return `error: ${e.cause?.message ?? e.message ?? String(err)}`;
}

/**
 * One probe: a 2xx answer is healthy; a redirect is followed only to the same host (a health check
 * that redirects elsewhere, e.g. to a login page, proves nothing about this service).
 */
async function probe(url: string, signal: AbortSignal): Promise<{ ok: boolean; detail: string }> {
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
        const res = await fetch(current, { redirect: "manual", signal });
        await res.body?.cancel();
        if (res.status >= 300 && res.status < 400) {
            const location = res.headers.get("location");
            if (!location) return { ok: false, detail: `HTTP ${res.status} without a Location` };
            const next = new URL(location, current);
            if (next.host !== new URL(url).host)
                return { ok: false, detail: `HTTP ${res.status} redirects to another host (${next.host})` };
            current = next.toString();
            continue;
        }
        const via = current === url ? "" : ` after a redirect to ${new URL(current).pathname}`;
        return { ok: res.status >= 200 && res.status < 300, detail: `HTTP ${res.status}${via}` };
    }
    return { ok: false, detail: `more than ${MAX_REDIRECTS} redirects` };
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
            const signal = AbortSignal.timeout(Math.max(1, Math.min(opts.requestTimeoutMs, remaining)));
            const answer = await probe(target.url, signal);
            detail = answer.detail;
            if (answer.ok) return { ...target, ok: true, attempts, detail };
        } catch (err) {
            detail = describeError(err, target.url, opts.requestTimeoutMs);
        }
        // Retry only while a whole attempt still fits before the deadline, so the last result is a real answer.
        if (Date.now() + opts.retryIntervalMs + opts.requestTimeoutMs > started + opts.deadlineMs)
            return { ...target, ok: false, attempts, detail };
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
    const lines = results.map(
        (r) =>
            `${r.ok ? "PASS" : "FAIL"}  ${r.service.padEnd(10)} ${r.url}  ${r.detail} after ${r.attempts} attempt${r.attempts === 1 ? "" : "s"}`,
    );
    const failed = results.filter((r) => !r.ok).length;
    lines.push(
        failed === 0
            ? `smoke: all ${results.length} services healthy`
            : `smoke: ${failed} of ${results.length} services failed`,
    );
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
            throw new UsageError(
                `SMOKE_DEADLINE_SECONDS="${deadline}" is not a positive whole number of seconds; e.g. make smoke STACK=${stack} SMOKE_DEADLINE_SECONDS=300`,
            );
        }
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        console.error(`error: ${err.message}`);
        return 2;
    }
    const root = join(__dirname, "..");
    const noCli = missingCli(env);
    if (noCli) {
        console.error(`error: ${noCli}`);
        return 1;
    }
    let pulumiEnv: NodeJS.ProcessEnv;
    try {
        pulumiEnv = openStack(root, env, stack).env;
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        console.error(`error: ${err.message}`);
        return 2;
    }
    const out = spawnSync("pulumi", ["stack", "output", "--json", "--stack", stack], {
        cwd: join(root, "stacks", "services"),
        env: pulumiEnv,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (out.error || out.status !== 0) {
        console.error(
            `error: could not read the outputs of the services stack "${stack}" (${out.error?.message ?? out.stderr.trim()}); deploy it first: make up-services STACK=${stack}`,
        );
        return 1;
    }
    const outputs = JSON.parse(out.stdout) as Partial<ServicesOutputs>;
    if (isBootstrap(outputs)) {
        console.log("smoke: skipped, the services stack is in bootstrap mode (no image deployed, no task runs)");
        return 0;
    }
    let targets: SmokeTarget[];
    try {
        targets = smokeTargets(outputs.serviceUrls ?? {});
    } catch (err) {
        console.error(`error: ${(err as Error).message}`);
        return 1;
    }
    const results = await smoke(targets, {
        requestTimeoutMs: 10_000,
        retryIntervalMs: 5_000,
        deadlineMs: deadlineSeconds * 1000,
    });
    console.log(formatSmoke(results));
    return results.every((r) => r.ok) ? 0 : 1;
}
