import { resourcePolicy, type ProjectPolicy } from "../../rules";

/** CloudWatch Logs: every log group the project creates has a retention. */
export const logGroupPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "log-group-retention",
        control: "Log retention",
        level: "mandatory",
        why: "logs kept forever cost money and hold personal data longer than needed",
        types: ["aws:cloudwatch/logGroup:LogGroup"],
        check: (r, fail) => {
            if (!(Number(r.props["retentionInDays"] ?? 0) > 0))
                fail(
                    "has no retention (kept forever)",
                    "set retentionInDays, e.g. 30 (development) or 365 (production)",
                );
        },
    }),
];
