/**
 * Teams waits five seconds for the answer to an invoke and then sends it again, twice
 * (Microsoft Learn, Teams "Respond to the dialog submit action": "If the app doesn't respond
 * within five seconds, the Teams client retries the request twice"; "The app must defer any
 * long-running actions after the bot replies to the invoke request"). A click-to-dial sent
 * again rings the phone again, so an invoke that places a call answers within this deadline
 * and lets a slow KPN EEN finish in the background.
 */
export const INVOKE_DEADLINE_MS = 4000;

export const LATE: unique symbol = Symbol('late');

/**
 * The result of `work` if it settles within `ms`, else LATE; a failure after the deadline goes
 * to `onLateFailure`, a failure before it is thrown as usual.
 */
export async function withinDeadline<T>(work: Promise<T>, ms: number, onLateFailure: (err: unknown) => void): Promise<T | typeof LATE> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), ms);
  });
  try {
    const result = await Promise.race([work, late]);
    if (result === LATE) work.catch(onLateFailure);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
