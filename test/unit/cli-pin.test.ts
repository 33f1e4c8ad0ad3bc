// `apim-tls-lint pin` through runCli on copies of examples/ and small workspaces, with generated certificate chains:
// the edit is the editor's (Workspace.planPin), the pinned backends then lint clean, batches pin by host, and every
// refusal (a leaf, a root, a file that does not say which CA, a key) writes nothing and exits 2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { readCertificates } from '../../server/src/core/certificates/read';
import { makeChain, privateKeyPem, type TestChain } from '../support/certs';
import { applyEdits, fixtureFiles, lintTexts, toPosix } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';

const CA = 'certs/contoso-issuing-ca-01.cer';
/** A for_each backend whose hosts the configuration knows, with validation off on one instance. */
const FOR_EACH = `locals {
  orders = {
    eu = { host = "orders-eu.internal.contoso.com", chain = true }
    us = { host = "orders-us.internal.contoso.com", chain = false }
  }
}

resource "azurerm_api_management_backend" "orders" {
  for_each            = local.orders
  name                = "orders-\${each.key}"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://\${each.value.host}/api"

  tls {
    validate_certificate_chain = each.value.chain
  }
}
`;
const CA_SHA1 = 'C54CD3D82A01A49B61C6B4C3D3F935762F553A83';
const roots: string[] = [];
let chain: TestChain;

before(async () => {
  chain = await makeChain();
});
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function examplesCopy(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-pin-'));
  roots.push(root);
  fs.cpSync(path.join(REPO_ROOT, 'examples'), root, { recursive: true });
  return root;
}

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['pin', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

async function lintDir(dir: string) {
  const texts = new Map(fixtureFiles(dir).map((f) => [toPosix(f), fs.readFileSync(f, 'utf8')] as const));
  return (await lintTexts(texts)).findings;
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fixtureFiles(dir).map((f) => [path.relative(dir, f), fs.readFileSync(f, 'utf8')]));
}

describe('apim-tls-lint pin', () => {
  test("FILE:LINE pins that backend with the editor's edit; its findings are gone", async () => {
    const root = examplesCopy();
    // What the editor's pin command computes for the same backend and certificate.
    const texts = new Map(fixtureFiles(root).map((f) => [toPosix(f), fs.readFileSync(f, 'utf8')] as const));
    const { workspace } = await lintTexts(texts);
    const read = readCertificates(new Uint8Array(fs.readFileSync(path.join(root, CA))), CA);
    assert.ok(read.ok);
    const certificate = read.certificates[0];
    const backendsTf = toPosix(path.join(root, 'backends.tf'));
    const plan = workspace.planPin({
      file: backendsTf,
      offset: texts.get(backendsTf)!.indexOf('validate_certificate_chain = false'),
      certificates: [certificate],
    });
    assert.ok(plan.ok);
    const expected = applyEdits(texts, plan.edits);

    const result = await run(['backends.tf:24', '--ca', CA], root);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `pinned azurerm_api_management_backend.orders to CN=Contoso Issuing CA 01, O=Contoso (${CA_SHA1}) in backends.tf\n`);
    for (const [file, text] of expected) assert.equal(fs.readFileSync(file, 'utf8'), text, path.basename(file));
    const left = (await lintDir(root)).filter((f) => /orders/.test(f.message));
    assert.deepEqual(
      left.map((f) => f.ruleId),
      [],
      'nothing is reported about orders any more',
    );
  });

  test('a for_each backend by a line of its block: every instance is pinned with its own host, and the module lints clean', async () => {
    const root = examplesCopy();
    fs.mkdirSync(path.join(root, 'partners'));
    fs.writeFileSync(path.join(root, 'partners', 'main.tf'), FOR_EACH);
    const result = await run(['partners/main.tf:14', '--ca', CA], root);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `pinned azurerm_api_management_backend.orders to CN=Contoso Issuing CA 01, O=Contoso (${CA_SHA1}) in partners/main.tf\n`);
    const text = fs.readFileSync(path.join(root, 'partners', 'main.tf'), 'utf8');
    assert.match(text, /resource "azapi_update_resource" "orders_tls" \{/);
    assert.equal(text.match(/orders-(eu|us)\.internal\.contoso\.com/g)?.length, 4, 'each host in the map and in its pin');
    assert.deepEqual(
      (await lintDir(path.join(root, 'partners'))).map((f) => `${f.ruleId} ${f.message.slice(0, 60)}`),
      [],
    );
  });

  test("a line of one instance's own value pins that instance alone", async () => {
    const root = examplesCopy();
    fs.mkdirSync(path.join(root, 'partners'));
    fs.writeFileSync(path.join(root, 'partners', 'main.tf'), FOR_EACH);
    const result = await run(['partners/main.tf:4', '--ca', CA], root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^pinned azurerm_api_management_backend\.orders\["us"\] to /);
    const text = fs.readFileSync(path.join(root, 'partners', 'main.tf'), 'utf8');
    assert.equal(text.match(/orders-us\.internal\.contoso\.com/g)?.length, 2, 'us is pinned');
    assert.equal(text.match(/orders-eu\.internal\.contoso\.com/g)?.length, 1, 'eu is not');
    assert.deepEqual(
      (await lintDir(path.join(root, 'partners'))).map((f) => `${f.ruleId} ${f.message.slice(0, 60)}`),
      [],
    );
  });

  test('one instance of a for_each backend from the shell: that instance is pinned, and the module lints clean for it', async () => {
    const root = examplesCopy();
    const messages = (findings: Awaited<ReturnType<typeof lintDir>>) => findings.map((f) => `${f.ruleId} ${f.message}`).sort();
    const before = messages(await lintDir(root));
    const customs = before.filter((m) => m.includes('partner["customs"]'));
    assert.equal(customs.length, 1);
    assert.match(customs[0], /^APIM001 /);
    const result = await run(['azurerm_api_management_backend.partner["customs"]', '--ca', CA], root);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `pinned azurerm_api_management_backend.partner["customs"] to CN=Contoso Issuing CA 01, O=Contoso (${CA_SHA1}) in backends.tf\n`,
    );
    assert.match(
      fs.readFileSync(path.join(root, 'backends.tf'), 'utf8'),
      /customs = \{\n\s+name\s+= "customs-gateway\.contoso\.com"\n\s+thumbprint = "C54CD3D82A01A49B61C6B4C3D3F935762F553A83"/,
    );
    // The customs finding is gone and nothing new appeared (no APIM008 on the tls block fabrikam still uses).
    assert.deepEqual(
      messages(await lintDir(root)),
      before.filter((m) => m !== customs[0]),
    );
  });

  test('--all-unpinned --host pins every unpinned backend on those hosts; a second run has nothing to pin', async () => {
    const root = examplesCopy();
    const first = await run(['--all-unpinned', '--host', '*.internal.contoso.com', '--ca', CA], root);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      first.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[1]),
      ['azurerm_api_management_backend.orders', 'azurerm_api_management_backend.billing'],
    );
    const findings = await lintDir(root);
    assert.deepEqual(
      findings.filter((f) => /\.(orders|billing)\b/.test(f.message)).map((f) => f.ruleId),
      [],
    );
    const again = await run(['--all-unpinned', '--host', '*.internal.contoso.com', '--ca', CA], root);
    assert.equal(again.code, 1);
    assert.equal(again.stderr, 'apim-tls-lint pin: nothing to pin: no backend without a pin has a host that matches *.internal.contoso.com.\n');
    // A host that only one instance of a for_each backend has: that instance is the batch.
    const customs = await run(['--all-unpinned', '--host', 'customs-gateway.contoso.com', '--ca', CA], root);
    assert.equal(customs.code, 0, customs.stderr);
    assert.match(customs.stdout, /^pinned azurerm_api_management_backend\.partner\["customs"\] to /);
  });

  test('a backend pinned to this CA already is nothing to pin (exit 1)', async () => {
    const root = examplesCopy();
    assert.equal((await run(['backends.tf:24', '--ca', CA], root)).code, 0);
    const again = await run(['azurerm_api_management_backend.orders', '--ca', CA], root);
    assert.deepEqual(again, {
      code: 1,
      stdout: '',
      stderr: `apim-tls-lint pin: azurerm_api_management_backend.orders is pinned to ${CA_SHA1} already.\napim-tls-lint pin: nothing to pin.\n`,
    });
  });

  test('--dry-run writes nothing and prints the diff the real run writes', async () => {
    const root = examplesCopy();
    const untouched = snapshot(root);
    const dry = await run(['backends.tf:24', 'terraform.tfvars:3', '--ca', CA, '--dry-run'], root);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(snapshot(root), untouched);
    assert.match(
      dry.stderr,
      /would pin azurerm_api_management_backend\.orders .*\n.*would pin azurerm_api_management_backend\.billing .*\n.*--dry-run: nothing was written\.\n$/,
    );
    const patched = spawnSync('patch', ['-p1', '--quiet'], { cwd: root, input: dry.stdout, encoding: 'utf8' });
    assert.equal(patched.status, 0, patched.stderr);
    const other = examplesCopy();
    assert.equal((await run(['backends.tf:24', 'terraform.tfvars:3', '--ca', CA], other)).code, 0);
    assert.deepEqual(snapshot(root), snapshot(other));
  });

  test('a Bicep backend by FILE:LINE', async () => {
    const root = examplesCopy();
    fs.copyFileSync(path.join(REPO_ROOT, 'test/fixtures/rules/APIM001/bicep-literal-false.bicep'), path.join(root, 'main.bicep'));
    const result = await run(['main.bicep:8', '--ca', CA], root);
    assert.equal(result.code, 0, result.stderr);
    const text = fs.readFileSync(path.join(root, 'main.bicep'), 'utf8');
    assert.match(text, /backends@2025-03-01-preview/);
    assert.match(text, new RegExp(`issuerCertificateThumbprint: '${CA_SHA1}'`));
    assert.deepEqual(
      (await lintDir(root)).filter((f) => f.file.endsWith('main.bicep')).map((f) => f.ruleId),
      [],
    );
  });

  describe('refusals write nothing and exit 2', () => {
    const refuse = async (files: Record<string, string | Buffer>, args: string[], message: RegExp) => {
      const root = examplesCopy();
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(root, name), content);
      const untouched = snapshot(root);
      const result = await run(args, root);
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, message);
      assert.deepEqual(snapshot(root), untouched);
      return root;
    };

    test('a leaf certificate needs --yes, and then pins the leaf itself', async () => {
      const root = await refuse(
        { 'leaf.pem': chain.leaf.pem },
        ['backends.tf:24', '--ca', 'leaf.pem'],
        /is the backend's own certificate \(a leaf\), not a CA\. .* \(--yes pins it anyway\)\.\n/,
      );
      const yes = await run(['backends.tf:24', '--ca', 'leaf.pem', '--yes'], root);
      assert.equal(yes.code, 0, yes.stderr);
      assert.match(yes.stdout, /, the leaf itself\) in backends\.tf\n$/);
      assert.match(fs.readFileSync(path.join(root, 'backends.tf'), 'utf8'), /serverCertificateThumbprints = \[/);
    });

    test('a root and its issuing CA: the issuing CA is pinned without asking; the root only with --yes', async () => {
      const sha1 = (der: Uint8Array) => createHash('sha1').update(der).digest('hex').toUpperCase();
      const root = await refuse(
        { 'cas.pem': chain.issuing.pem + chain.root.pem },
        ['backends.tf:24', '--ca', 'cas.pem', '--index', '1'],
        /Contoso Test Root CA is a self-signed root CA\. .* \(--yes pins it anyway\)\.\n/,
      );
      const issuing = await run(['backends.tf:24', '--ca', 'cas.pem'], root);
      assert.equal(issuing.code, 0, issuing.stderr);
      assert.match(fs.readFileSync(path.join(root, 'backends.tf'), 'utf8'), new RegExp(sha1(chain.issuing.der)));
    });

    test("a file of CAs that do not say which issues the backend's certificate needs --index", async () => {
      const other = await makeChain({ host: 'billing.internal.contoso.com' });
      const root = await refuse(
        { 'two.pem': chain.issuing.pem + other.issuing.pem },
        ['backends.tf:24', '--ca', 'two.pem'],
        /the file does not say which certificate issues the backend's: 0: CN=Contoso Test Issuing CA 01, O=Contoso \(.*\); 1: .* \(--index N picks one\)\.\n/,
      );
      const picked = await run(['backends.tf:24', '--ca', 'two.pem', '--index', '0'], root);
      assert.equal(picked.code, 0, picked.stderr);
    });

    test('a bundle whose leaf names another host needs --yes, and then pins the URL host', async () => {
      const elsewhere = await makeChain({ host: 'intranet.contoso.com' });
      const root = await refuse(
        { 'bundle.pem': elsewhere.bundlePem },
        ['backends.tf:24', '--ca', 'bundle.pem'],
        /The leaf certificate in this file is issued to intranet\.contoso\.com, but azurerm_api_management_backend\.orders calls orders\.internal\.contoso\.com\. .* \(--yes pins it anyway\)\.\n/,
      );
      const yes = await run(['backends.tf:24', '--ca', 'bundle.pem', '--yes'], root);
      assert.equal(yes.code, 0, yes.stderr);
      assert.match(fs.readFileSync(path.join(root, 'backends.tf'), 'utf8'), /name {24}= "orders\.internal\.contoso\.com"/);
    });

    test('a file holding a private key', async () => {
      await refuse({ 'key.pem': await privateKeyPem(chain.leaf) }, ['backends.tf:24', '--ca', 'key.pem'], /private key/);
    });

    test('a target that names no backend, and one refusal among several targets', async () => {
      await refuse({}, ['variables.tf:1', '--ca', CA], /^apim-tls-lint pin: no backend at variables\.tf:1\.\n$/);
      await refuse(
        { 'leaf.pem': chain.leaf.pem },
        ['backends.tf:24', 'azurerm_api_management_backend.partner["customs"]', '--ca', 'leaf.pem'],
        /refused: azurerm_api_management_backend\.orders: .*\n.*refused: .*partner\["customs"\].*\napim-tls-lint pin: nothing was written\.\n$/,
      );
    });

    test('usage errors', async () => {
      await refuse({}, ['backends.tf:24'], /pin needs --ca FILE/);
      await refuse({}, ['--host', '*.contoso.com', '--ca', CA], /--host goes with --all-unpinned/);
      await refuse({}, ['--all-unpinned', '--ca', CA], /--all-unpinned needs --host PATTERN/);
      await refuse({}, ['backends.tf:24', '--ca', CA, '--index', 'x'], /--index takes the position of a certificate/);
    });
  });

  test('--help', async () => {
    const result = await run(['--help'], os.tmpdir());
    assert.equal(result.code, 0);
    assert.match(result.stdout, /^Usage: apim-tls-lint pin FILE:LINE\|ADDRESS\.\.\. --ca FILE/);
  });
});
