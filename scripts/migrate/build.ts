import { existsSync, readFileSync } from "node:fs";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import type { LayerRun } from "../plan/mock-engine";
import { classify } from "./classify";
import type { MappedConfig, MigrationMapping } from "./mapping";
import { MAPPING_FORMAT, MAPPING_VERSION } from "./mapping";
import { match, type Answer } from "./match";
import { loadReplaceTable } from "./replacements";
import { loadRules } from "./rules";
import type { StateExport } from "./state-export";
import { madeUpValues, targetsOf } from "./targets";
import { UsageError } from "../runner/usage-error";

/**
 * Puts the plan together from what was read (state export, translated config, the layer programs'
 * offline runs, earlier answers) into the mapping file's document. No pulumi, no values: testable
 * from fixtures alone.
 */

export interface BuildInput {
    root: string;
    /** `org/proliferate-infra/stack`. */
    source: string;
    /** The layers' stack as given (`dev` or `org/dev`). */
    stack: string;
    exported: StateExport;
    config: MappedConfig[];
    runs: Record<Layer, Pick<LayerRun, "resources">>;
    answers: ReadonlyMap<string, Answer>;
    /** The mapping file as shown to people, e.g. migration/dev/mapping.json. */
    file: string;
}

/** Each layer's fully qualified stack: the STACK's organisation if it names one, else the source's. */
export function targetStacks(source: string, stack: string): Record<Layer, string> {
    const parts = stack.split("/");
    const name = parts.pop() as string;
    const org = parts[0] ?? source.split("/")[0];
    return Object.fromEntries(LAYERS.map((l) => [l, `${org}/${PROJECT_NAMES[l]}/${name}`])) as Record<Layer, string>;
}

export function buildMapping(input: BuildInput): MigrationMapping {
    const stackName = input.stack.split("/").pop() as string;
    const rules = loadRules(input.root);
    const targets = LAYERS.flatMap((l) => targetsOf(l, stackName, input.runs[l]));
    const matched = match({
        resources: input.exported.resources,
        placements: classify(input.exported.resources, rules),
        targets,
        rules,
        replace: loadReplaceTable(input.root).types,
        madeUp: madeUpValues(input.runs),
        answers: input.answers,
        file: input.file,
    });
    return {
        format: MAPPING_FORMAT,
        version: MAPPING_VERSION,
        source: {
            stack: input.source,
            exportSha256: input.exported.sha256,
            resources: input.exported.resources.length,
        },
        target: { stack: input.stack, stacks: targetStacks(input.source, input.stack) },
        ...matched,
        config: input.config,
    };
}

/** The answers people wrote into an earlier mapping file (undecided entries with `layer` set). */
export function readAnswers(path: string): Map<string, Answer> {
    const answers = new Map<string, Answer>();
    if (!existsSync(path)) return answers;
    let doc: Partial<MigrationMapping>;
    try {
        doc = JSON.parse(readFileSync(path, "utf8")) as Partial<MigrationMapping>;
    } catch (err) {
        throw new UsageError(
            `${path} is not JSON (${(err as Error).message}): fix the answer you wrote, or delete the file to plan from scratch`,
        );
    }
    for (const u of doc.undecided ?? []) {
        if (u.layer === undefined) continue;
        if (u.layer !== "stays" && !(LAYERS as readonly string[]).includes(u.layer)) {
            throw new UsageError(
                `${path}: "layer" of ${u.urn} is "${String(u.layer)}"; use one of ${LAYERS.join(", ")} or "stays"`,
            );
        }
        answers.set(u.urn, { layer: u.layer, ...(u.targetUrn ? { targetUrn: u.targetUrn } : {}) });
    }
    return answers;
}
