import { checkPrerequisites, missingCli, openStack, policyPackArgs } from "../runner/environment";
import { PulumiProcesses } from "../runner/pulumi-process";
import { REQUEST_ENV, validateStackName } from "../runner/request";
import { UsageError } from "../runner/usage-error";
import { MigrationPulumi } from "./apply-engine";
import { Refusal } from "./apply";

/**
 * What migrate-apply and migrate-rollback share before they start: STACK validated (exit 2), pulumi on
 * PATH, the backend resolved from the layers' config like every runner command (openStack), the secrets
 * provider checked, one PulumiProcesses for signal handling.
 */
export async function runMigrationCommand(
    root: string,
    env: NodeJS.ProcessEnv,
    command: (ctx: {
        root: string;
        stack: string;
        pulumi: MigrationPulumi;
        say: (l: string) => void;
    }) => Promise<number>,
): Promise<number> {
    const say = (line: string) => console.error(line);
    let procs: PulumiProcesses | undefined;
    try {
        const stack = validateStackName(env[REQUEST_ENV.stack] ?? "");
        const noCli = missingCli(env);
        if (noCli) {
            say(`error: ${noCli}`);
            return 1;
        }
        const opened = openStack(root, env, stack);
        const pulumiEnv: NodeJS.ProcessEnv = { ...opened.env };
        // make exports every variable, empty when unset; an empty image tag is no tag.
        for (const [k, v] of Object.entries(pulumiEnv))
            if (k.startsWith("PROLIFERATE_") && v === "") delete pulumiEnv[k];
        const problems = checkPrerequisites(pulumiEnv, pulumiEnv["PULUMI_BACKEND_URL"] ?? "", false);
        if (problems.length > 0) {
            for (const p of problems) say(`error: ${p}`);
            return 1;
        }
        // The previews after the moves run with the policy pack, as make preview-all does (POLICY_PACK).
        const pack = policyPackArgs(root, env[REQUEST_ENV.policyPack]);
        if ("error" in pack) {
            say(`error: ${pack.error}`);
            return 1;
        }
        procs = new PulumiProcesses();
        const pulumi = new MigrationPulumi(procs, pulumiEnv, root, say, pack.args);
        return await command({ root, stack, pulumi, say });
    } catch (err) {
        if (err instanceof UsageError) {
            say(`error: ${err.message}`);
            return 2;
        }
        if (err instanceof Refusal) {
            say(`error: ${err.message}`);
            return 1;
        }
        throw err;
    } finally {
        procs?.dispose();
    }
}
