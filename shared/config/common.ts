import { z } from "zod";
import { LOG_RETENTION_DAYS, parseIpv4Cidr } from "./formats";
import { field } from "./field";
import { IssueList } from "./issues";
import { parseFields } from "./parse";
import type { ConfigSource } from "./source";
import { PROJECT_NAMES, type Layer } from "../layers";
import { stackOverrideKey } from "../contracts/reader";

/** A config key naming the upstream stack, for stacks whose names differ between layers. */
export function upstreamStackField(upstream: Layer) {
    return field
        .string(
            `Full name of the ${upstream} stack to read (default: <org>/${PROJECT_NAMES[upstream]}/<this stack's name>).`,
            `organization/${PROJECT_NAMES[upstream]}/dev`,
        )
        .check((v) => (/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(v) ? undefined : "must be <org>/<project>/<stack>"));
}

/** The keys `<upstream>Stack` for each upstream layer. */
export function upstreamStackFields<const U extends readonly Layer[]>(upstreams: U) {
    return Object.fromEntries(upstreams.map((u) => [stackOverrideKey(u), upstreamStackField(u)])) as {
        [K in U[number] as `${K}Stack`]: ReturnType<typeof upstreamStackField>;
    };
}

/** CloudWatch Logs retention in days; only the values CloudWatch accepts. */
export function retentionField(doc: string) {
    return field
        .integer(doc, 1, 3653)
        .check((v) =>
            (LOG_RETENTION_DAYS as readonly number[]).includes(v)
                ? undefined
                : `is not a CloudWatch retention; use one of ${LOG_RETENTION_DAYS.join(", ")}`,
        );
}

/** A JSON list of IPv4 CIDR blocks. */
export const cidrListSchema = z.array(z.string()).superRefine((list, ctx) => {
    list.forEach((c, i) => {
        const parsed = parseIpv4Cidr(c);
        if (typeof parsed === "string") {
            ctx.addIssue({ code: "custom", path: [i], message: `"${c}" ${parsed}` });
        } else if (parsed.prefix < 8) {
            ctx.addIssue({
                code: "custom",
                path: [i],
                message: `"${c}" is wider than /8; name the networks that need access`,
            });
        }
    });
});

/**
 * The `<upstream>Stack` override of a consumer layer, checked before any upstream stack is read
 * (a malformed name is a config error with its fix, not a failed stack reference).
 */
export function upstreamStackOverride(consumer: Layer, upstream: Layer, source: ConfigSource): string | undefined {
    const key = stackOverrideKey(upstream);
    const issues = new IssueList(PROJECT_NAMES[consumer]);
    const values = parseFields(source, { [key]: upstreamStackField(upstream) }, issues);
    issues.throwIfAny(source.stack);
    return values[key];
}
