import { describe, expect, it } from 'vitest';
import { keyTurns } from '../../src/_lib/key-turns.js';

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe('keyTurns: tasks naming one key run one at a time, first come first served', () => {
  it('runs tasks on one key in the order they came, never two at once', async () => {
    const inTurn = keyTurns(10_000);
    const order: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        inTurn(['k'], async () => {
          running++;
          most = Math.max(most, running);
          await tick(Math.random() * 3);
          order.push(i);
          running--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('runs tasks on different keys side by side', async () => {
    const inTurn = keyTurns(10_000);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await tick(5);
      running--;
    };
    await Promise.all([inTurn(['a'], task), inTurn(['b'], task), inTurn([], task)]);
    expect(most).toBe(3);
  });

  it('tasks naming crossing keys in opposite orders all end (no deadlock)', async () => {
    const inTurn = keyTurns(60_000);
    const done: string[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const keys = i % 3 === 0 ? ['x', 'y'] : i % 3 === 1 ? ['y', 'x'] : ['y', 'z', 'x'];
        return inTurn(keys, async () => {
          await tick();
          done.push(keys.join());
        });
      }),
    );
    expect(done).toHaveLength(30);
  });

  it('a task naming one key twice does not wait on itself, and the turn is free after it', async () => {
    const inTurn = keyTurns(60_000);
    await expect(inTurn(['k', 'k'], async () => 'ran')).resolves.toBe('ran');
    const started = Date.now();
    await expect(inTurn(['k'], async () => 'next')).resolves.toBe('next');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a task that fails hands the turn on, and its error reaches its caller', async () => {
    const inTurn = keyTurns(10_000);
    const failing = inTurn(['k'], async () => {
      await tick();
      throw new Error('boom');
    });
    const next = inTurn(['k'], async () => 'next ran');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next ran');
  });

  it('a task behind one that never ends goes ahead after the longest wait', async () => {
    const inTurn = keyTurns(20);
    void inTurn(['k'], () => new Promise<never>(() => {}));
    const started = Date.now();
    await expect(inTurn(['k'], async () => 'went ahead')).resolves.toBe('went ahead');
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });
});
