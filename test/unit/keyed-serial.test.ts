import { KeyedSerial } from '../../core';

describe('KeyedSerial', () => {
  const tick = () => new Promise((r) => setTimeout(r, 5));

  it('runs one key one task at a time, in order, and other keys alongside', async () => {
    const serial = new KeyedSerial();
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`${name} start`);
      await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([serial.run('a', task('a1')), serial.run('a', task('a2')), serial.run('b', task('b1'))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 start')).toBeLessThan(log.indexOf('a1 end'));
  });

  it("gives a failure to its own caller only, and the key's next task still runs", async () => {
    const serial = new KeyedSerial();
    const failed = serial.run('a', async () => {
      await tick();
      throw new Error('boom');
    });
    const next = serial.run('a', async () => 'after');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('after');
  });

  it('forgets a key once nothing is queued for it', async () => {
    const serial = new KeyedSerial();
    await serial.run('a', async () => tick());
    await tick();
    expect(serial.size).toBe(0);
  });
});
