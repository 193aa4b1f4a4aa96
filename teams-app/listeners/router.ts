import { own, type Actor, type User } from '../../core';
import type { IncomingTurn, InvokeResult, TurnIo } from '../turn';

/** `who`: the core user and the Actor of the sender, built at the edge (teams-app/actor.ts) when asked for. */
export type ActionCommandHandler = (turn: IncomingTurn, who: () => Promise<{ user: User; actor: Actor }>, io: TurnIo) => Promise<InvokeResult>;

/**
 * The message extension's action commands that live in small files (teams-app/listeners/,
 * issue 14), by their manifest command id; listeners/index.ts lists them.
 */
export class TeamsActionRouter {
  private readonly handlers = new Map<string, ActionCommandHandler>();

  action(commandId: string, handler: ActionCommandHandler): void {
    if (this.handlers.has(commandId)) throw new Error(`two Teams listeners claim the command "${commandId}"`);
    this.handlers.set(commandId, handler);
  }

  /** The listener of a composeExtension/submitAction, by the command id in its value. */
  forInvoke(turn: IncomingTurn): ActionCommandHandler | undefined {
    if (turn.name !== 'composeExtension/submitAction') return undefined;
    const id = own(turn.value, 'commandId');
    return typeof id === 'string' ? this.handlers.get(id) : undefined;
  }
}
