// What the Azure Pipelines agent exports to every job step (made-up ids of the right shapes), for tests of the
// SARIF a pipeline run uploads.
export const AZURE_PIPELINES_ENV: Readonly<Record<string, string>> = {
  TF_BUILD: 'True',
  SYSTEM_COLLECTIONURI: 'https://dev.azure.com/contoso/',
  SYSTEM_TEAMPROJECTID: '4f0e2b1c-8a3d-4c55-9e1f-0a6b7c8d9e01',
  BUILD_DEFINITIONID: '42',
  BUILD_DEFINITIONNAME: 'apim-infra',
  BUILD_BUILDID: '1717',
  SYSTEM_PHASEID: '9d3c1e55-2b4a-4f60-8e7d-6c5b4a392817',
  SYSTEM_PHASENAME: 'Lint',
  BUILD_SOURCEBRANCH: 'refs/heads/main',
};
