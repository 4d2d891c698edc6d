import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { RecordedResource } from "./mock-engine";

/**
 * The monthly list-price estimate of a plan, per resource, from the checked-in price table
 * (shared/data/aws-prices.json). Pure apart from reading that table: it prices what the programs
 * registered, so a size changed in config changes the estimate without a second source of truth.
 */

/** Prices of one region (see the table for units). */
export interface RegionPrices {
    natGatewayHour: number;
    natGatewayPerGb: number;
    publicIpv4Hour: number;
    albHour: number;
    albLcuHour: number;
    rdsPostgresHour: Record<string, number>;
    rdsGp3GbMonth: number;
    rdsBackupGbMonth: number;
    elasticacheNodeHour: Record<string, number>;
    elasticacheValkeyDiscount: number;
    fargate: Record<string, { vcpuHour: number; gbHour: number }>;
    secretMonth: number;
    kmsKeyMonth: number;
    logIngestionGb: number;
}

/** The whole price table. */
export interface PriceTable {
    description: string;
    asOf: string;
    source: string[];
    hoursPerMonth: number;
    usageAssumptions: {
        natDataProcessedGbPerMonth: number;
        albLcuAverage: number;
        logIngestionGbPerGroupPerMonth: number;
        rdsBackupStorage: string;
    };
    regions: Record<string, RegionPrices>;
}

/** Reads the price table under `root`. */
export function readPriceTable(root: string): PriceTable {
    return JSON.parse(readFileSync(join(root, "shared", "data", "aws-prices.json"), "utf8")) as PriceTable;
}

/** One priced resource. */
export interface CostLine {
    type: string;
    name: string;
    /** USD per month. */
    monthly: number;
    /** How it was computed, with any usage assumption. */
    basis: string;
    /** True when the table has no price for it (counted as 0). */
    unpriced?: boolean;
}

const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : Number(v ?? fallback) || fallback);
/** A string input as is; anything else as empty (ids and ARNs are strings). */
const text = (v: unknown): string => (typeof v === "string" ? v : "");
const usd = (n: number): string => `$${n.toFixed(2)}`;

/** Prices `resources` in `region`; resources without a cost of their own get no line. */
export function costLines(resources: readonly RecordedResource[], table: PriceTable, region: string): CostLine[] {
    const p = table.regions[region];
    if (!p) throw new Error(`shared/data/aws-prices.json has no prices for ${region}; add the region to estimate it`);
    const h = table.hoursPerMonth;
    const u = table.usageAssumptions;
    const lines: CostLine[] = [];
    const line = (r: RecordedResource, monthly: number, basis: string, unpriced = false) =>
        lines.push({ type: r.type, name: r.name, monthly, basis, ...(unpriced ? { unpriced } : {}) });
    const taskDefs = new Map(resources.map((r) => [text(r.state?.["arn"]), r]));
    for (const r of resources) {
        const i = r.inputs;
        switch (r.type) {
            case "awsx:ec2:Vpc": {
                const strategy = String((i["natGateways"] as { strategy?: string } | undefined)?.strategy ?? "Single");
                const azs = ((i["availabilityZoneNames"] as unknown[] | undefined) ?? []).length || 2;
                const n = strategy === "None" ? 0 : strategy === "OnePerAz" ? azs : 1;
                const gb = u.natDataProcessedGbPerMonth;
                const monthly = n * ((p.natGatewayHour + p.publicIpv4Hour) * h + gb * p.natGatewayPerGb);
                line(
                    r,
                    monthly,
                    `${n} NAT gateway(s) (${strategy}) × ${h} h + public IPv4, assuming ${gb} GB/month processed each`,
                );
                break;
            }
            case "aws:lb/loadBalancer:LoadBalancer": {
                const lcu = u.albLcuAverage;
                line(r, (p.albHour + lcu * p.albLcuHour) * h, `ALB × ${h} h, assuming ${lcu} LCU on average`);
                break;
            }
            case "aws:rds/instance:Instance": {
                const cls = String(i["instanceClass"]);
                const rate = p.rdsPostgresHour[cls];
                const copies = i["multiAz"] === true ? 2 : 1;
                const gb = num(i["allocatedStorage"], 20);
                const storage = gb * p.rdsGp3GbMonth * copies;
                const az = copies === 2 ? "Multi-AZ (×2)" : "single-AZ";
                if (rate === undefined) {
                    line(r, storage, `${cls}: no price in the table (instance not counted); ${gb} GB gp3 ${az}`, true);
                } else {
                    line(
                        r,
                        rate * h * copies + storage,
                        `${cls} ${az} × ${h} h + ${gb} GB gp3; ${u.rdsBackupStorage} (${num(i["backupRetentionPeriod"], 0)} days kept)`,
                    );
                }
                break;
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const node = String(i["nodeType"]);
                const nodes =
                    i["numCacheClusters"] !== undefined
                        ? num(i["numCacheClusters"], 1)
                        : num(i["numNodeGroups"], 1) * (num(i["replicasPerNodeGroup"], 0) + 1);
                const base = p.elasticacheNodeHour[node];
                const valkey = i["engine"] === "valkey" ? 1 - p.elasticacheValkeyDiscount : 1;
                if (base === undefined) line(r, 0, `${node}: no price in the table`, true);
                else line(r, base * valkey * nodes * h, `${nodes} × ${node} (${String(i["engine"])}) × ${h} h`);
                break;
            }
            case "aws:ecs/service:Service": {
                const td = taskDefs.get(text(i["taskDefinition"]));
                const count = num(i["desiredCount"], 1);
                const cpu = num(td?.inputs["cpu"], 256);
                const mem = num(td?.inputs["memory"], 512);
                const arch = String(
                    (td?.inputs["runtimePlatform"] as { cpuArchitecture?: string } | undefined)?.cpuArchitecture ??
                        "X86_64",
                );
                const f = p.fargate[arch] ?? p.fargate["X86_64"];
                if (!f) {
                    line(r, 0, `Fargate ${arch}: no price in the table`, true);
                    break;
                }
                const perTask = ((cpu / 1024) * f.vcpuHour + (mem / 1024) * f.gbHour) * h;
                line(
                    r,
                    count * perTask,
                    `${count} task(s) × ${cpu / 1024} vCPU / ${mem / 1024} GB Fargate ${arch} × ${h} h`,
                );
                break;
            }
            case "aws:secretsmanager/secret:Secret":
                line(r, p.secretMonth, `1 secret (API calls not counted)`);
                break;
            case "aws:kms/key:Key":
                line(r, p.kmsKeyMonth, `1 customer managed key (requests not counted)`);
                break;
            case "aws:cloudwatch/logGroup:LogGroup": {
                const gb = u.logIngestionGbPerGroupPerMonth;
                line(r, gb * p.logIngestionGb, `assuming ${gb} GB/month ingested (storage not counted)`);
                break;
            }
        }
    }
    return lines;
}

/** The sum of `lines` in USD per month. */
export const totalOf = (lines: readonly CostLine[]): number => lines.reduce((s, l) => s + l.monthly, 0);

/** A cost line as printed. */
export const formatCost = (l: CostLine): string =>
    `${usd(l.monthly).padStart(10)}  ${l.type.split(":").pop()} ${l.name}: ${l.basis}${l.unpriced ? " [UNPRICED]" : ""}`;

export { usd };
