import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../../application/ports';

/** The system resolver (what an HTTP client would use); [] when the name does not resolve. */
export class DnsHostResolver implements HostResolver {
  constructor(private readonly timeoutMs = 3000) {}

  async lookup(host: string): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), this.timeoutMs);
    });
    const answer = lookup(host, { all: true, verbatim: true }).then(
      (addresses) => addresses.map((a) => a.address),
      () => [] as string[],
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
