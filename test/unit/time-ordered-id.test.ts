import { timeOrderedId } from '../../core/time-ordered-id';

describe('timeOrderedId (UUID version 7, RFC 9562 section 5.7)', () => {
  it('is a version 7, variant 10 UUID whose first 48 bits are the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 1, 22, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by time as text, and differs within one millisecond', () => {
    const ids = [timeOrderedId(1_000), timeOrderedId(2_000), timeOrderedId(1_700_000_000_000), timeOrderedId(1_800_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedId(5_000)));
    expect(same.size).toBe(1000);
  });
});
