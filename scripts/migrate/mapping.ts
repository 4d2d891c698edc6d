import { join } from "node:path";
import type { Layer } from "../../shared/layers";

/**
 * The mapping file of a monolith migration: which resource of the `proliferate-infra` stack goes to
 * which layer stack under which URN, which config key goes where, and what could not be decided.
 * `make migrate-plan` writes it; people review it (it holds URNs, types, names and reasons, never a
 * config value); `make migrate-apply` carries it out and refuses while anything is undecided.
 * Versioned like the plan document: fields are only added within a version.
 */

export const MAPPING_FORMAT = "proliferate-migration-mapping";
export const MAPPING_VERSION = 1;

/** One monolith resource that moves to a layer stack. */
export interface MappedMove {
    layer: Layer;
    /** The resource's URN in the monolith stack. */
    urn: string;
    type: string;
    /** Logical name in the monolith. */
    name: string;
    /** The URN it has in the layer stack once moved (and renamed): what the layer program registers. */
    targetUrn: string;
    /** Why it goes there, for the reviewer: e.g. "aws:rds/instance:Instance is a data resource (by type)". */
    why: string;
    /** URN of its parent in the layer stack (a component of the layer program); absent when the parent is the root stack. */
    targetParent?: string;
    /**
     * Replace-on-change inputs that differ for a resource that holds no state (e.g. a task definition's
     * containerDefinitions): the layer's first up replaces it. Stateful resources never get here (they are undecided).
     */
    replacedFields?: string[];
}

/** A monolith resource that is deliberately not moved (its root stack resource, a provider copied with its resources). */
export interface MappedStay {
    urn: string;
    why: string;
}

/** A resource a layer program registers that no monolith resource matched: the first deploy creates it. */
export interface MappedCreate {
    layer: Layer;
    targetUrn: string;
    type: string;
    /** True for data stores and network resources, whose creation the apply step refuses. */
    stateful: boolean;
}

/** A resource the planner could not place with certainty: a person decides, nothing moves until then. */
export interface Undecided {
    urn: string;
    type: string;
    name: string;
    /** The layers or target URNs it could go to. */
    candidates: string[];
    /** The question to answer, and how to record the answer in the mapping file. */
    question: string;
    /** The answer, written by a person: the layer it goes to, or "stays" (left in the monolith). Read by the next plan. */
    layer?: Layer | "stays";
    /** The answer's target URN, when the layer has several candidates. */
    targetUrn?: string;
}

/** One monolith config key and where it goes. */
export interface MappedConfig {
    /** The monolith key, e.g. `proliferate-infra:dbInstanceClass`. */
    from: string;
    /** The layer and key it becomes, e.g. `data` and `proliferate-data:dbInstanceClass`; null when dropped. */
    layer: Layer | null;
    to: string | null;
    secret: boolean;
    why: string;
}

/** The whole mapping file. */
export interface MigrationMapping {
    format: typeof MAPPING_FORMAT;
    version: typeof MAPPING_VERSION;
    source: {
        /** Fully qualified monolith stack, e.g. `acme/proliferate-infra/prod`. */
        stack: string;
        /** sha256 of the state export the mapping was computed from: apply refuses a changed monolith. */
        exportSha256: string;
        resources: number;
    };
    target: {
        /** Stack name of the four layers, e.g. `prod`. */
        stack: string;
        /** Fully qualified stack of each layer. */
        stacks: Record<Layer, string>;
    };
    moves: MappedMove[];
    stays: MappedStay[];
    creates: MappedCreate[];
    undecided: Undecided[];
    config: MappedConfig[];
}

/**
 * Where a migration keeps its files, under the repository root: `migration/<stack>/mapping.json`
 * (reviewable, may be committed), and the git-ignored `journal.json` and `backups/`.
 */
export function migrationDir(root: string, stack: string): string {
    return join(root, "migration", stack);
}

export function mappingPath(root: string, stack: string): string {
    return join(migrationDir(root, stack), "mapping.json");
}
