import type { EnforcementLevel, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import type { ProjectPolicy, Res } from "../../policy/rules";
import type { RecordedResource } from "./mock-engine";

/**
 * Runs the pack's policies offline over the resources a mocked program registered, in the shape
 * the real analyzer gives them: props are the plain inputs (secrets unwrapped), `opts.protect`
 * and the provider's props are attached, and property dependencies are rebuilt by matching
 * each input value against the other resources' ids, ARNs and names.
 */

/** One reported violation. */
export interface Violation {
    policy: string;
    level: EnforcementLevel;
    message: string;
    urn?: string;
}

/** Converts recorded mock resources into policy resources. */
export function toPolicyResources(recorded: readonly RecordedResource[], stack = "dev", project = "test"): Res[] {
    const converted: Res[] = recorded.map((r) => ({
        type: r.type,
        name: r.name,
        urn: `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`,
        props: r.inputs,
        opts: { protect: r.protect === true },
        propertyDependencies: {},
    }));
    const byValue = new Map<string, Res[]>();
    recorded.forEach((r, i) => {
        for (const v of [r.id, r.state?.["arn"], r.state?.["name"]]) {
            if (typeof v === "string" && v !== "") byValue.set(v, [...(byValue.get(v) ?? []), converted[i] as Res]);
        }
    });
    recorded.forEach((r, i) => {
        const res = converted[i] as Res;
        const providerRecord = recorded.find(
            (p) => p.type === "pulumi:providers:aws" && r.provider?.endsWith(`::${p.id}`),
        );
        if (providerRecord) res.provider = { props: providerRecord.inputs };
        for (const [prop, value] of Object.entries(r.inputs)) {
            const values = Array.isArray(value) ? value : [value];
            const deps = values
                .flatMap((v) => (typeof v === "string" ? (byValue.get(v) ?? []) : []))
                .filter((d) => d !== res);
            if (deps.length > 0) (res.propertyDependencies as Record<string, Res[]>)[prop] = deps;
        }
    });
    return converted;
}

/** Result of running a pack offline. */
export interface PolicyRun {
    violations: Violation[];
    /** Policies that ran (not disabled). */
    policiesRun: number;
    resourcesChecked: number;
    /** Violations of mandatory policies. */
    mandatory: Violation[];
}

/** Runs `policies` over `recorded`; `levels` overrides enforcement per policy name, as the pack's config does. */
export async function runPolicies(
    policies: readonly ProjectPolicy[],
    recorded: readonly RecordedResource[],
    levels: Record<string, EnforcementLevel> = {},
): Promise<PolicyRun> {
    return runOnPolicyResources(policies, toPolicyResources(recorded), levels);
}

/** Runs `policies` over resources already in the analyzer's shape. */
export async function runOnPolicyResources(
    policies: readonly ProjectPolicy[],
    resources: readonly Res[],
    levels: Record<string, EnforcementLevel> = {},
): Promise<PolicyRun> {
    const violations: Violation[] = [];
    let policiesRun = 0;
    for (const policy of policies) {
        const level = levels[policy.name] ?? policy.enforcementLevel ?? "advisory";
        if (level === "disabled") continue;
        policiesRun++;
        const report = (message: string, urn?: string) =>
            violations.push({ policy: policy.name, level, message, ...(urn ? { urn } : {}) });
        if ("validateResource" in policy && policy.validateResource) {
            const validations = Array.isArray(policy.validateResource)
                ? policy.validateResource
                : [policy.validateResource];
            for (const r of resources) {
                const args = {
                    ...r,
                    stackTags: new Map<string, string>(),
                    isType: () => false,
                } as unknown as ResourceValidationArgs;
                for (const v of validations) await v(args, report);
            }
        } else if ("validateStack" in policy && policy.validateStack) {
            const args = {
                resources,
                stackTags: new Map<string, string>(),
                getConfig: () => ({}),
                notApplicable: () => undefined as never,
            } as unknown as StackValidationArgs;
            await policy.validateStack(args, report);
        }
    }
    return {
        violations,
        policiesRun,
        resourcesChecked: resources.length,
        mandatory: violations.filter((v) => v.level === "mandatory"),
    };
}
