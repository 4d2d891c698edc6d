import type { ProjectPolicy } from "../rules";
import { advisoryPolicies } from "./advisory";
import { baselinePolicies } from "./baseline";
import { limitPolicies } from "./limits";
import { productionPolicies } from "./production";

/** Every policy of the pack, in the order docs/policy-pack.md lists them. */
export const ALL_POLICIES: ProjectPolicy[] = [
    ...baselinePolicies,
    ...productionPolicies,
    ...limitPolicies,
    ...advisoryPolicies,
];
