// What the fuzzer starts from: the rule fixtures (each file, or each fixture folder as one group), the examples,
// and the real-world corpus in ../shared/corpus when it is there, plus certificate files and private keys made
// for the run. A group is linted together, as the files of one folder are.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME } from '../../server/src/core/config';
import { isCertificateFile } from '../../server/src/core/certificates/read';
import { formatOf } from '../../server/src/core/formats';
import { makeChain, privateKeyPem } from '../support/certs';
import { isFixedFile, toPosix } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';
import type { LintedFormat } from './mutations';

export interface SeedFile {
  /** Relative to the group's folder, with forward slashes. */
  name: string;
  bytes: Uint8Array;
  format: LintedFormat | 'certificate' | 'config';
}

export interface SeedGroup {
  /** Where the files come from, for messages. */
  source: string;
  files: SeedFile[];
}

export const RULE_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');
export const EXAMPLES = path.join(REPO_ROOT, 'examples');
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

/** Every seed group, in a stable order (the same seed then gives the same inputs). */
export function seedGroups(): SeedGroup[] {
  const groups: SeedGroup[] = [];
  for (const rule of fs.readdirSync(RULE_FIXTURES).sort()) {
    const dir = path.join(RULE_FIXTURES, rule);
    for (const name of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (fs.statSync(p).isDirectory()) groups.push(folderGroup(p));
      else if (!isFixedFile(p) && formatOf(p)) groups.push({ source: relative(p), files: [seedFile(p, name)] });
    }
  }
  groups.push(folderGroup(EXAMPLES));
  if (fs.existsSync(CORPUS)) {
    for (const sub of fs.readdirSync(CORPUS).sort()) {
      const dir = path.join(CORPUS, sub);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const name of fs.readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (formatOf(p)) groups.push({ source: `corpus/${sub}/${name}`, files: [seedFile(p, corpusName(name))] });
      }
    }
  }
  return groups.filter((g) => g.files.some((f) => f.format !== 'certificate' && f.format !== 'config'));
}

/** Certificate files of the fixtures and examples, with keys and a public key made for this run. */
export async function certificateSeeds(): Promise<SeedFile[]> {
  const out: SeedFile[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (isCertificateFile(p)) out.push(seedFile(p, e.name));
    }
  };
  walk(RULE_FIXTURES);
  walk(EXAMPLES);
  const chain = await makeChain();
  const key = await privateKeyPem(chain.leaf);
  const text = (name: string, s: string): SeedFile => ({ name, bytes: new Uint8Array(Buffer.from(s, 'utf8')), format: 'certificate' });
  out.push(text('bundle.pem', chain.bundlePem), { name: 'leaf.der', bytes: chain.leaf.der, format: 'certificate' });
  out.push(text('leaf.key.pem', key), text('leaf-with-key.pem', chain.leaf.pem + key));
  return out;
}

/** The base64 lines of a PEM private key in `text`: none of them may ever appear in a result. */
export function privateKeyLines(text: string): string[] {
  const m = /-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END/.exec(text);
  return m ? m[1].split(/\r?\n/).filter((l) => l.length >= 16) : [];
}

function folderGroup(dir: string): SeedGroup {
  const files: SeedFile[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!isFixedFile(p) && (formatOf(p) || isCertificateFile(p) || e.name === CONFIG_FILE_NAME)) files.push(seedFile(p, toPosix(path.relative(dir, p))));
    }
  };
  walk(dir);
  return { source: relative(dir), files };
}

function seedFile(p: string, name: string): SeedFile {
  const format = isCertificateFile(p) ? 'certificate' : path.basename(p) === CONFIG_FILE_NAME ? 'config' : (formatOf(p) as LintedFormat);
  return { name, bytes: new Uint8Array(fs.readFileSync(p)), format };
}

/** Corpus files are named `owner__repo__path__file.ext`; the linter cares about the extension and a short name. */
function corpusName(name: string): string {
  const ext = /\.(tf|tfvars|json|bicep|bicepparam)$/.exec(name)?.[0] ?? '';
  const stem = name.slice(0, name.length - ext.length).replace(/[^A-Za-z0-9]+/g, '-');
  return `${stem.slice(-40).replace(/^-+/, '')}${ext}`;
}

function relative(p: string): string {
  return toPosix(path.relative(REPO_ROOT, p)) || '.';
}
