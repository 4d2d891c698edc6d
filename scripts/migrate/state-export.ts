import { createHash } from "node:crypto";
import { UsageError } from "../runner/usage-error";

/**
 * A `pulumi stack export` document, read defensively: the planner only trusts what it checked, and a
 * file that is not an export is refused (exit 2) instead of yielding an empty mapping.
 */

/** One resource of `deployment.resources[]`, with the fields the planner reads. */
export interface ExportedResource {
    urn: string;
    type: string;
    custom: boolean;
    id?: string;
    /** URN of the parent, absent for the root stack resource. */
    parent?: string;
    /** `<provider urn>::<provider id>` for custom resources. */
    provider?: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
}

/** The parsed export and the digest the mapping records (apply refuses a changed monolith). */
export interface StateExport {
    resources: ExportedResource[];
    sha256: string;
}

/** The parts of a URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
export interface UrnParts {
    stack: string;
    project: string;
    /** The parent type chain and the type, joined by `$`. */
    qualifiedType: string;
    name: string;
}

export function parseUrn(urn: string): UrnParts {
    const m = /^urn:pulumi:([^:]*)::([^:]*)::(.+?)::(.*)$/s.exec(urn);
    if (!m) throw new UsageError(`"${urn}" is not a Pulumi URN (urn:pulumi:<stack>::<project>::<type>::<name>)`);
    return { stack: m[1] ?? "", project: m[2] ?? "", qualifiedType: m[3] ?? "", name: m[4] ?? "" };
}

/** Builds a URN from its parts. */
export function makeUrn(stack: string, project: string, qualifiedType: string, name: string): string {
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses export text; `what` names the source in errors (e.g. the stack). Throws a UsageError. */
export function parseExport(text: string, what: string): StateExport {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (err) {
        throw new UsageError(`the state export of ${what} is not JSON (${(err as Error).message})`);
    }
    const deployment = isRecord(doc) ? doc["deployment"] : undefined;
    if (!isRecord(doc) || doc["version"] !== 3 || !isRecord(deployment)) {
        throw new UsageError(
            `the state export of ${what} is not a version 3 \`pulumi stack export\` document (no deployment): export it again with pulumi stack export --stack <org/proliferate-infra/stack>`,
        );
    }
    const raw = deployment["resources"] ?? [];
    if (!Array.isArray(raw)) throw new UsageError(`the state export of ${what}: deployment.resources is not a list`);
    const resources = raw.map((r: unknown, i): ExportedResource => {
        if (!isRecord(r) || typeof r["urn"] !== "string" || typeof r["type"] !== "string") {
            throw new UsageError(`the state export of ${what}: resource #${i} has no urn or type`);
        }
        parseUrn(r["urn"]);
        return {
            urn: r["urn"],
            type: r["type"],
            custom: r["custom"] === true,
            ...(typeof r["id"] === "string" ? { id: r["id"] } : {}),
            ...(typeof r["parent"] === "string" ? { parent: r["parent"] } : {}),
            ...(typeof r["provider"] === "string" ? { provider: r["provider"] } : {}),
            inputs: isRecord(r["inputs"]) ? r["inputs"] : {},
            outputs: isRecord(r["outputs"]) ? r["outputs"] : {},
        };
    });
    const pending = deployment["pending_operations"];
    if (Array.isArray(pending) && pending.length > 0) {
        throw new UsageError(
            `${what} has ${pending.length} pending operation(s) from an interrupted update: run \`pulumi refresh --stack <source>\` (or \`pulumi cancel\`) in the monolith folder first, then plan again`,
        );
    }
    return { resources, sha256: createHash("sha256").update(text).digest("hex") };
}

/** The logical name of a resource (the last part of its URN). */
export const nameOf = (urn: string): string => parseUrn(urn).name;
