// Entry point of the foundation stack. Pulumi calls the exported function and uses what it
// returns as the stack outputs (checked against FoundationOutputs at compile time).
import { foundation } from "./program";

export = foundation;
