// Entry point of the secrets stack. Pulumi calls the exported function and uses what it returns
// as the stack outputs (checked against SecretsOutputs at compile time).
import { secrets } from "./program";

export = secrets;
