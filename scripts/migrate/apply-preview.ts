import type { EngineEvent } from "@pulumi/pulumi/automation";

/**
 * What a layer's preview after the moves would do, read from pulumi's engine event log (the runner's
 * `--event-log` reading, scripts/runner/pulumi-process.ts), and which of it migrate-apply refuses.
 *
 * Refused: creating, deleting or replacing a stateful or networked resource (a data store, a secret, a
 * network object, a load balancer, an image repository, a log group): a create means the move missed it
 * (the layer would build a second one beside the running one), a replace or delete would lose data or
 * cut traffic. Listed, not refused: in-place updates (such as the `layer` tag each layer's provider
 * adds) and creates or replaces of stateless resources (a task definition revision, an IAM policy).
 */

/** One resource step of a preview that is not "same". */
export interface PreviewChange {
    urn: string;
    type: string;
    op: string;
    /** Inputs that force the replacement, when the engine names them. */
    keys?: string[];
}

/**
 * Types whose create, delete or replacement is refused. Patterns, because the preview also shows
 * types the planner's rules do not list (every aws:ec2 object an awsx Vpc constructs); a test keeps
 * them in agreement with the `stateful` flags of scripts/migrate/layer-rules.json.
 */
const STATEFUL_OR_NETWORKED: readonly RegExp[] = [
    /^aws:kms\/key:/,
    /^aws:ec2\//,
    /^aws:vpc\//,
    /^awsx:ec2:/,
    /^aws:rds\//,
    /^aws:elasticache\//,
    /^aws:secretsmanager\/secret:/,
    /^aws:lb\//,
    /^aws:route53\//,
    /^aws:servicediscovery\//,
    /^aws:s3\/bucket/,
    /^aws:ecr\/repository:/,
    /^aws:cloudwatch\/logGroup:/,
    /^aws:ecs\/(cluster|service):/,
];

export function isStatefulOrNetworked(type: string): boolean {
    return STATEFUL_OR_NETWORKED.some((re) => re.test(type));
}

/** Operations that make, remove or swap an object. */
const DESTRUCTIVE = new Set([
    "create",
    "delete",
    "replace",
    "create-replacement",
    "delete-replaced",
    "import-replacement",
    "discard",
    "discard-replaced",
]);
const IGNORED = new Set(["same", "read", "refresh"]);

/** Every step of a preview's events that changes something, once per resource (the pre-event). */
export function previewChanges(events: readonly EngineEvent[]): PreviewChange[] {
    const changes: PreviewChange[] = [];
    const seen = new Set<string>();
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        if (!m || IGNORED.has(m.op)) continue;
        const key = `${m.urn} ${m.op}`;
        if (seen.has(key)) continue;
        seen.add(key);
        changes.push({ urn: m.urn, type: m.type, op: m.op, ...(m.keys?.length ? { keys: m.keys } : {}) });
    }
    return changes;
}

/** Splits a preview's changes into refused ones and ones that are only listed. */
export function judgeChanges(changes: readonly PreviewChange[]): { refused: PreviewChange[]; listed: PreviewChange[] } {
    const refused = changes.filter((c) => DESTRUCTIVE.has(c.op) && isStatefulOrNetworked(c.type));
    return { refused, listed: changes.filter((c) => !refused.includes(c)) };
}

/** One line per change: `replace aws:rds/instance:Instance postgres-instance (identifier)`. */
export function describeChange(c: PreviewChange): string {
    const name = c.urn.split("::").pop() ?? c.urn;
    return `${c.op} ${c.type} ${name}${c.keys ? ` (${c.keys.join(", ")})` : ""}`;
}
