import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { LAYERS, PROJECT_NAMES } from "../../shared/layers";
import { UsageError } from "../runner/usage-error";
import { backupDir, writeBackup } from "./backup";
import { Interrupted, MigrationPulumi, PulumiFailure } from "./apply-engine";
import { movedUrn, orphanedMoves, planSteps, readMapping, rootStackUrn, sha256, type Step } from "./apply-plan";
import { describeChange, judgeChanges, previewChanges } from "./apply-preview";
import { isDone, markDone, newJournal, readJournal, writeJournal, type Journal } from "./journal";
import type { MigrationMapping } from "./mapping";

/**
 * `make migrate-apply STACK=<stack>`: carries out `migration/<stack>/mapping.json`.
 *
 * 1. Refuses, moving nothing, while the mapping has undecided resources (each question is printed),
 *    when a layer stack does not exist, or when the monolith's export no longer matches the mapping.
 * 2. Backs up every stack involved (`pulumi stack export`) before the first move.
 * 3. Per layer in dependency order: one `pulumi state move` of its top-most resources, then a
 *    `pulumi state rename` per resource whose name differs; then removes the providers left unused in
 *    the monolith, so only its root stack resource remains. Each step is journaled when done; a re-run
 *    resumes at the first unfinished one.
 * 4. Previews the four layers in order (publishing each clean layer's outputs for the next one's
 *    preview, apply-engine.ts) and succeeds only when no layer would create, delete or replace a
 *    stateful or networked resource (apply-preview.ts).
 *
 * Exit codes: 0 done, 1 refused or failed (reason and next command printed), 2 bad input, 130/143
 * interrupted (resumable).
 */

export interface ApplyContext {
    root: string;
    /** The layers' stack (STACK), validated. */
    stack: string;
    pulumi: MigrationPulumi;
    say: (line: string) => void;
}

/** A refusal: printed as `error: <message>` with the next command, exit 1. */
export class Refusal extends Error {}

interface ExportDoc {
    deployment?: { resources?: Array<{ urn: string; type: string; parent?: string; provider?: string }> };
}
const resourcesOf = (text: string) => (JSON.parse(text) as ExportDoc).deployment?.resources ?? [];

export async function applyMigration(ctx: ApplyContext): Promise<number> {
    const { root, stack, say } = ctx;
    const { mapping, sha256: mappingSha } = readMapping(root, stack);
    const resume = `make migrate-apply STACK=${stack}`;
    const rollback = `make migrate-rollback STACK=${stack}`;

    if (mapping.undecided.length > 0) {
        say(`error: the mapping has ${mapping.undecided.length} undecided resource(s); nothing was moved.`);
        for (const u of mapping.undecided) {
            say(`  - ${u.urn}\n    candidates: ${u.candidates.join(", ")}\n    ${u.question}`);
        }
        say(
            `Answer each question in migration/${stack}/mapping.json (or run make migrate-plan again), then: ${resume}`,
        );
        return 1;
    }
    let journal: Journal | undefined = readJournal(root, stack);
    try {
        if (journal && journal.mappingSha256 !== mappingSha) {
            throw new Refusal(
                `migration/${stack}/mapping.json changed since this migration started (the journal records another version); nothing more was moved. Restore the mapping the migration started with and run ${resume}, or undo the moves so far with ${rollback}`,
            );
        }
        for (const layer of LAYERS) {
            const dest = mapping.target.stacks[layer];
            if (!(await ctx.pulumi.exists(dest))) {
                throw new Refusal(
                    `the ${layer} stack ${dest} does not exist; nothing was moved. make migrate-plan creates the layer stacks with their translated config (or create it by hand: (cd stacks/${layer} && pulumi stack init ${dest}) and its config), then run ${resume}`,
                );
            }
        }
        const sourceText = await ctx.pulumi.exportText(mapping.source.stack);
        const started = journal !== undefined && isDone(journal, "backup");
        if (!started && sha256(sourceText) !== mapping.source.exportSha256) {
            throw new Refusal(
                `the state of ${mapping.source.stack} changed since the mapping was made (its export's sha256 is not source.exportSha256); nothing was moved. Make the mapping again: make migrate-plan SOURCE=${mapping.source.stack} STACK=${stack} SOURCE_DIR=<monolith folder>`,
            );
        }
        // Parent links come from the monolith as it was before the first move (its backup, once taken).
        const original = started && journal ? originalExport(root, journal, mapping) : sourceText;
        const parents = new Map(resourcesOf(original).map((r) => [r.urn, r.parent]));
        const orphans = orphanedMoves(mapping, (urn) => parents.get(urn));
        if (orphans.length > 0) {
            throw new UsageError(
                `migration/${stack}/mapping.json: ${orphans.length} move(s) would lose their parent, which pulumi state move cannot keep (docs/migration.md, "2. Apply"); nothing ${started ? "more " : ""}was moved:\n  - ${orphans.join("\n  - ")}`,
            );
        }
        journal ??= newJournal(stack, mappingSha);
        writeJournal(root, journal);
        const steps = planSteps(mapping, (urn) => parents.get(urn));
        const pending = steps.filter((s) => !isDone(journal as Journal, s.id));
        if (started && pending.length > 0)
            say(`resuming: ${steps.length - pending.length} of ${steps.length} steps done`);
        for (const step of pending) {
            await runStep(ctx, mapping, journal, step, sourceText);
            markDone(root, journal, step.id);
        }
        await verifyPreviews(ctx, mapping, journal);
        say(
            `migration of ${mapping.source.stack} complete: ${mapping.moves.length} resources in the four ${stack} stacks, ` +
                `backups in ${relative(root, backupDir(root, stack))}/. Next: make deploy-all STACK=${stack} (applies the in-place updates listed above); undo: ${rollback}`,
        );
        return 0;
    } catch (err) {
        if (err instanceof Interrupted) {
            say(
                `error: ${err.message}; the steps done so far are journaled. Resume: ${resume}  (or undo: ${rollback})`,
            );
            return err.signal === "SIGTERM" ? 143 : 130;
        }
        if (err instanceof PulumiFailure) {
            say(`error: ${err.message}`);
            say(`The steps done so far are journaled. Fix the cause and resume: ${resume}  (or undo: ${rollback})`);
            return 1;
        }
        if (err instanceof Refusal) {
            say(`error: ${err.message}`);
            return 1;
        }
        throw err;
    }
}

function originalExport(root: string, journal: Journal, mapping: MigrationMapping): string {
    const backup = journal.backups.find((b) => b.stack === mapping.source.stack);
    if (!backup)
        throw new Refusal(`the journal records no backup of ${mapping.source.stack}; roll back and start again`);
    return readFileSync(`${root}/${backup.file}`, "utf8");
}

async function runStep(
    ctx: ApplyContext,
    mapping: MigrationMapping,
    journal: Journal,
    step: Step,
    sourceText: string,
): Promise<void> {
    const { pulumi, say, root } = ctx;
    const source = mapping.source.stack;
    switch (step.kind) {
        case "backup": {
            const dir = backupDir(root, ctx.stack);
            for (const s of [source, ...LAYERS.map((l) => mapping.target.stacks[l])]) {
                const text = s === source ? sourceText : await pulumi.exportText(s);
                const file = relative(root, writeBackup(dir, s, text));
                journal.backups.push({ stack: s, file });
                say(`backup: ${s} → ${file}`);
            }
            writeJournal(root, journal);
            return;
        }
        case "move": {
            const inSource = new Set(resourcesOf(await pulumi.exportText(source)).map((r) => r.urn));
            const remaining = step.all.filter((u) => inSource.has(u));
            if (remaining.length < step.all.length && remaining.length > 0) {
                // An earlier run was stopped inside this move: what is left still moves, as one command.
                say(
                    `move ${step.layer}: ${step.all.length - remaining.length} already moved, ${remaining.length} left`,
                );
            }
            const urns = step.urns.filter((u) => inSource.has(u));
            const stragglers = remaining.filter((u) => !urns.includes(u) && !descendsFrom(u, urns, sourceText));
            if (urns.length + stragglers.length > 0) await pulumi.move(source, step.dest, [...urns, ...stragglers]);
            await verifyArrived(ctx, mapping, step);
            return;
        }
        case "rename": {
            const present = new Set(resourcesOf(await pulumi.exportText(step.dest)).map((r) => r.urn));
            if (present.has(step.to)) return;
            if (!present.has(step.from)) {
                throw new PulumiFailure(
                    `neither ${step.from} nor ${step.to} is in ${step.dest}: the move did not bring it`,
                );
            }
            await pulumi.rename(step.dest, step.from, step.name);
            return;
        }
        case "cleanup":
            await cleanupSource(ctx, mapping);
            return;
    }
}

/** True when `urn`'s parent chain (in the current monolith export) reaches one of `tops`. */
function descendsFrom(urn: string, tops: readonly string[], exportText: string): boolean {
    const parents = new Map(resourcesOf(exportText).map((r) => [r.urn, r.parent]));
    for (let p = parents.get(urn); p !== undefined; p = parents.get(p)) if (tops.includes(p)) return true;
    return false;
}

async function verifyArrived(ctx: ApplyContext, mapping: MigrationMapping, step: Extract<Step, { kind: "move" }>) {
    const present = new Set(resourcesOf(await ctx.pulumi.exportText(step.dest)).map((r) => r.urn));
    const missing = mapping.moves
        .filter((m) => m.layer === step.layer)
        .filter((m) => !present.has(m.targetUrn) && !present.has(movedUrn(m.urn, mapping.target.stack, m.layer)));
    if (missing.length > 0) {
        throw new PulumiFailure(
            `after the move to ${step.dest}, ${missing.length} resource(s) of the mapping are not there, e.g. ${missing[0]?.urn}`,
        );
    }
}

/** Deletes the monolith's providers nothing uses any more; refuses if an unmapped resource is left. */
async function cleanupSource(ctx: ApplyContext, mapping: MigrationMapping): Promise<void> {
    const source = mapping.source.stack;
    const left = resourcesOf(await ctx.pulumi.exportText(source));
    const stays = new Set(mapping.stays.map((s) => s.urn));
    const isProvider = (t: string) => t.startsWith("pulumi:providers:");
    const stray = left.filter((r) => r.type !== "pulumi:pulumi:Stack" && !isProvider(r.type) && !stays.has(r.urn));
    if (stray.length > 0) {
        throw new Refusal(
            `${stray.length} resource(s) are still in ${source} and in no part of the mapping, e.g. ${stray[0]?.urn}: add them to moves or stays in migration/${ctx.stack}/mapping.json, then run make migrate-apply STACK=${ctx.stack}`,
        );
    }
    for (const p of left.filter((r) => isProvider(r.type))) {
        const used = left.some((r) => r.provider?.startsWith(`${p.urn}::`));
        if (!used) await ctx.pulumi.deleteResource(source, p.urn);
    }
}

async function verifyPreviews(ctx: ApplyContext, mapping: MigrationMapping, journal: Journal): Promise<void> {
    const { say, pulumi, stack } = ctx;
    for (const [i, layer] of LAYERS.entries()) {
        const dest = mapping.target.stacks[layer];
        const { refused, listed } = judgeChanges(previewChanges(await pulumi.preview(layer, dest)));
        say(`preview ${layer}: ${listed.length} change(s) listed, ${refused.length} refused`);
        for (const c of listed) say(`    ${describeChange(c)}`);
        if (refused.length > 0) {
            for (const c of refused) say(`  ! ${describeChange(c)}`);
            throw new Refusal(
                `the ${layer} layer's preview would create, delete or replace ${refused.length} stateful or networked resource(s) (marked !): the migration is not finished. Fix the mapping or the layer config so the names and inputs match the monolith, then: make migrate-rollback STACK=${stack} and make migrate-apply STACK=${stack}`,
            );
        }
        if (i < LAYERS.length - 1) await pulumi.publishOutputs(layer, dest, rootStackUrn(PROJECT_NAMES[layer], dest));
    }
    journal.verifiedAt = new Date().toISOString();
    writeJournal(ctx.root, journal);
}
