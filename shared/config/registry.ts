import type { Layer } from "../layers";
import { dataFields } from "./data";
import { foundationFields } from "./foundation";
import type { AnyField } from "./schema";

/** Every layer's config fields, for documentation and the pre-flight check. */
export const LAYER_FIELDS: Partial<Record<Layer, Record<string, AnyField>>> = {
    foundation: foundationFields,
    data: dataFields,
};
