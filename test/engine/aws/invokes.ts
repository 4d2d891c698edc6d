import { ACCOUNT_ID } from "../sim/account";
import { availabilityZones } from "../sim/regions";
import { isRecord, plain, strList, type Props } from "../sim/values";
import { providerConfig } from "./config";

/** A provider function: outputs for the program, or failures. */
export interface InvokeAnswer {
    outputs?: Props;
    failures?: { property: string; reason: string }[];
}

/** The simulated caller: an assumed role in the simulated account. */
const CALLER = {
    arn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/simulated-deployer/pulumi`,
    userId: "AROASIMULATEDDEPLOYER:pulumi",
};

function zoneFilterMatches(filters: unknown): boolean {
    // Every simulated zone is an ordinary zone: opt-in-not-required, state available, zone-type availability-zone.
    const accepted: Record<string, string[]> = {
        "opt-in-status": ["opt-in-not-required"],
        state: ["available"],
        "zone-type": ["availability-zone"],
        "region-name": [providerConfig().region],
    };
    if (!Array.isArray(filters)) return true;
    return filters.filter(isRecord).every((f) => {
        const name = String(f["name"]);
        const values = Array.isArray(f["values"]) ? f["values"].map(String) : [];
        const ours = accepted[name];
        return ours === undefined || values.some((v) => ours.includes(v));
    });
}

function getAvailabilityZones(args: Props): Props {
    const region = providerConfig().region;
    const exclude = new Set([...strList(args, "excludeNames"), ...strList(args, "excludeZoneIds")]);
    const state = args["state"];
    const zones =
        zoneFilterMatches(args["filters"]) && (state === undefined || state === "available")
            ? availabilityZones(region).filter((z) => !exclude.has(z.name) && !exclude.has(z.zoneId))
            : [];
    return {
        id: region,
        region,
        names: zones.map((z) => z.name),
        zoneIds: zones.map((z) => z.zoneId),
        groupNames: zones.map(() => region),
        state,
        filters: args["filters"],
    };
}

const FUNCTIONS: Record<string, (args: Props) => Props> = {
    "aws:index/getRegion:getRegion": () => {
        const region = providerConfig().region;
        return {
            id: region,
            name: region,
            region,
            description: `Simulated region ${region}`,
            endpoint: `ec2.${region}.amazonaws.com`,
        };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ id: ACCOUNT_ID, accountId: ACCOUNT_ID, ...CALLER }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": getAvailabilityZones,
    // A simulated account id per region: access-log bucket policies name it next to the service principal.
    "aws:elb/getServiceAccount:getServiceAccount": () => {
        const id = `9${String(providerConfig().region.length).padStart(2, "0")}000000001`;
        return { id, arn: `arn:aws:iam::${id}:root` };
    },
};

/** Answers a provider function; an unknown one fails loudly instead of returning something made up. */
export function invoke(token: string, args: unknown): InvokeAnswer {
    const fn = FUNCTIONS[token];
    if (!fn)
        return {
            failures: [
                {
                    property: "",
                    reason: `[simulated AWS] function ${token} is not simulated; add it to test/engine/aws/invokes.ts`,
                },
            ],
        };
    const plainArgs = plain(args);
    return { outputs: fn(isRecord(plainArgs) ? plainArgs : {}) };
}
