import { resourcesOf, type Account, type StoredResource } from "./account";
import { contains, overlaps, parseBlock } from "./cidr";
import { SimulatedAwsError } from "./errors";
import { T } from "./types";
import { bool, isRecord, num, plain, str, strList, type Props } from "./values";

// AWS rules that break real deployments, as plain functions over a snapshot of the simulated
// account, so each can be unit-tested without an engine.

/** Secrets Manager's default recovery window (days) when recoveryWindowInDays is not set. */
export const DEFAULT_RECOVERY_WINDOW_DAYS = 30;

/** Fails like EC2 when a subnet's CIDR is outside its VPC or overlaps a sibling subnet. */
export function checkSubnetCidr(vpcId: string, vpcCidr: string, subnetCidr: string, siblings: readonly string[]): void {
    const subnet = parseBlock(subnetCidr);
    if (!contains(parseBlock(vpcCidr), subnet) || subnet.prefix > 28) {
        throw new SimulatedAwsError(
            "InvalidSubnet.Range",
            `The CIDR '${subnetCidr}' is invalid (VPC ${vpcId} has ${vpcCidr}).`,
        );
    }
    const clash = siblings.find((s) => overlaps(parseBlock(s), subnet));
    if (clash !== undefined) {
        throw new SimulatedAwsError(
            "InvalidSubnet.Conflict",
            `The CIDR '${subnetCidr}' conflicts with another subnet (${clash}).`,
        );
    }
}

/** The active reservation of a secret name (deleted, still in its recovery window), if any. */
export function secretNameReservation(
    acct: Account,
    name: string,
    region: string,
    now: Date,
): { until: string } | undefined {
    return acct.reservations.find(
        (r) => r.type === T.Secret && r.name === name && r.region === region && Date.parse(r.until) > now.getTime(),
    );
}

/** Fails like Secrets Manager when the name is taken by a live secret or one scheduled for deletion. */
export function checkSecretNameFree(acct: Account, name: string, region: string, now: Date): void {
    if (secretNameReservation(acct, name, region, now)) {
        throw new SimulatedAwsError(
            "InvalidRequestException",
            "You can't create this secret because a secret with this name is already scheduled for deletion.",
        );
    }
    if (resourcesOf(acct, T.Secret).some((s) => s.region === region && s.computed["name"] === name)) {
        throw new SimulatedAwsError(
            "ResourceExistsException",
            `The operation failed because the secret ${name} already exists.`,
        );
    }
}

/**
 * Records a deleted secret's name as reserved for its recovery window; a window of 0 is
 * ForceDeleteWithoutRecovery and frees the name at once.
 */
export function reserveDeletedSecretName(acct: Account, secret: StoredResource, now: Date): void {
    const days = num(secret.inputs, "recoveryWindowInDays", DEFAULT_RECOVERY_WINDOW_DAYS);
    const name = str(secret.computed, "name");
    if (days === 0 || name === undefined) return;
    acct.reservations = acct.reservations.filter((r) => Date.parse(r.until) > now.getTime());
    acct.reservations.push({
        type: T.Secret,
        name,
        region: secret.region,
        until: new Date(now.getTime() + days * 86_400_000).toISOString(),
    });
}

/** Fails like the service when a resource with deletion protection on is deleted. */
export function checkDeletionProtection(r: StoredResource): void {
    if (r.type === T.DbInstance && bool(r.inputs, "deletionProtection", false)) {
        throw new SimulatedAwsError(
            "InvalidParameterCombination",
            "Cannot delete protected DB Instance, please disable deletion protection and try again.",
        );
    }
    if (r.type === T.LoadBalancer && bool(r.inputs, "enableDeletionProtection", false)) {
        throw new SimulatedAwsError(
            "OperationNotPermitted",
            `Load balancer '${r.id}' cannot be deleted because deletion protection is enabled`,
        );
    }
}

/** Security groups an object attaches to its network interfaces (the ENI holders). */
export function attachedSecurityGroups(r: StoredResource): string[] {
    const i = r.inputs;
    switch (r.type) {
        case T.EcsService: {
            const net = plain(i["networkConfiguration"]);
            return isRecord(net) ? strList(net, "securityGroups") : [];
        }
        case T.DbInstance:
            return strList(i, "vpcSecurityGroupIds");
        case T.ReplicationGroup:
            return strList(i, "securityGroupIds");
        case T.LoadBalancer:
            return strList(i, "securityGroups");
        case T.VpcEndpoint:
            return strList(i, "securityGroupIds");
        default:
            return [];
    }
}

/** Groups named by a security group's inline rules. */
function inlineRulePeers(props: Props): string[] {
    return ["ingress", "egress"].flatMap((k) => {
        const rules = plain(props[k]);
        return Array.isArray(rules)
            ? rules.flatMap((rule) => (isRecord(rule) ? strList(rule, "securityGroups") : []))
            : [];
    });
}

/** What still uses a security group: other groups' rules naming it, and ENI holders attached to it. */
export function securityGroupDependents(acct: Account, groupId: string): string[] {
    const found: string[] = [];
    for (const r of Object.values(acct.resources)) {
        const describe = `${r.type} ${r.id}`;
        if (
            (r.type === T.IngressRule || r.type === T.EgressRule) &&
            str(r.inputs, "referencedSecurityGroupId") === groupId &&
            str(r.inputs, "securityGroupId") !== groupId
        ) {
            found.push(describe);
        } else if (r.type === T.SecurityGroup && r.id !== groupId && inlineRulePeers(r.inputs).includes(groupId)) {
            found.push(describe);
        } else if (attachedSecurityGroups(r).includes(groupId)) {
            found.push(describe);
        }
    }
    return found;
}

/** Fails like EC2 when a security group that something still uses is deleted. */
export function checkSecurityGroupDeletable(acct: Account, groupId: string): void {
    const dependents = securityGroupDependents(acct, groupId);
    if (dependents.length > 0) {
        throw new SimulatedAwsError(
            "DependencyViolation",
            `resource ${groupId} has a dependent object (${dependents.join(", ")})`,
        );
    }
}
