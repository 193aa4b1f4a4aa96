/**
 * The Block Kit limits Slack enforces on what an app posts, so the emulator refuses what Slack
 * refuses. Limits from the Block Kit reference (https://docs.slack.dev/reference/block-kit/blocks,
 * one page per block: section, header, actions, context, divider, image, input; and
 * https://docs.slack.dev/reference/block-kit/block-elements/button-element,
 * https://docs.slack.dev/reference/block-kit/composition-objects/text-object,
 * https://docs.slack.dev/reference/views/modal-views): 50 blocks a message, 100 a modal or Home
 * tab. Problems are reported as Slack does, one per JSON pointer:
 * `must be less than 3001 characters [json-pointer:/blocks/0/text/text]`.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Blocks a surface accepts; `rich_text`, `markdown`, `video` and `file` are accepted and not looked into. */
const blockTypes = new Set(['section', 'divider', 'image', 'actions', 'context', 'header', 'input', 'rich_text', 'markdown', 'video', 'file']);

class Problems {
  readonly list: string[] = [];
  add(pointer: string, problem: string): void {
    this.list.push(`${problem} [json-pointer:${pointer}]`);
  }
  /** A string no longer than `max` characters (Slack counts characters, not bytes). */
  length(value: unknown, max: number, pointer: string): void {
    if (typeof value === 'string' && [...value].length > max) this.add(pointer, `must be less than ${max + 1} characters`);
  }
}

/** A text object: plain_text or mrkdwn (only plain_text where `plainOnly`), non-empty, at most `max` characters. */
function text(p: Problems, value: unknown, pointer: string, max: number, plainOnly = false): void {
  if (!isObject(value)) return p.add(pointer, 'must be a text object');
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof value.type !== 'string' || !allowed.includes(value.type)) p.add(`${pointer}/type`, `must be one of ${allowed.join(', ')}`);
  if (typeof value.text !== 'string' || value.text.length === 0) return p.add(`${pointer}/text`, 'must be more than 0 characters');
  p.length(value.text, max, `${pointer}/text`);
}

function element(p: Problems, value: unknown, pointer: string): void {
  if (!isObject(value) || typeof value.type !== 'string') return p.add(pointer, 'must provide an element with a type');
  p.length(value.action_id, 255, `${pointer}/action_id`);
  if (value.type === 'button') {
    text(p, value.text, `${pointer}/text`, 75, true);
    p.length(value.value, 2000, `${pointer}/value`);
    p.length(value.url, 3000, `${pointer}/url`);
    if (value.style !== undefined && value.style !== 'primary' && value.style !== 'danger') p.add(`${pointer}/style`, 'must be one of primary, danger');
  }
}

function block(p: Problems, value: unknown, pointer: string): void {
  if (!isObject(value)) return p.add(pointer, 'must be an object');
  if (typeof value.type !== 'string' || !blockTypes.has(value.type)) return p.add(`${pointer}/type`, 'unsupported type');
  p.length(value.block_id, 255, `${pointer}/block_id`);
  switch (value.type) {
    case 'section': {
      if (value.text === undefined && value.fields === undefined) p.add(pointer, 'must provide text or fields');
      if (value.text !== undefined) text(p, value.text, `${pointer}/text`, 3000);
      if (value.fields !== undefined) {
        if (!Array.isArray(value.fields) || value.fields.length > 10) p.add(`${pointer}/fields`, 'must provide no more than 10 items');
        else value.fields.forEach((f, i) => text(p, f, `${pointer}/fields/${i}`, 2000));
      }
      if (value.accessory !== undefined) element(p, value.accessory, `${pointer}/accessory`);
      return;
    }
    case 'header':
      return text(p, value.text, `${pointer}/text`, 150, true);
    case 'actions':
      if (!Array.isArray(value.elements) || value.elements.length === 0 || value.elements.length > 25) {
        return p.add(`${pointer}/elements`, 'must provide 1 to 25 items');
      }
      return value.elements.forEach((e, i) => element(p, e, `${pointer}/elements/${i}`));
    case 'context':
      if (!Array.isArray(value.elements) || value.elements.length === 0 || value.elements.length > 10) {
        return p.add(`${pointer}/elements`, 'must provide 1 to 10 items');
      }
      return value.elements.forEach((e, i) => (isObject(e) && e.type === 'image' ? undefined : text(p, e, `${pointer}/elements/${i}`, 3000)));
    case 'input':
      text(p, value.label, `${pointer}/label`, 2000, true);
      if (value.hint !== undefined) text(p, value.hint, `${pointer}/hint`, 2000, true);
      return element(p, value.element, `${pointer}/element`);
    default:
      return;
  }
}

/** Problems with a message's or view's `blocks` (empty when Slack would take them). */
export function blockProblems(blocks: unknown, max: number, pointer = '/blocks'): string[] {
  const p = new Problems();
  if (!Array.isArray(blocks)) p.add(pointer, 'must be an array');
  else if (blocks.length > max) p.add(pointer, `must provide no more than ${max} items`);
  else blocks.forEach((b, i) => block(p, b, `${pointer}/${i}`));
  return p.list;
}

/** Problems with a modal or Home tab view (https://docs.slack.dev/reference/views). */
export function viewProblems(view: unknown): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('/view', 'must be an object');
    return p.list;
  }
  if (view.type !== 'modal' && view.type !== 'home') p.add('/view/type', 'must be one of modal, home');
  if (view.type === 'modal') {
    text(p, view.title, '/view/title', 24, true);
    if (view.submit !== undefined) text(p, view.submit, '/view/submit', 24, true);
    if (view.close !== undefined) text(p, view.close, '/view/close', 24, true);
  }
  p.length(view.callback_id, 255, '/view/callback_id');
  p.length(view.private_metadata, 3000, '/view/private_metadata');
  p.length(view.external_id, 255, '/view/external_id');
  return [...p.list, ...blockProblems(view.blocks, 100, '/view/blocks')];
}

/**
 * Slack's refusal for bad blocks or views: the error code and each problem as an `[ERROR]` line
 * in `response_metadata.messages` (https://docs.slack.dev/apis/web-api/#responses); for
 * `invalid_blocks` chat.postMessage lists them in `errors` too.
 */
export function refusal(error: 'invalid_blocks' | 'invalid_arguments', problems: string[]): Json {
  return {
    ok: false,
    error,
    ...(error === 'invalid_blocks' ? { errors: problems } : {}),
    response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) },
  };
}
