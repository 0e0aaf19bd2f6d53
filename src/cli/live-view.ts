/**
 * The live view's state and keys: which screen is up, the selection, the marks, the filter, the
 * sort, the pause, a file name being typed; each key changes the state and the screen is drawn
 * again from the library's data (src/present/live/). No terminal here: `frame()` gives the lines,
 * src/cli/live.ts writes them. The keys are one table per screen (`bindings`): the key handler
 * reads it and the help screen is made from it, so the help lists every key there is.
 */
import type { Lang } from '../annotate/i18n.js';
import { LIVE } from '../present/catalog.js';
import { diffLines } from '../present/live/diff.js';
import { listRows, renderCall, renderHelp, renderList, type Comparison, type HelpSection, type ListView, type Prompt } from '../present/live/screen.js';
import { parseFilterText, SORT_KEYS, type LiveCalls, type LiveRow, type SortKey } from '../present/live/store.js';
import { timelineCall, type TimelineCall, type TimelineMessage } from '../present/timeline.js';
import { messageRef } from '../present/values.js';

/** A key as node:readline names it (emitKeypressEvents). */
export interface Key {
  readonly name?: string;
  readonly sequence?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
}

/** What the view asks of its host (src/cli/live.ts): files to write, which take time and the disk. */
export interface LiveActions {
  /** A file name for these calls that is not taken yet (siplens-call-2.pcapng). */
  suggestName(calls: readonly TimelineCall[], kind: 'pcap' | 'html'): string;
  /** Writes the calls' frames as a capture (`--write-pcap` semantics); resolves with what the bottom line says. */
  savePcap(calls: readonly TimelineCall[], path: string): Promise<string>;
  /** Writes the calls' HTML report (the one the command line writes); resolves with what the bottom line says. */
  exportHtml(calls: readonly TimelineCall[], path: string): Promise<string>;
}

export interface LiveViewOptions {
  readonly source: string;
  readonly lang: Lang;
  readonly actions: LiveActions;
  /** A file browsed rather than a capture watched live. */
  readonly browsing: boolean;
  /** Called when the view changes by itself (a file written): the host draws it again. */
  readonly changed?: () => void;
}

type Screen = 'list' | 'call' | 'help';

/** One key (or a pair, as ↑ ↓) of a screen: as the help shows it, what presses it, what it does. */
export interface Binding {
  readonly label: string;
  /** Key names (node:readline's: up, pageup, return, space...). */
  readonly names?: readonly string[];
  /** Characters typed. */
  readonly chars?: readonly string[];
  readonly does: HelpSection['keys'][number]['does'];
  /** Runs with the name or character that pressed it. */
  readonly run: (pressed: string) => void;
}

/** A message kept for comparison (m): its call, its row in the call, what it is, its text. */
interface MarkedMessage {
  readonly call: number;
  readonly index: number;
  readonly ref: string;
  readonly raw: string;
}

/** What a message is, in a few characters: "#12 INVITE", "#13 180 Ringing". */
function messageName(m: TimelineMessage): string {
  return `${messageRef(m)} ${m.method ?? `${m.status ?? ''} ${m.reason ?? ''}`.trim()}`;
}

const linesOf = (raw: string): string[] => raw.replace(/\r?\n$/, '').split(/\r?\n/);

export class LiveView {
  private screen: Screen = 'list';
  private before: Exclude<Screen, 'help'> = 'list';
  private helpScroll = 0;
  private rows: LiveRow[] = [];
  /** The store version, filter and order the rows were taken with. */
  private taken = '';
  private selected = 0;
  private top = 0;
  private sort: SortKey = 'start';
  private descending = false;
  private filter = '';
  /** A line being typed at the bottom: the filter, or the name of a file to write. */
  private prompt: { readonly kind: 'filter' | 'save' | 'export'; text: string } | null = null;
  private paused = false;
  private notice: string | null = null;
  /** Calls marked with Space, by number: w and e take them. */
  private readonly marked = new Set<number>();
  /** The call open on the call screen, by number (its row is found again at each refresh). */
  private callNumber: number | null = null;
  private message = 0;
  private panel: 'raw' | 'findings' | 'compare' = 'findings';
  private scroll = 0;
  private markedMessage: MarkedMessage | null = null;
  private comparison: { readonly key: string; readonly value: Comparison } | null = null;
  private readonly timelines = new WeakMap<LiveRow, TimelineCall>();
  /** Whether every input has been read (a file browsed, or the capture ended). */
  ended = false;
  /** Set by `q`: the caller stops. */
  quit = false;
  /** How far the capture read lags the wall clock, in whole seconds, when it does (set by the host). */
  behindSeconds: number | null = null;
  /** Sentences that stay on screen (the capture process's drops, its end; set by the host). */
  alerts: readonly string[] = [];
  /** The file being written, if any: a second write waits for it. */
  writing: Promise<void> | null = null;

  /** The keys of each screen; `everywhere` works on the list and on a call. */
  readonly bindings: { readonly everywhere: readonly Binding[]; readonly list: readonly Binding[]; readonly call: readonly Binding[] } = {
    everywhere: [
      { label: 'Space', names: ['space'], does: 'mark', run: () => this.toggleMark() },
      { label: 'w', chars: ['w'], does: 'save', run: () => this.ask('save') },
      { label: 'e', chars: ['e'], does: 'export', run: () => this.ask('export') },
      { label: 'p', chars: ['p'], does: 'pause', run: () => this.togglePause() },
      { label: '?', chars: ['?'], does: 'help', run: () => this.openHelp() },
      { label: 'q  Ctrl-C', chars: ['q'], does: 'quit', run: () => (this.quit = true) },
    ],
    list: [
      { label: '↑ ↓  j k', names: ['up', 'down'], chars: ['k', 'j'], does: 'move', run: (k) => this.moveSelection(k === 'up' || k === 'k' ? -1 : 1) },
      { label: 'PgUp PgDn', names: ['pageup', 'pagedown'], does: 'page', run: (k) => this.moveSelection((k === 'pageup' ? -1 : 1) * this.listHeight()) },
      { label: 'Home End  g G', names: ['home', 'end'], chars: ['g', 'G'], does: 'ends', run: (k) => this.moveSelection(k === 'home' || k === 'g' ? -Infinity : Infinity) },
      { label: 'Enter', names: ['return', 'enter'], does: 'open', run: () => this.openCall() },
      { label: '/', chars: ['/'], does: 'filter', run: () => (this.prompt = { kind: 'filter', text: this.filter }) },
      { label: 's', chars: ['s'], does: 'sort', run: () => this.nextSort() },
      { label: 'r', chars: ['r'], does: 'reverse', run: () => this.reverse() },
    ],
    call: [
      { label: '↑ ↓  j k', names: ['up', 'down'], chars: ['k', 'j'], does: 'message', run: (k) => this.moveMessage(k === 'up' || k === 'k' ? -1 : 1) },
      { label: '← →  h l', names: ['left', 'right'], chars: ['h', 'l'], does: 'call', run: (k) => this.nextCall(k === 'left' || k === 'h' ? -1 : 1) },
      { label: 'Tab', names: ['tab'], does: 'panel', run: () => this.switchPanel() },
      { label: 'PgUp PgDn', names: ['pageup', 'pagedown'], does: 'scroll', run: (k) => this.scrollPanel(k === 'pageup' ? -1 : 1) },
      { label: 'm', chars: ['m'], does: 'markMessage', run: () => this.markMessage() },
      { label: 'd', chars: ['d'], does: 'compare', run: () => this.compare() },
      { label: 'Esc  Backspace', names: ['escape', 'backspace'], does: 'back', run: () => this.backToList() },
    ],
  };

  constructor(
    private readonly store: LiveCalls,
    private readonly options: LiveViewOptions,
    public width: number,
    public height: number,
  ) {}

  /** The help's sections, from the key table. */
  helpSections(): HelpSection[] {
    const keys = (list: readonly Binding[]) => list.map((b) => ({ label: b.label, does: b.does }));
    return [
      { title: 'helpEverywhere', keys: keys(this.bindings.everywhere) },
      { title: 'helpList', keys: keys(this.bindings.list) },
      { title: 'helpCall', keys: keys(this.bindings.call) },
    ];
  }

  /** Takes the calls as they are now, unless paused (the analysis goes on underneath). */
  refresh(): void {
    if (this.paused) return;
    // Nothing new since the rows were taken, and the same filter and order: they stand.
    const taken = `${this.store.version}\u0000${this.filter}\u0000${this.sort}\u0000${this.descending}`;
    if (taken === this.taken) return this.clamp();
    this.taken = taken;
    const number = this.rows[this.selected]?.number ?? null;
    this.rows = this.store.rows(parseFilterText(this.filter), this.sort, this.descending);
    // The selection follows its call when the list moves under it.
    if (number !== null) {
      const at = this.rows.findIndex((r) => r.number === number);
      if (at >= 0) this.selected = at;
    }
    this.clamp();
  }

  private listHeight(): number {
    return listRows(this.height, this.alerts.length);
  }

  private clamp(): void {
    this.selected = Math.max(0, Math.min(this.selected, this.rows.length - 1));
    const shown = this.listHeight();
    if (this.selected < this.top) this.top = this.selected;
    if (this.selected >= this.top + shown) this.top = this.selected - shown + 1;
    this.top = Math.max(0, Math.min(this.top, Math.max(0, this.rows.length - shown)));
  }

  /** One key. */
  key(str: string | undefined, key: Key): void {
    this.notice = null;
    if (key.ctrl === true && key.name === 'c') {
      this.quit = true;
      return;
    }
    if (this.screen === 'help') return this.helpKey(key);
    if (this.prompt !== null) return this.typePrompt(str, key);
    if (key.ctrl === true) return;
    const screen = this.screen === 'list' ? this.bindings.list : this.bindings.call;
    for (const binding of [...this.bindings.everywhere, ...screen]) {
      const pressed = str !== undefined && binding.chars?.includes(str) ? str : key.name !== undefined && binding.names?.includes(key.name) ? key.name : null;
      if (pressed !== null) return binding.run(pressed);
    }
  }

  /** On the help: ↑↓ (j k) and PgUp PgDn scroll it, any other key closes it. */
  private helpKey(key: Key): void {
    const page = Math.max(1, this.height - 2);
    const step: Record<string, number> = { up: -1, k: -1, down: 1, j: 1, pageup: -page, pagedown: page };
    const by = step[key.name ?? ''];
    if (by === undefined) {
      this.screen = this.before;
      return;
    }
    this.helpScroll = Math.max(0, this.helpScroll + by);
  }

  private openHelp(): void {
    this.before = this.screen === 'help' ? this.before : this.screen;
    this.screen = 'help';
    this.helpScroll = 0;
  }

  private typePrompt(str: string | undefined, key: Key): void {
    const prompt = this.prompt!;
    if (key.name === 'return' || key.name === 'enter') {
      this.prompt = null;
      if (prompt.kind === 'filter') {
        this.filter = prompt.text.trim();
        this.selected = 0;
        this.refreshNow();
      } else if (prompt.text.trim() !== '') this.write(prompt.kind, prompt.text.trim());
    } else if (key.name === 'escape') {
      this.prompt = null;
      if (prompt.kind === 'filter') {
        this.filter = '';
        this.refreshNow();
      }
    } else if (key.name === 'backspace') {
      prompt.text = prompt.text.slice(0, -1);
    } else if (str !== undefined && str.length === 1 && str >= ' ' && key.ctrl !== true) {
      prompt.text += str;
    }
  }

  /** A change the user asked for shows at once, paused or not. */
  private refreshNow(): void {
    const paused = this.paused;
    this.paused = false;
    this.refresh();
    this.paused = paused;
  }

  private moveSelection(by: number): void {
    this.selected = by === -Infinity ? 0 : by === Infinity ? this.rows.length - 1 : this.selected + by;
    this.clamp();
  }

  private nextSort(): void {
    this.sort = SORT_KEYS[(SORT_KEYS.indexOf(this.sort) + 1) % SORT_KEYS.length]!;
    this.refreshNow();
  }

  private reverse(): void {
    this.descending = !this.descending;
    this.refreshNow();
  }

  private togglePause(): void {
    this.paused = !this.paused;
    this.refresh();
  }

  /** Space: marks or unmarks the selected call (on the list, then moves to the next one, to mark several in a row) or the open call. */
  private toggleMark(): void {
    const number = this.screen === 'call' ? this.callNumber : (this.rows[this.selected]?.number ?? null);
    if (number === null) return;
    if (!this.marked.delete(number)) this.marked.add(number);
    if (this.screen === 'list') this.moveSelection(1);
  }

  /** The calls w and e take: the marked ones still kept, in call order; else the selected (or open) call. */
  private chosenRows(): LiveRow[] {
    if (this.marked.size > 0) {
      return [...this.marked]
        .sort((a, b) => a - b)
        .map((n) => this.store.row(n))
        .filter((r): r is LiveRow => r !== undefined);
    }
    const row = this.screen === 'call' ? this.callRow() : this.rows[this.selected];
    return row === undefined || row === null ? [] : [row];
  }

  /** w or e: asks for the file name, with one suggested. */
  private ask(kind: 'save' | 'export'): void {
    const w = LIVE[this.options.lang];
    if (this.writing !== null) {
      this.notice = w.busy;
      return;
    }
    const calls = this.chosenRows().map((r) => this.timelineOf(r));
    if (calls.length === 0) {
      this.notice = w.noCall;
      return;
    }
    this.prompt = { kind, text: this.options.actions.suggestName(calls, kind === 'save' ? 'pcap' : 'html') };
  }

  /** Writes the chosen calls to `path`; the bottom line says "writing" meanwhile, then what was written (or why not). */
  private write(kind: 'save' | 'export', path: string): void {
    const w = LIVE[this.options.lang];
    const calls = this.chosenRows().map((r) => this.timelineOf(r));
    if (calls.length === 0) {
      this.notice = w.noCall;
      return;
    }
    this.notice = w.writing(path);
    const actions = this.options.actions;
    const job = kind === 'save' ? actions.savePcap(calls, path) : actions.exportHtml(calls, path);
    this.writing = job
      .catch((err: unknown) => w.writeFailed(path, err instanceof Error ? err.message : String(err)))
      .then((said) => {
        this.writing = null;
        this.notice = said;
        this.options.changed?.();
      });
  }

  private openCall(): void {
    const row = this.rows[this.selected];
    if (row === undefined) return;
    this.screen = 'call';
    this.callNumber = row.number;
    // Open on the first message a finding is beside, the one to read first.
    this.message = this.timelineOf(row).findings[0]?.anchor ?? 0;
    this.panel = row.findings.length > 0 ? 'findings' : 'raw';
    this.scroll = 0;
  }

  private callRow(): LiveRow | null {
    return this.rows.find((r) => r.number === this.callNumber) ?? null;
  }

  private messageCount(): number {
    const row = this.callRow();
    return row === null ? 0 : this.timelineOf(row).messages.length;
  }

  private moveMessage(by: number): void {
    this.message = Math.max(0, Math.min(this.messageCount() - 1, this.message + by));
    this.scroll = 0;
  }

  /** ← →: the call before or after this one in the list, opened as Enter opens it (a comparison stays on). */
  private nextCall(by: number): void {
    const at = this.rows.findIndex((r) => r.number === this.callNumber);
    if (this.rows[at + by] === undefined) return;
    const comparing = this.panel === 'compare';
    this.selected = at + by;
    this.openCall();
    if (comparing) this.panel = 'compare';
  }

  private switchPanel(): void {
    this.panel = this.panel === 'raw' ? 'findings' : 'raw';
    this.scroll = 0;
  }

  private scrollPanel(by: number): void {
    this.scroll = Math.max(0, this.scroll + by * Math.max(1, Math.floor(this.height / 3)));
  }

  private backToList(): void {
    this.screen = 'list';
    this.selected = Math.max(0, this.rows.findIndex((r) => r.number === this.callNumber));
    this.clamp();
  }

  /** m: keeps this message to compare another with (in this call or another). */
  private markMessage(): void {
    const row = this.callRow();
    const shown = row === null ? undefined : this.timelineOf(row).messages[this.message];
    if (row === null || shown === undefined) return;
    this.markedMessage = { call: row.number, index: this.message, ref: messageName(shown), raw: shown.raw };
    this.notice = LIVE[this.options.lang].messageMarked(this.markedMessage.ref);
  }

  /** d: the marked message and this one, compared. */
  private compare(): void {
    if (this.markedMessage === null) {
      this.notice = LIVE[this.options.lang].noMarkedMessage;
      return;
    }
    this.panel = 'compare';
    this.scroll = 0;
  }

  /** The comparison of the marked message with the selected one (made again only when either changes). */
  private comparisonWith(row: LiveRow, timeline: TimelineCall): Comparison | null {
    const marked = this.markedMessage;
    const shown = timeline.messages[this.message];
    if (marked === null || shown === undefined) return null;
    const key = `${marked.call}:${marked.index}:${row.number}:${this.message}`;
    if (this.comparison?.key !== key) {
      const w = LIVE[this.options.lang];
      const here = messageName(shown);
      const sameCall = marked.call === row.number;
      this.comparison = {
        key,
        value: {
          first: sameCall ? marked.ref : w.messageOfCall(marked.ref, marked.call),
          second: sameCall ? here : w.messageOfCall(here, row.number),
          lines: diffLines(linesOf(marked.raw), linesOf(shown.raw)),
        },
      };
    }
    return this.comparison.value;
  }

  private timelineOf(row: LiveRow): TimelineCall {
    let timeline = this.timelines.get(row);
    if (timeline === undefined) {
      timeline = timelineCall(row.analyzed, this.options.lang);
      this.timelines.set(row, timeline);
    }
    return timeline;
  }

  private shownPrompt(): Prompt | null {
    const p = this.prompt;
    if (p === null) return null;
    const w = LIVE[this.options.lang];
    return { label: p.kind === 'filter' ? '/' : p.kind === 'save' ? w.savePrompt : w.exportPrompt, text: p.text };
  }

  /** The screen as lines of exactly `width` cells. */
  frame(): string[] {
    const { width, height } = this;
    const lang = this.options.lang;
    if (this.screen === 'help') return renderHelp(this.helpSections(), this.helpScroll, width, height, lang);
    const row = this.screen === 'call' ? this.callRow() : null;
    if (row !== null) {
      const timeline = this.timelineOf(row);
      const message = Math.max(0, Math.min(this.message, timeline.messages.length - 1));
      const marked = this.markedMessage;
      return renderCall(
        {
          row,
          timeline,
          message,
          panel: this.panel,
          scroll: this.scroll,
          position: this.rows.indexOf(row) + 1,
          count: this.rows.length,
          marked: this.marked.has(row.number),
          markedMessage: marked !== null && marked.call === row.number ? marked.index : null,
          compare: this.panel === 'compare' ? this.comparisonWith(row, timeline) : null,
          prompt: this.shownPrompt(),
          notice: this.notice,
        },
        width,
        height,
        lang,
      );
    }
    const view: ListView = {
      rows: this.rows,
      selected: this.selected,
      top: this.top,
      source: this.options.source,
      total: this.store.endedCount + this.store.openCount,
      open: this.store.openCount,
      dropped: this.store.dropped,
      state: this.paused ? 'paused' : this.ended ? 'readToEnd' : this.options.browsing ? 'reading' : 'live',
      sort: this.sort,
      descending: this.descending,
      filter: this.filter,
      marked: this.marked,
      behindSeconds: this.behindSeconds,
      alerts: this.alerts,
      prompt: this.shownPrompt(),
      notice: this.notice,
    };
    return renderList(view, width, height, lang);
  }
}
