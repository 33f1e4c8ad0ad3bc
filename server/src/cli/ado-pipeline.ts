// The Azure Pipelines run a SARIF log comes from, read from the agent's predefined variables. GitHub Advanced Security
// for Azure DevOps files a run under its pipeline and drops one whose automationDetails lacks that identity; the
// shape (id prefix and the four azuredevops/pipeline/build/* properties) is what Microsoft's SARIF Multitool checks
// as GHAzDO1019/GHAzDO1020 and writes itself in a pipeline.

export interface AutomationDetails {
  id: string;
  properties?: Record<string, string>;
}

export type AdoDetection = { state: 'none' } | { state: 'complete'; details: AutomationDetails } | { state: 'partial'; problems: string[] };

const PREFIX = 'azuredevops/pipeline/build/';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** `none` outside Azure Pipelines (no `TF_BUILD=True`); `partial` when the agent's variables are incomplete. */
export function detectAdoPipeline(env: Readonly<Record<string, string | undefined>>): AdoDetection {
  if (!/^(true|1)$/i.test((env.TF_BUILD ?? '').trim())) return { state: 'none' };
  const problems: string[] = [];
  const read = (...names: string[]): [string, string] | undefined => {
    for (const name of names) {
      const value = env[name]?.trim();
      if (value) return [name, value];
    }
    problems.push(`${names[0]} is not set`);
    return undefined;
  };
  const collection = read('SYSTEM_COLLECTIONURI');
  const project = read('SYSTEM_TEAMPROJECTID');
  const definitionId = read('BUILD_DEFINITIONID', 'SYSTEM_DEFINITIONID');
  const definitionName = read('BUILD_DEFINITIONNAME');
  const buildId = read('BUILD_BUILDID');
  const phaseId = read('SYSTEM_PHASEID', 'SYSTEM_JOBID');
  const phaseName = read('SYSTEM_PHASENAME', 'SYSTEM_JOBNAME');
  const branch = read('BUILD_SOURCEBRANCH');
  const organization = collection && organizationOf(collection[1]);
  if (collection && !organization) problems.push(`${collection[0]}=${collection[1]} names no dev.azure.com or visualstudio.com organization`);
  for (const guid of [project, phaseId]) {
    if (guid && (!GUID.test(guid[1]) || guid[1] === EMPTY_GUID)) problems.push(`${guid[0]}=${guid[1]} is not a GUID`);
  }
  for (const int of [definitionId, buildId]) {
    if (int && !/^[1-9]\d*$/.test(int[1])) problems.push(`${int[0]}=${int[1]} is not a positive integer`);
  }
  if (problems.length || !organization || !project || !definitionId || !definitionName || !buildId || !phaseId || !phaseName || !branch) {
    return { state: 'partial', problems };
  }
  const ref = branch[1].startsWith('refs/') ? branch[1] : `refs/heads/${branch[1]}`;
  const phase = phaseId[1].toLowerCase();
  return {
    state: 'complete',
    details: {
      id: `${PREFIX}${organization}/${project[1].toLowerCase()}/${definitionId[1]}/${phase}/${ref}/${buildId[1]}`,
      properties: {
        [`${PREFIX}buildDefinitionId`]: definitionId[1],
        [`${PREFIX}buildDefinitionName`]: definitionName[1],
        [`${PREFIX}phaseId`]: phase,
        [`${PREFIX}phaseName`]: phaseName[1],
      },
    },
  };
}

/** `https://dev.azure.com/<org>/` or `https://<org>.visualstudio.com/` (also their vsrm. forms). */
function organizationOf(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  if (host === 'dev.azure.com' || host === 'vsrm.dev.azure.com') return url.pathname.split('/').find(Boolean);
  const sub = /^(.+?)(?:\.vsrm)?\.visualstudio\.com$/.exec(host);
  return sub?.[1];
}
