// Does bootOrExit exit 78 with the ConfigError text, and 1 with secrets scrubbed for other failures?
import { z } from 'zod';
import { bootOrExit, EXIT_CONFIG } from './boot';
import { loadConfig } from './load-config';

function fakeIo() {
  const out: { text: string; codes: number[] } = { text: '', codes: [] };
  return { out, io: { stderr: { write: (t: string) => (out.text += t) }, exit: (c: number) => void out.codes.push(c) } };
}

describe('bootOrExit', () => {
  it('prints the config problems and exits with 78', async () => {
    const { out, io } = fakeIo();
    await bootOrExit(() => loadConfig(z.object({ MONGO_URL: z.string() }), {}), io);
    expect(out.codes).toEqual([EXIT_CONFIG]);
    expect(out.text).toContain('MONGO_URL: missing');
  });

  it('exits 1 on other start-up errors without printing secrets from their message', async () => {
    const { out, io } = fakeIo();
    await bootOrExit(async () => {
      throw new Error('connect failed for mongodb://admin:hunter2@db:27017 as ops@example.com');
    }, io);
    expect(out.codes).toEqual([1]);
    expect(out.text).toContain('connect failed');
    expect(out.text).not.toContain('hunter2');
    expect(out.text).not.toContain('ops@example.com');
  });

  it('does not exit when start-up succeeds', async () => {
    const { out, io } = fakeIo();
    await bootOrExit(async () => undefined, io);
    expect(out.codes).toEqual([]);
  });
});
