// The policy pack Pulumi runs with `--policy-pack policy` (make passes it to every preview and up).
// The policies live in plain modules (./policies) so the tests run them without this server.
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./policies";

new PolicyPack("proliferate-aws-baseline", { policies: ALL_POLICIES });
