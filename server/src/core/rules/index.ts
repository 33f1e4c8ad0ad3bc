// The rule registry. Order is the catalogue's; ids are stable and never reused.
import { backendLegacyProtocol } from './backend-legacy-protocol';
import { chainValidationDisabled } from './chain-validation-disabled';
import { httpBackendUrl } from './http-backend-url';
import { nameValidationDisabled } from './name-validation-disabled';
import type { Rule, RuleMeta } from './rule';
import { weakCipher } from './weak-cipher';

export const RULE_LIST: readonly Rule[] = [chainValidationDisabled, nameValidationDisabled, httpBackendUrl, backendLegacyProtocol, weakCipher];
export const RULES: readonly RuleMeta[] = RULE_LIST.map((r) => r.meta);
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
export type { Rule, RuleMeta } from './rule';
