// What one fuzz input is: a seed group with mutations of one or two of its files, or a mutated certificate file.
// Cases are plain data (fast-check generates and shrinks them); `materialise` turns one into files and a label,
// the same way in the runner and in the worker that checks it.
import fc from 'fast-check';
import type { InputFile } from './check';
import { applyMutations, mutationArb, type Mutation, type MutationLimits } from './mutations';
import { privateKeyLines, type SeedFile, type SeedGroup } from './seeds';

export type FuzzCase =
  { kind: 'lint'; group: number; edits: Array<{ file: number; mutations: Mutation[] }> } | { kind: 'certificate'; seed: number; mutations: Mutation[] };

/** Nine lint cases to one certificate case; one to three mutations per file, one or two files per group. */
export function caseArb(groups: SeedGroup[], certificates: SeedFile[], limits: MutationLimits): fc.Arbitrary<FuzzCase> {
  const mutations = (format: SeedFile['format']) => fc.array(mutationArb(format === 'config' ? 'arm' : format, limits), { minLength: 1, maxLength: 3 });
  const lint = fc.nat({ max: groups.length - 1 }).chain((group) => {
    const files = groups[group].files;
    const edit = fc.nat({ max: files.length - 1 }).chain((file) => mutations(files[file].format).map((m) => ({ file, mutations: m })));
    return fc.array(edit, { minLength: 1, maxLength: 2 }).map((edits): FuzzCase => ({ kind: 'lint', group, edits }));
  });
  const certificate = fc
    .nat({ max: certificates.length - 1 })
    .chain((seed) => mutations('certificate').map((m): FuzzCase => ({ kind: 'certificate', seed, mutations: m })));
  return fc.oneof({ weight: 9, arbitrary: lint }, { weight: 1, arbitrary: certificate });
}

/** The files of a case, its seed's files with the mutations applied, and a line that says what it is. */
export function materialise(c: FuzzCase, groups: SeedGroup[], certificates: SeedFile[]): { files: InputFile[]; label: string } {
  if (c.kind === 'certificate') {
    const seed = certificates[c.seed];
    return {
      files: [{ ...seed, bytes: applyMutations(seed.bytes, 'certificate', c.mutations) }],
      label: `certificate ${seed.name} ${describeMutations(c.mutations)}`,
    };
  }
  const group = groups[c.group];
  const files = group.files.map((f) => ({ ...f }));
  const parts: string[] = [];
  for (const e of c.edits) {
    const f = files[e.file];
    f.bytes = applyMutations(f.bytes, f.format === 'config' ? 'arm' : f.format, e.mutations);
    parts.push(`${f.name} ${describeMutations(e.mutations)}`);
  }
  return { files, label: `${group.source}: ${parts.join('; ')}` };
}

/** The lines of the private key a certificate seed holds, if any: none may appear in what the reader returns. */
export function keyLinesOf(seed: SeedFile): string[] {
  return privateKeyLines(Buffer.from(seed.bytes).toString('latin1'));
}

function describeMutations(mutations: readonly Mutation[]): string {
  return JSON.stringify(mutations, (_, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v));
}
