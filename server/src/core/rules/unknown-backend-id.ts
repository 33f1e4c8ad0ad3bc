import { asString, type Backend, type Model, type Policy } from '../model';
import { backendIdOf, backendsOfService, renamedTo, serviceIdOf } from '../policies/routes';
import type { Fix, TextEdit } from '../types';
import type { Rule } from './rule';

export const unknownBackendId: Rule = {
  meta: {
    id: 'APIM020',
    name: 'unknown-backend-id',
    defaultSeverity: 'error',
    summary: '`<set-backend-service backend-id>` names no backend of its service (a rename that left references behind).',
    formats: ['terraform', 'arm', 'bicep', 'policy'],
  },
  check(model, ctx) {
    for (const policy of model.policies ?? []) {
      // Only a configuration that defines its service's backends, every one by a known name, can say one is missing.
      const backends = backendsOfService(model, policy);
      if (backends.length === 0 || backends.some((b) => backendIdOf(b) === undefined)) continue;
      const names = backends.map((b) => backendIdOf(b)!);
      const known = new Set(names.map((n) => n.toLowerCase()));
      for (const ref of policy.backendIds) {
        const id = asString(ref.val);
        if (id === undefined || !ref.val.span || known.has(id.toLowerCase())) continue;
        const target = renamedTo(id, names);
        const fix = target === undefined ? undefined : renameFix(model, policy, id, target);
        ctx.report({
          span: ref.val.span,
          message:
            `The policy of ${policy.name} routes to backend '${id}', which its service does not define: at runtime every call fails. ` +
            (target === undefined
              ? `Its backends are ${names.map((n) => `'${n}'`).join(', ')}.`
              : `It was most likely renamed to '${target}'${fix && fix.edits.length > 1 ? ` (${fix.edits.length} references to '${id}' left)` : ''}.`),
          related: backends.slice(0, 5).map((b: Backend) => ({ ...b.header, message: `Backend '${backendIdOf(b)}' of the same service` })),
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};

/**
 * Every reference to `oldId` in the policies of the service, moved to `target` at once: the rename that was done
 * halfway, finished. References the edit cannot write as they are (escaped, built by an expression) stay reported.
 */
function renameFix(model: Model, policy: Policy, oldId: string, target: string): Fix | undefined {
  const service = serviceIdOf(policy);
  const edits: TextEdit[] = [];
  for (const p of model.policies ?? []) {
    if (serviceIdOf(p) !== service) continue;
    for (const ref of p.backendIds) {
      if (!ref.editable || !ref.val.span || asString(ref.val)?.toLowerCase() !== oldId.toLowerCase()) continue;
      if (!edits.some((e) => e.file === ref.val.span!.file && e.start === ref.val.span!.start)) edits.push({ ...ref.val.span, newText: target });
    }
  }
  if (edits.length === 0) return undefined;
  return {
    title: edits.length === 1 ? `Use backend '${target}'` : `Use backend '${target}' in all ${edits.length} policies that name '${oldId}'`,
    isPreferred: true,
    kind: 'fix',
    edits,
  };
}
