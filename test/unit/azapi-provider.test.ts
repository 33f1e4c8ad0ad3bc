// Which azapi versions a module's version constraint admits, in Terraform's constraint syntax: the pin edit writes
// an HCL object body only where azapi 2.x is allowed, and jsonencode({...}) where the module is held to 1.x.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { admitsMajor } from '../../server/src/core/fixes/azapi-provider';

describe('admitsMajor (Terraform version constraints)', () => {
  const cases: Array<[string, boolean]> = [
    ['~> 2.0', true],
    ['~> 1.13', false],
    ['~> 1.13.1', false],
    ['~> 1', true],
    ['>= 1.5, < 2.0', false],
    ['>= 1.5', true],
    ['1.15.0', false],
    ['= 2.2.0', true],
    ['!= 2.0.0, < 3', true],
    ['<= 1.99.9', false],
    ['2.1.0-beta1', true],
    ['not a constraint', true],
    ['', true],
  ];
  for (const [constraint, expected] of cases) {
    test(`${JSON.stringify(constraint)} ${expected ? 'admits' : 'does not admit'} azapi 2.x`, () => {
      assert.equal(admitsMajor(constraint, 2), expected);
    });
  }
});
