import { NETWORK_DATA_CASES } from "./policy-cases-network-data";
import { SERVICES_CASES } from "./policy-cases-services";
import { STORAGE_CASES } from "./policy-cases-storage";
import type { PolicyCase } from "./policy-fixtures";

/** For each policy: resources that comply, resources that violate it, and the resource the violation must name. */
export const CASES: Record<string, PolicyCase> = { ...NETWORK_DATA_CASES, ...SERVICES_CASES, ...STORAGE_CASES };
