// One table-driven runner over test/fixtures/pin/<shape>/: each folder is a module plus `request.json` (the file,
// a text snippet whose offset is the cursor, the certificate file to pin). The planned edit must give each
// `name.fixed.tf` exactly (files without a twin stay as they were), parse cleanly with tree-sitter and HashiCorp's
// parser, re-lint without the findings a pin settles, and pinning again must change nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readCertificates } from '../../server/src/core/certificates/read';
import type { CertificateInfo } from '../../server/src/core/certificates/types';
import { HOST_PLACEHOLDER, type PinPlan } from '../../server/src/core/fixes/pin';
import type { PinAnswers } from '../../server/src/core/fixes/pin-flow';
import { applyEdits, fixedPathOf, fixtureFiles, lintTexts, toPosix } from '../support/fixtures';
import { formatOf } from '../../server/src/core/formats';
import { hclAccepts } from '../support/hcl';
import { makeChain } from '../support/certs';
import { REPO_ROOT, testParser } from '../support/parser';

const PIN_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'pin');

/** The findings a pin settles: none of them may remain after it. */
const SETTLED = ['APIM001', 'APIM002', 'APIM003', 'APIM005', 'APIM006', 'APIM007', 'APIM008', 'APIM009', 'APIM011'];

const CA_FILE = 'test/fixtures/rules/APIM016/clean/issuing-ca-01.cer';

interface PinFixtureRequest {
  file: string;
  marker: string;
  certificate: string;
  /** The URL host is unknown, so the pin's name is a placeholder whose offsets the plan returns. */
  placeholder?: boolean;
  /** The answers to the questions the pin asks first (the instances of a for_each backend, a leaf confirmed). */
  answers?: PinAnswers;
  /**
   * Settled findings that stay, on purpose: a `for_each` backend pinned for some of its keys keeps the tls block its
   * other instances need, which APIM008 reports as long as they are not pinned too.
   */
  remaining?: string[];
  /** The answers for pinning again, when the marker that chose the instance is gone after the first pin. */
  againAnswers?: PinAnswers;
}

function certificatesOf(file: string): CertificateInfo[] {
  const result = readCertificates(new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, file))), file);
  assert.ok(result.ok, `${file} is readable`);
  return result.certificates;
}

async function plan(texts: Map<string, string>, file: string, marker: string, certificates: CertificateInfo[], answers?: PinAnswers): Promise<PinPlan> {
  const { workspace } = await lintTexts(texts);
  const offset = texts.get(file)!.indexOf(marker);
  assert.ok(offset >= 0, `the marker ${JSON.stringify(marker)} is in ${path.basename(file)}`);
  return workspace.planPin({ file, offset, certificates, answers });
}

/** Why a plan wrote nothing, for assertion messages. */
function why(p: PinPlan): string {
  return p.ok ? '' : 'reason' in p ? p.reason : JSON.stringify(p.question);
}

describe('pin edit fixtures', () => {
  for (const shape of fs.readdirSync(PIN_FIXTURES).sort()) {
    const dir = path.join(PIN_FIXTURES, shape);
    test(`${shape}: the pin gives the .fixed text, parses, re-lints clean and is idempotent`, async () => {
      const request = JSON.parse(fs.readFileSync(path.join(dir, 'request.json'), 'utf8')) as PinFixtureRequest;
      const files = fixtureFiles(dir).filter((f) => formatOf(f) === 'terraform');
      const texts = new Map(files.map((f) => [toPosix(f), fs.readFileSync(f, 'utf8')] as const));
      const file = toPosix(path.join(dir, request.file));
      const certificates = certificatesOf(request.certificate);
      const certificate = certificates[request.answers?.certificateIndex ?? 0];

      const first = await plan(texts, file, request.marker, certificates, request.answers);
      assert.ok(first.ok, why(first));
      assert.equal(first.thumbprint, certificate.sha1);
      assert.equal(first.kind, certificate.isCa ? 'issuer' : 'certificate');
      const fixed = applyEdits(texts, first.edits);
      for (const f of files) {
        const twin = fixedPathOf(f);
        const expected = fs.existsSync(twin) ? fs.readFileSync(twin, 'utf8') : fs.readFileSync(f, 'utf8');
        if (process.env.UPDATE_PIN_FIXTURES && fixed.get(toPosix(f)) !== fs.readFileSync(f, 'utf8')) fs.writeFileSync(twin, fixed.get(toPosix(f))!);
        else assert.equal(fixed.get(toPosix(f)), expected, `text of ${path.relative(dir, f)} after the pin`);
      }

      if (request.placeholder) {
        assert.ok(first.placeholder, 'the plan marks the name to fill in');
        const after = fixed.get(first.placeholder.file)!;
        assert.equal(after.slice(first.placeholder.start, first.placeholder.end), HOST_PLACEHOLDER);
      } else {
        assert.equal(first.placeholder, undefined);
      }

      const parser = await testParser();
      for (const [f, text] of fixed) {
        const tree = parser.parse(text);
        const hasError = tree.rootNode.hasError;
        tree.delete();
        assert.equal(hasError, false, `${path.relative(dir, f)} parses without tree-sitter errors`);
        assert.ok(hclAccepts(text), `${path.relative(dir, f)} is accepted by HashiCorp's HCL parser`);
      }

      const relint = await lintTexts(fixed);
      const left = relint.findings
        .filter((f) => SETTLED.includes(f.ruleId) && !request.remaining?.includes(f.ruleId))
        .map((f) => `${f.ruleId} ${path.basename(f.file)}: ${f.message}`);
      assert.deepEqual(left, [], 'no finding the pin settles is left');

      // The marker may sit in the tls block the pin removed; the backend's header is still there.
      const again = fixed.get(file)!.includes(request.marker) ? request.marker : '"azurerm_api_management_backend"';
      const second = await plan(fixed, file, again, certificates, request.againAnswers ?? request.answers);
      assert.ok(second.ok, why(second));
      assert.deepEqual(applyEdits(fixed, second.edits), fixed, 'pinning twice changes nothing');
    });
  }
});

describe('Workspace.planPin', () => {
  const plainDir = toPosix(path.join(PIN_FIXTURES, 'plain'));
  const plainTexts = () => new Map([[`${plainDir}/main.tf`, fs.readFileSync(path.join(plainDir, 'main.tf'), 'utf8')]]);

  test('from a bundle (leaf + issuing + root) the issuing CA is pinned, not the root nor the leaf', async () => {
    const chain = await makeChain();
    const read = readCertificates(new TextEncoder().encode(chain.bundlePem), 'bundle.pem');
    assert.ok(read.ok);
    const result = await plan(plainTexts(), `${plainDir}/main.tf`, 'protocol', read.certificates);
    assert.ok(result.ok);
    const text = result.edits.map((e) => e.newText).join('\n');
    const [leaf, issuing, root] = read.certificates;
    assert.equal(result.thumbprint, issuing.sha1);
    assert.ok(text.includes(issuing.sha1));
    assert.ok(!text.includes(root.sha1) && !text.includes(leaf.sha1));
    assert.equal(result.backend, 'azurerm_api_management_backend.orders');
  });

  test('outside any backend the plan is refused with a reason', async () => {
    const result = await plan(plainTexts(), `${plainDir}/main.tf`, 'publisher_name', certificatesOf(CA_FILE));
    assert.equal(result.ok, false);
    assert.match(why(result), /no backend here/i);
  });

  test('on a finding whose value is written in terraform.tfvars, the backend that reads it is pinned', async () => {
    const dir = '/ws/tfvars';
    const texts = new Map([
      [
        `${dir}/main.tf`,
        'variable "validate" {\n  type = bool\n}\n\nresource "azurerm_api_management_backend" "orders" {\n  name                = "orders"\n' +
          '  resource_group_name = "rg"\n  api_management_name = "apim"\n  protocol            = "http"\n' +
          '  url                 = "https://orders.internal.contoso.com/"\n\n  tls {\n    validate_certificate_chain = var.validate\n  }\n}\n',
      ],
      [`${dir}/terraform.tfvars`, 'validate = false\n'],
    ]);
    const result = await plan(texts, `${dir}/terraform.tfvars`, 'false', certificatesOf(CA_FILE));
    assert.ok(result.ok, why(result));
    assert.equal(result.backend, 'azurerm_api_management_backend.orders');
    assert.ok(result.edits.every((e) => e.file === `${dir}/main.tf`));
  });

  test('an azapi backend is refused: its pins belong in its own body', async () => {
    const file = '/ws/azapi/main.tf';
    const texts = new Map([
      [
        file,
        'resource "azapi_resource" "orders" {\n  type      = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"\n' +
          '  name      = "orders"\n  parent_id = "x"\n  body = {\n    properties = {\n      url = "https://orders.internal.contoso.com/"\n    }\n  }\n}\n',
      ],
    ]);
    const result = await plan(texts, file, 'parent_id', certificatesOf(CA_FILE));
    assert.equal(result.ok, false);
    assert.match(why(result), /azapi backend/);
  });
});
