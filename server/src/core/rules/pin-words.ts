// How to pin, in the words of the file the user is editing (DESIGN §3: an ARM or Bicep finding never tells the user
// to write an azapi overlay). Each format says it (SourceFormat.words); the rules that ask for a pin share these
// phrases and never name a format themselves.
import { PIN_API_VERSION } from '../api-versions';
import type { Backend } from '../model';
import type { RuleContext } from './rule';

/** Where a backend's pin is written, said by the format of the file that declares it. */
export function howToPin(ctx: Pick<RuleContext, 'formatOf'>, backend: Backend): string {
  return ctx.formatOf(backend.header.file)?.words?.howToPin(backend) ?? NEUTRAL;
}

/** The same for the backends of a service, said from the file that declares the service. */
export function howToPinBackendsOf(ctx: Pick<RuleContext, 'formatOf'>, serviceFile: string): string {
  return ctx.formatOf(serviceFile)?.words?.howToPinBackends ?? NEUTRAL;
}

/** For a format that has no words of its own: what every format's pin writes, in the API's terms. */
const NEUTRAL = `properties.tls.serverX509Names on the backend, at api-version ${PIN_API_VERSION} or later`;
