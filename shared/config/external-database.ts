import type { ExternalDatabase } from "../connections";
import { PROJECT_NAMES } from "../layers";
import { checkUrl, ipv4InCidr } from "./formats";
import type { IssueList } from "./issues";
import type { Secret } from "./secret";

/** The data layer's rule for `enableRds=false`, against the network foundation opened. */

const PROJECT = PROJECT_NAMES.data;
const FOUNDATION = PROJECT_NAMES.foundation;

/** What the data layer checks against the foundation layer's network. */
export interface DataNetwork {
    /** Where foundation lets tasks reach an external database, or null. */
    externalDatabase: ExternalDatabase | null;
}

/**
 * With `enableRds=false` the services reach the database only if foundation opened a path to it:
 * external blocks must be configured there, on the override's port, and an IP-literal host must lie
 * inside them. A host name cannot be resolved here; its blocks are the operator's word.
 */
export function checkExternalDatabase(issues: IssueList, override: Secret | undefined, network: DataNetwork): void {
    const external = network.externalDatabase;
    const foundationSet = (key: string, value: string) =>
        `cd stacks/foundation && pulumi config set ${FOUNDATION}:${key} ${value} && pulumi up`;
    if (external === null) {
        issues.addRaw({
            key: `${PROJECT}:enableRds`,
            problem:
                "is false, but the foundation stack opens no path to an external database (externalDatabaseCidrs is empty), so no task could reach databaseUrlOverride",
            fix: foundationSet("externalDatabaseCidrs", `'["10.200.0.0/24"]'`),
        });
        return;
    }
    if (override === undefined || !override.known || checkUrl(override.reveal(), ["postgres", "postgresql"])) return;
    const url = new URL(override.reveal());
    const port = url.port === "" ? 5432 : Number(url.port);
    if (port !== external.port) {
        issues.addRaw({
            key: `${PROJECT}:databaseUrlOverride`,
            problem: `connects to port ${port}, but the foundation stack lets tasks reach the external database on port ${external.port} only`,
            fix: foundationSet("externalDatabasePort", String(port)),
        });
    }
    if (/^\d+\.\d+\.\d+\.\d+$/.test(url.hostname) && !external.cidrs.some((c) => ipv4InCidr(url.hostname, c))) {
        issues.addRaw({
            key: `${PROJECT}:databaseUrlOverride`,
            problem: `names a host outside the foundation stack's externalDatabaseCidrs (${external.cidrs.join(", ")})`,
            fix: foundationSet(
                "externalDatabaseCidrs",
                `'${JSON.stringify([...external.cidrs, `${url.hostname}/32`])}'`,
            ),
        });
    }
}
