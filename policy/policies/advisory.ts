import { obj, ofType, stackPolicy, TYPES, type ProjectPolicy } from "../rules";

/** Advisory: reported, never blocking. Each is a deliberate gap or a cost note. */
export const advisoryPolicies: ProjectPolicy[] = [
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
