// Entry point of the data stack. Pulumi calls the exported function and uses what it returns as
// the stack outputs (checked against DataOutputs at compile time).
import { data } from "./program";

export = data;
