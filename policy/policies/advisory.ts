import { containers, obj, ofType, resourcePolicy, stackPolicy, TYPES, type ProjectPolicy } from "../rules";

/** Advisory: reported, never blocking. Each is a deliberate gap or a cost note. */
export const advisoryPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "ecs-5-read-only-root-filesystem",
        control: "ECS.5",
        level: "advisory",
        why: "a read-only root filesystem stops an attacker from changing binaries; the apps still write to it today",
        types: [TYPES.taskDefinition],
        check: (r, fail) => {
            for (const c of containers(r))
                if (c.readonlyRootFilesystem !== true)
                    fail(
                        `container ${c.name ?? "?"} has a writable root filesystem`,
                        "set readonlyRootFilesystem: true once the image writes only to mounted volumes",
                    );
        },
    }),
    resourcePolicy({
        name: "elb-5-access-logs",
        control: "ELB.5",
        level: "advisory",
        why: "access logs answer who called what, but need an S3 bucket with a bucket policy for the ELB service",
        types: TYPES.loadBalancers,
        check: (r, fail) => {
            if (obj(r.props["accessLogs"])["enabled"] !== true)
                fail(
                    "access logs are off",
                    "set accessLogs: { bucket, enabled: true } with a log bucket the ELB service may write to",
                );
        },
    }),
    stackPolicy({
        name: "secretsmanager-1-rotation",
        control: "SecretsManager.1",
        level: "advisory",
        why: "rotation needs a rotation Lambda per secret type; these secrets are rotated by hand today",
        check: (resources, fail) => {
            if (ofType(resources, "aws:secretsmanager/secretRotation:SecretRotation").length > 0) return;
            for (const s of ofType(resources, TYPES.secret))
                fail(
                    s,
                    "has no automatic rotation",
                    "add an aws.secretsmanager.SecretRotation with a rotation Lambda, or rotate by hand and redeploy",
                );
        },
    }),
    stackPolicy({
        name: "cost-high-availability-in-development",
        control: "Cost",
        level: "advisory",
        scope: "development",
        why: "NAT per AZ, multi-AZ databases and cache replicas roughly double their cost; development rarely needs them",
        check: (resources, fail) => {
            for (const vpc of ofType(resources, TYPES.awsxVpc))
                if (obj(vpc.props["natGateways"])["strategy"] === "OnePerAz")
                    fail(vpc, "development runs a NAT gateway per AZ", "set proliferate-foundation:natGateways single");
            for (const db of ofType(resources, TYPES.rdsInstance))
                if (db.props["multiAz"] === true)
                    fail(db, "development runs a multi-AZ database", "set proliferate-data:dbMultiAz false");
            for (const rg of ofType(resources, TYPES.replicationGroup))
                if (Number(rg.props["numCacheClusters"] ?? 1) > 1)
                    fail(rg, "development runs cache replicas", "set proliferate-data:redisReplicationEnabled false");
        },
    }),
];
