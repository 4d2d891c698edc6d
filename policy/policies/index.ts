import type { ProjectPolicy } from "../rules";
import { advisoryPolicies } from "./advisory";
import { cachePolicies, databasePolicies, ecrPolicies, ecsPolicies, flowLogPolicy, iamPolicies, loadBalancerPolicies, loggingPolicies, networkPolicies } from "./baseline";
import { limitPolicies } from "./limits";
import { productionPolicies } from "./production";

/** Every policy of the pack, in the order the README lists them. */
export const ALL_POLICIES: ProjectPolicy[] = [
    ...networkPolicies,
    flowLogPolicy,
    ...databasePolicies,
    ...cachePolicies,
    ...ecsPolicies,
    ...loadBalancerPolicies,
    ...ecrPolicies,
    ...iamPolicies,
    ...loggingPolicies,
    ...productionPolicies,
    ...limitPolicies,
    ...advisoryPolicies,
];
