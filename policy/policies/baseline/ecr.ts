import { obj, ofType, refs, resourcePolicy, stackPolicy, type ProjectPolicy } from "../../rules";

/** ECR controls of AWS Security Hub FSBP, mandatory in every environment. */
export const ecrPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "ecr-1-scan-on-push",
        control: "ECR.1",
        level: "mandatory",
        why: "every pushed image is scanned for known vulnerabilities",
        types: ["aws:ecr/repository:Repository"],
        check: (r, fail) => {
            if (obj(r.props["imageScanningConfiguration"])["scanOnPush"] !== true)
                fail("images are not scanned on push", "set imageScanningConfiguration: { scanOnPush: true }");
        },
    }),
    resourcePolicy({
        name: "ecr-2-immutable-tags",
        control: "ECR.2",
        level: "mandatory",
        why: "a tag must always mean the same image, so a deploy is reproducible and a rollback is real",
        types: ["aws:ecr/repository:Repository"],
        check: (r, fail) => {
            if (r.props["imageTagMutability"] !== "IMMUTABLE")
                fail("image tags are mutable", 'set imageTagMutability: "IMMUTABLE"');
        },
    }),
    stackPolicy({
        name: "ecr-3-lifecycle-policy",
        control: "ECR.3",
        level: "mandatory",
        why: "without a lifecycle policy old images pile up (cost, and stale vulnerable images)",
        check: (resources, fail) => {
            const policies = ofType(resources, "aws:ecr/lifecyclePolicy:LifecyclePolicy");
            for (const repo of ofType(resources, "aws:ecr/repository:Repository")) {
                const covered = policies.some(
                    (p) =>
                        refs(p, "repository").some((d) => d.urn === repo.urn) ||
                        p.props["repository"] === repo.props["name"],
                );
                if (!covered)
                    fail(
                        repo,
                        "has no lifecycle policy",
                        "add an aws.ecr.LifecyclePolicy that expires untagged and old images",
                    );
            }
        },
    }),
];
