import type { Layer } from "../../shared/layers";
import type { Rollout } from "./rollout";

/**
 * The plan as data: what `make plan --json` prints, and what the text, Markdown and HTML reports
 * are rendered from. Versioned: a field is only ever added within a version; renaming, removing or
 * retyping one bumps PLAN_SCHEMA_VERSION (documented in docs/plan.md, "The JSON document").
 * Every value is already redacted: a secret output has no `value`, and no setting that was a
 * secret input is present.
 */

/** The schema's name, the first field of every document. */
export const PLAN_SCHEMA = "proliferate-plan";
/** The schema's version. */
export const PLAN_SCHEMA_VERSION = 1;

/** One resource the layer program registered. */
export interface PlanResource {
    /** `<type>::<name>`: unique in a layer, stable across commits while type and name are. */
    key: string;
    /** Pulumi type token, e.g. `aws:rds/instance:Instance`. */
    type: string;
    /** Logical name. */
    name: string;
    /** The parent's `key`, absent for a top-level resource. */
    parent?: string;
    /** False for a component (it owns children, has no cloud object of its own). */
    custom: boolean;
    /** A few key settings (never a secret input), e.g. `{ instanceClass: "db.t4g.micro" }`. */
    settings: Record<string, string | number | boolean>;
    /**
     * A digest (sha256, 16 hex) per input, so two plans can tell what changed without carrying the
     * inputs: each top-level input, and each nested replace-on-change path (dotted). Secret inputs
     * are left out (never digested), so a changed secret is not shown as a change.
     */
    inputDigests: Record<string, string>;
}

/** One stack output. */
export interface PlanOutput {
    name: string;
    secret: boolean;
    /** The value (fake ids and endpoints); absent when `secret`. */
    value?: unknown;
    /** The value's JSON shape, e.g. `string`, `number`, `{host:string,port:number}`, `string[]`. */
    shape: string;
}

/** One upstream output a layer reads through its StackReference. */
export interface PlanRead {
    upstream: Layer;
    output: string;
}

/** One policy violation. */
export interface PlanViolation {
    policy: string;
    /** The policy's enforcement level (`mandatory` fails the plan). */
    level: "advisory" | "mandatory" | "remediate" | "disabled";
    message: string;
}

/** One priced resource (USD per month, list prices). */
export interface PlanCost {
    type: string;
    name: string;
    monthly: number;
    /** How it was computed, naming any usage assumption. */
    basis: string;
    /** True when the price table has no price for it (counted as 0). */
    unpriced?: boolean;
}

/** The modelled worst-case rollout of one ECS service (scripts/plan/rollout.ts), with the goal it was measured against. */
export interface PlanRollout extends Rollout {
    /** The goal, seconds (the seed's two minutes). */
    goalSeconds: number;
}

/** One layer's plan. */
export interface PlanLayer {
    layer: Layer;
    /** Pulumi project name, e.g. `proliferate-data`. */
    project: string;
    /** Deploy order, 1-based. */
    order: number;
    resources: PlanResource[];
    outputs: PlanOutput[];
    /** Upstream outputs this layer read (the edges of the layer diagram). */
    reads: PlanRead[];
    policies: { run: number; resourcesChecked: number; violations: PlanViolation[] };
    cost: { monthly: number; lines: PlanCost[] };
    /** Empty except for the services layer. */
    rollout: PlanRollout[];
    /** Wall time of the layer program, ms. */
    millis: number;
}

/** What changed between the plan of BASE and this plan, for one layer. */
export interface PlanLayerDiff {
    layer: Layer;
    added: string[];
    removed: string[];
    /** Updated in place: the resource key and the settings/inputs that changed. */
    changed: { key: string; fields: string[] }[];
    /** Replaced: a replace-on-change input changed (shared/data/replace-on-change.json). */
    replaced: { key: string; fields: string[] }[];
    monthlyDelta: number;
}

/** A change of a layer's outputs, judged against who reads them. */
export interface ContractChange {
    /** The producing layer. */
    layer: Layer;
    output: string;
    change: "added" | "removed" | "renamed" | "narrowed" | "widened" | "secrecy";
    /** For `renamed`: the new name. */
    to?: string;
    /** What exactly changed, e.g. `string -> number`. */
    detail: string;
    /** Layers that read the output at BASE. */
    readBy: Layer[];
    /** `error` when a reader at BASE would break; the message then names the consumer and the safe order. */
    severity: "error" | "info";
    message: string;
}

/** `make plan BASE=<ref>`: how this plan differs from the plan of another commit. */
export interface PlanDiff {
    /** The ref as given, and the commit it resolved to. */
    base: { ref: string; commit: string };
    layers: PlanLayerDiff[];
    monthlyDelta: number;
    contract: ContractChange[];
    /** Number of contract changes with severity `error`. */
    errors: number;
}

/** The whole plan of one stack. */
export interface PlanDocument {
    schema: typeof PLAN_SCHEMA;
    version: typeof PLAN_SCHEMA_VERSION;
    stack: string;
    /** The commit planned (`git rev-parse HEAD`), with `+working-tree` when tracked files have uncommitted changes; `unknown` outside git. */
    commit: string;
    /** Where the config came from. */
    config: {
        source: "stack-files" | "examples";
        files: string[];
        /** Secret keys filled with visibly fake placeholders. */
        placeholders: string[];
    };
    /** 0 planned; 1 config problems, a mandatory policy violation or a contract error. */
    code: number;
    /** When the config is invalid: pre-flight's report, and `layers` is empty (never half a plan). */
    problems?: string;
    region: string;
    prices: { file: string; asOf: string; sources: string[]; assumptions: Record<string, unknown> };
    layers: PlanLayer[];
    totals: {
        resources: number;
        violations: number;
        mandatoryViolations: number;
        monthly: number;
        /** Wall time of the four programs, ms. */
        programMillis: number;
    };
    /** Present with `BASE=`. */
    diff?: PlanDiff;
}
