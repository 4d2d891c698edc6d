import type { ProjectPolicy } from "../../rules";
import { logGroupPolicies } from "./cloudwatch";
import { flowLogPolicy, networkPolicies } from "./ec2";
import { ecrPolicies } from "./ecr";
import { ecsPolicies } from "./ecs";
import { cachePolicies } from "./elasticache";
import { loadBalancerPolicies } from "./elb";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { databasePolicies } from "./rds";
import { storagePolicies } from "./s3";

/**
 * Mandatory in every environment: the AWS Security Hub Foundational Security Best Practices (FSBP)
 * controls that apply to the services this project uses, plus IAM least privilege, log retention
 * and KMS key rotation. One module per AWS service; EC2.6 (flow logs) is production-only but sits
 * with the other EC2 controls.
 */

export { SG_ROLE_TAG } from "./ec2";
export { RECOMMENDED_TLS_POLICIES } from "./elb";
export {
    cachePolicies,
    databasePolicies,
    ecrPolicies,
    ecsPolicies,
    flowLogPolicy,
    iamPolicies,
    kmsPolicies,
    loadBalancerPolicies,
    logGroupPolicies,
    networkPolicies,
    storagePolicies,
};

/** The baseline, in the order the policy table lists it. */
export const baselinePolicies: ProjectPolicy[] = [
    ...networkPolicies,
    flowLogPolicy,
    ...databasePolicies,
    ...cachePolicies,
    ...ecsPolicies,
    ...loadBalancerPolicies,
    ...ecrPolicies,
    ...storagePolicies,
    ...iamPolicies,
    ...logGroupPolicies,
    ...kmsPolicies,
];
