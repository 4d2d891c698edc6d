import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LAYERS } from "../../shared/layers";
import { UsageError } from "../runner/request";
import { PLAN_SCHEMA, PLAN_SCHEMA_VERSION, type PlanDocument } from "./document";

/**
 * The plan of another commit, for `make plan BASE=<ref>`: that commit's files (git archive, so the
 * checkout and its index are never touched) in a temporary folder, with this checkout's
 * node_modules and this stack's own stack files, planned by that commit's own code in a child
 * process as JSON. Both plans thus use the same config: the diff shows what the code change does.
 */

/** The commit `ref` names in the repository at `root`; a UsageError saying how to get it otherwise. */
export function resolveCommit(root: string, ref: string): string {
    if (ref.startsWith("-") || /[\s\0]/.test(ref))
        throw new UsageError(
            `BASE ${JSON.stringify(ref)} is not a git ref; give a branch, tag or commit, e.g. BASE=origin/main`,
        );
    const git = spawnSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
        cwd: root,
        encoding: "utf8",
    });
    if (git.error || (git.status !== 0 && !existsSync(join(root, ".git"))))
        throw new UsageError(
            `BASE=${ref} needs a git checkout, and ${root} is not one; clone the repository to compare commits`,
        );
    if (git.status !== 0)
        throw new UsageError(
            `BASE=${ref} is not a commit in this repository; fetch it first, e.g.: git fetch origin main && make plan STACK=<stack> BASE=origin/main`,
        );
    return git.stdout.trim();
}

/** Plans `stack` at `commit` (already resolved) and returns its document. */
export function planAtCommit(root: string, ref: string, commit: string, stack: string): PlanDocument {
    const dir = mkdtempSync(join(tmpdir(), "plan-base-"));
    try {
        const archive = spawnSync("git", ["archive", "--format=tar", commit], { cwd: root, maxBuffer: 1 << 30 });
        if (archive.status !== 0) throw new Error(`git archive ${commit} failed: ${String(archive.stderr)}`);
        const untar = spawnSync("tar", ["-x", "-C", dir], { input: archive.stdout });
        if (untar.status !== 0) throw new Error(`unpacking ${commit} failed: ${String(untar.stderr)}`);
        // This checkout's dependencies (a commit that tracks a node_modules link gets ours instead).
        rmSync(join(dir, "node_modules"), { recursive: true, force: true });
        symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
        for (const layer of LAYERS) {
            const file = join("stacks", layer, `Pulumi.${stack}.yaml`);
            if (existsSync(join(root, file))) copyFileSync(join(root, file), join(dir, file));
        }
        const run = spawnSync(process.execPath, ["scripts/cli.cjs", "plan", "--stack", stack, "--format", "json"], {
            cwd: dir,
            encoding: "utf8",
            maxBuffer: 1 << 28,
            env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? tmpdir() },
        });
        let doc: Partial<PlanDocument> | undefined;
        try {
            doc = JSON.parse(run.stdout) as Partial<PlanDocument>;
        } catch {
            doc = undefined;
        }
        if (doc?.schema !== PLAN_SCHEMA)
            throw new UsageError(
                `BASE=${ref} (${commit.slice(0, 12)}) could not be planned as JSON: it predates \`make plan FORMAT=json\` or its plan failed (exit ${run.status}): ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" | ")}. Compare with a later BASE.`,
            );
        if (doc.version !== PLAN_SCHEMA_VERSION)
            throw new UsageError(
                `BASE=${ref} writes plan schema version ${doc.version}, this commit reads version ${PLAN_SCHEMA_VERSION}; compare commits of the same schema version`,
            );
        return doc as PlanDocument;
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}
