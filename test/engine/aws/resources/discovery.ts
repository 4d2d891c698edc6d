import { SimulatedAwsError } from "../../sim/errors";
import { arn, hex } from "../../sim/ids";
import { T } from "../../sim/types";
import { str } from "../../sim/values";
import { ensureUnique, findWhere, required, type ResourceSpec } from "./spec";

// Names services find each other by: the Cloud Map namespace ECS Service Connect uses, and the
// Route 53 alias records of the public host names.

const httpNamespace: ResourceSpec = {
    create(inputs, ctx) {
        const name = required(inputs, "name", "servicediscovery:CreateHttpNamespace");
        ensureUnique(
            ctx,
            T.HttpNamespace,
            "name",
            name,
            "NamespaceAlreadyExists",
            `Namespace with name ${name} already exists`,
        );
        const id = `ns-${hex(16)}`;
        return { id, computed: { arn: arn("servicediscovery", ctx.region, `namespace/${id}`), httpName: name } };
    },
    beforeDelete(r, ctx) {
        // Cloud Map refuses to delete a namespace while a service (here: an ECS Service Connect service) uses it.
        const user = findWhere(
            ctx,
            T.EcsService,
            (s) =>
                JSON.stringify(s.inputs["serviceConnectConfiguration"] ?? "").includes(r.id) ||
                JSON.stringify(s.inputs["serviceConnectConfiguration"] ?? "").includes(
                    str(r.computed, "arn") ?? "\u0000",
                ),
        );
        if (user) throw new SimulatedAwsError("ResourceInUse", `Namespace ${r.id} is used by service ${user.id}`);
    },
};

const record: ResourceSpec = {
    global: true,
    create(inputs) {
        const zoneId = required(inputs, "zoneId", "route53:ChangeResourceRecordSets");
        const name = required(inputs, "name", "route53:ChangeResourceRecordSets");
        const type = required(inputs, "type", "route53:ChangeResourceRecordSets");
        return { id: `${zoneId}_${name}_${type}`, computed: { fqdn: name } };
    },
};

export const DISCOVERY_SPECS: Readonly<Record<string, ResourceSpec>> = {
    [T.HttpNamespace]: httpNamespace,
    [T.Route53Record]: record,
};
