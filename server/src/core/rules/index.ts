// The rule registry. Order is the catalogue's; ids are stable and never reused.
import { azapiVersionTooOld } from './azapi-version-too-old';
import { backendLegacyProtocol } from './backend-legacy-protocol';
import { chainValidationDisabled } from './chain-validation-disabled';
import { dependsOnBackend } from './depends-on-backend';
import { httpBackendUrl } from './http-backend-url';
import { misplacedTlsProperties } from './misplaced-tls-properties';
import { missingTlsOverlay } from './missing-tls-overlay';
import { nameValidationDisabled } from './name-validation-disabled';
import { orphanOverlay } from './orphan-overlay';
import { overlayNotRetriggered } from './overlay-not-retriggered';
import { overlayTlsConflict } from './overlay-tls-conflict';
import { pinApiVersion } from './pin-api-version';
import { pinNameMismatch } from './pin-name-mismatch';
import { pinPlaceholder } from './pin-placeholder';
import { pinThumbprintFormat } from './pin-thumbprint-format';
import { pinnedCaExpiry } from './pinned-ca-expiry';
import { redundantValidationFlags } from './redundant-validation-flags';
import { v2CaStoreIgnored } from './v2-ca-store-ignored';
import { weakCipher } from './weak-cipher';
import type { Rule, RuleMeta } from './rule';

export const RULE_LIST: readonly Rule[] = [
  chainValidationDisabled,
  nameValidationDisabled,
  missingTlsOverlay,
  v2CaStoreIgnored,
  pinApiVersion,
  pinThumbprintFormat,
  pinNameMismatch,
  overlayTlsConflict,
  dependsOnBackend,
  redundantValidationFlags,
  overlayNotRetriggered,
  httpBackendUrl,
  backendLegacyProtocol,
  weakCipher,
  orphanOverlay,
  pinnedCaExpiry,
  misplacedTlsProperties,
  azapiVersionTooOld,
  pinPlaceholder,
];
export const RULES: readonly RuleMeta[] = RULE_LIST.map((r) => r.meta);
export const RULE_IDS: readonly string[] = RULES.map((r) => r.id);
export type { Rule, RuleMeta } from './rule';
