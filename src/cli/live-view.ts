/**
 * The live view's state and keys: which screen is up, the selection, the filter, the sort, the
 * pause; each key changes the state and the screen is drawn again from the library's data
 * (src/present/live/). No terminal here: `frame()` gives the lines, src/cli/live.ts writes them.
 */
import type { Lang } from '../annotate/i18n.js';
import { LIVE } from '../present/catalog.js';
import { listRows, renderCall, renderHelp, renderList, type ListView } from '../present/live/screen.js';
import { parseFilterText, SORT_KEYS, type LiveCalls, type LiveRow, type SortKey } from '../present/live/store.js';
import { timelineCall, type TimelineCall } from '../present/timeline.js';

/** A key as node:readline names it (emitKeypressEvents). */
export interface Key {
  readonly name?: string;
  readonly sequence?: string;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
}

/**
 * Saving the selected calls as a capture (`--write-pcap` semantics: every frame of the calls, in
 * capture order). Null until that writer is on main (branch `pcap`); the `w` key says so meanwhile.
 */
export type SaveCalls = (rows: readonly LiveRow[]) => string;

export interface LiveViewOptions {
  readonly source: string;
  readonly lang: Lang;
  readonly save: SaveCalls | null;
  /** A file browsed rather than a capture watched live. */
  readonly browsing: boolean;
}

type Screen = 'list' | 'call' | 'help';

export class LiveView {
  private screen: Screen = 'list';
  private before: Exclude<Screen, 'help'> = 'list';
  private rows: LiveRow[] = [];
  /** The store version, filter and order the rows were taken with. */
  private taken = '';
  private selected = 0;
  private top = 0;
  private sort: SortKey = 'start';
  private descending = false;
  private filter = '';
  private typing: string | null = null;
  private paused = false;
  private notice: string | null = null;
  /** The call open on the call screen, by number (its row is found again at each refresh). */
  private callNumber: number | null = null;
  private message = 0;
  private panel: 'raw' | 'findings' = 'findings';
  private scroll = 0;
  private readonly timelines = new WeakMap<LiveRow, TimelineCall>();
  /** Whether every input has been read (a file browsed, or the capture ended). */
  ended = false;
  /** Set by `q`: the caller stops. */
  quit = false;

  constructor(
    private readonly store: LiveCalls,
    private readonly options: LiveViewOptions,
    public width: number,
    public height: number,
  ) {}

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

  private clamp(): void {
    this.selected = Math.max(0, Math.min(this.selected, this.rows.length - 1));
    const shown = listRows(this.height);
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
    if (this.screen === 'help') {
      this.screen = this.before;
      return;
    }
    if (this.typing !== null) return this.typeFilter(str, key);
    if (str === 'q') {
      this.quit = true;
      return;
    }
    if (str === '?') {
      this.before = this.screen;
      this.screen = 'help';
      return;
    }
    if (this.screen === 'list') this.listKey(str, key);
    else this.callKey(str, key);
  }

  private typeFilter(str: string | undefined, key: Key): void {
    const typing = this.typing ?? '';
    if (key.name === 'return' || key.name === 'enter') {
      this.filter = typing.trim();
      this.typing = null;
      this.selected = 0;
      this.refreshNow();
    } else if (key.name === 'escape') {
      this.typing = null;
      this.filter = '';
      this.refreshNow();
    } else if (key.name === 'backspace') {
      this.typing = typing.slice(0, -1);
    } else if (str !== undefined && str.length === 1 && str >= ' ') {
      this.typing = typing + str;
    }
  }

  /** A change the user asked for shows at once, paused or not. */
  private refreshNow(): void {
    const paused = this.paused;
    this.paused = false;
    this.refresh();
    this.paused = paused;
  }

  private listKey(str: string | undefined, key: Key): void {
    const page = listRows(this.height);
    switch (key.name) {
      case 'up':
        this.selected--;
        break;
      case 'down':
        this.selected++;
        break;
      case 'pageup':
        this.selected -= page;
        break;
      case 'pagedown':
        this.selected += page;
        break;
      case 'home':
        this.selected = 0;
        break;
      case 'end':
        this.selected = this.rows.length - 1;
        break;
      case 'return':
      case 'enter':
        this.openCall();
        break;
      default:
        this.listLetter(str);
    }
    this.clamp();
  }

  private listLetter(str: string | undefined): void {
    switch (str) {
      case 'k':
        this.selected--;
        break;
      case 'j':
        this.selected++;
        break;
      case 'g':
        this.selected = 0;
        break;
      case 'G':
        this.selected = this.rows.length - 1;
        break;
      case '/':
        this.typing = this.filter;
        break;
      case 's':
        this.sort = SORT_KEYS[(SORT_KEYS.indexOf(this.sort) + 1) % SORT_KEYS.length]!;
        this.refreshNow();
        break;
      case 'r':
        this.descending = !this.descending;
        this.refreshNow();
        break;
      case 'p':
        this.paused = !this.paused;
        this.refresh();
        break;
      case 'w':
        this.saveSelected();
        break;
    }
  }

  private saveSelected(): void {
    const row = this.rows[this.selected];
    if (this.options.save === null) this.notice = LIVE[this.options.lang].noSave;
    else if (row !== undefined) this.notice = this.options.save([row]);
  }

  private openCall(): void {
    const row = this.rows[this.selected];
    if (row === undefined) return;
    this.screen = 'call';
    this.callNumber = row.number;
    // Open on the first message a finding is beside, the one to read first.
    this.message = row.findings[0]?.anchor ?? 0;
    this.panel = row.findings.length > 0 ? 'findings' : 'raw';
    this.scroll = 0;
  }

  private callRow(): LiveRow | null {
    return this.rows.find((r) => r.number === this.callNumber) ?? null;
  }

  private callKey(str: string | undefined, key: Key): void {
    const row = this.callRow();
    const messages = row?.call.messages.length ?? 0;
    const name = key.name ?? '';
    if (name === 'escape' || name === 'backspace') {
      this.screen = 'list';
      this.selected = Math.max(0, this.rows.findIndex((r) => r.number === this.callNumber));
      this.clamp();
    } else if (name === 'up' || str === 'k') {
      this.message = Math.max(0, this.message - 1);
      this.scroll = 0;
    } else if (name === 'down' || str === 'j') {
      this.message = Math.min(messages - 1, this.message + 1);
      this.scroll = 0;
    } else if (name === 'left' || name === 'right' || str === 'h' || str === 'l') {
      const at = this.rows.findIndex((r) => r.number === this.callNumber);
      const next = this.rows[at + (name === 'left' || str === 'h' ? -1 : 1)];
      if (next !== undefined) {
        this.selected = at + (name === 'left' || str === 'h' ? -1 : 1);
        this.openCall();
      }
    } else if (name === 'tab') {
      this.panel = this.panel === 'raw' ? 'findings' : 'raw';
      this.scroll = 0;
    } else if (name === 'pagedown') {
      this.scroll += Math.max(1, Math.floor(this.height / 3));
    } else if (name === 'pageup') {
      this.scroll = Math.max(0, this.scroll - Math.max(1, Math.floor(this.height / 3)));
    } else if (str === 'w') {
      this.saveSelected();
    }
  }

  private timelineOf(row: LiveRow): TimelineCall {
    let timeline = this.timelines.get(row);
    if (timeline === undefined) {
      timeline = timelineCall(row.analyzed, this.options.lang);
      this.timelines.set(row, timeline);
    }
    return timeline;
  }

  /** The screen as lines of exactly `width` cells. */
  frame(): string[] {
    const { width, height } = this;
    const lang = this.options.lang;
    if (this.screen === 'help') return renderHelp(width, height, lang);
    const row = this.screen === 'call' ? this.callRow() : null;
    if (row !== null) {
      const position = this.rows.indexOf(row) + 1;
      return renderCall({ row, timeline: this.timelineOf(row), message: Math.min(this.message, row.call.messages.length - 1), panel: this.panel, scroll: this.scroll, position, count: this.rows.length, notice: this.notice }, width, height, lang);
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
      typing: this.typing,
      notice: this.notice,
    };
    return renderList(view, width, height, lang);
  }
}
