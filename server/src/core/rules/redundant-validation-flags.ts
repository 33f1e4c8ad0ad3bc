import type { Rule } from './rule';

export const redundantValidationFlags: Rule = {
  meta: {
    id: 'APIM010',
    name: 'redundant-validation-flags',
    defaultSeverity: 'hint',
    summary: 'A validation flag is false on a pinned backend, where pins take precedence.',
  },
  check() {},
};
