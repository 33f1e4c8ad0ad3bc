// `--fix` and `--fix-dry-run`: the batch of fixes equals the editor's way (one preferred quick fix at a time, re-linting
// in between) on examples/ and on every rule fixture; the CLI writes that, keeps line endings, indentation and a
// byte-order mark, changes nothing on a second run, leaves a file that would not parse alone, and its dry run prints a
// diff that patch(1) turns into the same files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { fixAll } from '../../server/src/core/fix-all';
import { parsesCleanly } from '../../server/src/core/syntax-check';
import type { Workspace } from '../../server/src/core/workspace';
import { applyEdits, fixtureCertificates, fixtureFiles, isFixedFile, lintTexts, toPosix } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';
import { isLintedFile } from '../../server/src/core/formats';

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function tempDir(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-fix-'));
  roots.push(root);
  return root;
}

/** A workspace holding `dir`'s files (and certificates), as the fixture runner builds it. */
async function workspaceOf(dir: string): Promise<{ workspace: Workspace; texts: Map<string, string> }> {
  const texts = new Map(fixtureFiles(dir).map((f) => [toPosix(f), fs.readFileSync(f, 'utf8')] as const));
  const { workspace } = await lintTexts(texts, undefined, undefined, fixtureCertificates(dir, true));
  return { workspace, texts };
}

/** The editor's way: the first finding's preferred fix, applied, then lint again; until no preferred fix is left. */
function oneAtATime(workspace: Workspace, texts: Map<string, string>): Map<string, string> {
  let current = new Map(texts);
  for (let step = 0; step < 200; step++) {
    const next = workspace.lint().findings.find((f) => f.fixes.some((x) => x.isPreferred && x.kind === 'fix'));
    if (!next) return current;
    current = applyEdits(current, next.fixes.find((x) => x.isPreferred && x.kind === 'fix')!.edits);
    for (const [file, text] of current) workspace.setFile(file, text);
  }
  throw new Error('the fixes did not settle in 200 steps');
}

async function batch(workspace: Workspace, texts: Map<string, string>): Promise<Map<string, string>> {
  const result = fixAll(workspace, { parsesCleanly: (file, text) => parsesCleanly(file, text, workspace.formats()) });
  assert.deepEqual(result.refused, []);
  assert.equal(result.settled, true);
  return new Map([...texts].map(([file]) => [file, workspace.textOf(file)!]));
}

async function run(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

describe('fixing everything at once equals fixing one at a time', () => {
  test('examples/: the batch gives the texts the editor reaches fix by fix, and they parse', async () => {
    const dir = path.join(REPO_ROOT, 'examples');
    const editor = await workspaceOf(dir);
    const expected = oneAtATime(editor.workspace, editor.texts);
    const changed = [...expected].filter(([file, text]) => editor.texts.get(file) !== text).map(([file]) => path.basename(file));
    assert.deepEqual(changed.sort(), ['apim.tf', 'backends.tf', 'pinned.tf'], 'examples/ has fixable findings in three files');
    const cli = await workspaceOf(dir);
    assert.deepEqual(await batch(cli.workspace, cli.texts), expected);
  });

  test('every rule fixture: the batch equals one at a time', async () => {
    const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');
    let fixable = 0;
    for (const ruleId of fs.readdirSync(fixtures).sort()) {
      for (const name of fs.readdirSync(path.join(fixtures, ruleId)).sort()) {
        const fixture = path.join(fixtures, ruleId, name);
        if (isFixedFile(fixture) || name.startsWith('.') || (fs.statSync(fixture).isFile() && !isLintedFile(fixture))) continue;
        // A single-file fixture is linted alone, as the fixture runner does.
        const load = async () => {
          if (fs.statSync(fixture).isDirectory()) return workspaceOf(fixture);
          const texts = new Map([[toPosix(fixture), fs.readFileSync(fixture, 'utf8')]]);
          return { workspace: (await lintTexts(texts)).workspace, texts };
        };
        const editor = await load();
        const expected = oneAtATime(editor.workspace, editor.texts);
        if ([...expected].some(([file, text]) => editor.texts.get(file) !== text)) fixable++;
        const cli = await load();
        assert.deepEqual(await batch(cli.workspace, cli.texts), expected, `${ruleId}/${name}`);
      }
    }
    assert.ok(fixable > 20, `${fixable} fixtures have fixes to apply`);
  });

  test('a file whose fixed text would not parse is put back, and the fixes of other files still land', async () => {
    const a = '/ws/a.tf';
    const b = '/ws/b.tf';
    const backend = (name: string) =>
      `resource "azurerm_api_management_backend" "${name}" {\n  name = "${name}"\n  url  = "https://${name}.contoso.com"\n  tls {\n    validate_certificate_name = false\n  }\n}\n`;
    const { workspace } = await lintTexts(
      new Map([
        [a, backend('a')],
        [b, backend('b')],
      ]),
    );
    // A stand-in judgement at the seam: b.tf's fixed text counts as broken; otherwise the real parser judges.
    const result = fixAll(workspace, {
      parsesCleanly: (file, text) => !(file === b && text.includes('= true')) && parsesCleanly(file, text, workspace.formats()),
    });
    assert.deepEqual(result.refused, [{ file: b, reason: 'the fixed text would not parse' }]);
    assert.deepEqual([...result.changed.keys()], [a]);
    assert.match(workspace.textOf(a)!, /validate_certificate_name = true/);
    assert.equal(workspace.textOf(b), backend('b'));
  });
});

describe('apim-tls-lint --fix', () => {
  test('fixes examples/ as the editor would, prints what remains, and a second run changes nothing', async () => {
    const root = tempDir();
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, 'examples-copy'), { recursive: true });
    const editor = await workspaceOf(path.join(REPO_ROOT, 'examples'));
    const expected = oneAtATime(editor.workspace, editor.texts);

    const first = await run(['--fix', 'examples-copy'], root);
    assert.equal(first.code, 1, 'warnings remain (the pins need certificate files)');
    assert.equal(
      first.stderr,
      'apim-tls-lint: fixed 5 findings in 3 files: examples-copy/apim.tf (3), examples-copy/backends.tf (1), examples-copy/pinned.tf (1).\n',
    );
    for (const [file, text] of expected) {
      assert.equal(fs.readFileSync(path.join(root, 'examples-copy', path.basename(file)), 'utf8'), text, path.basename(file));
    }
    assert.deepEqual(
      first.stdout
        .split('\n')
        .filter((l) => /^examples-copy\//.test(l))
        .map((l) => l.split(' ').slice(0, 3).join(' ')),
      [
        'examples-copy/apim.tf:17:3: warning APIM004',
        'examples-copy/backends.tf:24:34: warning APIM001',
        'examples-copy/backends.tf:50:25: warning APIM012',
        'examples-copy/backends.tf:76:24: warning APIM001',
        'examples-copy/terraform.tfvars:3:26: warning APIM001',
      ],
    );
    const fixed = snapshot(path.join(root, 'examples-copy'));
    const second = await run(['--fix', 'examples-copy'], root);
    assert.equal(second.stderr, 'apim-tls-lint: nothing to fix.\n');
    assert.equal(second.stdout, first.stdout);
    assert.deepEqual(snapshot(path.join(root, 'examples-copy')), fixed);
    // The fixed files lint the same as a plain run says.
    assert.equal((await run(['examples-copy'], root)).stdout, first.stdout);
  });

  test('--fix-dry-run writes nothing and prints a diff that patch -p1 turns into what --fix writes', async () => {
    const root = tempDir();
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, 'examples-copy'), { recursive: true });
    const untouched = snapshot(path.join(root, 'examples-copy'));
    const dry = await run(['--fix-dry-run', 'examples-copy'], root);
    assert.equal(dry.code, 1);
    assert.deepEqual(snapshot(path.join(root, 'examples-copy')), untouched, 'nothing written');
    assert.match(dry.stdout, /^--- a\/examples-copy\/apim\.tf\n\+\+\+ b\/examples-copy\/apim\.tf\n@@ /);
    assert.match(dry.stdout, /\n- {4}validate_certificate_name {2}= false\n\+ {4}validate_certificate_name {2}= true\n/);
    assert.match(dry.stderr, /^apim-tls-lint: --fix-dry-run: 5 findings would be fixed in 3 files \(.*\); nothing was written\.\n$/);
    const patched = spawnSync('patch', ['-p1', '--quiet'], { cwd: root, input: dry.stdout, encoding: 'utf8' });
    assert.equal(patched.status, 0, patched.stderr + patched.stdout);
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(root, 'fixed'), { recursive: true });
    await run(['--fix', 'fixed'], root);
    assert.deepEqual(snapshot(path.join(root, 'examples-copy')), snapshot(path.join(root, 'fixed')));
    const again = await run(['--fix-dry-run', 'examples-copy'], root);
    assert.equal(again.stdout, '', 'nothing left to fix once the diff is applied');
    assert.equal(again.stderr, 'apim-tls-lint: nothing to fix.\n');
  });

  test('keeps CRLF line endings, tab indentation and a byte-order mark', async () => {
    const root = tempDir();
    const text = [
      'resource "azurerm_api_management_backend" "orders" {',
      '\tname = "orders"',
      '\turl  = "https://orders.contoso.com"',
      '\ttls {',
      '\t\tvalidate_certificate_chain = true',
      '\t\tvalidate_certificate_name  = false',
      '\t}',
      '}',
      '',
    ].join('\r\n');
    fs.writeFileSync(path.join(root, 'main.tf'), '\ufeff' + text);
    const result = await run(['--fix', '.'], root);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'), '\ufeff' + text.replace('name  = false', 'name  = true'));
  });

  test('a value fixed where it is written (terraform.tfvars) when only the .tf file is named', async () => {
    const root = tempDir();
    fs.writeFileSync(
      path.join(root, 'main.tf'),
      'variable "name_check" {\n  type = bool\n}\n\nresource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com"\n  tls {\n    validate_certificate_name = var.name_check\n  }\n}\n',
    );
    fs.writeFileSync(path.join(root, 'terraform.tfvars'), 'name_check = false\n');
    const result = await run(['--fix', 'main.tf'], root);
    assert.equal(result.stderr, 'apim-tls-lint: fixed 1 finding in 1 file: terraform.tfvars (1).\n');
    assert.equal(fs.readFileSync(path.join(root, 'terraform.tfvars'), 'utf8'), 'name_check = true\n');
  });

  test('only the files asked about are fixed', async () => {
    const root = tempDir();
    const backend =
      'resource "azurerm_api_management_backend" "x" {\n  name = "x"\n  url  = "https://x.contoso.com"\n  tls {\n    validate_certificate_name = false\n  }\n}\n';
    fs.mkdirSync(path.join(root, 'a'));
    fs.mkdirSync(path.join(root, 'b'));
    fs.writeFileSync(path.join(root, 'a', 'main.tf'), backend);
    fs.writeFileSync(path.join(root, 'b', 'main.tf'), backend);
    await run(['--fix', 'a'], root);
    assert.match(fs.readFileSync(path.join(root, 'a', 'main.tf'), 'utf8'), /= true/);
    assert.equal(fs.readFileSync(path.join(root, 'b', 'main.tf'), 'utf8'), backend);
  });

  test('a file that does not parse is left as it is and said so; its findings are still reported', async () => {
    const root = tempDir();
    const damaged =
      'resource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com"\n  tls {\n    validate_certificate_name = false\n  }\n}\n\nresource "azurerm_api_management_api" "half" {\n  name = \n';
    fs.writeFileSync(path.join(root, 'main.tf'), damaged);
    const result = await run(['--fix', '.'], root);
    assert.equal(result.stderr, 'apim-tls-lint: nothing to fix.\napim-tls-lint: left main.tf unchanged: it does not parse (before the fixes either).\n');
    assert.equal(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'), damaged);
    assert.match(result.stdout, /main\.tf:5:33: warning APIM002 /);
    assert.equal(result.code, 1);
  });

  test('usage: --fix-dry-run prints a diff only, and the two options exclude each other', async () => {
    const root = tempDir();
    assert.match((await run(['--fix-dry-run', '--format', 'json', '.'], root)).stderr, /--fix-dry-run prints a diff; --format does not apply to it\./);
    assert.match((await run(['--fix', '--fix-dry-run', '.'], root)).stderr, /--fix and --fix-dry-run exclude each other\./);
    assert.equal((await run(['--fix=yes', '.'], root)).code, 2);
  });
});
