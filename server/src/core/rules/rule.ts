// What a rule is: metadata beside a check over the format-neutral model (one file per rule, as in Bicep's linter).
import type { CertificateInfo } from '../certificates/types';
import type { Config } from '../config';
import type { Format } from '../formats';
import type { SourceFormat } from '../source-format';
import type { Bound, Model, PrimVal } from '../model';
import type { Fix, RelatedInfo, Severity, Span } from '../types';

export interface RuleMeta {
  id: string;
  /** Describes the problem, kebab-case: `chain-validation-disabled`. */
  name: string;
  defaultSeverity: Severity;
  /** One line, for the docs index and the README table. */
  summary: string;
  /**
   * The built-in formats whose files can hold what the rule reads (all, unless it reads a Terraform-only construct
   * such as overlays or depends_on). Documentation for the fixtures' meta-test: rules never branch on a format.
   */
  formats?: readonly Format[];
}

export interface Report {
  span: Span;
  message: string;
  related?: RelatedInfo[];
  fixes?: Fix[];
  unnecessary?: boolean;
  /**
   * For rules whose findings differ in weight (APIM006: malformed is an error, merely untidy a warning). A severity
   * the user configured for the rule still wins; without one, this replaces the rule's default.
   */
  severity?: Severity;
}

export interface RuleContext {
  config: Config;
  /** Certificates found in the workspace's certificate files (for matching pinned thumbprints). */
  certificates: readonly CertificateInfo[];
  /** The time a lint runs at; tests fix it so expiry checks do not drift. */
  now: Date;
  /** The text of a file of the workspace, for fixes that must look at it. */
  textOf(file: string): string | undefined;
  /** The format a file of the workspace is read by: its edit builders (and words) for fixes in that file. */
  formatOf(file: string): SourceFormat | undefined;
  report(report: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(model: Model, ctx: RuleContext): void;
}

/** The place that consumes a value, when the value was written elsewhere (tfvars, locals, a module argument). */
export function consumerInfo(bound: Bound, owner: string): RelatedInfo[] {
  const v = bound.val;
  if (v.span && v.span.file === bound.consumer.file && v.span.start >= bound.consumer.start && v.span.end <= bound.consumer.end) return [];
  return [{ ...bound.consumer, message: `Used by ${owner} ${bound.consumerName}` }];
}

export function isPrim(val: Bound['val']): val is PrimVal {
  return val.kind === 'prim';
}
