import { COMPUTE_SPECS } from "./compute";
import { DATA_SPECS } from "./data";
import { DISCOVERY_SPECS } from "./discovery";
import { LOAD_BALANCING_SPECS } from "./load-balancing";
import { NETWORK_SPECS } from "./network";
import { ROUTING_SPECS } from "./routing";
import { SECURITY_SPECS } from "./security";
import type { ResourceSpec } from "./spec";
import { STORAGE_SPECS } from "./storage";

/** Every resource type the simulated aws provider implements, by type token. */
export const RESOURCE_SPECS: Readonly<Record<string, ResourceSpec>> = {
    ...NETWORK_SPECS,
    ...ROUTING_SPECS,
    ...SECURITY_SPECS,
    ...DATA_SPECS,
    ...COMPUTE_SPECS,
    ...LOAD_BALANCING_SPECS,
    ...DISCOVERY_SPECS,
    ...STORAGE_SPECS,
};

/** The spec of a type, or undefined when the simulator does not implement it. */
export function specOf(type: string): ResourceSpec | undefined {
    return RESOURCE_SPECS[type];
}
