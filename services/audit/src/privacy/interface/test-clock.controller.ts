import { Body, Controller, Put } from '@nestjs/common';
import { parseOrThrow } from '@enclave/platform';
import { PrivacyRuntime } from '../privacy-runtime';
import { testClockBody } from './http-schemas';

/**
 * PUT /v1/test/clock {offsetMs}: shifts the privacy clock (due dates, overdue, grace, jobs) of a
 * loopback test stack. Registered only with TEST_CLOCK_ENABLED=true, which config refuses in
 * production; no session (end-to-end tests drive it).
 */
@Controller('v1/test/clock')
export class TestClockController {
  constructor(private readonly privacy: PrivacyRuntime) {}

  @Put()
  set(@Body() body: unknown) {
    const { offsetMs } = parseOrThrow(testClockBody, body, 'body');
    this.privacy.clock.setOffset(offsetMs);
    return { offsetMs, now: new Date(this.privacy.clock.now()).toISOString() };
  }
}
