import { arr, obj, resourcePolicy, type ProjectPolicy } from "../../rules";

/** IAM least privilege for the roles and policies the project creates. */

/** Actions that may only name `*` as resource because AWS offers no resource-level permission for them. */
const STAR_ONLY_ACTIONS = ["ecr:GetAuthorizationToken", "sts:GetCallerIdentity"];

interface Statement {
    Effect?: string;
    Action?: string | string[];
    Resource?: string | string[];
    Sid?: string;
}

function statementsOf(doc: unknown): Statement[] {
    const d = obj(doc);
    const s = d["Statement"];
    return (Array.isArray(s) ? s : s ? [s] : []) as Statement[];
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const iamPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "iam-least-privilege",
        control: "IAM least privilege",
        level: "mandatory",
        why: "no wildcard actions, and no `*` resource for secrets, ECR or logs actions where the ARN is known",
        types: ["aws:iam/rolePolicy:RolePolicy", "aws:iam/policy:Policy", "aws:iam/role:Role"],
        check: (r, fail) => {
            const docs =
                r.type === "aws:iam/role:Role"
                    ? (arr(r.props["inlinePolicies"]) as Array<{ policy?: unknown }>).map((p) => p.policy)
                    : [r.props["policy"]];
            for (const st of docs.flatMap(statementsOf).filter((s) => s.Effect !== "Deny")) {
                const actions = list(st.Action);
                const wild = actions.filter((a) => a === "*" || a.endsWith(":*") || a.includes("*"));
                if (wild.length > 0)
                    fail(
                        `statement ${st.Sid ?? "?"} grants wildcard actions ${wild.join(", ")}`,
                        "list the exact actions the role needs",
                    );
                if (list(st.Resource).includes("*")) {
                    const scoped = actions.filter(
                        (a) => /^(secretsmanager:GetSecretValue|ecr:|logs:)/.test(a) && !STAR_ONLY_ACTIONS.includes(a),
                    );
                    if (scoped.length > 0)
                        fail(
                            `statement ${st.Sid ?? "?"} allows ${scoped.join(", ")} on every resource`,
                            "name the secret, repository or log group ARN",
                        );
                }
            }
        },
    }),
];
