import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The real AWS regions, per partition, from the checked-in list `shared/data/aws-regions.json`
 * (its `source` and `takenOn` say where and when it was taken). A name that only looks like a
 * region (eu-middle-1) passes the format check of the schema; this list refuses it.
 */
export interface AwsRegionList {
    source: string;
    takenOn: string;
    /** Partition (aws, aws-cn, aws-us-gov, ...) → its region names. */
    partitions: Record<string, string[]>;
}

/** Reads the list; found from `from` upward (sources under shared/, compiled under dist/shared/). */
export function loadAwsRegions(from: string = __dirname): AwsRegionList {
    let dir = from;
    while (!existsSync(join(dir, "shared", "data", "aws-regions.json")) && dirname(dir) !== dir) dir = dirname(dir);
    return JSON.parse(readFileSync(join(dir, "shared", "data", "aws-regions.json"), "utf8")) as AwsRegionList;
}

/** The partition of a region, or undefined when it is not a real region. */
export function regionPartition(list: AwsRegionList, region: string): string | undefined {
    return Object.entries(list.partitions).find(([, regions]) => regions.includes(region))?.[0];
}
