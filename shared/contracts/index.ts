import type { Layer } from "../layers";
import type { AnyContract } from "./contract";
import { dataContract } from "./data";
import { foundationContract } from "./foundation";
import { secretsContract } from "./secrets";
import { servicesContract } from "./services";

/** Every layer's contract, by layer. */
export const CONTRACTS: Record<Layer, AnyContract> = {
    foundation: foundationContract,
    data: dataContract,
    secrets: secretsContract,
    services: servicesContract,
};
