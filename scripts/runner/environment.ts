/** The environment pulumi runs with, and the one-line checks of what a real run needs. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

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
        problems.push(
            "the pulumi CLI was not found on PATH: install it (https://www.pulumi.com/docs/install/, e.g. `curl -fsSL https://get.pulumi.com | sh`) and open a new shell",
        );
    }
    const backend = env["PULUMI_BACKEND_URL"] ?? "";
    const diy = !backend.startsWith("https://");
    if (diy && !env["SECRETS_PROVIDER"] && env["PULUMI_CONFIG_PASSPHRASE"] === undefined && !env["PULUMI_CONFIG_PASSPHRASE_FILE"]) {
        problems.push(
            "no secrets passphrase: export PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider, or set SECRETS_PROVIDER=awskms://alias/proliferate-pulumi (see make bootstrap-backend)",
        );
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
