import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { parseOrThrow } from '@enclave/platform';
import { CurrentSession, Roles, SessionGuard, type SessionClaims } from '@enclave/session';
import { positiveIntParam } from '../../log/interface/http-schemas';
import { checkpointResponse } from '../../checkpoints/interface/checkpoint-response';
import { tenantOf } from '../../shared/http-actor';
import { Prove } from '../application/prove';

const inclusionQuery = z
  .object({ seq: positiveIntParam(), treeSize: positiveIntParam().optional() })
  .strict()
  .refine((q) => q.treeSize === undefined || q.seq <= q.treeSize, { message: 'seq must not exceed treeSize', path: ['seq'] });

const consistencyQuery = z
  .object({ from: positiveIntParam(), to: positiveIntParam().optional() })
  .strict()
  .refine((q) => q.to === undefined || q.from <= q.to, { message: 'from must not exceed to', path: ['from'] });

/** RFC 9162 proofs over the tenant's Merkle tree; sizes default to the latest checkpoint's (auditor, owner). */
@Controller('v1/tenants/:tenantId/audit/proofs')
@UseGuards(SessionGuard)
@Roles('auditor', 'owner')
export class ProofsController {
  constructor(private readonly prove: Prove) {}

  @Get('inclusion')
  async inclusion(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const { seq, treeSize } = parseOrThrow(inclusionQuery, query, 'query');
    const answer = await this.prove.inclusion(tenantOf(session), seq, treeSize);
    return { ...answer, checkpoint: answer.checkpoint && checkpointResponse(answer.checkpoint) };
  }

  @Get('consistency')
  async consistency(@Query() query: unknown, @CurrentSession() session: SessionClaims) {
    const { from, to } = parseOrThrow(consistencyQuery, query, 'query');
    const answer = await this.prove.consistency(tenantOf(session), from, to);
    return {
      ...answer,
      fromCheckpoint: answer.fromCheckpoint && checkpointResponse(answer.fromCheckpoint),
      toCheckpoint: answer.toCheckpoint && checkpointResponse(answer.toCheckpoint),
    };
  }
}
