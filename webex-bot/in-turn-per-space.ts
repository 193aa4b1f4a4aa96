import { KeyedSerial } from '../core';

/**
 * The space a Webex webhook event belongs to: `data.roomId` for messages, memberships and
 * attachmentActions, `data.id` for rooms (https://developer.webex.com/docs/api/guides/webhooks).
 */
export function spaceOfEvent(event: Record<string, unknown>): string | undefined {
  const data = event.data as Record<string, unknown> | undefined;
  const id = event.resource === 'rooms' ? data?.id : data?.roomId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Hands events to `deliver` one at a time per space, in the order they came; different spaces
 * (and events without one) still run side by side.
 *
 * Why: webex-node-bot-framework 2.3.14 drops an event from a space while it is still spawning
 * the bot for that space. An event from a space it has no bot for (node_modules/webex-node-bot-
 * framework/lib/framework.js:1140 onMessageCreated; the same in onAttachmentActions :1369 and
 * onMembershipCreated :891) lists the bot's membership and calls spawn() (:1343), and spawn()
 * answers false at once when that space is in `roomsSpawningNow` (:1432-1435); the caller then
 * ends with `when(false)` (:1349): the message is gone, nobody is told. The bot is only in
 * `this.bots` after spawn's rooms.get, initStorage and membership rules have run (:1458-1524),
 * so two messages at once in a space without a bot (a new space, or any space after a restart:
 * maxStartupSpaces is 0) lose all but one. Besides, `_.remove(list, roomId)` (:1489, :1513,
 * :1592) returns the removed items, none for a string predicate, so every finished spawn empties
 * `roomsSpawningNow` for every space: that guard cannot be trusted to stop a second spawn either.
 * With one event per space in the framework at a time, no space ever has two spawns under way,
 * and its second event starts after the first's spawn has put its bot in `this.bots`.
 *
 * `maxWaitMs` bounds how long a space waits for its previous event, so one hung call to Webex
 * delays that space's next events instead of stopping them for good. A space is forgotten as
 * soon as its last event is done, so the map holds only spaces with events under way.
 */
export function inTurnPerSpace(
  deliver: (event: Record<string, unknown>) => Promise<unknown>,
  maxWaitMs = 30_000,
): { deliver: (event: Record<string, unknown>) => Promise<unknown>; busySpaces: () => number } {
  const spaces = new KeyedSerial();
  return {
    deliver(event) {
      const space = spaceOfEvent(event);
      if (space === undefined) return deliver(event);
      let delivered: Promise<unknown> = Promise.resolve();
      // The space's turn ends when the event is done, or after maxWaitMs; its caller still hears how it ended.
      const turn = spaces.run(space, () => {
        delivered = deliver(event);
        return atMost(delivered, maxWaitMs);
      });
      return turn.then(() => delivered);
    },
    busySpaces: () => spaces.size,
  };
}

function atMost(previous: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([previous.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}
