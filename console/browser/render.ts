// Renders what a user would see in each client — Adaptive Cards (Teams, Webex) and Slack Block
// Kit — as plain, accessible HTML. Only DOM APIs that never parse markup (textContent,
// createElement), so nothing a bot or a webhook sends can run script in the console.

type Json = Record<string, unknown>;

export interface CardHandlers {
  /** Action.Submit / Action.Execute: the button's data merged with the card's inputs. */
  submit(data: Json, label: string): void;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x): x is Json => typeof x === 'object' && x !== null) : []);

/** Text with Markdown links `[text](url)`, Slack links `<url|text>` and bare links made clickable, **bold**, `code` and _italics_; everything else as text. */
export function richText(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const pattern = /\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)|<(https?:\/\/[^|>]+)(?:\|([^>]+))?>|\*\*([^*]+)\*\*|(https?:\/\/[^\s)>]+)|`([^`\n]+)`|(?<!\w)_([^_\n]+)_(?!\w)/g;
  let last = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    out.append(text.slice(last, m.index));
    if (m[5] !== undefined) out.append(el('strong', {}, m[5]));
    else if (m[7] !== undefined) out.append(el('code', {}, m[7]));
    else if (m[8] !== undefined) out.append(el('em', {}, m[8]));
    else {
      const href = m[2] ?? m[3] ?? m[6] ?? '';
      out.append(el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, m[1] ?? m[4] ?? href));
    }
    last = m.index + m[0].length;
  }
  out.append(text.slice(last));
  return out;
}

/**
 * An Adaptive Card (https://adaptivecards.io/explorer/): TextBlock, RichTextBlock, FactSet,
 * ColumnSet, Container, Image, ActionSet, inputs, and Action.Submit / Execute / OpenUrl / ShowCard.
 */
export function renderAdaptiveCard(card: unknown, handlers: CardHandlers): HTMLElement {
  const root = el('div', { class: 'card-view' });
  if (typeof card !== 'object' || card === null) return root;
  const c = card as Json;
  const inputs = new Map<string, () => unknown>();
  const body = el('div');
  for (const item of list(c.body)) body.append(element(item, inputs, handlers));
  root.append(body);
  const actions = list(c.actions);
  if (actions.length > 0) root.append(actionRow(actions, inputs, handlers));
  return root;
}

function element(item: Json, inputs: Map<string, () => unknown>, handlers: CardHandlers): Node {
  switch (item.type) {
    case 'TextBlock': {
      const size = str(item.size).toLowerCase();
      const node = el(size === 'large' || size === 'extralarge' ? 'h4' : 'p', item.weight === 'Bolder' ? { class: 'bold' } : {});
      node.append(richText(str(item.text)));
      if (item.weight === 'Bolder' && node.tagName === 'P') node.style.fontWeight = '600';
      return node;
    }
    case 'RichTextBlock':
      return el('p', {}, ...list(item.inlines).map((i) => str(i.text)));
    case 'FactSet': {
      const table = el('table');
      for (const f of list(item.facts)) {
        const value = el('td');
        value.append(richText(str(f.value)));
        table.append(el('tr', {}, el('th', { scope: 'row' }, str(f.title)), value));
      }
      return table;
    }
    case 'ColumnSet': {
      const row = el('div', { class: 'row' });
      for (const col of list(item.columns)) {
        const cell = el('div');
        for (const i of list(col.items)) cell.append(element(i, inputs, handlers));
        row.append(cell);
      }
      return row;
    }
    case 'Container': {
      const box = el('div');
      for (const i of list(item.items)) box.append(element(i, inputs, handlers));
      return box;
    }
    case 'Image':
      return el('span', { class: 'hint' }, str(item.altText));
    case 'ActionSet':
      return actionRow(list(item.actions), inputs, handlers);
    case 'Input.Text':
    case 'Input.Number':
    case 'Input.Date':
    case 'Input.Time': {
      const id = str(item.id);
      const field = el('input', { type: ({ 'Input.Number': 'number', 'Input.Date': 'date', 'Input.Time': 'time' } as Record<string, string>)[str(item.type)] ?? 'text', value: str(item.value), 'aria-label': str(item.label) || str(item.placeholder) || id });
      inputs.set(id, () => field.value);
      return labelled(str(item.label), field);
    }
    case 'Input.Toggle': {
      const id = str(item.id);
      const box = el('input', { type: 'checkbox' });
      box.checked = str(item.value) === str(item.valueOn ?? 'true');
      inputs.set(id, () => (box.checked ? str(item.valueOn ?? 'true') : str(item.valueOff ?? 'false')));
      return el('label', {}, box, ` ${str(item.title)}`);
    }
    case 'Input.ChoiceSet': {
      const id = str(item.id);
      const select = el('select', { 'aria-label': str(item.label) || id });
      for (const ch of list(item.choices)) select.append(el('option', { value: str(ch.value) }, str(ch.title)));
      select.value = str(item.value);
      inputs.set(id, () => select.value);
      return labelled(str(item.label), select);
    }
    default:
      return el('span', { class: 'hint' }, typeof item.fallbackText === 'string' ? item.fallbackText : '');
  }
}

function labelled(label: string, field: HTMLElement): HTMLElement {
  if (!label) return field;
  return el('label', { class: 'field' }, label, field);
}

function actionRow(actions: Json[], inputs: Map<string, () => unknown>, handlers: CardHandlers): HTMLElement {
  const row = el('div', { class: 'row' });
  for (const a of actions) {
    const title = str(a.title) || '…';
    if (a.type === 'Action.OpenUrl') {
      row.append(el('a', { class: 'button', href: str(a.url), target: '_blank', rel: 'noopener noreferrer' }, title));
    } else if (a.type === 'Action.Submit' || a.type === 'Action.Execute') {
      const button = el('button', { type: 'button' }, title);
      button.addEventListener('click', () => {
        const data: Json = typeof a.data === 'object' && a.data !== null ? { ...(a.data as Json) } : {};
        if (a.type === 'Action.Execute' && a.verb) data.verb = a.verb;
        for (const [id, read] of inputs) data[id] = read();
        handlers.submit(data, title);
      });
      row.append(button);
    } else if (a.type === 'Action.ShowCard') {
      const details = el('details', {}, el('summary', {}, title));
      details.append(renderAdaptiveCard(a.card, handlers));
      row.append(details);
    }
  }
  return row;
}

/** Slack mrkdwn (https://api.slack.com/reference/surfaces/formatting): links and *bold*, the rest as text. */
export function mrkdwn(text: string): DocumentFragment {
  return richText(text.replace(/(^|\s)\*([^*\n]+)\*(?=\s|$|[.,!?])/g, '$1**$2**'));
}

function textOf(t: unknown): string {
  return typeof t === 'object' && t !== null ? str((t as Json).text) : '';
}

/** A button press, reported to the app as Slack does (block_actions), also for link buttons. */
export type BlockAction = (action: { actionId: string; blockId?: string; text: string; url?: string; value?: string }) => void;

/** Block Kit blocks (https://api.slack.com/reference/block-kit/blocks) as a Slack user sees them. */
export function renderBlocks(blocks: unknown[], onAction?: BlockAction): HTMLElement {
  const root = el('div', { class: 'card-view' });
  for (const b of list(blocks)) {
    switch (b.type) {
      case 'header':
        root.append(el('h4', {}, textOf(b.text)));
        break;
      case 'section': {
        const p = el('div');
        p.append(mrkdwn(textOf(b.text)));
        for (const f of list(b.fields)) {
          const field = el('div');
          field.append(mrkdwn(str(f.text)));
          p.append(field);
        }
        if (typeof b.accessory === 'object' && b.accessory !== null) p.append(' ', blockElement(b.accessory as Json, str(b.block_id), onAction));
        root.append(p);
        break;
      }
      case 'context': {
        const p = el('p', { class: 'hint' });
        for (const e of list(b.elements)) p.append(mrkdwn(str(e.text)), ' ');
        root.append(p);
        break;
      }
      case 'actions': {
        const row = el('div', { class: 'row' });
        for (const e of list(b.elements)) row.append(blockElement(e, str(b.block_id), onAction));
        root.append(row);
        break;
      }
      case 'divider':
        root.append(el('hr'));
        break;
      default:
        break;
    }
  }
  return root;
}

/** Buttons with a url open it, as in Slack (every button een-bridge sends is a link button). */
function blockElement(e: Json, blockId: string, onAction?: BlockAction): Node {
  if (e.type === 'button' && typeof e.url === 'string') {
    const link = el('a', { class: 'button', href: e.url, target: '_blank', rel: 'noopener noreferrer' }, textOf(e.text));
    link.addEventListener('click', () => onAction?.({ actionId: str(e.action_id), ...(blockId ? { blockId } : {}), text: textOf(e.text), url: str(e.url), ...(typeof e.value === 'string' ? { value: e.value } : {}) }));
    return link;
  }
  return el('span', {}, textOf(e.text));
}

/** The input blocks of a Slack modal (views.open) as a form's fields; values keyed by block_id. */
export function renderModalFields(view: Json, into: HTMLElement): () => Record<string, string | string[]> {
  into.replaceChildren();
  const readers = new Map<string, () => string | string[]>();
  for (const b of list(view.blocks)) {
    if (b.type !== 'input' || typeof b.element !== 'object' || b.element === null) {
      if (b.type === 'section' || b.type === 'context') into.append(renderBlocks([b]));
      continue;
    }
    const block = str(b.block_id);
    const e = b.element as Json;
    const id = `modal-${block}`;
    let field: HTMLInputElement | HTMLSelectElement;
    if (e.type === 'static_select') {
      const select = el('select', { id });
      for (const o of list(e.options)) select.append(el('option', { value: str(o.value) }, textOf(o.text)));
      if (typeof e.initial_option === 'object' && e.initial_option) select.value = str((e.initial_option as Json).value);
      field = select;
    } else {
      const type = e.type === 'datepicker' ? 'date' : e.type === 'timepicker' ? 'time' : 'text';
      const input = el('input', { id, type });
      input.value = str(e.initial_date ?? e.initial_time ?? e.initial_value);
      if (!b.optional) input.required = e.type !== 'multi_users_select';
      field = input;
    }
    readers.set(block, e.type === 'multi_users_select'
      ? () => field.value.split(/[\s,]+/).filter(Boolean)
      : () => field.value);
    into.append(el('div', { class: 'field' }, el('label', { for: id }, textOf(b.label)), field));
  }
  return () => Object.fromEntries([...readers].map(([k, read]) => [k, read()]));
}
