import { Controller, Get, Res } from '@nestjs/common';
import { HealthRegistry, type ReadinessReport } from './health-registry';

/** The part of a Fastify reply the controller needs (keeps fastify types out of this lib). */
interface StatusReply {
  status(code: number): unknown;
}

@Controller()
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** Liveness: the process is up and its event loop answers. */
  @Get('healthz')
  liveness(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: every registered check passes and the service is not draining. */
  @Get('readyz')
  async readiness(@Res({ passthrough: true }) reply: StatusReply): Promise<ReadinessReport> {
    const report = await this.registry.readiness();
    reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
