import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import { UsageError } from "../runner/usage-error";
import { MAPPING_FORMAT, MAPPING_VERSION, mappingPath, type MappedMove, type MigrationMapping } from "./mapping";

/**
 * What `make migrate-apply` does with a mapping file, as a list of steps computed from it alone, so
 * that a re-run after an interruption computes the same list and the journal (journal.ts) can say
 * which of them are done. Pure: no pulumi here.
 *
 * Found on the engine (Pulumi CLI v3.260.0, file backend, the monolith fixture), which shapes the steps:
 * - `pulumi state move` moves the given URNs *and all their descendants* (the awsx Vpc's subnets,
 *   route tables, NAT gateway, EIP and IGW came along with the `Network` component), keeps the parent
 *   chain of what moves together, rewrites project and stack in every URN, and copies the provider
 *   each moved resource uses to the destination (the monolith keeps its copy while others use it).
 *   Dependencies on resources that stay behind are dropped, with a warning per dependency.
 *   So each layer is one `state move` of its top-most resources.
 * - `pulumi state rename` changes the last URN segment only and rewrites every reference (parent,
 *   dependencies) to it; a type-chain (parent type) change cannot be made with move or rename. The
 *   fixture keeps the layers' component types, so no such change is needed; a mapping that asks for
 *   one is refused (exit 2) rather than half-done: an export→rewrite→import step would be the only way,
 *   and it was not needed on the engine.
 */

/** A resource URN's parts: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export interface UrnParts {
    stack: string;
    project: string;
    qualifiedType: string;
    name: string;
}

export function parseUrn(urn: string): UrnParts | undefined {
    const m = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.+)$/s.exec(urn);
    if (!m) return undefined;
    return { stack: m[1] ?? "", project: m[2] ?? "", qualifiedType: m[3] ?? "", name: m[4] ?? "" };
}

/** The URN a monolith resource has in `layer`'s stack right after `pulumi state move`, before any rename. */
export function movedUrn(urn: string, targetStack: string, layer: Layer): string {
    const p = parseUrn(urn);
    if (!p) throw new UsageError(`"${urn}" is not a Pulumi URN`);
    return `urn:pulumi:${targetStack}::${PROJECT_NAMES[layer]}::${p.qualifiedType}::${p.name}`;
}

/** The stack name in a fully qualified `<org>/<project>/<stack>` (or plain) stack. */
export const stackNameOf = (stack: string): string => stack.split("/").pop() ?? stack;

/** The URN of a stack's root `pulumi:pulumi:Stack` resource. */
export function rootStackUrn(project: string, stack: string): string {
    const name = stackNameOf(stack);
    return `urn:pulumi:${name}::${project}::pulumi:pulumi:Stack::${project}-${name}`;
}

export type Step =
    | { kind: "backup"; id: "backup" }
    | { kind: "move"; id: string; layer: Layer; dest: string; urns: string[]; all: string[] }
    | { kind: "rename"; id: string; layer: Layer; dest: string; from: string; to: string; name: string }
    | { kind: "cleanup"; id: "cleanup-source" };

/**
 * The steps of a migration, in order: backup, then per layer its move and renames, then cleanup.
 * `parentOf` answers a monolith resource's parent URN (from its state export): a child whose parent
 * moves to the same layer is not named in the move (it comes along; naming it too would be a second
 * move of the same resource).
 */
export function planSteps(mapping: MigrationMapping, parentOf: (urn: string) => string | undefined): Step[] {
    const steps: Step[] = [{ kind: "backup", id: "backup" }];
    const target = mapping.target.stack;
    for (const layer of LAYERS) {
        const moves = mapping.moves.filter((m) => m.layer === layer);
        if (moves.length === 0) continue;
        const dest = mapping.target.stacks[layer];
        const all = new Set(moves.map((m) => m.urn));
        const top = moves.filter((m) => !hasAncestorIn(m.urn, all, parentOf)).map((m) => m.urn);
        steps.push({ kind: "move", id: `move:${layer}`, layer, dest, urns: top, all: [...all] });
        for (const m of moves) {
            const from = movedUrn(m.urn, target, layer);
            if (from === m.targetUrn) continue;
            const name = parseUrn(m.targetUrn)?.name ?? "";
            steps.push({ kind: "rename", id: `rename:${m.targetUrn}`, layer, dest, from, to: m.targetUrn, name });
        }
    }
    steps.push({ kind: "cleanup", id: "cleanup-source" });
    return steps;
}

function hasAncestorIn(urn: string, set: Set<string>, parentOf: (urn: string) => string | undefined): boolean {
    for (let p = parentOf(urn), hops = 0; p !== undefined && hops < 1000; p = parentOf(p), hops++) {
        if (set.has(p)) return true;
    }
    return false;
}

/**
 * Moves whose parent stays behind or goes to another layer: `pulumi state move` would re-parent them to
 * the destination's root stack, which changes their URN's type chain (and so every layer program
 * would create a second one). Returns one problem per such move, naming the parent; empty when none.
 */
export function orphanedMoves(mapping: MigrationMapping, parentOf: (urn: string) => string | undefined): string[] {
    const layerOf = new Map(mapping.moves.map((m) => [m.urn, m.layer]));
    const problems: string[] = [];
    for (const m of mapping.moves) {
        const parent = parentOf(m.urn);
        if (parent === undefined || parseUrn(parent)?.qualifiedType === "pulumi:pulumi:Stack") continue;
        const where = layerOf.get(parent);
        if (where === m.layer) continue;
        problems.push(
            `${m.urn} moves to ${m.layer}, but its parent ${parent} ${where ? `moves to ${where}` : "stays in the monolith"}: move the parent to ${m.layer} too (a component goes where its children go)`,
        );
    }
    return problems;
}

/** sha256 of a text, hex. */
export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reads and checks `migration/<stack>/mapping.json`; returns it and the sha256 of its text. Throws UsageError (exit 2). */
export function readMapping(root: string, stack: string): { mapping: MigrationMapping; sha256: string; path: string } {
    const path = mappingPath(root, stack);
    const shown = relative(root, path);
    if (!existsSync(path)) {
        throw new UsageError(
            `${shown} does not exist: make the mapping first, e.g. make migrate-plan SOURCE=<org>/proliferate-infra/${stack} STACK=${stack} SOURCE_DIR=<monolith folder>`,
        );
    }
    const text = readFileSync(path, "utf8");
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new UsageError(`${shown} is not JSON (${(err as Error).message}): run make migrate-plan again`);
    }
    return { mapping: validateMapping(doc, shown, stack), sha256: sha256(text), path };
}

/** Checks the fields migrate-apply relies on; names the first wrong key. */
export function validateMapping(doc: unknown, shown: string, stack: string): MigrationMapping {
    const bad = (key: string, what: string): never => {
        throw new UsageError(`${shown}: ${key} ${what}; run make migrate-plan again (or fix that key by hand)`);
    };
    if (!isRecord(doc)) return bad("(the document)", "is not an object");
    if (doc["format"] !== MAPPING_FORMAT) bad("format", `is not "${MAPPING_FORMAT}"`);
    if (doc["version"] !== MAPPING_VERSION)
        bad("version", `is ${JSON.stringify(doc["version"])}, this tool reads ${MAPPING_VERSION}`);
    const source = doc["source"];
    if (!isRecord(source) || typeof source["stack"] !== "string" || source["stack"].split("/").length !== 3)
        bad("source.stack", "is not a fully qualified stack <org>/proliferate-infra/<stack>");
    if (
        !isRecord(source) ||
        typeof source["exportSha256"] !== "string" ||
        !/^[0-9a-f]{64}$/.test(source["exportSha256"])
    )
        bad("source.exportSha256", "is not a sha256 (64 hex digits)");
    const target = doc["target"];
    if (!isRecord(target) || target["stack"] !== stackNameOf(stack))
        bad("target.stack", `is not "${stackNameOf(stack)}" (the STACK given)`);
    const stacks = isRecord(target) ? target["stacks"] : undefined;
    for (const layer of LAYERS) {
        const s = isRecord(stacks) ? stacks[layer] : undefined;
        if (typeof s !== "string" || s.split("/")[1] !== PROJECT_NAMES[layer] || stackNameOf(s) !== stackNameOf(stack))
            bad(`target.stacks.${layer}`, `is not <org>/${PROJECT_NAMES[layer]}/${stackNameOf(stack)}`);
    }
    for (const key of ["moves", "stays", "creates", "undecided", "config"]) {
        if (!Array.isArray(doc[key])) bad(key, "is not a list");
    }
    const mapping = doc as unknown as MigrationMapping;
    const seen = new Set<string>();
    mapping.moves.forEach((m: MappedMove, i) => checkMove(m, i, mapping, seen, bad));
    return mapping;
}

function checkMove(
    m: MappedMove,
    i: number,
    mapping: MigrationMapping,
    seen: Set<string>,
    bad: (key: string, what: string) => never,
): void {
    const key = `moves[${i}]`;
    if (!isRecord(m)) bad(key, "is not an object");
    if (!(LAYERS as readonly string[]).includes(m.layer)) bad(`${key}.layer`, `is not one of ${LAYERS.join(", ")}`);
    const src = parseUrn(m.urn);
    if (typeof m.urn !== "string" || !src) bad(`${key}.urn`, "is not a Pulumi URN");
    if (seen.has(m.urn)) bad(`${key}.urn`, `names ${m.urn} a second time`);
    seen.add(m.urn);
    const source = mapping.source.stack.split("/");
    if (src?.project !== source[1] || src?.stack !== source[2])
        bad(`${key}.urn`, `(${m.urn}) is not a resource of ${mapping.source.stack}`);
    const dst = typeof m.targetUrn === "string" ? parseUrn(m.targetUrn) : undefined;
    if (!dst) return bad(`${key}.targetUrn`, "is not a Pulumi URN");
    if (dst.project !== PROJECT_NAMES[m.layer] || dst.stack !== mapping.target.stack)
        bad(`${key}.targetUrn`, `(${m.targetUrn}) is not in ${PROJECT_NAMES[m.layer]} stack ${mapping.target.stack}`);
    if (dst.qualifiedType !== src?.qualifiedType) {
        bad(
            `${key}.targetUrn`,
            `changes the parent type chain (${src?.qualifiedType} → ${dst.qualifiedType}), which pulumi state move and rename cannot do (docs/migration.md, "2. Apply")`,
        );
    }
}
