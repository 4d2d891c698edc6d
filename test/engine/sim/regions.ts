/** Availability zones of the simulated regions: name suffix and zone id number, as AWS lists them. */
const ZONES: Record<string, number> = {
    "us-east-1": 6,
    "us-east-2": 3,
    "us-west-2": 4,
    "eu-west-1": 3,
    "eu-central-1": 3,
};

const REGION_ID_PREFIX: Record<string, string> = {
    "us-east-1": "use1",
    "us-east-2": "use2",
    "us-west-2": "usw2",
    "eu-west-1": "euw1",
    "eu-central-1": "euc1",
};

/** A region name AWS would accept (`xx-word-N`). */
export function isRegionName(region: string): boolean {
    return /^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region);
}

/** The zones of a region: `{ name: "us-east-1a", zoneId: "use1-az1" }`, three for regions not in the table. */
export function availabilityZones(region: string): { name: string; zoneId: string }[] {
    const count = ZONES[region] ?? 3;
    const idPrefix = REGION_ID_PREFIX[region] ?? region.replace(/-/g, "").slice(0, 5);
    return Array.from({ length: count }, (_, i) => ({
        name: `${region}${String.fromCharCode(97 + i)}`,
        zoneId: `${idPrefix}-az${i + 1}`,
    }));
}

/** Route 53 hosted zone of Application Load Balancers in a region (real values for the common ones). */
export function albHostedZoneId(region: string): string {
    const known: Record<string, string> = {
        "us-east-1": "Z35SXDOTRQ7X7K",
        "us-east-2": "Z3AADJGX6KTTL2",
        "us-west-2": "Z1H1FL5HABSF5",
        "eu-west-1": "Z32O12XQLNTSW2",
        "eu-central-1": "Z215JYRZR1TBD5",
    };
    return known[region] ?? "Z00SIMULATEDALB";
}
