/**
 * Where state goes, and the one-line checks of what a real run needs. The backend is never guessed:
 * an explicit BACKEND / PULUMI_BACKEND_URL wins, then the backend `pulumi login` chose, and only a
 * development-class stack outside CI may fall back to the project-local file backend (announced).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { isProductionLike } from "../../shared/environment";
import { preflight, type PreflightResult } from "../preflight";
import { stackFileName } from "./request";
import { UsageError } from "./usage-error";

/** The state backend a run uses, and why. */
export interface BackendChoice {
    url: string;
    /** Where the URL came from, as printed. */
    source: "BACKEND" | "PULUMI_BACKEND_URL" | "pulumi login" | "project-local fallback (development stack outside CI)";
}

/** What backend resolution needs to know about the run. */
export interface BackendContext {
    /** True for production-like stacks, undefined when the class is unknown (treated as production). */
    productionLike: boolean | undefined;
    stack: string;
    /** The URL `pulumi whoami` reports, or undefined when not logged in. */
    loggedIn: () => string | undefined;
}

const isCi = (env: NodeJS.ProcessEnv) => ["true", "1"].includes((env["CI"] ?? "").toLowerCase());

/** Chooses the state backend; throws a UsageError naming the variable to set when there is none. */
export function resolveBackend(root: string, env: NodeJS.ProcessEnv, ctx: BackendContext): BackendChoice {
    if (env["BACKEND"]) return { url: env["BACKEND"], source: "BACKEND" };
    if (env["PULUMI_BACKEND_URL"]) return { url: env["PULUMI_BACKEND_URL"], source: "PULUMI_BACKEND_URL" };
    const current = ctx.loggedIn();
    if (current) return { url: current, source: "pulumi login" };
    if (ctx.productionLike === false && !isCi(env)) {
        return {
            url: `file://${join(root, ".pulumi-state")}`,
            source: "project-local fallback (development stack outside CI)",
        };
    }
    const why = isCi(env)
        ? "in CI (CI=true)"
        : ctx.productionLike
          ? "for a production-like stack"
          : "for a stack whose class is unknown";
    throw new UsageError(
        `no state backend is set ${why}, and a throw-away local one is never used there: set BACKEND (e.g. export BACKEND='s3://acme-pulumi-state?region=us-east-1', see make bootstrap-backend), or run pulumi login, then run the command again`,
    );
}

/** The URL as printed: no credentials, and only query parameters that locate the backend. */
export function displayBackend(url: string): string {
    const m = /^([a-z0-9+.-]+:\/\/)(?:[^@/]*@)?([^?]*)(\?.*)?$/i.exec(url);
    if (!m) return url;
    const [, scheme = "", rest = "", query] = m;
    const safe = new Set([
        "region",
        "endpoint",
        "s3ForcePathStyle",
        "use_path_style",
        "awssdk",
        "disableSSL",
        "profile",
    ]);
    const kept = [...new URLSearchParams(query?.slice(1) ?? "").entries()]
        .filter(([k]) => safe.has(k))
        .map(([k, v]) => `${k}=${v}`);
    return `${scheme}${rest}${kept.length > 0 ? `?${kept.join("&")}` : ""}`;
}

/** The environment pulumi runs with: the chosen backend and nothing else changed. */
export function pulumiEnv(env: NodeJS.ProcessEnv, backend: BackendChoice): NodeJS.ProcessEnv {
    if (backend.url.startsWith("file://")) mkdirSync(backend.url.slice("file://".length), { recursive: true });
    return { ...env, PULUMI_BACKEND_URL: backend.url };
}

/** A stack's pre-flight, whether it is production-like (unknown: undefined), and the env pulumi runs with. */
export interface OpenedStack {
    checked: PreflightResult;
    productionLike: boolean | undefined;
    env: NodeJS.ProcessEnv;
}

/**
 * Reads the stack's config (its class decides which backends are allowed) and resolves the backend:
 * what every command that runs pulumi on a stack does first. Throws a UsageError when no backend may
 * be used.
 */
export function openStack(root: string, env: NodeJS.ProcessEnv, stack: string): OpenedStack {
    const checked = preflight(root, stackFileName(stack));
    const environment = checked.environment;
    const productionLike = environment ? isProductionLike(environment.class) : undefined;
    return { checked, productionLike, env: openBackend(root, env, stack, productionLike) };
}

/** The backend `pulumi whoami` reports for the current login, if any. */
export function loggedInBackend(env: NodeJS.ProcessEnv): string | undefined {
    const r = spawnSync("pulumi", ["whoami", "--json"], { env: { ...env, PULUMI_BACKEND_URL: "" }, encoding: "utf8" });
    if (r.error || r.status !== 0) return undefined;
    try {
        const url = (JSON.parse(r.stdout) as { url?: unknown }).url;
        return typeof url === "string" && url !== "" ? url : undefined;
    } catch {
        return undefined;
    }
}

/** The fix when pulumi is not on PATH, or undefined when it is. */
export function missingCli(env: NodeJS.ProcessEnv): string | undefined {
    const version = spawnSync("pulumi", ["version"], { env, encoding: "utf8" });
    if (!version.error && version.status === 0) return undefined;
    return "the pulumi CLI was not found on PATH: install it (https://www.pulumi.com/docs/install/, e.g. `curl -fsSL https://get.pulumi.com | sh`) and open a new shell";
}

/** One-line problems with the secrets provider and AWS credentials; each carries its fix. */
export function checkPrerequisites(
    env: NodeJS.ProcessEnv,
    backendUrl: string,
    needsAws: boolean,
    home = homedir(),
): string[] {
    const problems: string[] = [];
    const provider = env["SECRETS_PROVIDER"] ?? "";
    const usesPassphrase = !backendUrl.startsWith("https://") && (provider === "" || provider === "passphrase");
    if (usesPassphrase && !env["PULUMI_CONFIG_PASSPHRASE_FILE"]) {
        const passphrase = env["PULUMI_CONFIG_PASSPHRASE"];
        if (passphrase === undefined) {
            problems.push(
                "no secrets passphrase: export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider, or set SECRETS_PROVIDER=awskms://alias/proliferate-pulumi (see make bootstrap-backend)",
            );
        } else if (passphrase === "") {
            problems.push(
                "PULUMI_CONFIG_PASSPHRASE is set but empty, which would encrypt this stack's secrets with an empty key: export a real passphrase (e.g. from your password manager), or set SECRETS_PROVIDER=awskms://alias/proliferate-pulumi",
            );
        }
    }
    if (needsAws && env["SKIP_AWS_CHECK"] !== "1") {
        const credentialVariables = [
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ];
        const hasCreds =
            credentialVariables.some((v) => Boolean(env[v])) ||
            existsSync(join(home, ".aws", "credentials")) ||
            existsSync(join(home, ".aws", "config"));
        if (!hasCreds) {
            problems.push(
                "no AWS credentials found: run `aws configure`, or `aws sso login --profile my-profile` and `export AWS_PROFILE=my-profile` (or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
            );
        }
    }
    return problems;
}

/**
 * Resolves the backend for a run, prints it (never credentials) on stderr, and returns the
 * environment pulumi runs with. Throws a UsageError when no backend may be used.
 */
export function openBackend(
    root: string,
    env: NodeJS.ProcessEnv,
    stack: string,
    productionLike: boolean | undefined,
): NodeJS.ProcessEnv {
    const backend = resolveBackend(root, env, { productionLike, stack, loggedIn: () => loggedInBackend(env) });
    console.error(`state backend: ${displayBackend(backend.url)} (from ${backend.source})`);
    return pulumiEnv(env, backend);
}

/** Who deploys, as the services program records it with a new image tag (never a secret). */
export const DEPLOYED_BY_ENV = "PROLIFERATE_DEPLOYED_BY";

/** The deployer's name: the GitHub actor in Actions, else git's user.email, else the login name. */
export function deployer(env: NodeJS.ProcessEnv): string {
    if (env["GITHUB_ACTOR"]) return `${env["GITHUB_ACTOR"]} (GitHub Actions)`;
    const git = spawnSync("git", ["config", "user.email"], { env, encoding: "utf8" });
    const email = git.status === 0 ? git.stdout.trim() : "";
    return email || env["USER"] || env["LOGNAME"] || "unknown";
}

/**
 * `--policy-pack <dir>` for POLICY_PACK (a folder relative to the root; empty: no pack), or the error
 * to print when the folder holds no pack.
 */
export function policyPackArgs(root: string, setting: string | undefined): { args: string[] } | { error: string } {
    if (!setting) return { args: [] };
    const pack = resolve(root, setting);
    if (!existsSync(join(pack, "PulumiPolicy.yaml")))
        return {
            error: `POLICY_PACK=${setting}: ${pack} has no PulumiPolicy.yaml; use POLICY_PACK=policy (the default), or POLICY_PACK= to run without a pack`,
        };
    return { args: ["--policy-pack", pack] };
}
