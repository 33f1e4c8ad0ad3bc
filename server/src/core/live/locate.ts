// Which backend a live check is about: the one at a position of a file (the editor), or the ones a command line
// names by `file:line`, resource address or APIM backend name. Instances of a `for_each` share their block, so a
// position can name several; the caller asks which.
import { asString, type Backend } from '../model';

/** Backends whose block holds `offset` (the innermost block's instances), else one whose URL or flag value is written there. */
export function backendsAt(backends: readonly Backend[], file: string, offset: number): Backend[] {
  const inside = (span: { file: string; start: number; end: number } | undefined) => !!span && span.file === file && span.start <= offset && offset <= span.end;
  const blocks = backends.filter((b) => inside(b.block));
  if (blocks.length) {
    const innermost = Math.max(...blocks.map((b) => b.block.start));
    return blocks.filter((b) => b.block.start === innermost);
  }
  return backends.filter((b) => [b.validateChain, b.validateName, b.url].some((bound) => inside(bound?.val.span) || inside(bound?.consumer)));
}

/**
 * Backends a name picks: an instance (`azurerm_api_management_backend.orders["eu"]`), a resource address (every
 * instance of it), or the backend's own name in APIM (`orders-backend`).
 */
export function backendsNamed(backends: readonly Backend[], name: string): Backend[] {
  const wanted = name.trim();
  const byInstance = backends.filter((b) => b.name === wanted);
  if (byInstance.length) return byInstance;
  const byAddress = backends.filter((b) => b.address === wanted);
  if (byAddress.length) return byAddress;
  return backends.filter((b) => asString(b.backendName) === wanted);
}
