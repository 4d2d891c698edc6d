// Entry point of the services stack. Pulumi calls the exported function and uses what it returns
// as the stack outputs (checked against ServicesOutputs at compile time).
import { services } from "./program";

export = services;
