import { AZAPI_SCHEMA_SINCE } from '../api-versions';
import { replace } from '../fixes/hcl';
import type { Fix } from '../types';
import { admitsSome } from '../version-constraints';
import type { Rule } from './rule';

export const azapiVersionTooOld: Rule = {
  meta: {
    id: 'APIM018',
    name: 'azapi-version-too-old',
    defaultSeverity: 'error',
    summary: "An azapi_resource backend's api-version needs a newer azapi than the configuration's version constraint allows.",
    formats: ['terraform'],
  },
  check(model, ctx) {
    for (const backend of model.backends) {
      const { deployer, apiVersion } = backend;
      const needed = apiVersion && deployer ? AZAPI_SCHEMA_SINCE[apiVersion.value.trim().toLowerCase()] : undefined;
      // No constraint written: `terraform init` takes the newest release, which knows the api-version.
      if (!deployer || !apiVersion || !needed || deployer.constraints.length === 0) continue;
      const values = deployer.constraints.map((c) => c.value);
      if (!admitsSome(values, `<${needed}`)) continue;
      const raised = `~> ${needed.replace(/\.0$/, '')}`;
      for (const constraint of deployer.constraints) {
        if (!admitsSome([constraint.value], `<${needed}`)) continue;
        // Raising the lower bound is safe within azapi 2.x; from 1.x the bodies must change too (jsonencode to objects).
        const fixes: Fix[] = admitsSome([constraint.value], '>=2.0.0')
          ? [
              {
                title: `Require azapi ${raised}`,
                kind: 'fix',
                isPreferred: true,
                edits: [replace(constraint.span.file, constraint.span.start, constraint.span.end, `"${raised}"`)],
              },
            ]
          : [];
        ctx.report({
          span: constraint.span,
          message:
            `${backend.name} is an azapi_resource at api-version ${apiVersion.value}, which azapi knows only from ${needed}; ` +
            `the constraint ${JSON.stringify(constraint.value)} admits older releases, and with one of them the plan fails ` +
            `("api-version is invalid"). Require azapi ${raised}, or write the pins with azapi_update_resource, which is not schema-validated.`,
          related: [{ ...apiVersion.span, message: `api-version ${apiVersion.value} of ${backend.name}` }],
          fixes,
        });
      }
    }
  },
};
