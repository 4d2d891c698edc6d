/**
 * The plan of a stack without the cloud: runs the four layer programs in-process under mocks from
 * the stack files (or the checked-in examples), and shows each layer's resources, outputs (secrets
 * redacted), policy results, a list-price cost estimate and the modelled services rollout time;
 * with a BASE commit, what changes against it and whether an output a downstream layer reads breaks.
 * Needs no Pulumi CLI, credentials or network. See docs/plan.md.
 *
 *   make plan STACK=dev [FORMAT=text|json|markdown|html] [OUT=<file>] [BASE=<git-ref>]
 *   node scripts/cli.cjs plan --stack dev [--format json|markdown|html | --json] [--out <file>] [--base <git-ref>]
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { planAtCommit, resolveCommit } from "./plan/base";
import { diffPlans } from "./plan/diff";
import { renderHtml } from "./plan/html";
import { renderMarkdown } from "./plan/markdown";
import type { PlanDocument } from "./plan/document";
import { readReplaceTable } from "./plan/document-parts";
import { scrub } from "./plan/render";
import { planWithSecrets } from "./plan/report";
import { renderText } from "./plan/text";
import { REQUEST_ENV, stackFileName, UsageError, validateStackName } from "./runner/request";
import { repositoryRoot } from "./runner/root";

/** The report formats, each a function of the (redacted) document. */
const FORMATS: Record<string, (doc: PlanDocument) => string> = {
    text: renderText,
    json: (doc) => `${JSON.stringify(doc, null, 2)}\n`,
    markdown: renderMarkdown,
    html: renderHtml,
};

/** Environment variables make passes (unexpanded) for FORMAT, OUT and BASE. */
export const PLAN_ENV = {
    format: "PROLIFERATE_PLAN_FORMAT",
    out: "PROLIFERATE_PLAN_OUT",
    base: "PROLIFERATE_PLAN_BASE",
};

interface PlanRequest {
    stack: string;
    format: string;
    out?: string;
    base?: string;
}

/** Reads the request from the arguments, then from make's variables; a UsageError for anything wrong. */
function request(args: readonly string[], env: NodeJS.ProcessEnv): PlanRequest {
    const flag = (name: string): string | undefined => {
        const i = args.indexOf(name);
        if (i < 0) return undefined;
        const value = args[i + 1];
        if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`);
        return value;
    };
    const withValue = ["--stack", "--format", "--out", "--base"];
    for (let i = 0; i < args.length; i++) {
        if (withValue.includes(args[i] ?? "")) i++;
        else if (args[i] !== "--json")
            throw new UsageError(
                `make plan does not take ${JSON.stringify(args[i])}; it takes --stack, --format (${Object.keys(FORMATS).join("|")}), --json, --out and --base`,
            );
    }
    const given = flag("--stack") ?? env[REQUEST_ENV.stack];
    if (!given)
        throw new UsageError("usage: make plan STACK=<stack>   (or: node scripts/cli.cjs plan --stack <stack>)");
    const format = args.includes("--json") ? "json" : (flag("--format") ?? (env[PLAN_ENV.format] || "text"));
    if (!(format in FORMATS))
        throw new UsageError(
            `FORMAT=${format} is not a plan format; use one of: ${Object.keys(FORMATS)
                .map((f) => `FORMAT=${f}`)
                .join(", ")}`,
        );
    const out = flag("--out") ?? (env[PLAN_ENV.out] || undefined);
    if (out !== undefined && (/[\0\n]/.test(out) || out.startsWith("-")))
        throw new UsageError(`OUT=${JSON.stringify(out)} is not a file name; give a path such as OUT=plan.json`);
    const base = flag("--base") ?? (env[PLAN_ENV.base] || undefined);
    return {
        stack: stackFileName(validateStackName(given)),
        format,
        ...(out ? { out } : {}),
        ...(base ? { base } : {}),
    };
}

/** `make plan`: prints (or writes) the plan; returns 0, 1 (config problems, a mandatory violation or a contract error) or 2 (usage). */
export async function main(
    args: readonly string[] = [],
    env: NodeJS.ProcessEnv = process.env,
    root: string = repositoryRoot(),
): Promise<number> {
    try {
        const req = request(args, env);
        // BASE is resolved and planned first: a wrong ref fails fast, before this commit is planned.
        const commit = req.base ? resolveCommit(root, req.base) : undefined;
        const baseDoc = req.base && commit ? planAtCommit(root, req.base, commit, req.stack) : undefined;
        const { doc, secrets } = await planWithSecrets(root, req.stack);
        if (req.base && commit && baseDoc && doc.problems === undefined) {
            if (baseDoc.problems !== undefined) {
                doc.problems = `BASE=${req.base} (${commit.slice(0, 12)}) has no plan for stack "${req.stack}", so nothing can be compared:\n${baseDoc.problems}`;
                doc.code = 1;
            } else {
                doc.diff = diffPlans(baseDoc, doc, req.base, commit, readReplaceTable(root));
                if (doc.diff.errors > 0) doc.code = 1;
            }
        }
        const rendered = scrub(FORMATS[req.format]!(doc), secrets);
        if (req.out) {
            const path = resolve(process.cwd(), req.out);
            writeFileSync(path, rendered.endsWith("\n") ? rendered : `${rendered}\n`);
            console.error(`plan: wrote the ${req.format} plan of stack "${req.stack}" to ${path} (exit ${doc.code})`);
        } else {
            (doc.code === 0 || req.format !== "text" ? console.log : console.error)(rendered.replace(/\n$/, ""));
        }
        return doc.code;
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        console.error(err.message);
        return 2;
    }
}
