import { obj, ofType, resourcePolicy, stackPolicy, text, TYPES, type ProjectPolicy } from "../rules";

/** Mandatory in production-like environments only (environment class from the provider's defaultTags). */
export const productionPolicies: ProjectPolicy[] = [
    resourcePolicy({
        name: "rds-5-multi-az",
        control: "RDS.5",
        level: "mandatory",
        scope: "production",
        why: "a standby in another AZ takes over in about a minute when the primary fails",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["multiAz"] !== true)
                fail("is single-AZ", "set proliferate-data:dbMultiAz true (multiAz on the instance)");
        },
    }),
    resourcePolicy({
        name: "rds-8-deletion-protection",
        control: "RDS.8",
        level: "mandatory",
        scope: "production",
        why: "a production database is never deleted by one command",
        types: [TYPES.rdsInstance],
        check: (r, fail) => {
            if (r.props["deletionProtection"] !== true)
                fail("deletion protection is off", "set deletionProtection: true");
        },
    }),
    resourcePolicy({
        name: "elasticache-1-automatic-backups",
        control: "ElastiCache.1",
        level: "mandatory",
        scope: "production",
        why: "a production cache can be restored after corruption or a bad flush",
        types: [TYPES.replicationGroup, "aws:elasticache/cluster:Cluster"],
        check: (r, fail) => {
            if (!(Number(r.props["snapshotRetentionLimit"] ?? 0) >= 1))
                fail("automatic backups are off", "set proliferate-data:redisSnapshotRetentionDays to 1 or more");
        },
    }),
    resourcePolicy({
        name: "elasticache-3-automatic-failover",
        control: "ElastiCache.3",
        level: "mandatory",
        scope: "production",
        why: "a replica is promoted when the primary fails, instead of an outage",
        types: [TYPES.replicationGroup],
        check: (r, fail) => {
            if (r.props["automaticFailoverEnabled"] !== true)
                fail(
                    "automatic failover is off",
                    "set proliferate-data:redisReplicationEnabled true (a primary and at least one replica)",
                );
        },
    }),
    resourcePolicy({
        name: "elb-6-deletion-protection",
        control: "ELB.6",
        level: "mandatory",
        scope: "production",
        why: "deleting a production load balancer changes its DNS name and breaks every client",
        types: TYPES.loadBalancers,
        check: (r, fail) => {
            if (r.props["enableDeletionProtection"] !== true)
                fail("deletion protection is off", "set enableDeletionProtection: true");
        },
    }),
    resourcePolicy({
        name: "elb-5-access-logs",
        control: "ELB.5",
        level: "mandatory",
        scope: "production",
        why: "access logs answer who called what during an incident; development may skip the bucket's cost",
        types: TYPES.loadBalancers,
        check: (r, fail) => {
            const logs = obj(r.props["accessLogs"]);
            if (logs["enabled"] !== true || !logs["bucket"])
                fail(
                    "access logs are off",
                    "set proliferate-services:albAccessLogs true (accessLogs: { bucket, enabled: true } on the load balancer)",
                );
        },
    }),
    resourcePolicy({
        name: "protect-stateful-resources",
        control: "Pulumi protect",
        level: "mandatory",
        scope: "production",
        why: "Pulumi refuses to delete protected databases, caches and secrets, even on a replace or destroy",
        types: [TYPES.rdsInstance, TYPES.replicationGroup, TYPES.secret],
        check: (r, fail) => {
            if (r.opts?.protect !== true)
                fail("is not protected", "create it with the resource option { protect: true }");
        },
    }),
    stackPolicy({
        name: "nat-gateway-per-az",
        control: "NAT per AZ",
        level: "mandatory",
        scope: "production",
        why: "with one NAT gateway, losing its AZ cuts every private subnet off the internet",
        check: (resources, fail) => {
            const nats = ofType(resources, "aws:ec2/natGateway:NatGateway");
            const subnets = ofType(resources, "aws:ec2/subnet:Subnet");
            // On the engine an awsx Vpc shows its outputs (natGateways is then the list of NAT
            // gateway resources) and its children are registered: count those. Under mocks only the
            // component and its inputs exist: read the strategy.
            const components = subnets.length > 0 ? [] : ofType(resources, TYPES.awsxVpc);
            for (const vpc of components) {
                const strategy = obj(vpc.props["natGateways"])["strategy"];
                if (strategy !== "OnePerAz")
                    fail(
                        vpc,
                        `NAT strategy is ${text(strategy ?? "the awsx default")}`,
                        "set proliferate-foundation:natGateways perAz",
                    );
            }
            const azs = new Set(subnets.map((s) => String(s.props["availabilityZone"])));
            if (nats.length > 0 && azs.size > 0 && nats.length < azs.size) {
                fail(nats[0]!, `${nats.length} NAT gateway(s) for ${azs.size} AZs`, "create one NAT gateway per AZ");
            }
        },
    }),
];
