import type { Layer } from "../layers";
import { dataFields } from "./data";
import { foundationFields } from "./foundation";
import type { AnyField } from "./field";
import { secretsFields } from "./secrets";
import { servicesFields } from "./services";

/** Every layer's config fields, for documentation and the pre-flight check. */
export const LAYER_FIELDS: Record<Layer, Record<string, AnyField>> = {
    foundation: foundationFields,
    data: dataFields,
    secrets: secretsFields,
    services: servicesFields,
};
