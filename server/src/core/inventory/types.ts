// The inventory as data (DESIGN §4c): one entry per backend instance and a summary per service. Plain JSON, so the CLI
// prints it, `schemas/inventory.schema.json` describes it, and the LSP request `apimTls/inventory` sends it as it is.
import type { TrustState } from '../trust';

export type { TrustState } from '../trust';

/** The migration stages teams follow to get off the insecure workaround (DESIGN §4c). */
export type MigrationStage = 0 | 1 | 2 | 3 | 4;

export interface Inventory {
  /** Every backend instance, by service, then file and line. */
  backends: InventoryEntry[];
  services: ServiceSummary[];
  totals: Tally;
}

export interface Tally {
  backends: number;
  /** Backends whose pins can work (state `pinned`). */
  pinned: number;
  byState: Record<TrustState, number>;
  /** Backends per stage, index = stage. */
  byStage: [number, number, number, number, number];
}

export interface ServiceSummary extends Tally {
  /** The resource address (`azurerm_api_management.contoso`); null groups the backends whose service is not in the files read. */
  address: string | null;
  /** Its name in Azure, when known. */
  name: string | null;
  /** The SKU as written (`StandardV2_1`). */
  sku: string | null;
  tier: 'v2' | 'classic' | null;
  file: string | null;
  line: number | null;
}

export interface InventoryEntry {
  /** The instance: `azurerm_api_management_backend.partner["customs"]`. */
  address: string;
  /** The resource without instance key. */
  resource: string;
  /** The `for_each` key (or Bicep loop index) of this instance. */
  key: string | null;
  /** The resource repeats over a collection the linter cannot read: this entry stands for all its instances. */
  keysUnknown: boolean;
  /** The backend's own name in APIM. */
  name: string | null;
  /** `azurerm`, `azapi`, `arm`, `bicep`. */
  kind: string;
  file: string;
  /** 1-based line of the resource's header. */
  line: number;
  /** The service's address, or null when the backend's service is not in the files read. */
  service: string | null;
  serviceName: string | null;
  sku: string | null;
  tier: 'v2' | 'classic' | null;
  url: string | null;
  host: string | null;
  state: TrustState;
  /** The state's category in words: `trusts any certificate`, `pinned`, `plain http`. */
  stateLabel: string;
  /** The state as the code lens says it: `pinned to Contoso Issuing CA 01`, `pin ignored: api-version 2024-05-01`. */
  trust: string;
  /** The validation flags as the API ends up with them. */
  chainValidation: FlagState;
  nameValidation: FlagState;
  pins: InventoryPin[];
  /** The CA that issues the backend's certificate, when something in the workspace or a live check says. */
  issuingCa: IssuingCa | null;
  findings: InventoryFinding[];
  stage: MigrationStage;
  /** `stage 1: issuing CA unknown — no certificate file in the workspace matches, run a live check`. */
  reason: string;
  /** What a live check saw (`inventory --probe`); null when none ran. */
  live: LiveFacts | null;
  /**
   * The environment (an alternative var file, DESIGN §2) this instance was read with; null where a module has one run.
   * A backend of a module evaluated per environment is listed once per environment.
   */
  environment: string | null;
}

/** `default`: not written (the API's default, true); `unknown`: an input the linter cannot read decides. */
export type FlagState = 'true' | 'false' | 'default' | 'unknown';

export interface InventoryPin {
  kind: 'issuer' | 'certificate';
  name: string | null;
  thumbprint: string | null;
  apiVersion: string | null;
  /** Who writes the pin: the overlay or the backend itself. */
  owner: string;
  /** Why the pin cannot work (`pin ignored: api-version 2024-05-01`), or null. */
  problem: string | null;
  /** The certificate file of the workspace whose SHA-1 is the pinned thumbprint. */
  certificate: CertificateRef | null;
}

export interface CertificateRef {
  file: string;
  subject: string;
  /** ISO 8601 date. */
  notAfter: string;
  isCa: boolean;
}

export interface IssuingCa {
  subject: string | null;
  sha1: string | null;
  notAfter: string | null;
  /** Where it is known from: a pin's thumbprint, a certificate file of the workspace, a live check. */
  source: 'pin' | 'certificate file' | 'live check';
  file: string | null;
}

export interface InventoryFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  line: number;
}

/** What a live check of the backend saw: the names and issuing CA it presents, the verdict, the pin that would trust it. */
export interface LiveFacts {
  verdict: 'accept' | 'reject' | 'unknown';
  outcome: string;
  /** False when no certificate came back (unreachable, refused, silent, not TLS). */
  reachable: boolean;
  presentedNames: string[];
  issuingCa: { subject: string; sha1: string; notAfter: string } | null;
  pinWouldBe: { kind: 'issuer' | 'certificate'; name: string; thumbprint: string } | null;
  /** The chain ends in a public root: APIM trusts it without a pin. */
  publicRoot: boolean;
  /** A pin of the configuration does not match what is presented. */
  pinMismatch: boolean;
  /** ISO 8601: when the check ran. */
  at: string;
}

/** The state's category in words, as the report's filters and legends name it. */
export const STATE_LABELS: Readonly<Record<TrustState, string>> = {
  'trusts-any': 'trusts any certificate',
  'name-only': 'name checked, chain not',
  'chain-only': 'chain checked, name not',
  'depends-on-inputs': 'depends on input values',
  default: 'default trust',
  pinned: 'pinned',
  'pin-ignored': 'pin ignored',
  'pin-cannot-match': 'pin cannot match',
  'plain-http': 'plain http',
  pool: 'backend pool',
};

/** The states from worst to best, the order of legends, bars and filters. */
export const STATE_ORDER: readonly TrustState[] = [
  'plain-http',
  'trusts-any',
  'name-only',
  'chain-only',
  'pin-cannot-match',
  'pin-ignored',
  'depends-on-inputs',
  'default',
  'pinned',
  'pool',
];

/** What reaching each stage means. */
export const STAGE_LABELS: readonly string[] = ['insecure', 'name validation back on', 'issuing CA known', 'pinned', 'cleaned up'];
