import { Controller, Get, Inject, Post, Query, Res, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { limitParam, positiveIntParam } from '../../log/interface/http-schemas';
import { actorOf, tenantOf } from '../../shared/http-actor';
import { MakeCheckpoint } from '../application/make-checkpoint';
import type { CheckpointStore } from '../application/ports';
import { checkpointResponse } from './checkpoint-response';
import { CheckpointStoreToken } from './tokens';

const listQuery = z.object({ before: positiveIntParam().optional(), limit: limitParam(100).optional() }).strict();

/** Signed checkpoints of the tenant's log: list them, or sign one now (auditor, owner). */
@Controller('v1/tenants/:tenantId/audit/checkpoints')
@UseGuards(SessionGuard)
@Roles('auditor', 'owner')
export class CheckpointsController {
  constructor(
    private readonly make: MakeCheckpoint,
    @Inject(CheckpointStoreToken) private readonly checkpoints: CheckpointStore,
  ) {}

  /** Newest first; pass nextBefore as `before` for the next page. */
  @Get()
  async list(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const { before, limit = 20 } = parseOrThrow(listQuery, query, 'query');
    const page = await this.checkpoints.newestFirst(tenantOf(session), before, limit + 1);
    const checkpoints = page.slice(0, limit);
    return { checkpoints: checkpoints.map(checkpointResponse), nextBefore: page.length > limit ? checkpoints.at(-1)!.treeSize : null };
  }

  /** 201 with the new checkpoint when the tree grew; 200 with the latest (or null) when it did not. */
  @Post()
  async create(@CurrentSession() session: SessionClaims, @Res({ passthrough: true }) reply: { status(code: number): unknown }) {
    const outcome = await this.make.execute(tenantOf(session), 'request', actorOf(session));
    reply.status(outcome.created ? 201 : 200);
    return {
      created: outcome.created,
      ...(!outcome.created && { reason: outcome.reason }),
      checkpoint: outcome.checkpoint && checkpointResponse(outcome.checkpoint),
    };
  }
}
