/**
 * The mapping of the apply unit tests' small in-memory monoliths (apply.test.ts, apply-plan.test.ts):
 * written by the worlds' known structure, because the real planner (`make migrate-plan`) matches
 * against what the layer programs register, which these few-resource worlds do not resemble. It places
 * resources by their top-level ancestor (a `proliferate:<layer>:*` component goes to that layer;
 * Secrets Manager secrets to secrets; the ECS cluster and the Service Connect namespace to services,
 * renamed to the layer's logical names) and lists every other top-level resource as undecided.
 * The planner's own mappings are proved elsewhere: real-export.test.ts (offline, on a real export)
 * and test/e2e/migrate.e2e.ts (`make migrate-plan` then `make migrate-apply` on the engine).
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LAYERS, PROJECT_NAMES, type Layer } from "../../shared/layers";
import {
    MAPPING_FORMAT,
    MAPPING_VERSION,
    mappingPath,
    type MappedMove,
    type MigrationMapping,
} from "../../scripts/migrate/mapping";

interface Exported {
    urn: string;
    type: string;
    parent?: string;
}

/** The fixture's own top-level names that differ from the services layer's. */
const RENAMES: Record<string, string> = { "ecs-cluster": "cluster", "service-discovery": "service-connect" };

function topLevelLayer(r: Exported): Layer | undefined {
    const component = /^proliferate:([a-z]+):/.exec(r.type)?.[1];
    if (component && (LAYERS as readonly string[]).includes(component)) return component as Layer;
    if (r.type === "aws:secretsmanager/secret:Secret") return "secrets";
    if (r.type === "aws:ecs/cluster:Cluster" || r.type === "aws:servicediscovery/httpNamespace:HttpNamespace")
        return "services";
    return undefined;
}

/** The mapping of `exportText` (the monolith `source` stack) onto the layers' `stack`. */
export function fixtureMapping(exportText: string, source: string, org: string, stack: string): MigrationMapping {
    const resources = (JSON.parse(exportText) as { deployment: { resources: Exported[] } }).deployment.resources;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const mapping: MigrationMapping = {
        format: MAPPING_FORMAT,
        version: MAPPING_VERSION,
        source: {
            stack: source,
            exportSha256: createHash("sha256").update(exportText).digest("hex"),
            resources: resources.length,
        },
        target: {
            stack,
            stacks: Object.fromEntries(LAYERS.map((l) => [l, `${org}/${PROJECT_NAMES[l]}/${stack}`])) as Record<
                Layer,
                string
            >,
        },
        moves: [],
        stays: [],
        creates: [],
        undecided: [],
        config: [],
    };
    for (const r of resources) {
        if (r.type === "pulumi:pulumi:Stack" || r.type.startsWith("pulumi:providers:")) {
            mapping.stays.push({
                urn: r.urn,
                why: "the root stack and providers stay (providers are copied with their resources)",
            });
            continue;
        }
        let top = r;
        while (top.parent && top.parent !== root?.urn) top = byUrn.get(top.parent) ?? top;
        const layer = topLevelLayer(top);
        const [, , , qualified = "", name = ""] = /^urn:pulumi:([^:]+)::([^:]+)::(.+?)::(.+)$/s.exec(r.urn) ?? [];
        if (!layer) {
            if (top === r) {
                mapping.undecided.push({
                    urn: r.urn,
                    type: r.type,
                    name,
                    candidates: [...LAYERS],
                    question: `Which layer owns ${r.type} "${name}"? Set it in moves (layer, targetUrn) or stays.`,
                });
            }
            continue;
        }
        const newName = top === r ? (RENAMES[name] ?? name) : name;
        const move: MappedMove = {
            layer,
            urn: r.urn,
            type: r.type,
            name,
            targetUrn: `urn:pulumi:${stack}::${PROJECT_NAMES[layer]}::${qualified}::${newName}`,
            why: `under ${top.type} (test helper)`,
        };
        mapping.moves.push(move);
    }
    return mapping;
}

/** Writes the mapping where migrate-apply reads it. */
export function writeMapping(repoRoot: string, mapping: MigrationMapping): string {
    const path = mappingPath(repoRoot, mapping.target.stack);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(mapping, null, 2)}\n`);
    return path;
}
