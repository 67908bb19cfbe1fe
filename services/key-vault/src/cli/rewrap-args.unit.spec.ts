// Which command lines does the re-wrap CLI accept?
import { parseArgs } from './rewrap';

describe('rewrap CLI arguments', () => {
  it('takes optional positive batch size and key limit', () => {
    expect(parseArgs([])).toEqual({});
    expect(parseArgs(['--batch-size', '50', '--max-keys', '10'])).toEqual({ batchSize: 50, maxKeys: 10 });
  });

  it.each([['--batch-size'], ['--batch-size', '0'], ['--max-keys', 'ten'], ['--force'], ['--batch-size', '1.5']])('refuses %p', (...argv) => {
    expect(() => parseArgs(argv)).toThrow(/unknown or malformed argument/);
  });
});
