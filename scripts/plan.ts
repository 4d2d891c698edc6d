/**
 * The plan of a stack without the cloud: runs the four layer programs in-process under mocks from
 * the stack files (or the dev examples), and prints each layer's resources, outputs (secrets
 * redacted), policy results, a list-price cost estimate and the modelled services rollout time.
 * Needs no Pulumi CLI, credentials or network. See docs/plan.md.
 *
 *   make plan STACK=dev        (node scripts/cli.cjs plan [--stack dev])
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildPlan } from "./plan/report";
import { REQUEST_ENV, stackFileName, UsageError, validateStackName } from "./runner/request";

/** The repository root: the nearest folder above `from` with a package.json (from scripts/ or dist/scripts/). */
function repositoryRoot(from: string = __dirname): string {
    let dir = from;
    while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
    return dir;
}

/** `make plan`: prints the plan; returns 0, 1 (config problems or a mandatory violation) or 2 (usage). */
export async function main(
    args: readonly string[] = [],
    env: NodeJS.ProcessEnv = process.env,
    root: string = repositoryRoot(),
): Promise<number> {
    const i = args.indexOf("--stack");
    const given = i >= 0 ? args[i + 1] : env[REQUEST_ENV.stack];
    let stack: string;
    try {
        if (!given)
            throw new UsageError("usage: make plan STACK=<stack>   (or: node scripts/cli.cjs plan --stack <stack>)");
        stack = stackFileName(validateStackName(given));
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        console.error(err.message);
        return 2;
    }
    const plan = await buildPlan(root, stack);
    (plan.code === 0 ? console.log : console.error)(plan.text);
    return plan.code;
}
